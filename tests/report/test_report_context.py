"""Report step: context and HTML from hand-made marts (no PDF, so each test is quick)."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from tests.report.report_html import mart_numbers
from tests.report.report_marts import SURVEY, WAVE, mart_connection, mart_frames, report_meta
from transforms.report import render as report
from transforms.report.context import build_report_context
from transforms.report.render import render_html, render_report


@pytest.fixture(autouse=True)
def quick_charts(stub_charts: Callable[..., None]) -> None:
    """These tests read the text and tables; drawing (tested in test_charts.py) is stubbed."""
    stub_charts()


def _html(**meta_changes: object) -> str:
    context = build_report_context(mart_connection(), SURVEY, WAVE, report_meta(**meta_changes))
    return render_html(context)


def test_script_in_a_mart_label_or_a_scope_note_is_escaped() -> None:
    frames = mart_frames()
    hiring = frames["mart_hiring_demand"]
    hiring.loc[hiring["role_code"] == "qc_analyst", "role_label"] = "<script>alert(1)</script>"
    con = mart_connection({"mart_hiring_demand": hiring})
    meta = report_meta(scope_notes=("<script>alert(2)</script> & <b>bold</b>",))
    html = render_html(build_report_context(con, SURVEY, WAVE, meta))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_a_suppressed_cell_with_a_value_left_in_the_mart_still_shows_only_the_label() -> None:
    frames = mart_frames()
    hiring = frames["mart_hiring_demand"]
    leaky = hiring["role_code"] == "health_economist"
    hiring.loc[leaky, ["total", "ci_low", "ci_high"]] = [3.0, 1.0, 5.0]
    con = mart_connection({"mart_hiring_demand": hiring})
    html = render_html(build_report_context(con, SURVEY, WAVE, report_meta()))
    economist = [n for n in mart_numbers(html) if n.key.get("role_code") == "health_economist"]
    assert economist
    assert all(n.value == "" for n in economist if n.field != "n_respondents")
    assert {n.text for n in economist if n.field == "total"} == {"[c]"}


def test_a_wave_without_mart_rows_renders_and_says_nothing_could_be_estimated() -> None:
    context = build_report_context(mart_connection(), SURVEY, "1999", report_meta(wave="1999"))
    html = render_html(context)
    assert "Hiring demand could not be estimated for this wave" in html
    assert "No rows for this survey wave." in html
    assert mart_numbers(html) == []


def test_a_real_survey_report_has_no_synthetic_notice() -> None:
    html = _html(synthetic=False, notice=None)
    assert "synthetic" not in html.lower()


def test_the_codebook_notice_replaces_the_default_text() -> None:
    html = _html(notice="Demonstration data: invented answers from invented organisations.")
    assert "Demonstration data: invented answers from invented organisations." in html
    assert "No figure describes real organisations." not in html
    assert '<p class="notice-head">Synthetic data</p>' in html


def test_the_suppression_note_states_the_minimum_cell_size_and_markers_are_never_numbers() -> None:
    html = _html(min_cell_size=10)
    shown = {n.text for n in mart_numbers(html) if n.suppressed}
    assert "[c]" in shown and shown <= {"[c]", "[c2]", "–"}  # "–": a hidden interval
    assert "[c]: not published, because it rests on fewer than 10 organisations" in html


def test_every_report_query_binds_survey_and_wave_as_parameters() -> None:
    folder = files("transforms.report").joinpath("sql")
    for name in report.QUERIES:
        sql = folder.joinpath(f"{name}.sql").read_text("utf-8")
        assert sql.startswith("-- grain: "), name
        assert "survey_id = $survey_id and wave = $wave" in sql, name
        assert "{" not in sql and "%s" not in sql, name


def test_a_failed_render_leaves_the_previous_report_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / SURVEY / WAVE
    out_dir.mkdir(parents=True)
    for name in ("report.html", "report.pdf", "tables.xlsx"):
        (out_dir / name).write_text(f"last good {name}")
    (out_dir / "figures").mkdir()
    (out_dir / "figures" / "old.svg").write_text("<svg/>")

    def broken_pdf(html: str, target: Path) -> None:
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(report, "write_pdf", broken_pdf)
    context = build_report_context(mart_connection(), SURVEY, WAVE, report_meta())
    with pytest.raises(RuntimeError, match="WeasyPrint crashed"):
        render_report(context, out_dir)
    for name in ("report.html", "report.pdf", "tables.xlsx"):
        assert (out_dir / name).read_text() == f"last good {name}"
    assert [p.name for p in (out_dir / "figures").iterdir()] == ["old.svg"]
    assert sorted(p.name for p in out_dir.parent.iterdir()) == [WAVE]


def test_numbers_in_the_text_carry_their_mart_row_key() -> None:
    html = _html()
    span = re.search(r'<span class="num" data-mart="mart_weighting"[^>]*>', html)
    assert span is not None
    # the summary and the plain-language answers that open the chapters
    numbers = [n for n in mart_numbers(html) if n.section == "key-findings"]
    for answer in re.findall(r'<div class="answer".*?</div>', html, re.S):
        numbers += mart_numbers(answer)
    fields = {(n.mart, n.field) for n in numbers}
    assert ("mart_hiring_demand", "total") in fields
    assert ("mart_recruitment_difficulty", "share") in fields
    assert ("mart_skill_shortage", "share") in fields
    assert ("mart_demand_vs_supply", "demand_hires_5y") in fields
    assert ("mart_demand_vs_supply", "supply_places_5y") in fields
    assert ("mart_training_preference", "pct_cases") in fields
    assert ("mart_training_preference", "n_base") in fields


def test_the_same_marts_give_the_same_html() -> None:
    assert _html() == _html()


def test_the_data_quality_section_speaks_to_readers_and_keeps_expectation_names_out() -> None:
    html = _html(
        quarantine_reasons=[
            {
                "table": "respondent",
                "reason": "platform_status … is not a real answer "
                "(expect_column_values_to_be_in_set)",
                "count": 7,
            }
        ]
    )
    section = re.search(r'<section id="data-quality">(.*?)</section>', html, re.S)
    assert section is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section[1]))
    assert "45 of the 52 responses in the survey export were used." in text
    assert "The other 7 were set aside before any figure was made, mostly because: " in text
    assert "Responses (one per organisation)" in text and "hiring_need" not in text
    assert "expect_" not in html
    assert 'href="data_quality.html"' in section[1]
