"""Model step, disclosure control: published mart rows → systems of cells for the engine.

Each function turns the rows of one published table (pandas frames read from the marts) into
`transforms.model.disclosure.suppress` systems: cells over atoms, with the lines (additive
relations) they sit on. The cell ids are (mart, key values), so the cells chosen can be
written back.

- hiring, per wave and horizon: atoms are the role × sector totals; role and sector totals add
  them up; for 5-year hires so do the skill demands (mart_demand_vs_supply) and the skill ×
  role-family demands (mart_skill_gap): a skill's demand is the sum of its roles' totals.
- sector bases of mart_hiring_demand: one respondent count per sector, adding up over sectors.
- shares (difficulty, shortage), per wave and item: sectors add up to 'all' (respondent and
  flagged counts, weighted n, share × weighted n); the 'all' item is "any", not a sum.
- sample, per wave: size-band cells add up to their sector, sectors to the wave.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import partial

import pandas as pd

from transforms.core.canonical import ALL
from transforms.model.disclosure.suppress import Cell

Key = tuple[str, ...]
CellId = tuple[str, Key]  # (mart, key values)
System = tuple[list[Cell], list[list[Hashable]]]
# cost levels: interior cells are hidden first, headline totals last
INTERIOR, SKILL_FAMILY, SKILL, MARGIN, GRAND = 0, 1, 2, 3, 4


def _hidden(value: object) -> bool:
    """None, NaN or pandas NA: a value the mart does not show."""
    return value is None or value is pd.NA or value != value


def _number(value: object) -> float:
    return 0.0 if _hidden(value) else float(value)  # type: ignore[arg-type]


def cost(level: int, value: object) -> tuple[float, ...]:
    """Hide cheaper cells first: lower level, then non-zero before zero, then smaller."""
    number = _number(value)
    return (float(level), float(number == 0), number)


def _hiring_key(survey: str, wave: str, horizon: str, role: str, sector: str) -> Key:
    return (survey, wave, role, horizon, sector)


def hiring_systems(
    hiring: pd.DataFrame, skills: pd.DataFrame, gaps: pd.DataFrame, needs: pd.DataFrame
) -> list[System]:
    """Role × sector hiring tables per wave and horizon, with the skill sums for 5 years.

    hiring: mart_hiring_demand (survey_id, wave, role_code, horizon, org_sector, total,
    suppressed); skills: mart_demand_vs_supply (survey_id, wave, skill_code,
    demand_hires_5y, suppressed); gaps: mart_skill_gap (the same and role_family); needs:
    skill_code, role_code, role_family of every role needing a skill.
    """
    systems: list[System] = []
    for (survey, wave, horizon), rows in hiring.groupby(["survey_id", "wave", "horizon"]):
        scope = (str(survey), str(wave), str(horizon))
        cells, lines = two_way(
            "mart_hiring_demand",
            rows,
            ("role_code", "org_sector"),
            partial(_hiring_key, *scope),
            "total",
        )
        if scope[2] == "5y":
            here = (skills["survey_id"] == survey) & (skills["wave"] == wave)
            there = (gaps["survey_id"] == survey) & (gaps["wave"] == wave)
            roles = sorted(set(rows["role_code"]) - {ALL})
            sectors = sorted(set(rows["org_sector"]) - {ALL})
            extra = _skill_cells(scope, skills[here], gaps[there], needs, (roles, sectors))
            cells += extra[0]
            lines += extra[1]
        systems.append((cells, lines))
    return systems


def two_way(
    mart: str,
    rows: pd.DataFrame,
    dims: tuple[str, str],
    make_key: partial[Key],
    value: str,
) -> System:
    """A two-way table with 'all' totals on both dimensions: cells, lines of both dimensions.

    A dimension with only its 'all' level (a survey that did not ask about sectors) is a
    one-level dimension: its 'all' is the atom, so the other dimension's line still holds.
    """
    first, second = dims
    firsts = sorted(set(rows[first]) - {ALL})
    seconds = sorted(set(rows[second]) - {ALL})
    cells: list[Cell] = []
    for row in rows.to_dict("records"):
        a, b = str(row[first]), str(row[second])
        span_a = (firsts or [ALL]) if a == ALL else [a]
        span_b = (seconds or [ALL]) if b == ALL else [b]
        level = {0: INTERIOR, 1: MARGIN, 2: GRAND}[(a == ALL) + (b == ALL)]
        cells.append(
            Cell(
                (mart, make_key(a, b)),
                {(x, y): 1.0 for x in span_a for y in span_b},
                bool(row["suppressed"]),
                cost(level, row[value]),
            )
        )
    lines: list[list[Hashable]] = []
    if seconds:
        for a in [*firsts, ALL]:
            lines.append([(mart, make_key(a, b)) for b in [*seconds, ALL]])
    if firsts:
        for b in [*seconds, ALL]:
            lines.append([(mart, make_key(a, b)) for a in [*firsts, ALL]])
    present = {c.id for c in cells}
    return cells, [[m for m in line if m in present] for line in lines]


def _skill_cells(
    scope: tuple[str, str, str],
    skills: pd.DataFrame,
    gaps: pd.DataFrame,
    needs: pd.DataFrame,
    grid: tuple[Sequence[str], Sequence[str]],
) -> System:
    """Skill demands (sums of 5-year role totals over all sectors) as cells of the hiring table."""
    survey, wave, horizon = scope
    roles, sectors = grid
    known = set(roles)

    def role_total(role: str) -> CellId:
        return ("mart_hiring_demand", (survey, wave, role, horizon, ALL))

    def atoms(members: Iterable[str]) -> dict[Hashable, float]:
        return {(r, s): 1.0 for r in members for s in (sectors or [ALL])}

    def cell(
        mart: str, key: Key, members: list[str], level: int, row: Mapping[Hashable, object]
    ) -> Cell:
        return Cell(
            (mart, key),
            atoms(members),
            bool(row["suppressed"]),
            cost(level, row["demand_hires_5y"]),
        )

    cells: list[Cell] = []
    lines: list[list[Hashable]] = []
    for row in skills.to_dict("records"):
        skill = str(row["skill_code"])
        members = sorted(set(needs.loc[needs["skill_code"] == skill, "role_code"]) & known)
        cells.append(cell("mart_demand_vs_supply", (survey, wave, skill), members, SKILL, row))
        lines.append([cells[-1].id, *(role_total(r) for r in members)])
    for code, rows in gaps.groupby("skill_code"):
        skill = str(code)
        wanted = needs[needs["skill_code"] == skill]
        families: list[Hashable] = []
        for row in rows.to_dict("records"):
            family = str(row["role_family"])
            chosen = wanted if family == ALL else wanted[wanted["role_family"] == family]
            members = sorted(set(chosen["role_code"]) & known)
            key = (survey, wave, skill, family)
            level = SKILL if family == ALL else SKILL_FAMILY
            cells.append(cell("mart_skill_gap", key, members, level, row))
            lines.append([cells[-1].id, *(role_total(r) for r in members)])
            if family == ALL:
                lines.append([cells[-1].id, ("mart_demand_vs_supply", (survey, wave, skill))])
            else:
                families.append(cells[-1].id)
        lines.append([("mart_skill_gap", (survey, wave, skill, ALL)), *families])
    return cells, lines


def one_way(
    ids: Sequence[Hashable], codes: Sequence[str], hidden: Sequence[bool], values: Sequence[object]
) -> System:
    """One line: the code 'all' is the sum of the others (cost: smaller value first)."""
    parts = [c for c in codes if c != ALL]
    cells = [
        Cell(
            cell_id,
            {p: 1.0 for p in (parts if code == ALL else [code])},
            flag,
            cost(MARGIN if code == ALL else INTERIOR, value),
        )
        for cell_id, code, flag, value in zip(ids, codes, hidden, values, strict=True)
    ]
    return cells, [[c.id for c in cells]]


def share_systems(frame: pd.DataFrame, mart: str, item: str) -> list[System]:
    """One system per wave and item of a share mart: sectors add up to 'all'."""
    systems: list[System] = []
    for (survey, wave, code), group in frame.groupby(["survey_id", "wave", item]):
        sectors = [str(s) for s in group["org_sector"]]
        ids = [(mart, (str(survey), str(wave), str(code), s)) for s in sectors]
        systems.append(
            one_way(
                ids, sectors, list(group["suppressed"].astype(bool)), list(group["n_respondents"])
            )
        )
    return systems


def base_systems(frame: pd.DataFrame) -> list[tuple[Key, System]]:
    """Sector respondent counts of mart_hiring_demand (one per sector) per wave and horizon.

    frame: survey_id, wave, horizon, org_sector, n (NULL when the SQL hid it). Cell ids are
    the sector codes; the key is (survey_id, wave, horizon).
    """
    systems: list[tuple[Key, System]] = []
    for (survey, wave, horizon), group in frame.groupby(["survey_id", "wave", "horizon"]):
        sectors = [str(s) for s in group["org_sector"]]
        hidden = [_hidden(n) for n in group["n"]]
        key = (str(survey), str(wave), str(horizon))
        systems.append((key, one_way(sectors, sectors, hidden, list(group["n"]))))
    return systems


def sample_systems(frame: pd.DataFrame) -> list[System]:
    """Per wave: size-band cells add up to their sector, sectors to the wave.

    Rows of an empty frame cell (population 0) are known zeros and take no part; without a
    frame (population unknown) every row takes part.
    """
    systems: list[System] = []
    for (survey, wave), group in frame.groupby(["survey_id", "wave"]):
        records = [
            r
            for r in group.to_dict("records")
            if _hidden(r["population"]) or _number(r["population"]) > 0
        ]
        inner = [(str(r["org_sector"]), str(r["org_size_band"])) for r in records]
        inner = [(s, b) for s, b in inner if ALL not in (s, b)]
        cells: list[Cell] = []
        lines: dict[str, list[Hashable]] = {}
        for r in records:
            sector, band = str(r["org_sector"]), str(r["org_size_band"])
            atoms: dict[Hashable, float] = {
                (s, b): 1.0
                for s, b in inner
                if (sector == ALL or s == sector) and (band == ALL or b == band)
            }
            level = GRAND if sector == ALL else (MARGIN if band == ALL else INTERIOR)
            cell_id = ("mart_sample", (str(survey), str(wave), sector, band))
            cells.append(
                Cell(cell_id, atoms, bool(r["suppressed"]), cost(level, r["n_respondents"]))
            )
            if sector != ALL:  # a size-band cell, or the sector total that ends its line
                lines.setdefault(sector, []).append(cell_id)
            if band == ALL:  # a sector total, or the wave total that ends their line
                lines.setdefault(ALL, []).append(cell_id)
        systems.append((cells, list(lines.values())))
    return systems


def text_code_systems(frame: pd.DataFrame) -> list[System]:
    """One system per wave and coded free-text question of mart_text_coding: its codes and
    'uncoded' taken to add up to the question's base (the 'all' cell).

    An answer can get several codes, so the codes add up to at least the answers that got a
    code; treating the line as an equation is the cautious reading (when every answer got at
    most one code it is exact, and a lone hidden count could be worked out from the base).
    frame: survey_id, wave, question_id, code, n_coded, n_answered, suppressed.
    """
    mart = "mart_text_coding"
    systems: list[System] = []
    for (survey, wave, question), group in frame.groupby(["survey_id", "wave", "question_id"]):
        scope = (str(survey), str(wave), str(question))
        codes = [str(c) for c in group["code"]]
        base = group["n_answered"].iloc[0]
        systems.append(
            one_way(
                [(mart, (*scope, code)) for code in [*codes, ALL]],
                [*codes, ALL],
                [*(bool(s) for s in group["suppressed"]), _hidden(base)],
                [*group["n_coded"], base],
            )
        )
    return systems
