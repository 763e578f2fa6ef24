"""Report step: low-precision estimates are marked "‡" in tables, said in the text, keyed in
a footnote, and never marked when suppressed (hand-made marts, charts stubbed but one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest

from flows.settings import Settings
from tests.report.report_marts import (
    OTHER_WAVE,
    SURVEY,
    WAVE,
    mart_connection,
    mart_frames,
    report_meta,
)
from transforms.model.params import ModelParams
from transforms.report.context import build_report_context
from transforms.report.render import render_html
from transforms.report.values import ReportMeta, make_value

NOTE = (
    "‡ Low precision: interpret with caution (coefficient of variation above 30%; for shares, "
    "fewer than 30 effective respondents or a wide interval)."
)


@pytest.fixture(autouse=True)
def quick_charts(stub_charts: Callable[..., None]) -> None:
    """Drawing is tested in test_charts.py; the training chart is drawn for its caption."""
    stub_charts(draw=("plot_training_preferences",))


@dataclass(frozen=True)
class Shown:
    """One table cell holding a mart number, as the reader sees it."""

    table: str
    field: str
    key: str
    text: str  # visible text of the cell, tags removed
    flagged: bool  # the cell's class says so


def _html(
    overrides: dict[str, pd.DataFrame] | None = None, wave: str = WAVE, **meta: object
) -> str:
    meta = {"wave": wave, **meta}
    context = build_report_context(mart_connection(overrides), SURVEY, wave, report_meta(**meta))
    return render_html(context)


def _tables(html: str) -> dict[str, str]:
    return dict(re.findall(r'<figure class="table" id="table-([^"]+)">(.*?)</figure>', html, re.S))


def _cells(html: str) -> list[Shown]:
    found = []
    for table, body in _tables(html).items():
        for attrs, inner in re.findall(r"<td( [^>]*)?>(.*?)</td>", body, re.S):
            span = re.search(r'data-field="([^"]+)" data-key="([^"]*)"', inner)
            if span:
                text = re.sub(r"<[^>]+>", "", inner)
                found.append(Shown(table, span[1], span[2], text, "flagged" in (attrs or "")))
    return found


def _cell(cells: list[Shown], table: str, field: str, key: str) -> Shown:
    (cell,) = [c for c in cells if c.table == table and c.field == field and c.key == key]
    return cell


def _notes(table_html: str) -> list[str]:
    notes = re.search(r'<div class="table-notes">(.*?)</div>', table_html, re.S)
    return [] if notes is None else re.findall(r"<p>(.*?)</p>", notes[1], re.S)


def test_a_flagged_estimate_shows_the_mark_and_its_unflagged_neighbour_does_not() -> None:
    html = _html()
    cells = _cells(html)
    one = _cell(
        cells, "hiring-by-role", "total", "role_code=qualified_person;horizon=1y;org_sector=all"
    )
    five = _cell(
        cells, "hiring-by-role", "total", "role_code=qualified_person;horizon=5y;org_sector=all"
    )
    assert (one.text, one.flagged) == ("9‡", True)  # cv 0.36 > 0.30
    assert (five.text, five.flagged) == ("30", False)  # cv 0.12, same row
    assert (
        '>9</span><span class="low-precision" title="Low precision: interpret with caution">‡'
        in html
    )
    low = _cell(
        cells, "hiring-by-role", "ci_low", "role_code=qualified_person;horizon=1y;org_sector=all"
    )
    assert "‡" not in low.text  # the interval is not marked, only the estimate


def test_the_data_value_of_a_marked_number_stays_the_mart_value() -> None:
    html = _html()
    span = re.search(
        r'<span class="num" data-mart="mart_hiring_demand" data-field="total" '
        r'data-key="role_code=qualified_person;horizon=1y;org_sector=all" data-value="([^"]*)">'
        r"([^<]*)</span>",
        html,
    )
    assert span is not None
    assert (span[1], span[2]) == ("9.0", "9")


def test_marks_follow_the_mart_flag_in_every_kind_of_table() -> None:
    cells = _cells(_html())
    flagged = {(c.table, c.field) for c in cells if c.flagged}
    assert flagged == {
        ("hiring-by-role", "total"),
        ("difficulty-by-sector", "share"),
        ("difficulty-by-role", "share"),
        ("skill-shortage", "share"),  # health economics: interval wide beside an 18% share
        ("skill-shortage-by-sector", "share"),
        ("skill-gap", "demand_hires_5y"),
        ("skill-gap", "gap"),
        ("skill-gap", "gap_ratio"),
        ("skill-gap-by-family", "demand_hires_5y"),
        ("skill-gap-by-family", "gap"),
        ("skill-gap-by-family", "gap_ratio"),
        ("training-preferences", "pct_cases"),
        ("open-other-skills", "share"),  # 27 answered: n_eff under 30
    }
    later = _cells(_html(wave=OTHER_WAVE))  # the wave comparisons are in the later wave's report
    assert {(c.table, c.field) for c in later if c.flagged and c.table.startswith("waves")} == {
        ("waves-hires-1y", "estimate_earlier"),
        ("waves-hires-1y", "estimate_later"),
        ("waves-recruitment-difficulty", "estimate_earlier"),
        ("waves-recruitment-difficulty", "estimate_later"),
        ("waves-skill-shortage", "estimate_earlier"),  # health economics, 18% in 2022 only
    }
    for cell in cells + later:
        assert cell.text.endswith("‡") == cell.flagged, cell
    marked = {c.key for c in cells if c.flagged and c.table == "difficulty-by-sector"}
    assert "role_code=all;org_sector=all" not in marked  # n_eff 35, narrow interval
    assert "role_code=all;org_sector=large_pharma" in marked  # n_eff 7


def test_a_table_with_a_marked_cell_has_the_footnote_and_one_without_has_none() -> None:
    tables = _tables(_html())
    assert _notes(tables["hiring-by-role"])[-1] == NOTE
    for table in ("hiring-by-sector", "sample", "weighting"):
        assert "‡" not in tables[table], table
    assert "‡" not in _tables(_html(wave=OTHER_WAVE))["waves-hires-5y"]
    with_marks = [t for t, body in tables.items() if 'class="low-precision"' in body]
    assert all(_notes(tables[t])[-1] == NOTE for t in with_marks)
    assert all(NOTE not in body for t, body in tables.items() if t not in with_marks)


def test_the_footnote_states_the_thresholds_the_report_was_given() -> None:
    tables = _tables(_html(max_cv=0.25, min_n_eff=20.0))
    assert _notes(tables["hiring-by-role"])[-1] == (
        "‡ Low precision: interpret with caution (coefficient of variation above 25%; for "
        "shares, fewer than 20 effective respondents or a wide interval)."
    )


def test_a_suppressed_cell_never_shows_the_mark_even_if_the_mart_leaks_a_flag() -> None:
    frames = mart_frames()
    overrides = {}
    for name in ("mart_hiring_demand", "mart_recruitment_difficulty", "mart_skill_shortage"):
        frame = frames[name].copy()
        frame["low_precision"] = True  # suppressed rows too: NULL in a real mart
        overrides[name] = frame
    cells = _cells(_html(overrides))
    hidden = [c for c in cells if c.text in {"[c]"}]
    assert len(hidden) > 10
    assert not any(c.flagged or "‡" in c.text for c in hidden)
    economist = _cell(
        cells, "hiring-by-role", "total", "role_code=health_economist;horizon=5y;org_sector=all"
    )
    assert economist.text == "[c]" and not economist.flagged


def test_a_value_never_carries_the_flag_of_a_suppressed_or_missing_estimate() -> None:
    def value(**row: object) -> bool | None:
        return make_value(
            row, "share", "share", mart="m", key=(), suppressed_text="[c]", flag="low_precision"
        ).low_precision

    assert value(share=0.4, low_precision=True, suppressed=False) is True
    assert value(share=0.4, low_precision=False, suppressed=False) is False
    assert value(share=0.4, low_precision=True, suppressed=True) is None
    assert value(share=None, low_precision=True, suppressed=False) is None
    assert value(share=0.4, low_precision=None, suppressed=False) is None


def test_a_finding_quoting_a_flagged_estimate_says_low_precision() -> None:
    html = _html()
    difficulty = re.search(r'<li id="finding-difficulty">(.*?)</li>', html, re.S)
    assert difficulty is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", difficulty[1]))
    assert "62% of organisations (95% CI 50%–73%) report" in text  # all sectors: not flagged
    assert "large pharmaceutical company sector (22%, 95% CI 10%–33%, low precision)" in text
    findings = re.search(r'<section id="key-findings"(.*?)</section>', html, re.S)
    assert findings is not None
    assert 'class="low-precision"' not in findings[1]  # words in the text, no mark
    answer = re.search(
        r'<div class="answer"(.*?)</div>', html[html.index('id="finding-difficulty"') - 400 :], re.S
    )
    assert answer is not None and 'class="low-precision"' not in answer[1]


def test_a_chart_with_a_marked_bar_carries_the_key_in_its_caption() -> None:
    context = build_report_context(mart_connection(), SURVEY, WAVE, report_meta())
    training = context["figures"]["fig-training"]  # drawn: conferences, 19% ± 14 points
    assert training.chart.low_precision
    assert training.note == NOTE
    assert context["figures"]["fig-hiring"].note == ""  # stubbed: nothing marked
    html = render_html(context)
    assert f'<span class="figure-note">{NOTE}</span>' in html
    assert html.count('class="figure-note"') == 1


def test_the_annex_explains_the_share_errors_and_the_low_precision_rule() -> None:
    method = re.search(r'<section id="annex">(.*?)</section>', _html(), re.S)
    assert method is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", method[1]))
    assert (
        "Taylor linearisation over the same strata, with the finite population correction" in text
    )
    assert "Wilson score intervals computed with the Kish effective sample size" in text
    assert "coefficient of variation (standard error ÷ estimate) is above 30%" in text
    assert "NCHS Data Presentation Standards for Proportions" in text
    assert "fewer than 30 effective respondents (Kish), or its interval is 30 percentage " in text
    assert "wider than 5 points and than 1.3 times the share" in text


def test_the_report_defaults_match_the_settings_and_the_model() -> None:
    meta, params, settings = ReportMeta("t", "w"), ModelParams(), Settings()
    assert meta.max_cv == params.max_cv == settings.max_cv
    assert meta.min_n_eff == params.min_n_eff == settings.min_n_eff
    assert meta.max_ci_width == params.max_ci_width
    assert meta.max_relative_ci_width == params.max_relative_ci_width
    assert meta.relative_ci_width_floor == params.relative_ci_width_floor
