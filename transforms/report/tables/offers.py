"""Report step, training programmes table: every offer of the catalogue (mart_training_offer),
with its status in the wave year and whether its places count in the supply."""

from __future__ import annotations

import pandas as pd

from transforms.core.canonical import readable_code
from transforms.report.rows import Row, records
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import Column, Table, label_cell, value_cell

MART = "mart_training_offer"
KEY = ("offer_id",)


def training_offer_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """One row per programme: provider, level, places a year, years, status, skills, source."""
    rows = records(frame)
    body = tuple(
        (
            label_cell(row["programme"]),
            label_cell(row["provider"]),
            label_cell(readable_code(str(row["level"])) if row.get("level") else "–"),
            value_cell(tb.value(row, "places_per_year", "count", MART, KEY, check=False)),
            label_cell(_years(row)),
            label_cell(_status(row)),
            label_cell(row.get("skills_covered") or "–"),
            label_cell(row.get("source") or "–"),
        )
        for row in rows
    )
    return Table(
        "training-offers",
        "Training programmes in the catalogue",
        "Training programmes",
        (
            Column("Programme", "label"),
            Column("Provider", "label"),
            Column("Level", "label"),
            Column("Places a year"),
            Column("Years", "label"),
            Column("Status", "label"),
            Column("Skills covered", "label"),
            Column("Source", "label"),
        ),
        body,
        _notes(rows),
    )


def _years(row: Row) -> str:
    first = int(float(str(row["first_year"])))
    if row.get("last_year") is None:
        return f"from {first}"
    last = int(float(str(row["last_year"])))
    return str(first) if first == last else f"{first}–{last}"


def _status(row: Row) -> str:
    status = str(row.get("status") or "year unknown")
    if row.get("illustrative"):
        counted = "counted" if row.get("in_supply") else "not counted"
        return f"{status}; illustrative, {counted}"
    return status


def _notes(rows: list[Row]) -> tuple[str, ...]:
    """Status against the wave year; the illustrative entries and whether they count."""
    notes = [
        "Status in the survey year: running, planned (it starts later) or ended. Places a year "
        "as the catalogue gives them; a programme's places are split equally over the skills "
        "it covers."
    ]
    illustrative = [r for r in rows if r.get("illustrative")]
    if illustrative:
        counted = any(r.get("in_supply") for r in illustrative)
        notes.append(
            f"{len(illustrative)} of the {len(rows)} entries are illustrative: invented "
            "examples, not real offers. "
            + (
                "They are counted in the training places of this report, as the run was "
                "asked to (include_illustrative_offers)."
                if counted
                else "They are listed here but not counted in the training places or any "
                "finding of this report."
            )
        )
    return tuple(notes)
