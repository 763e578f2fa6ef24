"""Report step, hiring tables: expected hires within one and five years (mart_hiring_demand)."""

from __future__ import annotations

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.rows import HIRING_KEY, first, records
from transforms.report.tables.builder import TableBuilder, ordered, sectors
from transforms.report.values import Column, Table, label_cell

MART = "mart_hiring_demand"


def hiring_table(frame: pd.DataFrame, tb: TableBuilder, by: str) -> Table:
    """Expected hires within 1 and 5 years by role (all sectors) or by sector (all roles)."""
    if by == "role_code":
        rows = records(frame, org_sector=ALL)
        items = ordered(rows, "role_code", "role_label", "total", horizon="5y")
    else:
        rows = records(frame, role_code=ALL)
        items = [(code, tb.sector(code)) for code in sectors(rows, tb.meta)]
    body = []
    for code, label in items:
        cells = [label_cell(label, strong=code == ALL)]
        for horizon in ("1y", "5y"):
            row = first(rows, **{by: code, "horizon": horizon})
            cells += tb.estimate(row, "total", "count", MART, HIRING_KEY)
        five = first(rows, **{by: code, "horizon": "5y"})
        cells.append(tb.count(five, "n_respondents", MART, HIRING_KEY))
        body.append(tuple(cells))
    name = "role" if by == "role_code" else "sector"
    return Table(
        f"hiring-by-{name}",
        f"Expected hires by {name} and horizon, "
        + ("all sectors" if by == "role_code" else "all roles"),
        f"Hiring by {name}",
        (
            Column(name.capitalize(), "label"),
            Column("Hires within 1 year"),
            Column(tb.ci, "interval"),
            Column("Hires within 5 years"),
            Column(tb.ci, "interval"),
            Column("Organisations answering (n)"),
        ),
        tuple(body),
        (
            "Weighted estimates of the number of people organisations expect to hire; "
            "the 5-year figure includes the first year.",
            tb.suppression_note,
        ),
    )
