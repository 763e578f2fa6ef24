"""Report step: the change between waves, the skill-gap index and hidden counts, in the HTML.

Hand-made marts (tests/report_marts.py); charts are stubbed (drawing is tested in
test_charts.py), so each test renders only the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pytest

from tests.report.report_html import MartNumber, mart_numbers, mart_value
from tests.report.report_marts import OTHER_WAVE, SURVEY, WAVE, mart_connection, report_meta
from transforms.report.context import build_report_context
from transforms.report.render import render_html


@pytest.fixture(autouse=True)
def quick_charts(stub_charts: Callable[..., None]) -> None:
    """These tests read the HTML; drawing (tested in test_charts.py) is stubbed."""
    stub_charts()


def _html(wave: str = WAVE, overrides: dict[str, pd.DataFrame] | None = None) -> str:
    con = mart_connection(overrides)
    return render_html(build_report_context(con, SURVEY, wave, report_meta(wave=wave)))


def _text(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1)))


def _section(numbers: list[MartNumber], section: str, **key: str) -> dict[str, MartNumber]:
    return {
        n.field: n
        for n in numbers
        if n.section == section and all(n.key.get(k) == v for k, v in key.items())
    }


def test_the_later_wave_shows_five_year_hires_in_both_waves_and_the_change_with_intervals() -> None:
    wave = OTHER_WAVE
    html = _html(wave)
    total = {"measure": "hires_5y", "item_code": "all", "org_sector": "all"}
    shown = _section(mart_numbers(html), "waves", **total)
    fields = {
        *("estimate_earlier", "ci_low_earlier", "ci_high_earlier"),
        *("estimate_later", "ci_low_later", "ci_high_later"),
        *("difference", "difference_ci_low", "difference_ci_high"),
    }
    assert fields <= set(shown)
    con = mart_connection()
    for field in fields:
        value, hidden = mart_value(con, SURVEY, wave, shown[field])
        assert not hidden and float(shown[field].value) == pytest.approx(float(value))  # type: ignore[arg-type]
    assert shown["difference"].text == "+32"
    finding = _text(html, r'<li id="finding-change">(.*?)</li>')
    assert "about 648 (95% CI 493–804) in 2022 and 681 (95% CI 517–844) in 2024" in finding
    assert "a change of +32 (95% CI −189 to +254), within the margin of error" in finding


def test_the_first_wave_report_shows_no_figure_of_a_later_wave() -> None:
    html = _html(WAVE)
    intro = _text(html, r'<section id="waves">(.*?)</section>')
    assert "Wave 2022 is the first wave of the survey" in intro
    assert "the later wave (2024) are in its own report" in intro
    assert not [n for n in mart_numbers(html) if n.mart == "mart_wave_comparison"]
    assert 'id="finding-change"' not in html and 'id="fig-waves"' not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert [m.start() for m in re.finditer("2024", text)] == [text.index("(2024)") + 1]


def test_a_later_wave_is_set_beside_the_wave_before_it() -> None:
    intro = _text(_html(OTHER_WAVE), r'<section id="waves">(.*?)<figure')
    assert "sets wave 2024 beside the wave before it, 2022" in intro


def test_the_question_change_note_stands_under_the_comparison_it_concerns() -> None:
    html = _html(OTHER_WAVE)
    five = _text(html, r'<figure class="table" id="table-waves-hires-5y">(.*?)</figure>')
    assert "Question changed: 2024: Reworded in 2024" in five
    assert "Scope: 2022: Invitation list" in five
    one = _text(html, r'<figure class="table" id="table-waves-hires-1y">(.*?)</figure>')
    assert "Question changed" not in one
    assert "treats the waves as independent samples" in one


def test_a_suppressed_side_hides_the_change_too() -> None:
    numbers = _section(
        mart_numbers(_html(OTHER_WAVE)), "waves", measure="hires_5y", item_code="health_economist"
    )
    assert numbers["estimate_earlier"].text == "[c]"
    assert numbers["difference"].suppressed and numbers["difference"].value == ""


def test_a_survey_with_one_wave_says_there_is_nothing_to_compare() -> None:
    con = mart_connection()
    con.execute("delete from mart_wave_comparison")  # as for a survey with a single wave
    html = render_html(build_report_context(con, SURVEY, WAVE, report_meta()))
    assert "is the only wave of the survey so far" in html
    assert 'id="finding-change"' not in html


def test_the_skill_gap_index_is_shown_with_its_interval_and_a_key_finding() -> None:
    html = _html()
    gmp = _section(mart_numbers(html), "supply", skill_code="gmp", role_family="all")
    assert {"gap", "gap_ci_low", "gap_ci_high", "gap_ratio_ci_low", "gap_ratio_ci_high"} <= set(gmp)
    assert (gmp["gap"].text, gmp["gap_ci_low"].text, gmp["gap_ci_high"].text) == (
        "+190",
        "+112",
        "+268",
    )
    finding = _text(html, r'<li id="finding-gap">(.*?)</li>')
    assert "expected hires exceed the training places for 4 of 7 skills" in finding
    # GMP's gap (+112 to +268) overlaps potency assays' and viral vectors': not "largest"
    assert "highest for GMP: 190 more hires than training places" in finding
    assert "largest" not in finding
    assert "though its interval overlaps that of potency and purity assays" in finding
    assert "(95% CI +112 to +268), or 2.6 expected hires per training place" in finding
    family = _text(html, r'<figure class="table" id="table-skill-gap-by-family">(.*?)</figure>')
    assert "Quality" in family and "Manufacturing" in family


def test_hidden_sample_counts_show_the_suppression_label() -> None:
    numbers = mart_numbers(_html())
    hidden = [
        n
        for n in numbers
        if n.mart == "mart_sample" and n.key.get("org_sector") == "academia" and n.suppressed
    ]
    assert {n.key["org_size_band"] for n in hidden} == {"large", "medium"}
    shown = {n.key["org_size_band"]: n.text for n in hidden if n.field == "n_respondents"}
    assert shown == {"large": "[c]", "medium": "[c2]"}  # under the minimum / its partner
    assert all(n.value == "" for n in hidden)


def test_the_annex_explains_primary_and_secondary_suppression() -> None:
    annex = _text(_html(), r'<section id="annex">(.*?)</section>')
    assert "(primary suppression)" in annex
    assert "(secondary suppression)" in annex
    assert "gap = expected hires over five years" in annex


def test_the_method_says_in_plain_words_what_a_range_non_response_and_intentions_mean() -> None:
    method = _text(_html(), r'<section id="method">(.*?)</section>')
    assert "of such ranges would contain the true figure for the whole population" in method
    assert "When the ranges of two groups overlap, the survey cannot say which" in method
    assert "Organisations that did not answer may differ from those that did." in method
    assert "They are intentions" in method
    assert "112 organisations. 51 of them answered (46%)." in method
    for jargon in ("Taylor", "Kish", "NCHS", "linearisation", "Wilson"):
        assert jargon not in method, jargon
