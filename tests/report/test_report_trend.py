"""The trend report: every wave beside the wave before it, read from mart_wave_comparison with
the wave reports' own query and table builder."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.report.report_html import mart_numbers, mart_value
from tests.report.report_marts import OTHER_WAVE, SURVEY, WAVE, mart_connection, report_meta
from transforms.report.render import render_html
from transforms.report.trend import build_trend_context


@pytest.fixture(autouse=True)
def quick_charts(stub_charts: Callable[..., None]) -> None:
    stub_charts()


def test_the_trend_sets_each_wave_beside_the_one_before_it_with_mart_numbers() -> None:
    con = mart_connection()
    context = build_trend_context(con, SURVEY, [WAVE, OTHER_WAVE], report_meta(wave="all"))
    (step,) = context["steps"]  # the first wave has no wave before it
    assert (step.earlier, step.later) == (WAVE, OTHER_WAVE)
    assert step.table_ids == (
        "waves-hires-5y-2024",
        "waves-hires-1y-2024",
        "waves-recruitment-difficulty-2024",
        "waves-skill-shortage-2024",
    )
    html = render_html(context, "trend.html.j2")
    numbers = mart_numbers(html)
    assert len(numbers) > 50
    for number in numbers:
        value, hidden = mart_value(con, SURVEY, OTHER_WAVE, number)
        if number.suppressed:
            assert hidden and number.text in {"[c]", "[c2]", "–"}, number
        elif value is not None:
            assert float(number.value) == pytest.approx(float(value)), number
    assert "2022 to 2024" in html
    titles = re.findall(r'<span class="label">Table (\d+)\.</span>', html)
    assert titles == ["1", "2", "3", "4"]


def test_a_survey_with_one_wave_has_nothing_to_compare() -> None:
    con = mart_connection()
    con.execute("delete from mart_wave_comparison")
    context = build_trend_context(con, SURVEY, [WAVE], report_meta(wave=WAVE))
    assert context["steps"] == [] and context["tables"] == {}
    assert "only one wave so far" in render_html(context, "trend.html.j2")
