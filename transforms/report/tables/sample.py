"""Report step, sample tables: respondents against the population (mart_sample) and the
weighting summary (mart_weighting)."""

from __future__ import annotations

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.rows import SAMPLE_KEY, Row, records
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import Cell, Column, Kind, Table, label_cell, value_cell

SAMPLE_MART = "mart_sample"
WEIGHTING_MART = "mart_weighting"
WEIGHTING_MEASURES: tuple[tuple[str, str, Kind], ...] = (
    ("Responding organisations", "n_respondents", "count"),
    ("Organisations in population", "population", "count"),
    ("Sum of weights", "sum_weights", "decimal"),
    ("Kish design effect of weighting", "kish_deff", "decimal"),
    ("Weighting efficiency", "weighting_efficiency", "share1"),
)


def sample_table(frame: pd.DataFrame, tb: TableBuilder, *, weighted: bool = True) -> Table:
    """Respondents against the population by sector and size band; an unweighted survey
    (no population frame) shows the respondents only."""
    rows = sorted(
        records(frame),
        key=lambda r: (
            tb.meta.order("org_sector", str(r["org_sector"])),
            tb.meta.order("org_size_band", str(r["org_size_band"])),
        ),
    )
    body = tuple(_sample_row(row, tb, weighted) for row in rows)
    labels = (Column("Sector", "label"), Column("Size band", "label"))
    if not weighted:
        return Table(
            "sample",
            "Responding organisations by sector and size band",
            "Sample",
            (*labels, Column("Responding organisations")),
            body,
            (
                "The survey has no population frame: the responses are not weighted.",
                tb.suppression_note,
            ),
        )
    return Table(
        "sample",
        "Responding organisations against the population, by sector and size band",
        "Sample",
        (
            *labels,
            Column("Organisations in population"),
            Column("Responding organisations"),
            Column("Response rate"),
            Column("Weight"),
        ),
        body,
        (
            "Weight: the weight each responding organisation in the cell carries.",
            tb.suppression_note,
        ),
    )


def _sample_row(row: Row, tb: TableBuilder, weighted: bool) -> tuple[Cell, ...]:
    strong = ALL in (row["org_sector"], row["org_size_band"])
    labels = (
        label_cell(tb.sector(str(row["org_sector"])), strong=strong),
        label_cell(tb.size_band(str(row["org_size_band"])), strong=strong),
    )
    count = value_cell(tb.value(row, "n_respondents", "count", SAMPLE_MART, SAMPLE_KEY))
    if not weighted:
        return (*labels, count)
    return (
        *labels,
        value_cell(tb.value(row, "population", "count", SAMPLE_MART, SAMPLE_KEY, False)),
        count,
        value_cell(
            tb.value(row, "response_rate", "share", SAMPLE_MART, SAMPLE_KEY, secondary=True)
        ),
        value_cell(tb.value(row, "weight", "decimal", SAMPLE_MART, SAMPLE_KEY, secondary=True)),
    )


def weighting_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """The wave's weighting: respondents, population, sum of weights, design effect."""
    rows = records(frame)
    body = tuple(
        (
            label_cell(name),
            value_cell(tb.value(rows[0], field, kind, WEIGHTING_MART, (), False)),
        )
        for name, field, kind in WEIGHTING_MEASURES
        if rows
    )
    return Table(
        "weighting",
        "Weighting summary",
        "Weighting",
        (Column("Measure", "label"), Column("Value")),
        body,
        (
            "Weighting efficiency = 1 / Kish design effect: the share of the sample's "
            "information kept after weighting.",
        ),
    )
