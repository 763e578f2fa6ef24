"""Report step, key findings: the headline numbers, each one a mart value with its source.

The template turns these into plain-language sentences; nothing here is typed by hand. A
finding whose estimate is suppressed or missing is returned as None and the template says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from transforms.report.rows import (
    ALL,
    DIFFICULTY_KEY,
    HIRING_KEY,
    IMPORTANCE_KEY,
    SHORTAGE_KEY,
    SUPPLY_KEY,
    TRAINING_KEY,
    Row,
    first,
    publishable,
    records,
)
from transforms.report.tables import TableBuilder, ci_columns, training_base
from transforms.report.values import Kind, Value

Finding = dict[str, Any]


def key_findings(frames: dict[str, pd.DataFrame], tb: TableBuilder) -> dict[str, Any]:
    """Every headline of the report, by topic; a topic without a publishable estimate is None."""
    return {
        "hiring": _hiring(frames["hiring_demand"], tb),
        "difficulty": _difficulty(frames["recruitment_difficulty"], tb),
        "skills": _skills(frames["skill_shortage"], tb),
        "importance": _importance(frames["skill_importance"], tb),
        "supply": _supply(frames["demand_vs_supply"], tb),
        "training": _training(frames["training_preference"], tb),
        "sample": _sample(frames["weighting"], tb),
    }


def _estimate(
    tb: TableBuilder, row: Row, field: str, kind: Kind, mart: str, key: tuple[str, ...]
) -> Finding:
    low, high = ci_columns(field)
    return {
        "value": tb.value(row, field, kind, mart, key, flag="low_precision"),
        "low": tb.value(row, low, kind, mart, key),
        "high": tb.value(row, high, kind, mart, key),
        "has_ci": row.get(low) is not None and row.get(high) is not None,
    }


def _hiring(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    mart = "mart_hiring_demand"
    rows = records(frame, org_sector=ALL)
    five = first(rows, role_code=ALL, horizon="5y")
    one = first(rows, role_code=ALL, horizon="1y")
    roles = [r for r in rows if r["role_code"] != ALL and r["horizon"] == "5y"]
    ranked = sorted(
        (r for r in roles if publishable(r, "total")),
        key=lambda r: (-float(r["total"]), str(r["role_label"])),
    )
    if not publishable(five, "total") and not ranked:
        return None
    top = ranked[0] if ranked else None
    return {
        "five": _estimate(tb, five, "total", "count", mart, HIRING_KEY)
        if five and publishable(five, "total")
        else None,
        "one": _estimate(tb, one, "total", "count", mart, HIRING_KEY)
        if one and publishable(one, "total")
        else None,
        "top_role": {
            "label": str(top["role_label"]),
            **_estimate(tb, top, "total", "count", mart, HIRING_KEY),
        }
        if top
        else None,
        "n_suppressed_roles": sum(1 for r in roles if r.get("suppressed")),
    }


def _difficulty(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    mart = "mart_recruitment_difficulty"
    rows = records(frame, role_code=ALL)
    overall = first(rows, org_sector=ALL)
    by_sector = [r for r in rows if r["org_sector"] != ALL]
    shown = sorted(
        (r for r in by_sector if publishable(r, "share")),
        key=lambda r: (float(r["share"]), str(r["org_sector"])),
    )
    if not shown and not publishable(overall, "share"):
        return None
    least = shown[0] if len(shown) > 1 else None
    return {
        "overall": _estimate(tb, overall, "share", "share", mart, DIFFICULTY_KEY)
        if overall and publishable(overall, "share")
        else None,
        "n_majority": sum(1 for r in shown if float(r["share"]) > 0.5),
        "n_shown": len(shown),
        "n_suppressed": len(by_sector) - len(shown),
        "least": {
            "label": tb.sector(str(least["org_sector"])),
            **_estimate(tb, least, "share", "share", mart, DIFFICULTY_KEY),
        }
        if least
        else None,
    }


def _skills(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    mart = "mart_skill_shortage"
    rows = [r for r in records(frame, org_sector=ALL) if r["skill_code"] != ALL]
    ranked = sorted(
        (r for r in rows if publishable(r, "share")),
        key=lambda r: (-float(r["share"]), str(r["skill_label"])),
    )
    if not ranked:
        return None
    top = [
        {"label": str(r["skill_label"]), **_estimate(tb, r, "share", "share", mart, SHORTAGE_KEY)}
        for r in ranked[:3]
    ]
    return {"top": top, "n_skills": len(rows)}


def _importance(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """The (up to three) skills most often rated very or extremely important, all sectors."""
    mart = "mart_skill_importance"
    ranked = sorted(
        (r for r in records(frame, org_sector=ALL) if publishable(r, "share")),
        key=lambda r: (-float(r["share"]), str(r["skill_label"])),
    )
    if not ranked:
        return None
    top = [
        {"label": str(r["skill_label"]), **_estimate(tb, r, "share", "share", mart, IMPORTANCE_KEY)}
        for r in ranked[:3]
    ]
    return {"top": top}


def _supply(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    mart = "mart_demand_vs_supply"
    rows = [
        r
        for r in records(frame)
        if publishable(r, "demand_hires_5y") and r.get("supply_places_5y") is not None
    ]
    if not rows:
        return None
    gap_row = max(
        rows,
        key=lambda r: (
            float(r["demand_hires_5y"]) - float(r["supply_places_5y"]),
            str(r["skill_label"]),
        ),
    )
    gap = {
        "label": str(gap_row["skill_label"]),
        **_estimate(tb, gap_row, "demand_hires_5y", "count", mart, SUPPLY_KEY),
        "supply": tb.value(gap_row, "supply_places_5y", "count", mart, SUPPLY_KEY, False),
        "no_supply": float(gap_row["supply_places_5y"]) == 0,
    }
    return {
        "n_exceed": sum(
            1 for r in rows if float(r["demand_hires_5y"]) > float(r["supply_places_5y"])
        ),
        "n_compared": len(rows),
        "gap": gap
        if float(gap_row["demand_hires_5y"]) > float(gap_row["supply_places_5y"])
        else None,
    }


def _training(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    mart = "mart_training_preference"
    rows = records(frame)
    ranked = sorted(
        (r for r in rows if publishable(r, "pct_cases")),
        key=lambda r: (-float(r["pct_cases"]), str(r["format_label"])),
    )
    if not ranked:
        return None
    top = ranked[0]
    base: Value | None = training_base(rows)
    return {
        "top": {
            "label": str(top["format_label"]),
            **_estimate(tb, top, "pct_cases", "share", mart, TRAINING_KEY),
        },
        "base": base,
    }


def _sample(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    rows = records(frame)
    if not rows:
        return None
    row = rows[0]
    mart = "mart_weighting"

    def value(field: str, kind: Kind) -> Value:
        return tb.value(row, field, kind, mart, (), False)

    return {
        "weighted": row.get("method") != "none",
        "n_respondents": value("n_respondents", "count"),
        "population": value("population", "count"),
        "efficiency": value("weighting_efficiency", "share1"),
        "deff": value("kish_deff", "decimal"),
    }
