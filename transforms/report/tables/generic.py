"""Report step, generic questions: one table per question outside the competence-needs model
(target answer.value), in questionnaire order: the share choosing each option (single choice,
multi-select; mart_answer_share) or the mean of each item (numbers, scales; mart_answer_mean),
all sectors, with intervals. Text questions are never printed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from transforms.report.rows import ANSWER_MEAN_KEY, ANSWER_SHARE_KEY, Row, records
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import Column, Table, label_cell, value_cell

SHARES = "mart_answer_share"
MEANS = "mart_answer_mean"


@dataclass(frozen=True)
class GenericQuestion:
    """One generic question as the report shows it: its text and the id of its table."""

    question_id: str
    text: str
    table_id: str
    position: int


def generic_tables(
    shares: pd.DataFrame, means: pd.DataFrame, tb: TableBuilder
) -> list[tuple[GenericQuestion, Table]]:
    """The generic questions with answers, in questionnaire order, each with its table."""
    by_question: dict[str, list[Row]] = {}
    for row in records(shares) + records(means):
        by_question.setdefault(str(row["question_id"]), []).append(row)
    built = []
    for question_id, rows in sorted(
        by_question.items(), key=lambda kv: (kv[1][0].get("position") or 0, kv[0])
    ):
        first = rows[0]
        text = str(first.get("question_text") or question_id)
        question = GenericQuestion(
            question_id, text, f"answer-{question_id}", int(first.get("position") or 0)
        )
        is_share = "option_code" in first and first.get("option_code") is not None
        table = _share_table(question, rows, tb) if is_share else _mean_table(question, rows, tb)
        built.append((question, table))
    return built


def _item(row: Row) -> str:
    code = str(row.get("item_code") or "")
    return code.replace("_", " ").capitalize() if code and code != "all" else ""


def _share_table(question: GenericQuestion, rows: list[Row], tb: TableBuilder) -> Table:
    items = any(_item(r) for r in rows)
    body = []
    for row in rows:
        label = str(row.get("option_label") or row["option_code"])
        cells = (label_cell(_item(row)),) if items else ()
        body.append(
            (
                *cells,
                label_cell(label),
                *tb.estimate(row, "share", "share", SHARES, ANSWER_SHARE_KEY),
                value_cell(tb.value(row, "n_selected", "count", SHARES, ANSWER_SHARE_KEY)),
                value_cell(tb.value(row, "n_respondents", "count", SHARES, ANSWER_SHARE_KEY)),
            )
        )
    columns = (Column("Item", "label"),) if items else ()
    return Table(
        question.table_id,
        question.text,
        _sheet(question),
        (
            *columns,
            Column("Answer", "label"),
            Column("% of organisations"),
            Column(tb.ci, "interval"),
            Column("Choosing (n)"),
            Column("Answering (n)"),
        ),
        tuple(body),
        (
            "% of the organisations answering the question (weighted), all sectors.",
            tb.suppression_note,
        ),
    )


def _mean_table(question: GenericQuestion, rows: list[Row], tb: TableBuilder) -> Table:
    body = [
        (
            label_cell(_item(row) or question.text),
            *tb.estimate(row, "mean", "decimal", MEANS, ANSWER_MEAN_KEY),
            value_cell(tb.value(row, "n_respondents", "count", MEANS, ANSWER_MEAN_KEY)),
        )
        for row in rows
    ]
    return Table(
        question.table_id,
        question.text,
        _sheet(question),
        (
            Column("Item", "label"),
            Column("Mean"),
            Column(tb.ci, "interval"),
            Column("Answering (n)"),
        ),
        tuple(body),
        (
            "Weighted mean of the numbers or scale points answered, all sectors.",
            tb.suppression_note,
        ),
    )


def _sheet(question: GenericQuestion) -> str:
    """A unique Excel sheet name of at most 31 characters."""
    return f"Q{question.position} {question.question_id}"[:31]
