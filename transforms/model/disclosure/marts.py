"""Model step, disclosure control on the marts: secondary suppression, written back in DuckDB.

`transforms.model.warehouse.run_models` calls `protect_marts` after the SQL marts are built (they
carry the primary suppression: the minimum cell size) and before the models that read
published marts. The marts are read with DuckDB's relational API, turned into systems of
cells (transforms.model.disclosure.systems), protected (transforms.model.disclosure.suppress),
and the cells chosen are hidden in place by the statements in transforms/model/disclosure/sql/:
their estimates and counts
set to NULL, `suppressed` true, `suppression` 'secondary'. docs/ARCHITECTURE.md, "Disclosure
control", gives the reasoning for each mart. mart_training_preference needs nothing: every
format has the same base, so its formats are suppressed all together or not at all.
mart_text_coding: each coded question's codes and 'uncoded' are protected as if they added up
to its base (they do when every answer got at most one code).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from importlib.resources import files
from typing import cast

import duckdb
import pandas as pd

from transforms.core.canonical import ALL
from transforms.model.disclosure.suppress import protect
from transforms.model.disclosure.systems import (
    Key,
    base_systems,
    hiring_systems,
    sample_systems,
    share_systems,
    text_code_systems,
)

KEYS: dict[str, tuple[str, ...]] = {
    "mart_hiring_demand": ("survey_id", "wave", "role_code", "horizon", "org_sector"),
    "mart_demand_vs_supply": ("survey_id", "wave", "skill_code"),
    "mart_skill_gap": ("survey_id", "wave", "skill_code", "role_family"),
    "mart_recruitment_difficulty": ("survey_id", "wave", "role_code", "org_sector"),
    "mart_skill_shortage": ("survey_id", "wave", "skill_code", "org_sector"),
    "mart_skill_importance": ("survey_id", "wave", "skill_code", "org_sector"),
    "mart_sample": ("survey_id", "wave", "org_sector", "org_size_band"),
    "mart_answer_share": ("survey_id", "wave", "answer_key", "level"),
    "mart_answer_mean": ("survey_id", "wave", "answer_key", "level"),
    "mart_text_coding": ("survey_id", "wave", "question_id", "code"),
}
# Share (and mean) marts: (mart, item column, level column). Each item's levels add up to
# 'all' (the generic marts' answer_key names the dimension, so each dimension is one system).
SHARES = (
    ("mart_recruitment_difficulty", "role_code", "org_sector"),
    ("mart_skill_shortage", "skill_code", "org_sector"),
    ("mart_skill_importance", "skill_code", "org_sector"),
    ("mart_answer_share", "answer_key", "level"),
    ("mart_answer_mean", "answer_key", "level"),
)


def protect_marts(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Add secondary suppression to every published mart with additive totals, in place.

    Returns the names of the marts it may change (their manifest tests are run again).
    """
    hidden: dict[str, list[Key]] = {mart: [] for mart in KEYS}
    hiring = hiring_systems(
        _read(con, "mart_hiring_demand", "survey_id, wave, role_code, horizon, org_sector, total"),
        _read(con, "mart_demand_vs_supply", "survey_id, wave, skill_code, demand_hires_5y"),
        _read(con, "mart_skill_gap", "survey_id, wave, skill_code, role_family, demand_hires_5y"),
        _role_needs(con),
    )
    systems = list(hiring)
    for mart, item, level in SHARES:
        frame = _read(con, mart, f"survey_id, wave, {item}, {level} as org_sector, n_respondents")
        systems += share_systems(frame, mart, item)
    systems += sample_systems(
        _read(
            con,
            "mart_sample",
            "survey_id, wave, org_sector, org_size_band, population, n_respondents",
        )
    )
    for cells, lines in systems:
        _collect(hidden, protect(cells, lines))
    coded = "survey_id, wave, question_id, code, n_coded, n_answered"
    for cells, lines in text_code_systems(_read(con, "mart_text_coding", coded)):
        chosen = protect(cells, lines)
        # every question has 'uncoded' and at least one code, or only 'uncoded' (then as large
        # as the base): a published code is always cheaper to hide than the base
        assert all(cast(tuple[str, Key], c)[1][-1] != ALL for c in chosen), chosen
        _collect(hidden, chosen)
    for mart, keys in hidden.items():
        _hide(con, mart, keys)
    _hide_sector_bases(con)
    _run(con, "hide_shortage_demand_vs_supply")
    _run(con, "hide_shortage_skill_gap")
    return set(KEYS)


def _read(con: duckdb.DuckDBPyConnection, mart: str, columns: str) -> pd.DataFrame:
    """Columns of a mart (and its suppressed flag) as a frame."""
    return cast(pd.DataFrame, con.table(mart).project(f"{columns}, suppressed").df())


def _role_needs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """skill_code, role_code, role_family (other when none) of every role needing a skill."""
    needs = con.table("ref_role_skill").set_alias("rs")
    roles = con.table("dim_role").set_alias("r")
    joined = needs.join(roles, "rs.role_code = r.role_code", how="left")
    columns = (
        "rs.skill_code as skill_code, rs.role_code as role_code, "
        "coalesce(r.role_family, 'other') as role_family"
    )
    return cast(pd.DataFrame, joined.project(columns).df())


def _collect(hidden: dict[str, list[Key]], chosen: Iterable[Hashable]) -> None:
    for cell_id in chosen:
        assert isinstance(cell_id, tuple)
        mart, key = cell_id
        hidden[str(mart)].append(tuple(key))


def _statement(name: str) -> str:
    return files("transforms.model.disclosure").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _run(
    con: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, str] | None = None
) -> None:
    con.execute(_statement(name), parameters or {})


def _hide(con: duckdb.DuckDBPyConnection, mart: str, keys: Sequence[Key]) -> None:
    """Hide the rows of `mart` with these keys (registered as the view hidden_keys)."""
    if not keys:
        return
    frame = pd.DataFrame([list(k) for k in keys], columns=list(KEYS[mart])).astype("string")
    con.register("hidden_keys", frame)
    try:
        _run(con, f"hide_{mart}")
    finally:
        con.unregister("hidden_keys")


def _hide_sector_bases(con: duckdb.DuckDBPyConnection) -> None:
    """Sector respondent counts of mart_hiring_demand: none may be worked out from the others.

    The SQL hid those under the minimum (NULL); here they are protected as a one-way table,
    and a hidden count is hidden on every role row of its sector (and, for the 'all' sector,
    in the skill marts, which repeat it).
    """
    bases = (
        con.table("mart_hiring_demand")
        .filter("role_code = 'all'")
        .aggregate(
            "survey_id, wave, horizon, org_sector, any_value(n_respondents) as n",
            "survey_id, wave, horizon, org_sector",
        )
        .df()
    )
    for (survey, wave, horizon), (cells, lines) in base_systems(bases):
        for sector in protect(cells, lines):
            scope = {"survey_id": survey, "wave": wave}
            _run(con, "hide_sector_base", {**scope, "horizon": horizon, "org_sector": str(sector)})
            if sector == ALL:
                _run(con, "hide_wave_base_demand_vs_supply", scope)
                _run(con, "hide_wave_base_skill_gap", scope)
