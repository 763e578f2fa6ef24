"""Report step, skill tables: the share of organisations reporting a shortage of each skill
(mart_skill_shortage, also by sector) and rating it important (mart_skill_importance)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.rows import IMPORTANCE_KEY, SHORTAGE_KEY, first, records
from transforms.report.tables.builder import TableBuilder, ordered, sectors
from transforms.report.values import Column, Table, Value, label_cell, value_cell

SHORTAGE_MART = "mart_skill_shortage"
IMPORTANCE_MART = "mart_skill_importance"


def skill_shortage_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """Share reporting a shortage of each skill and mean importance, all sectors."""
    return _skill_shares(
        frame,
        tb,
        (SHORTAGE_MART, SHORTAGE_KEY),
        ("skill-shortage", "Skill shortage", "Share reporting a shortage"),
        "Share of organisations reporting a shortage of each skill, all sectors",
        (tb.suppression_note,),
    )


def skill_importance_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """Share rating each skill very or extremely important and mean importance, all
    sectors (the sector rows stay in the mart)."""
    return _skill_shares(
        frame,
        tb,
        (IMPORTANCE_MART, IMPORTANCE_KEY),
        ("skill-importance", "Skill importance", "Share rating it important"),
        "Share of organisations rating each skill very or extremely important, all sectors",
        (
            "Weighted share of the organisations rating the skill that rate it 4 or 5 on "
            "the 5-point scale from 1 (not important) to 5; the interval is a Wilson "
            "interval using the Kish effective sample size.",
            tb.suppression_note,
        ),
    )


def _skill_shares(
    frame: pd.DataFrame,
    tb: TableBuilder,
    source: tuple[str, Sequence[str]],
    names: tuple[str, str, str],
    title: str,
    notes: tuple[str, ...],
) -> Table:
    """Per skill, all sectors: a share with its interval, mean importance and the base.
    `source`: the mart and its key; `names`: the table id, its short title and the share
    column's header."""
    mart, key = source
    table_id, short_title, share_header = names
    rows = records(frame, org_sector=ALL)
    body = []
    for code, label in ordered(rows, "skill_code", "skill_label", "share"):
        row = first(rows, skill_code=code)
        assert row is not None
        body.append(
            (
                label_cell(label, strong=code == ALL),
                *tb.estimate(row, "share", "share", mart, key),
                value_cell(tb.value(row, "mean_importance", "decimal", mart, key, secondary=True)),
                tb.count(row, "n_respondents", mart, key),
            )
        )
    return Table(
        table_id,
        title,
        short_title,
        (
            Column("Skill", "label"),
            Column(share_header),
            Column(tb.ci, "interval"),
            Column("Mean importance (1–5)"),
            Column("Organisations answering (n)"),
        ),
        tuple(body),
        notes,
    )


def skill_shortage_by_sector_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """Share reporting a shortage per skill (rows) and sector (columns, all sectors first)."""
    rows = records(frame)
    columns = sectors(rows, tb.meta, all_first=True)
    overall = records(frame, org_sector=ALL)
    body = []
    for code, label in ordered(overall or rows, "skill_code", "skill_label", "share"):
        cells = [label_cell(label, strong=code == ALL)]
        for sector in columns:
            row = first(rows, skill_code=code, org_sector=sector)
            cells.append(
                value_cell(
                    tb.value(
                        row, "share", "share", SHORTAGE_MART, SHORTAGE_KEY, flag="low_precision"
                    )
                )
                if row
                else value_cell(Value("–", kind="share"))
            )
        body.append(tuple(cells))
    return Table(
        "skill-shortage-by-sector",
        "Share of organisations reporting a shortage by skill and sector",
        "Skill shortage by sector",
        (Column("Skill", "label"), *(Column(tb.sector(c)) for c in columns)),
        tuple(body),
        (tb.suppression_note,),
    )
