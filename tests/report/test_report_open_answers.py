"""Report step, open answers: the chapter of the coded free-text questions, from hand-made
marts (tests/report/report_marts.py), as a reader and the workbook see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.report.report_html import mart_numbers, mart_value
from tests.report.report_marts import SURVEY, WAVE, mart_connection, report_meta
from transforms.report.context import build_report_context
from transforms.report.render import render_html
from transforms.report.values import ReportMeta, Table
from transforms.report.xlsx import write_tables_xlsx

QUOTE = "Hands-on <i>time</i> in the cleanroom & GMP > any e-learning"


def _html(meta: ReportMeta | None = None, *changes: str) -> tuple[str, dict[str, object]]:
    con = mart_connection()
    for change in changes:
        con.execute(change)
    con.execute(
        "insert into ref_question values (?, 'training_special', 11, "
        "'What is special about training for ATMP in your organisation?', 'text', "
        "'free_text.text', null)",
        [SURVEY],
    )
    context = build_report_context(con, SURVEY, WAVE, meta or report_meta())
    return render_html(context), context


def _section(html: str) -> str:
    start = html.index('<section id="open-answers">')
    return html[start : html.index("</section>", start)]


def test_the_chapter_follows_training_preferences_and_shows_each_questions_codes(
    stub_charts: object,
) -> None:
    stub_charts()  # type: ignore[operator]
    html, _ = _html()
    assert html.index('<section id="training">') < html.index('<section id="open-answers">')
    section = _section(html)
    assert "What is special about training for ATMP in your organisation?" in section
    assert "other_skills" in section  # no question text given: its id is the heading
    numbers = mart_numbers(html)
    shown = [n for n in numbers if n.mart == "mart_text_coding"]
    assert {n.key["question_id"] for n in shown} == {"other_skills", "training_special"}
    con = mart_connection()
    for number in shown:  # every number is its mart row's, hidden ones as the marker
        value, hidden = mart_value(con, SURVEY, WAVE, number)
        if hidden:
            assert number.suppressed and number.text in ("[c]", "–"), number
        else:
            assert number.value == repr(value), number
    hidden = [n for n in shown if n.key["code"] == "jacie" and n.field == "share"]
    assert hidden and all(n.text == "[c]" for n in hidden)
    text = re.sub(r"<[^>]+>", "", section)
    assert (
        "Of the 60 organisations that answered, the code given most often was access to "
        "GMP facilities and cleanrooms: 47% of them (95% CI 39%–56%); 20% of the answers "
        "(95% CI 12%–29%) matched no code." in re.sub(r"\s+", " ", text)
    )
    # the skill question's top two codes overlap: "most often" is qualified
    assert "not clearly more than the next code" in text
    # its uncoded share is hidden: the sentence says so instead of giving a number
    assert "the share of answers that matched no code rests on too few answers" in text
    assert "n = 60 organisations answering" in section and "n = 27 organisations" in section


def test_quotes_appear_only_when_the_codebook_lists_them_and_escaped(
    stub_charts: object,
) -> None:
    stub_charts()  # type: ignore[operator]
    html, _ = _html()
    assert "blockquote" not in _section(html)
    meta = report_meta(quotes={"training_special": (QUOTE,)})
    html, _ = _html(meta)
    section = _section(html)
    assert section.count("<blockquote") == 1
    assert "Hands-on &lt;i&gt;time&lt;/i&gt; in the cleanroom &amp; GMP &gt; any e-learning" in (
        section
    )
    assert "<i>time</i>" not in html
    quote_at = section.index("<blockquote")
    assert section.rfind('id="open-q-training_special"', 0, quote_at) > section.rfind(
        'id="open-q-other_skills"', 0, quote_at
    )  # under its own question


def test_the_workbook_has_a_sheet_per_coded_question_with_numbers_as_numbers(
    tmp_path: Path, stub_charts: object
) -> None:
    stub_charts()  # type: ignore[operator]
    _, context = _html()
    tables: dict[str, Table] = context["tables"]  # type: ignore[assignment]
    write_tables_xlsx(list(tables.values()), report_meta(), tmp_path / "tables.xlsx")
    book = load_workbook(tmp_path / "tables.xlsx")
    assert {"Open answers, other skills", "Open answers, training special"} <= set(book.sheetnames)
    sheet = book["Open answers, training special"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    body = {r[0]: r for r in rows[2:] if r[0] in ("Access to GMP facilities and cleanrooms",)}
    row = body["Access to GMP facilities and cleanrooms"]
    assert row[header.index("% of organisations")] == pytest.approx(0.47)
    assert row[header.index("Organisations (n)")] == 28


def test_a_survey_without_coded_open_answers_has_no_chapter_and_says_why(
    stub_charts: object,
) -> None:
    stub_charts()  # type: ignore[operator]
    con = mart_connection()
    con.execute("delete from mart_text_coding")
    context = build_report_context(con, SURVEY, WAVE, report_meta())
    section = context["sections"]["open-answers"]  # type: ignore[index]
    assert not section.shown and "not coded" in section.absent
    assert context["open_answers"] == []
    meta = report_meta(asked=frozenset({"hiring_need.headcount"}))
    context = build_report_context(con, SURVEY, WAVE, meta)
    assert "asked no open question" in context["sections"]["open-answers"].absent  # type: ignore[index]


def test_an_uncoded_share_hidden_to_protect_another_count_is_said_to_be_withheld(
    stub_charts: object,
) -> None:
    stub_charts()  # type: ignore[operator]
    change = (
        "update mart_text_coding set suppression = 'secondary' "
        "where question_id = 'other_skills' and code = 'uncoded'"
    )
    html, _ = _html(None, change)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", _section(html)))
    assert "matched no code is withheld, so that a count of too few answers" in text
    assert "rests on too few answers" not in text
