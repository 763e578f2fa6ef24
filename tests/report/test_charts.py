"""Report step, charts: deterministic, print-safe SVG with suppression shown and alt text."""

from __future__ import annotations

import re
from collections.abc import Callable

import matplotlib as mpl
import pandas as pd
import pytest

from tests.report.report_marts import SECTORS, mart_frames
from transforms.report import charts
from transforms.report.charts import Chart
from transforms.report.charts import comparison as charts_comparison

FRAMES = mart_frames()


def _all_charts(frames: dict[str, pd.DataFrame] = FRAMES) -> dict[str, Chart]:
    return {
        "hiring": charts.plot_hiring_demand_by_role(frames["mart_hiring_demand"]),
        "difficulty": charts.plot_difficulty_by_sector(
            frames["mart_recruitment_difficulty"], SECTORS
        ),
        "heatmap": charts.plot_skill_shortage_heatmap(frames["mart_skill_shortage"], SECTORS),
        "supply": charts.plot_demand_vs_supply(frames["mart_demand_vs_supply"]),
        "training": charts.plot_training_preferences(frames["mart_training_preference"]),
        "gap": charts_comparison.plot_skill_gap(frames["mart_skill_gap"]),
        "waves": charts_comparison.plot_wave_hires(frames["mart_wave_comparison"], "2022", "2024"),
    }


@pytest.fixture(scope="module")
def rendered() -> dict[str, Chart]:
    return _all_charts()


def _texts(chart: Chart) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", chart.svg.decode())


def test_every_chart_is_an_svg_with_a_name_and_a_sentence_of_alt_text(
    rendered: dict[str, Chart],
) -> None:
    assert len({c.name for c in rendered.values()}) == 7
    for chart in rendered.values():
        assert chart.svg.startswith(b"<?xml")
        assert b"<svg" in chart.svg
        assert chart.alt_text.endswith(".")
        assert chart.alt_text.count(". ") == 0, "one sentence"


def test_the_same_marts_give_byte_identical_charts(rendered: dict[str, Chart]) -> None:
    again = _all_charts(mart_frames())
    for name, chart in rendered.items():
        assert again[name].svg == chart.svg, name
        assert again[name].alt_text == chart.alt_text
    assert all(b"<dc:date>" not in chart.svg for chart in rendered.values())


def test_charts_leave_matplotlib_global_settings_alone() -> None:
    before = dict(mpl.rcParams)
    backend = mpl.get_backend()
    _all_charts()
    assert mpl.get_backend() == backend
    assert dict(mpl.rcParams) == before


def test_charts_use_greys_only_so_they_print_in_black_and_white(
    rendered: dict[str, Chart],
) -> None:
    for chart in rendered.values():
        colours = set(re.findall(r"(?:fill|stroke)[:=]\s*\"?#([0-9a-fA-F]{6})", chart.svg.decode()))
        assert colours
        for colour in colours:
            r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            assert r == g == b, f"{chart.name} uses colour #{colour}"


def test_the_hiring_chart_shows_a_suppressed_role_as_a_labelled_gap(
    rendered: dict[str, Chart],
) -> None:
    texts = _texts(rendered["hiring"])
    assert "Health economist" in texts
    assert texts.count("[c] not published") == 2  # within 5 years and within 1 year
    assert "150" in texts and "45" in texts


def test_the_hiring_alt_text_names_the_role_with_most_demand_and_its_interval(
    rendered: dict[str, Chart],
) -> None:
    assert rendered["hiring"].alt_text == (
        "Bar chart of expected hires by role within five and one years: GMP manufacturing "
        "operator has the longest 5-year bar, 150 (95% CI 114–186); 1 role "
        "suppressed for too few respondents."
    )


def test_the_heatmap_labels_every_suppressed_cell(rendered: dict[str, Chart]) -> None:
    shortage = FRAMES["mart_skill_shortage"]
    hidden = shortage[shortage["suppressed"] & (shortage["skill_code"] != "all")]
    texts = _texts(rendered["heatmap"])
    assert texts.count("[c]") == len(hidden) == 14
    assert "86%" in texts
    assert "University or research institute" not in texts  # wrapped over lines
    assert "institute" in texts


def test_the_difficulty_chart_marks_the_all_sector_share_and_the_suppressed_sector(
    rendered: dict[str, Chart],
) -> None:
    texts = _texts(rendered["difficulty"])
    assert "All sectors 62%" in texts
    assert "[c] not published" in texts
    assert "highest for SME ATMP developer, 78% (95% CI 66%–89%)" in rendered["difficulty"].alt_text


def test_the_demand_chart_compares_hires_with_training_places(
    rendered: dict[str, Chart],
) -> None:
    assert (
        "demand exceeds supply for 6 of 7 skills, most for GMP (310 hires against 120 places)"
        in (rendered["supply"].alt_text)
    )
    assert "Training places, 5 years" in _texts(rendered["supply"])


