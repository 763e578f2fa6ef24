"""Report step, key findings: the headline numbers, each one a mart value with its source.

One function per topic (hiring, difficulty, skills, importance, supply, gap, training, sample,
change), each reading its report query's frame. The template turns these into plain-language
sentences; nothing here is typed by hand. A finding whose estimate is suppressed or missing is
returned as None and the template says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.citation import base_column
from transforms.report.rows import (
    DIFFICULTY_KEY,
    GAP_KEY,
    HIRING_KEY,
    IMPORTANCE_KEY,
    SAMPLE_KEY,
    SHORTAGE_KEY,
    SUPPLY_KEY,
    TRAINING_KEY,
    WAVE_KEY,
    Row,
    first,
    publishable,
    records,
)
from transforms.report.tables.builder import TableBuilder, ci_columns
from transforms.report.tables.training import training_base
from transforms.report.tables.waves import Pair, side_row
from transforms.report.values import Kind, Value

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


def hiring(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
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
        "five": estimate(tb, five, "total", "count", mart, HIRING_KEY)
        if five and publishable(five, "total")
        else None,
        "one": estimate(tb, one, "total", "count", mart, HIRING_KEY)
        if one and publishable(one, "total")
        else None,
        "top_role": {
            "label": str(top["role_label"]),
            **estimate(tb, top, "total", "count", mart, HIRING_KEY),
        }
        if top
        else None,
        "n_suppressed_roles": sum(1 for r in roles if r.get("suppressed")),
    }


def difficulty(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
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
        "overall": estimate(tb, overall, "share", "share", mart, DIFFICULTY_KEY)
        if overall and publishable(overall, "share")
        else None,
        "n_majority": sum(1 for r in shown if float(r["share"]) > 0.5),
        "n_shown": len(shown),
        "n_suppressed": len(by_sector) - len(shown),
        "least": {
            "label": tb.sector(str(least["org_sector"])),
            **estimate(tb, least, "share", "share", mart, DIFFICULTY_KEY),
        }
        if least
        else None,
    }


def skills(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    mart = "mart_skill_shortage"
    rows = [r for r in records(frame, org_sector=ALL) if r["skill_code"] != ALL]
    ranked = sorted(
        (r for r in rows if publishable(r, "share")),
        key=lambda r: (-float(r["share"]), str(r["skill_label"])),
    )
    if not ranked:
        return None
    top = [
        {"label": str(r["skill_label"]), **estimate(tb, r, "share", "share", mart, SHORTAGE_KEY)}
        for r in ranked[:3]
    ]
    return {"top": top, "n_skills": len(rows)}


def importance(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """The (up to three) skills most often rated very or extremely important, all sectors."""
    mart = "mart_skill_importance"
    ranked = sorted(
        (r for r in records(frame, org_sector=ALL) if publishable(r, "share")),
        key=lambda r: (-float(r["share"]), str(r["skill_label"])),
    )
    if not ranked:
        return None
    top = [
        {"label": str(r["skill_label"]), **estimate(tb, r, "share", "share", mart, IMPORTANCE_KEY)}
        for r in ranked[:3]
    ]
    return {"top": top}


def supply(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
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
        **estimate(tb, gap_row, "demand_hires_5y", "count", mart, SUPPLY_KEY),
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


def training(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
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
            **estimate(tb, top, "pct_cases", "share", mart, TRAINING_KEY),
        },
        "base": base,
    }


def sample(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
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


def response(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """Who answered, for the plain method: the response rate of the whole population and the
    sectors with the lowest and highest rates (mart_sample; rates hidden with their counts are
    left out). None without a population frame."""
    mart = "mart_sample"
    rows = records(frame)
    overall = first(rows, org_sector=ALL, org_size_band=ALL)
    if overall is None or overall.get("response_rate") is None:
        return None
    sectors = sorted(
        (
            r
            for r in rows
            if r["org_sector"] != ALL
            and r["org_size_band"] == ALL
            and r.get("response_rate") is not None
            and not r.get("suppressed")
        ),
        key=lambda r: (float(str(r["response_rate"])), str(r["org_sector"])),
    )

    def rate(row: Row) -> dict[str, object]:
        label = tb.sector(str(row["org_sector"]))
        value = tb.value(row, "response_rate", "share", mart, SAMPLE_KEY, False)
        return {"label": label, "value": value}

    return {
        "rate": tb.value(overall, "response_rate", "share", mart, SAMPLE_KEY, False),
        "lowest": rate(sectors[0]) if len(sectors) > 1 else None,
        "highest": rate(sectors[-1]) if len(sectors) > 1 else None,
    }


def gap(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """How many skills have a gap above zero beyond doubt, and the largest gap (mart_skill_gap).

    The mart's low-precision flag is the demand's, which the gap carries (its only uncertain
    term); the sentence says "low precision" once, after the gap, so not after the ratio."""
    mart = "mart_skill_gap"
    rows = [
        r
        for r in records(frame, role_family=ALL)
        if publishable(r, "gap") and r.get("supply_places_5y") is not None
    ]
    if not rows:
        return None
    top = max(rows, key=lambda r: (float(r["gap"]), str(r["skill_label"])))
    above = [r for r in rows if r.get("gap_ci_low") is not None and float(r["gap_ci_low"]) > 0]
    largest: Finding | None = None
    if float(top["gap"]) > 0:
        interval = ("gap_ci_low", "gap_ci_high")
        ratio = ("gap_ratio_ci_low", "gap_ratio_ci_high")
        largest = {
            "label": str(top["skill_label"]),
            "gap": {  # the value is above zero here: shown as a plain count
                **estimate(tb, top, "gap", "signed", mart, GAP_KEY, interval=interval),
                "value": tb.value(top, "gap", "count", mart, GAP_KEY, flag="low_precision"),
            },
            "ratio": estimate(
                tb, top, "gap_ratio", "ratio", mart, GAP_KEY, interval=ratio, flag=None
            )
            if top.get("gap_ratio") is not None
            else None,
        }
    return {"n_above": len(above), "n_compared": len(rows), "largest": largest}


def change(frame: pd.DataFrame, tb: TableBuilder, pair: Pair | None) -> Finding | None:
    """Five-year hires in both waves and the change between them, with intervals
    (mart_wave_comparison)."""
    if pair is None:
        return None
    mart = "mart_wave_comparison"
    row = first(
        records(frame),
        compared_wave=pair.compared,
        measure="hires_5y",
        item_code=ALL,
        org_sector=ALL,
    )
    if row is None or row.get("difference") is None:
        return None
    low, high = row.get("difference_ci_low"), row.get("difference_ci_high")
    beyond = low is not None and high is not None and (float(low) > 0 or float(high) < 0)

    def side(name: str) -> Finding:
        return estimate(
            tb,
            side_row(row, name),
            f"estimate_{name}",
            "count",
            mart,
            WAVE_KEY,
            interval=(f"ci_low_{name}", f"ci_high_{name}"),
            flag=f"low_precision_{name}",
        )

    interval = ("difference_ci_low", "difference_ci_high")
    return {
        "earlier": side("earlier"),
        "later": side("later"),
        "difference": estimate(
            tb, row, "difference", "signed", mart, WAVE_KEY, interval=interval, flag=None
        ),
        "beyond_error": beyond,  # the interval of the change excludes zero
        "question_changed": bool(row.get("question_note")),
    }
