"""An attacker for the disclosure tests: work hidden cells out of the published marts.

Written apart from transforms/model/disclosure/ on purpose: it knows only what a reader of the
published marts and the public reference data knows. Every relation a reader can write down
becomes an equation over the marts' values:

- hires: role totals and sector totals add up (per wave and horizon), and so do contributor
  counts and squared standard errors over sectors (the strata lie inside sectors);
  a sector's respondent count (one per sector) adds up over sectors;
- a skill's 5-year demand is the sum of its roles' all-sector totals (ref_role_skill), and a
  skill × role-family demand the sum over the family's roles; a demand hidden in one column
  is read from any other that shows it (gap + places, ratio × places, weighted / share);
- shares: respondent counts, flagged counts, weighted n and share × weighted n add up over
  sectors;
- sample: size-band counts add up to their sector, sectors to the wave (a count is read from
  the response rate or the weight when those show).

`recovered` then solves what it can: first by hand (an equation with one unknown), then
exactly (an unknown is determined when its unit vector lies in the equations' row space).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import duckdb
import numpy as np

ALL = "all"
Var = tuple[Hashable, ...]
Equation = dict[Var, float]  # Σ coefficient · value = 0


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    frame = con.execute(sql).df().astype(object)
    return [
        {k: (None if v is None or v != v else v) for k, v in r.items()}  # NaN, NA -> None
        for r in frame.to_dict("records")
    ]


def _sum_equations(
    groups: dict[Hashable, dict[str, Var]],
) -> list[Equation]:
    """For each group {member code: variable}: the 'all' member equals the sum of the others."""
    equations = []
    for members in groups.values():
        if ALL not in members or len(members) < 2:
            continue
        equation: Equation = {members[ALL]: 1.0}
        for code, var in members.items():
            if code != ALL:
                equation[var] = equation.get(var, 0.0) - 1.0
        equations.append(equation)
    return equations


def published_system(con: duckdb.DuckDBPyConnection) -> tuple[list[Equation], dict[Var, Any]]:
    """Every equation a reader can write from the published marts, with the values they show."""
    values: dict[Var, Any] = {}
    equations: list[Equation] = []
    equations += _hiring(con, values)
    equations += _skills(con, values)
    for mart, item, flagged in (
        ("mart_recruitment_difficulty", "role_code", "n_difficult"),
        ("mart_skill_shortage", "skill_code", "n_shortage"),
    ):
        equations += _shares(con, values, mart, item, flagged)
    equations += _sample(con, values)
    return equations, values


def _hiring(con: duckdb.DuckDBPyConnection, values: dict[Var, Any]) -> list[Equation]:
    rows = _rows(con, "select * from mart_hiring_demand")
    by_role: dict[Hashable, dict[str, Var]] = {}
    by_sector: dict[Hashable, dict[str, Var]] = {}
    lines: dict[str, dict[Hashable, dict[str, Var]]] = {"n_reporting": {}, "se2": {}}
    bases: dict[Hashable, dict[str, Var]] = {}
    for r in rows:
        scope = (r["survey_id"], r["wave"], r["horizon"])
        cell = (*scope, r["role_code"], r["org_sector"])
        values[("total", *cell)] = r["total"]
        values[("se2", *cell)] = None if r["se"] is None else r["se"] ** 2
        values[("n_reporting", *cell)] = r["n_reporting"]
        by_role.setdefault((*scope, r["role_code"]), {})[r["org_sector"]] = ("total", *cell)
        by_sector.setdefault((*scope, r["org_sector"]), {})[r["role_code"]] = ("total", *cell)
        for name in lines:
            lines[name].setdefault((*scope, r["role_code"]), {})[r["org_sector"]] = (name, *cell)
        base = ("base", *scope, r["org_sector"])
        if values.get(base) is None:
            values[base] = r["n_respondents"]
        bases.setdefault(scope, {})[r["org_sector"]] = base
    equations = _sum_equations(by_role) + _sum_equations(by_sector) + _sum_equations(bases)
    for groups in lines.values():
        equations += _sum_equations(groups)
    return equations


def _skills(con: duckdb.DuckDBPyConnection, values: dict[Var, Any]) -> list[Equation]:
    needs = _rows(
        con,
        "select rs.skill_code, rs.role_code, coalesce(r.role_family, 'other') as role_family "
        "from ref_role_skill as rs left join ref_role as r using (role_code)",
    )
    roles = {
        (r["survey_id"], r["wave"], r["role_code"])
        for r in _rows(con, "select distinct survey_id, wave, role_code from mart_hiring_demand")
    }
    equations: list[Equation] = []
    skill_rows = _rows(con, "select * from mart_demand_vs_supply")
    for r in skill_rows:
        var: Var = ("skill", r["survey_id"], r["wave"], r["skill_code"])
        values[var] = _demand(r)
        members = [n["role_code"] for n in needs if n["skill_code"] == r["skill_code"]]
        equations.append(_skill_equation(var, r, members, roles))
    for r in _rows(con, "select * from mart_skill_gap"):
        var = ("family", r["survey_id"], r["wave"], r["skill_code"], r["role_family"])
        values[var] = _demand(r)
        members = [
            n["role_code"]
            for n in needs
            if n["skill_code"] == r["skill_code"] and r["role_family"] in (ALL, n["role_family"])
        ]
        equations.append(_skill_equation(var, r, members, roles))
    return [e for e in equations if len(e) > 1]


def _skill_equation(var: Var, row: dict[str, Any], members: list[str], roles: set[Any]) -> Equation:
    equation: Equation = {var: 1.0}
    for role in members:
        if (row["survey_id"], row["wave"], role) in roles:
            equation[("total", row["survey_id"], row["wave"], "5y", role, ALL)] = -1.0
    return equation


def _demand(row: dict[str, Any]) -> float | None:
    """The demand, read from whichever published column shows it."""
    supply = row.get("supply_places_5y")
    if row.get("demand_hires_5y") is not None:
        return float(row["demand_hires_5y"])
    if row.get("gap") is not None and supply is not None:
        return float(row["gap"]) + float(supply)
    if row.get("gap_ratio") is not None and supply:
        return float(row["gap_ratio"]) * float(supply)
    if row.get("shortage_weighted_demand") is not None and row.get("shortage_share"):
        return float(row["shortage_weighted_demand"]) / float(row["shortage_share"])
    return None


def _shares(
    con: duckdb.DuckDBPyConnection, values: dict[Var, Any], mart: str, item: str, flagged: str
) -> list[Equation]:
    groups: dict[str, dict[Hashable, dict[str, Var]]] = {
        name: {} for name in ("n", "flagged", "weighted_n", "weighted_flagged")
    }
    for r in _rows(con, f"select * from {mart}"):
        cell = (mart, r["survey_id"], r["wave"], r[item], r["org_sector"])
        shown = {
            "n": r["n_respondents"],
            "flagged": r[flagged],
            "weighted_n": r["weighted_n"],
            "weighted_flagged": None
            if r["share"] is None or r["weighted_n"] is None
            else r["share"] * r["weighted_n"],
        }
        for name, value in shown.items():
            values[(name, *cell)] = value
            groups[name].setdefault(cell[:4], {})[r["org_sector"]] = (name, *cell)
    return [e for g in groups.values() for e in _sum_equations(g)]


def _sample(con: duckdb.DuckDBPyConnection, values: dict[Var, Any]) -> list[Equation]:
    sectors: dict[Hashable, dict[str, Var]] = {}
    waves: dict[Hashable, dict[str, Var]] = {}
    for r in _rows(con, "select * from mart_sample"):
        var: Var = ("sample", r["survey_id"], r["wave"], r["org_sector"], r["org_size_band"])
        values[var] = _sample_count(r)
        if r["org_sector"] != ALL:
            sectors.setdefault((r["survey_id"], r["wave"], r["org_sector"]), {})[
                r["org_size_band"]
            ] = var
        if r["org_size_band"] == ALL:
            waves.setdefault((r["survey_id"], r["wave"]), {})[r["org_sector"]] = var
    return _sum_equations(sectors) + _sum_equations(waves)


def _sample_count(row: dict[str, Any]) -> float | None:
    if row["n_respondents"] is not None:
        return float(row["n_respondents"])
    if row["response_rate"] is not None:
        return float(row["response_rate"]) * float(row["population"])
    if row["weight"]:
        return float(row["population"]) / float(row["weight"])
    return None


def recovered(equations: list[Equation], values: dict[Var, Any]) -> set[Var]:
    """Hidden values the equations give away: by hand first, then by linear algebra."""
    hidden = sorted({v for e in equations for v in e if values.get(v) is None}, key=repr)
    known = {v: values.get(v) for e in equations for v in e}
    found: set[Var] = set()
    changed = True
    while changed:  # by hand: an equation with one unknown
        changed = False
        for equation in equations:
            unknown = [v for v in equation if known[v] is None]
            if len(unknown) == 1:
                (var,) = unknown
                rest = sum(c * float(known[v]) for v, c in equation.items() if v != var)
                known[var] = -rest / equation[var]
                found.add(var)
                changed = True
    if not hidden:
        return found
    column = {v: j for j, v in enumerate(hidden)}
    matrix = np.zeros((len(equations), len(hidden)))
    for i, equation in enumerate(equations):
        for var, coefficient in equation.items():
            if var in column:
                matrix[i, column[var]] = coefficient
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int(np.sum(singular > 1e-9 * max(float(singular.max(initial=0.0)), 1.0)))
    null = vt[rank:]  # rows span the null space: free directions of the hidden values
    for var, j in column.items():
        if null.shape[0] == 0 or np.all(np.abs(null[:, j]) < 1e-9):
            found.add(var)
    return found
