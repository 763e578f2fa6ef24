"""Report step, estimates and rankings for the key findings: an estimate with its interval
and base, the leaders of a ranking (the top estimate and every one whose interval overlaps
it: "largest" is said only of a top that stands alone) and the contrasts between sectors that
are beyond sampling error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from transforms.core.canonical import ALL
from transforms.report.citation import base_column
from transforms.report.rows import Row, publishable
from transforms.report.tables.builder import TableBuilder, ci_columns
from transforms.report.values import Kind

Finding = dict[str, Any]


def estimate(
    tb: TableBuilder,
    row: Row,
    field: str,
    kind: Kind,
    mart: str,
    key: tuple[str, ...],
    *,
    interval: tuple[str, str] | None = None,
    flag: str | None = "low_precision",
) -> Finding:
    """An estimate with its interval (`interval`, by default `ci_columns(field)`) and whether
    the mart has both bounds; `flag` names the row's low-precision column, if it has one."""
    low, high = interval or ci_columns(field)
    base = base_column(row)
    return {
        "value": tb.value(row, field, kind, mart, key, flag=flag),
        "low": tb.value(row, low, kind, mart, key),
        "high": tb.value(row, high, kind, mart, key),
        "has_ci": row.get(low) is not None and row.get(high) is not None,
        # the organisations the estimate rests on (those answering the question)
        "n": tb.value(row, base, "count", mart, key, False) if base else None,
    }


def leaders(
    rows: Sequence[Row],
    field: str,
    interval: tuple[str, str] | None = None,
    *,
    lowest: bool = False,
    label: str = "",
) -> list[Row]:
    """The rows the survey cannot tell apart from the top one, top first: ranked by `field`
    (highest first, or lowest with `lowest`), the top row and every row whose interval
    overlaps the top's. One row: the top is "largest" (or "lowest") beyond sampling error;
    several: the report names them together and says their intervals overlap. A row without
    an interval cannot be told apart from any other."""
    low, high = interval or ci_columns(field)
    shown = [r for r in rows if publishable(r, field)]
    if not shown:
        return []
    ranked = sorted(
        shown, key=lambda r: (float(r[field]) * (1 if lowest else -1), str(r.get(label, "")))
    )
    top = ranked[0]

    def apart(row: Row) -> bool:
        if lowest:
            return bound(top, high) < bound(row, low)
        return bound(top, low) > bound(row, high)

    return [top, *(r for r in ranked[1:] if not apart(r))]


def bound(row: Row, column: str) -> float:
    value = row.get(column)
    return float("nan") if value is None else float(value)


def ranking(
    tb: TableBuilder,
    rows: Sequence[Row],
    field: str,
    kind: Kind,
    mart: str,
    key: tuple[str, ...],
    label: Callable[[Row], str],
    *,
    interval: tuple[str, str] | None = None,
    lowest: bool = False,
    limit: int = 3,
) -> Finding | None:
    """The top of a ranking as a finding: `top` (up to `limit` rows the survey cannot tell
    apart, each a labelled estimate), `ahead` (one row is ahead beyond sampling error) and
    `n_more` (rows tied with the top that are not named)."""
    tied = leaders(rows, field, interval, lowest=lowest)
    if not tied:
        return None
    top = [
        {"label": label(r), **estimate(tb, r, field, kind, mart, key, interval=interval)}
        for r in tied[:limit]
    ]
    return {"top": top, "ahead": len(tied) == 1, "n_more": max(len(tied) - limit, 0)}


def contrasts(
    tb: TableBuilder,
    rows: Sequence[Row],
    item: str,
    item_label: str,
    mart: str,
    key: tuple[str, ...],
    *,
    limit: int = 2,
) -> Finding:
    """Where sectors differ beyond sampling error: for each item (a skill, a role) the sector
    with the highest share and the one with the lowest, when their intervals do not overlap
    (the highest's lower bound above the lowest's upper bound). The `limit` clearest
    contrasts (widest gap between the intervals) are named; `n_items` items were compared
    (those with two or more sectors published), `n_apart` of them show such a contrast."""
    by_item: dict[str, list[Row]] = {}
    for row in rows:
        if row["org_sector"] != ALL and publishable(row, "share"):
            by_item.setdefault(str(row[item]), []).append(row)
    found: list[tuple[float, str, Row, Row]] = []
    compared = 0
    for code, group in by_item.items():
        if len(group) < 2:
            continue
        compared += 1
        high = max(group, key=lambda r: (float(r["share"]), str(r["org_sector"])))
        low = min(group, key=lambda r: (float(r["share"]), str(r["org_sector"])))
        apart = bound(high, "ci_low") - bound(low, "ci_high")
        if apart > 0:
            found.append((-apart, code, high, low))

    def side(row: Row) -> Finding:
        sector = str(row["org_sector"])
        return {"label": tb.sector(sector), **estimate(tb, row, "share", "share", mart, key)}

    return {
        "cases": [
            {"label": str(high[item_label]), "high": side(high), "low": side(low)}
            for _, _, high, low in sorted(found)[:limit]
        ],
        "n_apart": len(found),
        "n_items": compared,
    }
