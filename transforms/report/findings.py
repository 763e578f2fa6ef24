"""Report step, key findings: the headline numbers, each one a mart value with its source.

One function per topic (hiring, difficulty, skills, importance, supply, gap, training, sample,
change), each reading its report query's frame. The template turns these into plain-language
sentences; nothing here is typed by hand. A finding whose estimate is suppressed or missing is
returned as None and the template says so.
"""

from __future__ import annotations

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.ranking import Finding, bound, contrasts, estimate, leaders, ranking
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
from transforms.report.tables.builder import TableBuilder
from transforms.report.tables.training import training_base
from transforms.report.tables.waves import Pair, side_row
from transforms.report.values import Kind, Value


def hiring(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """Five-year and one-year hires, all roles and sectors, and the roles with the largest
    five-year need (those the survey cannot tell apart from the top one)."""
    mart = "mart_hiring_demand"
    rows = records(frame, org_sector=ALL)
    five = first(rows, role_code=ALL, horizon="5y")
    one = first(rows, role_code=ALL, horizon="1y")
    roles = [r for r in rows if r["role_code"] != ALL and r["horizon"] == "5y"]
    top = ranking(tb, roles, "total", "count", mart, HIRING_KEY, lambda r: str(r["role_label"]))
    if not publishable(five, "total") and top is None:
        return None
    five_value = estimate(tb, five, "total", "count", mart, HIRING_KEY) if five else None
    one_value = estimate(tb, one, "total", "count", mart, HIRING_KEY) if one else None
    both = publishable(five, "total") and publishable(one, "total")
    return {
        "five": five_value if publishable(five, "total") else None,
        "one": one_value if publishable(one, "total") else None,
        "roles": top,
        # most of the five-year need lies after the first year
        "later_majority": both and float(one["total"]) < float(five["total"]) / 2,  # type: ignore[index]
        "n_suppressed_roles": sum(1 for r in roles if r.get("suppressed")),
    }


def difficulty(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """Organisations reporting recruitment difficulty for at least one role: all sectors, how
    many sectors have a majority, and the sector(s) reporting the least (`least.ahead`: one
    sector below every other beyond sampling error)."""
    mart = "mart_recruitment_difficulty"
    rows = records(frame, role_code=ALL)
    overall = first(rows, org_sector=ALL)
    by_sector = [r for r in rows if r["org_sector"] != ALL]
    shown = [r for r in by_sector if publishable(r, "share")]
    if not shown and not publishable(overall, "share"):
        return None
    least = (
        ranking(
            tb,
            shown,
            "share",
            "share",
            mart,
            DIFFICULTY_KEY,
            lambda r: tb.sector(str(r["org_sector"])),
            lowest=True,
            limit=1,
        )
        if len(shown) > 1
        else None
    )
    return {
        "overall": estimate(tb, overall, "share", "share", mart, DIFFICULTY_KEY)
        if overall and publishable(overall, "share")
        else None,
        "n_majority": sum(1 for r in shown if float(r["share"]) > 0.5),
        "n_shown": len(shown),
        "n_suppressed": len(by_sector) - len(shown),
        "least": least,
    }


def skills(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """The skills most often reported in shortage (those the survey cannot tell apart from the
    top one, up to three named), how many skills a majority is short of, and where sectors
    differ beyond sampling error."""
    mart = "mart_skill_shortage"
    rows = records(frame)
    overall = [r for r in rows if r["org_sector"] == ALL and r["skill_code"] != ALL]
    top = ranking(
        tb, overall, "share", "share", mart, SHORTAGE_KEY, lambda r: str(r["skill_label"])
    )
    if top is None:
        return None
    shown = [r for r in overall if publishable(r, "share")]
    return {
        **top,
        "n_skills": len(overall),
        "n_shown": len(shown),
        "n_majority": sum(1 for r in shown if float(r["share"]) > 0.5),
        "sectors": contrasts(
            tb,
            [r for r in rows if r["skill_code"] != ALL],
            "skill_code",
            "skill_label",
            mart,
            SHORTAGE_KEY,
        ),
    }


def importance(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """The skills most often rated very or extremely important, all sectors (those the survey
    cannot tell apart from the top one, up to three named)."""
    mart = "mart_skill_importance"
    return ranking(
        tb,
        records(frame, org_sector=ALL),
        "share",
        "share",
        mart,
        IMPORTANCE_KEY,
        lambda r: str(r["skill_label"]),
    )


def supply(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """How many skills have more expected hires than training places, how many have no place
    at all, and the skill(s) with the largest excess of hires over places (the interval of
    that excess is the demand's, shifted by the places, which are taken as certain)."""
    mart = "mart_demand_vs_supply"
    rows = [
        {
            **r,
            "excess": float(r["demand_hires_5y"]) - float(r["supply_places_5y"]),
            "excess_low": bound(r, "demand_ci_low") - float(r["supply_places_5y"]),
            "excess_high": bound(r, "demand_ci_high") - float(r["supply_places_5y"]),
        }
        for r in records(frame)
        if publishable(r, "demand_hires_5y") and r.get("supply_places_5y") is not None
    ]
    if not rows:
        return None
    tied = [r for r in leaders(rows, "excess", ("excess_low", "excess_high")) if r["excess"] > 0]

    def gap(row: Row) -> Finding:
        return {
            "label": str(row["skill_label"]),
            **estimate(tb, row, "demand_hires_5y", "count", mart, SUPPLY_KEY),
            "supply": tb.value(row, "supply_places_5y", "count", mart, SUPPLY_KEY, False),
            "no_supply": float(row["supply_places_5y"]) == 0,
        }

    return {
        "n_exceed": sum(1 for r in rows if r["excess"] > 0),
        "n_no_supply": sum(1 for r in rows if float(r["supply_places_5y"]) == 0),
        "n_compared": len(rows),
        "gap": gap(tied[0]) if tied else None,
        "ahead": len(tied) == 1,
        "tied": [gap(r) for r in tied[1:3]],
        "n_more": max(len(tied) - 3, 0),
    }


def offers(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """The training catalogue as the supply counts it (mart_training_offer): programmes
    counted (in the supply and not ended by the survey year), running and planned among them,
    and the illustrative entries (counted only when the run was asked to)."""
    rows = records(frame)
    if not rows:
        return None
    counted = [r for r in rows if r.get("in_supply") and r.get("status") != "ended"]
    return {
        "n_counted": len(counted),
        "n_running": sum(1 for r in counted if r.get("status") == "running"),
        "n_planned": sum(1 for r in counted if r.get("status") == "planned"),
        "n_illustrative": sum(1 for r in rows if r.get("illustrative")),
    }


def training(frame: pd.DataFrame, tb: TableBuilder) -> Finding | None:
    """The training format(s) most often preferred (those the survey cannot tell apart from
    the top one) and the organisations answering the question."""
    mart = "mart_training_preference"
    rows = records(frame)
    top = ranking(
        tb, rows, "pct_cases", "share", mart, TRAINING_KEY, lambda r: str(r["format_label"])
    )
    if top is None:
        return None
    base: Value | None = training_base(rows)
    return {**top, "base": base}


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
    """How many skills have a gap above zero beyond doubt, and the skill(s) with the largest
    gap (mart_skill_gap): `largest` is the top one, `ahead` whether its interval lies above
    every other skill's, `tied` the others the survey cannot tell apart from it.

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
    interval = ("gap_ci_low", "gap_ci_high")
    tied = [r for r in leaders(rows, "gap", interval) if float(r["gap"]) > 0]
    above = [r for r in rows if r.get("gap_ci_low") is not None and float(r["gap_ci_low"]) > 0]
    largest: Finding | None = None
    if tied:
        top = tied[0]
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
    return {
        "n_above": len(above),
        "n_compared": len(rows),
        "largest": largest,
        "ahead": len(tied) == 1,
        "tied": [str(r["skill_label"]) for r in tied[1:4]],
        "n_more": max(len(tied) - 4, 0),
    }


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
