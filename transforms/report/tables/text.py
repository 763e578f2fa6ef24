"""Report step, open answers: the coded free-text questions (mart_text_coding).

One table per coded question: each code's label, the organisations whose answer got it and
their share of those answering (with its interval), the answers no code matched last; the base
in the notes and the Source line. `open_answers` gives the chapter: per question its text, the
commonest code and the uncoded share for the opening sentence (from the mart, never typed),
its table and the reviewed quotes the codebook lists for the wave (the only free text the
report prints; the template escapes them). The answers themselves never reach the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from transforms.core.canonical import readable_code
from transforms.ingest.codebook import UNCODED
from transforms.report.citation import base_of
from transforms.report.ranking import estimate
from transforms.report.rows import TEXT_CODE_KEY, Row, publishable, records
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import Column, Table, Value, label_cell

MART = "mart_text_coding"


@dataclass(frozen=True)
class OpenQuestion:
    """One coded free-text question as the chapter shows it."""

    question_id: str
    text: str
    table_id: str
    base: Value | None  # the organisations answering (None when hidden)
    top: dict[str, Any] | None  # the commonest published code: label and estimate
    # its interval lies above that of every other published code (None: no other to compare)
    top_clear: bool | None
    uncoded: dict[str, Any] | None  # the share of answers no code matched, when published
    uncoded_suppression: str | None  # why it is not: primary or secondary (None: published)
    quotes: tuple[str, ...]


def _question_rows(frame: pd.DataFrame) -> dict[str, list[Row]]:
    """Rows per question, in questionnaire order."""
    out: dict[str, list[Row]] = {}
    for row in records(frame):
        out.setdefault(str(row["question_id"]), []).append(row)
    return out


def _ranked(rows: Sequence[Row]) -> list[Row]:
    """Codes with a published share first, largest first; hidden ones by label; uncoded last."""
    return sorted(
        rows,
        key=lambda r: (
            r["code"] == UNCODED,
            not publishable(r, "share"),
            -float(r["share"]) if publishable(r, "share") else 0.0,
            str(r["code_label"]),
        ),
    )


def _base(rows: Sequence[Row], tb: TableBuilder) -> Value | None:
    row = next((r for r in rows if r.get("n_answered") is not None), None)
    if row is None:
        return None
    return tb.value(row, "n_answered", "count", MART, TEXT_CODE_KEY, check=False)


def text_coding_table(rows: Sequence[Row], tb: TableBuilder) -> Table:
    """The codes of one question's answers: share of those answering, interval, count."""
    question_id, text = str(rows[0]["question_id"]), str(rows[0]["question_text"] or "")
    body = tuple(
        (
            label_cell(str(row["code_label"])),
            *tb.estimate(row, "share", "share", MART, TEXT_CODE_KEY),
            tb.count(row, "n_coded", MART, TEXT_CODE_KEY),
        )
        for row in _ranked(rows)
    )
    base = _base(rows, tb)
    scheme = str(rows[0].get("scheme") or "")
    coded_to = "skills of the skill taxonomy" if scheme == "skill" else "themes"
    return Table(
        f"open-{question_id.replace('_', '-')}",
        f"Open answers coded to {coded_to}: {text}",
        f"Open answers, {readable_code(question_id).lower()}"[:31],
        (
            Column("Code", "label"),
            Column("% of organisations"),
            Column(tb.ci, "interval"),
            Column("Organisations (n)"),
        ),
        body,
        (
            f"% of the {base.text + ' ' if base else ''}organisations that answered the "
            "question. Answers were coded by matching them against each code's label and "
            "synonyms; an answer can get several codes, so the shares add up to more than "
            "100%. “No code matched” counts the answers that got none. The answers "
            "themselves are not published.",
            tb.suppression_note,
        ),
        base=base_of(rows, "n_answered"),
    )


def open_answers(
    frame: pd.DataFrame, tb: TableBuilder, quotes: Mapping[str, Sequence[str]]
) -> tuple[list[OpenQuestion], list[Table]]:
    """The chapter's questions and their tables, in questionnaire order."""
    questions: list[OpenQuestion] = []
    tables: list[Table] = []
    for question_id, rows in _question_rows(frame).items():
        table = text_coding_table(rows, tb)
        ranked = [r for r in _ranked(rows) if r["code"] != UNCODED and publishable(r, "share")]
        uncoded = next((r for r in rows if r["code"] == UNCODED), None)
        questions.append(
            OpenQuestion(
                question_id=question_id,
                text=str(rows[0]["question_text"] or question_id),
                table_id=table.id,
                base=_base(rows, tb),
                top=_estimate(tb, ranked[0]) if ranked else None,
                top_clear=_separated(ranked),
                uncoded=_estimate(tb, uncoded)
                if uncoded is not None and publishable(uncoded, "share")
                else None,
                uncoded_suppression=None if uncoded is None else uncoded.get("suppression"),
                quotes=tuple(quotes.get(question_id, ())),
            )
        )
        tables.append(table)
    return questions, tables


def _separated(ranked: Sequence[Row]) -> bool | None:
    """Whether the first code's interval lies wholly above every other code's (so "most
    often" holds allowing for sampling error); None for a lone code (nothing to compare)."""
    if len(ranked) < 2:
        return None
    if ranked[0].get("ci_low") is None:
        return False
    highs = [r.get("ci_high") for r in ranked[1:]]
    return all(h is not None and float(ranked[0]["ci_low"]) > float(h) for h in highs)


def _estimate(tb: TableBuilder, row: Row) -> dict[str, Any]:
    return {
        "label": str(row["code_label"]),
        **estimate(tb, row, "share", "share", MART, TEXT_CODE_KEY),
    }
