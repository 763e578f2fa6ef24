"""Report step, recruitment difficulty tables: the share of organisations finding it
difficult to recruit, by sector and by role (mart_recruitment_difficulty)."""

from __future__ import annotations

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.rows import DIFFICULTY_KEY, first, records
from transforms.report.tables.builder import TableBuilder, ordered, sectors
from transforms.report.values import Column, Table, Value, label_cell, value_cell

MART = "mart_recruitment_difficulty"


def difficulty_table(frame: pd.DataFrame, tb: TableBuilder, by: str) -> Table:
    """Share reporting recruitment difficulty by sector (all roles) or by role (all sectors)."""
    if by == "org_sector":
        rows = records(frame, role_code=ALL)
        items = [(c, tb.sector(c)) for c in sectors(rows, tb.meta)]
    else:
        rows = records(frame, org_sector=ALL)
        items = ordered(rows, "role_code", "role_label", "share")
    body = []
    for code, label in items:
        row = first(rows, **{by: code})
        body.append(
            (
                label_cell(label, strong=code == ALL),
                *tb.estimate(row, "share", "share", MART, DIFFICULTY_KEY),
                tb.count(row, "n_respondents", MART, DIFFICULTY_KEY),
                value_cell(tb.value(row, "n_eff", "decimal", MART, DIFFICULTY_KEY, secondary=True))
                if row
                else value_cell(Value("–", kind="decimal")),
            )
        )
    what = "sector (any role)" if by == "org_sector" else "role, all sectors"
    return Table(
        f"difficulty-by-{'sector' if by == 'org_sector' else 'role'}",
        f"Share of organisations reporting recruitment difficulty by {what}",
        f"Difficulty by {'sector' if by == 'org_sector' else 'role'}",
        (
            Column("Sector" if by == "org_sector" else "Role", "label"),
            Column("Share reporting difficulty"),
            Column(tb.ci, "interval"),
            Column("Organisations answering (n)"),
            Column("Effective n"),
        ),
        tuple(body),
        (
            "Weighted share of organisations rating recruitment for the role 3 or 4 on the "
            "4-point difficulty scale; any role: at least one role rated so. The interval is "
            "a Wilson interval using the Kish effective sample size.",
            tb.suppression_note,
        ),
    )
