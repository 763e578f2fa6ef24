"""Report step, data-quality tables: rows read, curated and quarantined per table, and the
reasons rows were quarantined (from the validation step, passed in `ReportMeta`)."""

from __future__ import annotations

from typing import SupportsFloat, cast

from transforms.report.formatting import format_count, is_missing
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import Column, Table, Value, label_cell, value_cell


def data_quality_table(tb: TableBuilder) -> Table:
    body = tuple(
        (
            label_cell(row["table"]),
            value_cell(plain_count(row["rows_in"])),
            value_cell(plain_count(row["curated"])),
            value_cell(plain_count(row["quarantined"])),
        )
        for row in tb.meta.data_quality
    )
    return Table(
        "data-quality",
        "Rows read, curated and quarantined per table",
        "Data quality",
        (
            Column("Table", "label"),
            Column("Rows in"),
            Column("Curated"),
            Column("Quarantined"),
        ),
        body,
        ("Every row read is either curated or quarantined: rows in = curated + quarantined.",),
    )


def quarantine_reasons_table(tb: TableBuilder) -> Table:
    body = tuple(
        (
            label_cell(row["table"]),
            label_cell(row["reason"]),
            value_cell(plain_count(row["count"])),
        )
        for row in tb.meta.quarantine_reasons
    )
    return Table(
        "quarantine-reasons",
        "Reasons rows were quarantined",
        "Quarantine reasons",
        (Column("Table", "label"), Column("Reason", "label"), Column("Rows")),
        body,
        ("A row can fail several checks; it is counted once under each reason.",),
    )


def plain_count(value: object) -> Value:
    """A count that does not come from a mart (the data-quality summary passed in)."""
    if is_missing(value):
        return Value("–")
    return Value(format_count(value), round(float(cast(SupportsFloat, value))), "count")
