"""Report step, training table: preferred training formats (mart_training_preference)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from transforms.report.rows import TRAINING_KEY, Row, first, records
from transforms.report.tables.builder import TableBuilder, ordered
from transforms.report.values import Column, Table, Value, label_cell, make_value, value_cell

MART = "mart_training_preference"


def training_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """Share of answering organisations choosing each format, and of all choices made."""
    rows = records(frame)
    body = []
    for code, label in ordered(rows, "format_code", "format_label", "pct_cases"):
        row = first(rows, format_code=code)
        assert row is not None
        body.append(
            (
                label_cell(label),
                *tb.estimate(row, "pct_cases", "share", MART, TRAINING_KEY),
                value_cell(
                    tb.value(row, "pct_responses", "share", MART, TRAINING_KEY, secondary=True)
                ),
                value_cell(tb.value(row, "n_selected", "count", MART, TRAINING_KEY)),
            )
        )
    base = training_base(rows)
    base_note = (
        f"% of organisations answering the question; n = {base.text}."
        if base
        else "% of organisations answering the question."
    )
    return Table(
        "training-preferences",
        "Preferred training formats",
        "Training preferences",
        (
            Column("Format", "label"),
            Column("% of organisations"),
            Column(tb.ci, "interval"),
            Column("% of responses"),
            Column("Organisations choosing (n)"),
        ),
        tuple(body),
        (
            base_note,
            "Organisations could choose several formats, so % of organisations adds up "
            "to more than 100%; % of responses divides by all choices made.",
            tb.suppression_note,
        ),
    )


def training_base(rows: Sequence[Row]) -> Value | None:
    """The base of the training question, when it is one number for every format."""
    bases = {int(r["n_base"]) for r in rows if r.get("n_base") is not None}
    if len(bases) != 1:
        return None
    row = next(r for r in rows if r.get("n_base") is not None)
    return make_value(
        row,
        "n_base",
        "count",
        mart=MART,
        key=TRAINING_KEY,
        suppressed_text="",
        check_suppressed=False,
    )
