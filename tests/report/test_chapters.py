"""Report step, chapters: the codebook's questions as chapters that open with a plain answer
and end with what it means, and findings that say "largest" only where one estimate's
interval lies above every other's, and state sector contrasts only where intervals separate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.report.report_marts import SURVEY, WAVE, mart_connection, report_meta
from transforms.core.canonical import REPORT_SECTIONS
from transforms.core.errors import CodebookError
from transforms.ingest.codebook import load_codebook
from transforms.report import ranking
from transforms.report.context import build_report_context
from transforms.report.formatting import midsentence
from transforms.report.render import render_html
from transforms.report.tables.builder import TableBuilder
from transforms.report.topics import OPEN_ANSWERS, TOPICS
from transforms.report.values import ReportQuestion

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "raw" / "atmp2030" / "survey.yaml"
QUESTIONS = (
    ReportQuestion("need", "How large is the recruitment need?", ("hiring", "difficulty")),
    ReportQuestion("asked", "Which skills are asked for?", ("importance", "skills")),
)


def _row(code: str, value: float, low: float, high: float, sector: str = "all") -> dict:
    return {
        "code": code,
        "org_sector": sector,
        "share": value,
        "ci_low": low,
        "ci_high": high,
        "suppressed": False,
    }


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _html(con: object = None, **meta: object) -> str:
    context = build_report_context(con or mart_connection(), SURVEY, WAVE, report_meta(**meta))
    return render_html(context)


def test_leaders_are_the_top_row_and_every_row_whose_interval_overlaps_it() -> None:
    rows = [
        _row("a", 0.80, 0.70, 0.90),
        _row("b", 0.65, 0.55, 0.72),  # overlaps a (0.72 >= 0.70)
        _row("c", 0.50, 0.40, 0.69),  # below a's lower bound: told apart
        {**_row("d", 0.90, 0.0, 0.0), "suppressed": True},  # never a leader
    ]
    assert [r["code"] for r in ranking.leaders(rows, "share")] == ["a", "b"]
    assert [r["code"] for r in ranking.leaders(rows[:1] + rows[2:], "share")] == ["a"]
    # the lowest: c's upper bound 0.69 is under a's lower 0.70 but not b's 0.55
    assert [r["code"] for r in ranking.leaders(rows, "share", lowest=True)] == ["c", "b"]
    no_interval = {**_row("e", 0.10, 0.0, 0.0), "ci_low": None, "ci_high": None}
    assert [r["code"] for r in ranking.leaders([*rows[:1], no_interval], "share")] == ["a", "e"]
    assert ranking.leaders([], "share") == []


def test_sector_contrasts_are_stated_only_where_the_intervals_separate() -> None:
    tb = TableBuilder(report_meta(), "95%")
    rows = [
        # skill x: cdmo 90% (80-95) against academia 30% (20-45): apart by 35 points
        {**_row("x", 0.90, 0.80, 0.95, "cdmo"), "label": "X"},
        {**_row("x", 0.30, 0.20, 0.45, "academia"), "label": "X"},
        # skill y: 70% (50-85) against 40% (25-60): the intervals overlap
        {**_row("y", 0.70, 0.50, 0.85, "cdmo"), "label": "Y"},
        {**_row("y", 0.40, 0.25, 0.60, "academia"), "label": "Y"},
        # skill z: one sector only, nothing to compare
        {**_row("z", 0.70, 0.50, 0.85, "cdmo"), "label": "Z"},
        {**_row("z", 0.60, 0.50, 0.70), "label": "Z"},  # the all-sector row is no sector
    ]
    found = ranking.contrasts(tb, rows, "code", "label", "m", ("code", "org_sector"))
    assert (found["n_items"], found["n_apart"]) == (2, 1)
    [case] = found["cases"]
    assert case["label"] == "X"
    assert case["high"]["value"].raw == pytest.approx(0.90)
    assert case["low"]["value"].raw == pytest.approx(0.30)


def test_largest_is_said_only_when_the_top_interval_lies_above_every_other() -> None:
    tied = _text(_html())
    # GMP operator 150 (114-186) and QC analyst 120 (91-149) overlap: named together
    assert "The largest needs are for GMP manufacturing operator (150, 95% CI 114–186)" in tied
    assert "cannot tell which role needs the most" in tied
    con = mart_connection()
    con.execute(
        "update mart_hiring_demand set total = 300, ci_low = 260, ci_high = 340 where wave = ? "
        "and role_code = 'gmp_operator' and horizon = '5y' and org_sector = 'all'",
        [WAVE],
    )
    ahead = _text(_html(con))
    assert "The largest need is for GMP manufacturing operator: 300 (95% CI 260–340)" in ahead
    assert "largest needs" not in ahead


def test_the_codebook_questions_are_chapters_that_open_with_the_answer_and_end_with_meaning() -> (
    None
):
    html = _html(questions=QUESTIONS)
    chapters = re.findall(r'<section id="([^"]+)">\s*<h2>([^<]+)</h2>', html)
    ids = [c[0] for c in chapters]
    # the questions first, in codebook order; sections no question names follow on their own
    assert ids[:2] == ["need", "asked"]
    assert ids[2:5] == ["supply", "training", "open-answers"]
    need = html[html.index('<section id="need">') : html.index('<section id="asked">')]
    assert need.index('class="answer"') < need.index('<section id="hiring">')
    assert need.index('<section id="difficulty">') < need.index("What this means")
    assert "<h3>Hiring demand by role and horizon</h3>" in need
    assert 'id="finding-hiring"' in need and 'id="finding-difficulty"' in need
    asked = html[html.index('<section id="asked">') : html.index('<section id="supply">')]
    assert asked.index('<section id="importance">') < asked.index('<section id="skills">')
    # the summary answers each question in its own entry, linking to its chapter
    summary = html[html.index('<section id="key-findings"') : html.index('<section id="need">')]
    assert '<dt><a href="#need">How large is the recruitment need?</a></dt>' in summary
    assert 'id="summary-asked"' in summary
    meaning = _text(need[need.index("What this means") :])
    assert "Most of the need lies beyond the coming year: organisations expect 191" in meaning


def test_a_question_whose_sections_the_wave_did_not_ask_has_no_chapter() -> None:
    questions = (ReportQuestion("need", "Hiring?", ("hiring",)),)
    html = _html(questions=questions, asked=frozenset({"skill_need.shortage"}))
    assert '<section id="need">' not in html
    assert 'id="absent-hiring"' in html  # "Not covered by this survey" says why


def test_every_report_section_is_a_topic_or_the_open_answers() -> None:
    assert (*(t.section for t in TOPICS), OPEN_ANSWERS) == REPORT_SECTIONS


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([{"id": "a", "title": "A?", "sections": ["hiring", "nope"]}], "unknown sections"),
        ([{"id": "method", "title": "A?", "sections": ["hiring"]}], "taken by a section"),
        (
            [
                {"id": "a", "title": "A?", "sections": ["hiring"]},
                {"id": "b", "title": "B?", "sections": ["hiring"]},
            ],
            "named by more than one question",
        ),
        ([{"id": "a", "title": "A?", "sections": []}], "report.questions.0.sections"),
    ],
)
def test_a_bad_report_question_names_the_codebook_and_the_field(
    tmp_path: Path, questions: list[dict], message: str
) -> None:
    raw = yaml.safe_load(SAMPLE.read_text("utf-8"))
    raw["report"] = {"questions": questions}
    path = tmp_path / "survey.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CodebookError, match=message) as error:
        load_codebook(path)
    assert str(path) in str(error.value) and "report" in str(error.value)


def test_the_sample_codebook_names_the_four_questions_of_the_atmp2030_report() -> None:
    questions = load_codebook(SAMPLE).report.questions
    assert [q.title for q in questions] == [
        "How large is the recruitment need?",
        "Which skills do the different actors ask for?",
        "What training exists or is planned?",
        "What is special about training in this field?",
    ]


@pytest.mark.parametrize(
    ("label", "inside"),
    [
        ("Large pharmaceutical company", "large pharmaceutical company"),
        ("Potency and purity assays", "potency and purity assays"),
        (
            "Quality control and quality assurance (QC/QA)",
            "quality control and quality assurance (QC/QA)",
        ),
        ("Good Manufacturing Practice (GMP)", "Good Manufacturing Practice (GMP)"),
        ("SME ATMP developer", "SME ATMP developer"),
        ("Pre-GMP to GMP process transfer", "Pre-GMP to GMP process transfer"),
        ("GMP", "GMP"),
        ("Västra Götaland", "Västra Götaland"),
        ("Small or medium-sized ATMP developer", "small or medium-sized ATMP developer"),
        ("Clinical administration of ATMPs", "clinical administration of ATMPs"),
        ("Stockholm", "Stockholm"),  # one word may be a name
    ],
)
def test_a_label_inside_a_sentence_loses_only_a_sentence_case_capital(
    label: str, inside: str
) -> None:
    assert midsentence(label) == inside