def test_the_training_chart_states_its_base(rendered: dict[str, Chart]) -> None:
    texts = " ".join(_texts(rendered["training"]))
    assert "% of organisations answering the question; n = 42" in texts


@pytest.mark.parametrize(
    ("plot", "mart"),
    [
        (charts.plot_hiring_demand_by_role, "mart_hiring_demand"),
        (charts.plot_difficulty_by_sector, "mart_recruitment_difficulty"),
        (charts.plot_skill_shortage_heatmap, "mart_skill_shortage"),
        (charts.plot_demand_vs_supply, "mart_demand_vs_supply"),
        (charts.plot_training_preferences, "mart_training_preference"),
        (charts_comparison.plot_skill_gap, "mart_skill_gap"),
        (lambda f: charts_comparison.plot_wave_hires(f, "2022", "2024"), "mart_wave_comparison"),
    ],
)
def test_a_chart_of_an_empty_mart_still_renders_and_says_so(
    plot: Callable[[pd.DataFrame], Chart], mart: str
) -> None:
    chart = plot(FRAMES[mart].iloc[0:0])
    assert chart.svg.startswith(b"<?xml")
    assert "no " in chart.alt_text


def test_a_dollar_sign_in_a_label_is_drawn_as_text_not_mathtext() -> None:
    frame = FRAMES["mart_training_preference"].copy()
    frame.loc[0, "format_label"] = "Courses costing $500 to $900"
    chart = charts.plot_training_preferences(frame)
    assert "Courses costing $500 to $900" in " ".join(_texts(chart))


def test_the_gap_chart_draws_gaps_around_zero_with_a_labelled_suppressed_skill(
    rendered: dict[str, Chart],
) -> None:
    texts = _texts(rendered["gap"])
    assert "[c] not published" in texts  # JACIE's demand is suppressed
    assert "+190" in texts and "\u221220" in texts  # GMP short of places; cryo has more places
    assert (
        "more hires than places for 6 of 7 skills, most for GMP (+190, 95% CI +112 to +268)"
        in rendered["gap"].alt_text
    )


def test_the_wave_chart_sets_the_two_waves_side_by_side(rendered: dict[str, Chart]) -> None:
    texts = " ".join(_texts(rendered["waves"]))
    assert "Expected hires (2024)" in texts and "Expected hires (2022)" in texts
    assert (
        "longest bar of change is for GMP manufacturing operator, +8" in rendered["waves"].alt_text
    )


def test_a_low_precision_bar_has_the_mark_after_its_value(rendered: dict[str, Chart]) -> None:
    training = _texts(rendered["training"])
    assert "19%‡" in training  # conferences: interval 27 points wide beside a 19% share
    assert "64%" in training and "64%‡" not in training
    hiring = _texts(rendered["hiring"])
    assert "9‡" in hiring and "30" in hiring  # the QP's 1-year total only (cv 0.36)
    assert rendered["training"].low_precision and rendered["hiring"].low_precision
    supply = _texts(rendered["supply"])  # health economics' demand (cv 0.4), not its places
    assert "20‡" in supply and "15" in supply and "15‡" not in supply
    assert rendered["gap"].low_precision  # the gap carries its demand's flag
    assert "+5‡" in _texts(rendered["gap"])
    assert not rendered["waves"].low_precision  # 5-year hires: every cv 0.12


def test_a_suppressed_bar_never_has_the_mark() -> None:
    frame = FRAMES["mart_hiring_demand"].copy()
    frame["low_precision"] = True  # suppressed rows too: NULL in a real mart
    texts = _texts(charts.plot_hiring_demand_by_role(frame))
    assert texts.count("[c] not published") == 2
    assert not any("suppressed" in t and "‡" in t for t in texts)


def test_a_cell_hidden_to_protect_another_is_marked_c2_in_the_heatmap_and_the_bars() -> None:
    shortage = FRAMES["mart_skill_shortage"].copy()
    visible = shortage.index[
        ~shortage["suppressed"].astype(bool) & (shortage["skill_code"] != "all")
    ]
    partner = visible[0]
    shortage.loc[partner, ["suppressed", "suppression", "share"]] = [True, "secondary", None]
    heat = _texts(charts.plot_skill_shortage_heatmap(shortage, SECTORS))
    assert heat.count("[c2]") == 1 and "[c]" in heat
    hires = FRAMES["mart_hiring_demand"].copy()
    role = hires.index[(hires["role_code"] == "qa_specialist") & (hires["org_sector"] == "all")]
    hires.loc[role, ["suppressed", "suppression", "total"]] = [True, "secondary", None]
    bars = _texts(charts.plot_hiring_demand_by_role(hires))
    assert len(role) == 2  # both horizons
    assert bars.count("[c2] not published") == 2 and "[c] not published" in bars
