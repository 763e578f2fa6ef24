"""The sparse estimate models against dense references computed here, cell by cell.

int_total_estimates and int_share_estimates never build a respondent × item grid (zeros
come from the answerer counts, training formats from the selections). Here a seeded wave of
respondents in four strata (one spanning two sectors, one with a single answerer) with the
awkward cases of the hiring grid (stated zeros, NULL headcounts, 1y-only answerers, skipped
questions, a role in two families' skills, a duplicated ref_role_skill row, a role without a
family, a skill no role needs) is estimated densely in pandas with the documented formulas:
every row of both models must match to 1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.model.warehouse_rows import (
    SURVEY,
    WAVE,
    Respondent,
    build,
    canonical,
    respondent_tables,
    skills,
)
from transforms.model.params import ModelParams

STRATA = {  # stratum: (sector, size band, respondents, weight)
    "pharma/large": ("pharma", "large", 9, 2.5),
    "sme/small": ("sme", "small", 12, 4.0),
    "mixed": ("academia", "small", 7, 3.0),  # plus two 'hospital' respondents below
    "single": ("hospital", "large", 1, 6.0),
}
ROLES = {"qc": "quality", "gmp": "quality", "bio": "process", "data": None, "reg": "process"}
ROLE_SKILL = [  # (role, skill); gmp/aseptic twice: a duplicated row counts twice, as before
    ("qc", "aseptic"),
    ("gmp", "aseptic"),
    ("gmp", "aseptic"),
    ("bio", "aseptic"),
    ("bio", "culture"),
    ("data", "analytics"),
    ("reg", "analytics"),
    ("qc", "analytics"),
    ("ghost", "culture"),  # a role the taxonomy does not list: family 'other'
]
SKILLS = ("aseptic", "culture", "analytics", "unused")
FORMATS = ("short_course", "e_learning", "on_the_job")
PARAMS = ModelParams(min_cell=1)  # nothing suppressed: every estimate is compared
TOLERANCE = {"rel": 1e-12, "abs": 1e-12}


def _respondents() -> list[Respondent]:
    found = []
    for stratum, (sector, size, n, weight) in STRATA.items():
        found += [Respondent(f"{stratum}-{i}", sector, size, stratum, weight) for i in range(n)]
    found += [Respondent(f"mixed-h{i}", "hospital", "small", "mixed", 3.0) for i in range(2)]
    return found


def _tables() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(8)
    respondents = _respondents()
    hires, difficulty, skill_need, training = [], [], [], []
    for number, r in enumerate(respondents):
        if number % 7 != 3:  # every 7th respondent skipped the hiring question
            horizons = ("1y",) if number % 5 == 1 else ("1y", "5y")
            for role in ROLES:
                for horizon in horizons:
                    if rng.random() < 0.6:
                        count = int(rng.choice([0, 0, 1, 2, 5]))
                        headcount = None if rng.random() < 0.1 else count
                        hires.append((r.key, role, horizon, headcount))
        for role in ROLES:
            if rng.random() < 0.5:
                difficulty.append((r.key, role, int(rng.integers(1, 5))))
        for skill in SKILLS[:3]:
            if rng.random() < 0.7:
                importance = None if rng.random() < 0.2 else int(rng.integers(1, 6))
                shortage = None if rng.random() < 0.2 else int(rng.integers(1, 5))
                skill_need.append((r.key, skill, importance, shortage))
        if number % 4 != 0:  # every 4th respondent skipped the training question
            for fmt in FORMATS:
                if rng.random() < 0.8:  # a format the answerer has no row for counts as unchosen
                    selected = None if rng.random() < 0.1 else bool(rng.random() < 0.4)
                    training.append((r.key, fmt, selected))
    tables = respondent_tables(respondents)
    tables["hiring_need"] = canonical(
        "hiring_need",
        [
            {"respondent_key": k, "role_code": role, "horizon": h, "headcount": n}
            for k, role, h, n in hires
        ],
    )
    tables["recruitment_difficulty"] = canonical(
        "recruitment_difficulty",
        [{"respondent_key": k, "role_code": role, "difficulty": d} for k, role, d in difficulty],
    )
    tables["skill_need"] = canonical(
        "skill_need",
        [
            {"respondent_key": k, "skill_code": s, "importance": i, "shortage": sh}
            for k, s, i, sh in skill_need
        ],
    )
    tables["training_preference"] = canonical(
        "training_preference",
        [{"respondent_key": k, "format_code": f, "selected": s} for k, f, s in training],
    )
    tables["ref_role"] = pd.DataFrame(
        {
            "role_code": list(ROLES),
            "label": [code.upper() for code in ROLES],
            "role_family": list(ROLES.values()),
            "isco_code": None,
        }
    )
    tables["ref_skill"] = skills(*SKILLS)
    tables["ref_role_skill"] = pd.DataFrame(ROLE_SKILL, columns=["role_code", "skill_code"])
    return tables


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return _tables()


@pytest.fixture(scope="module")
def warehouse(tables: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    return build(tables, PARAMS)


def _frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Respondents with sector, stratum, weight and N_h (the stratum's sum of weights)."""
    resp = tables["respondent"][["respondent_key", "org_sector"]].merge(
        tables["respondent_weight"][["respondent_key", "stratum", "weight"]], on="respondent_key"
    )
    resp["population"] = resp.groupby("stratum")["weight"].transform("sum")
    return resp.set_index("respondent_key")


def _dense_total_values(
    tables: dict[str, pd.DataFrame],
) -> Iterator[tuple[tuple[str, ...], pd.Series]]:
    """(measure, item, horizon) and y per answerer: the dense grid, zeros included."""
    hires = tables["hiring_need"].copy()
    hires["headcount"] = hires["headcount"].astype("Float64").fillna(0).astype(float)
    answerers = sorted(set(hires["respondent_key"]))
    grid = hires.pivot_table(
        index="respondent_key",
        columns=["role_code", "horizon"],
        values="headcount",
        aggfunc="sum",
        fill_value=0.0,
    ).reindex(answerers, fill_value=0.0)
    roles = sorted(set(hires["role_code"]))
    horizons = sorted(set(hires["horizon"]))

    def cell(role: str, horizon: str) -> pd.Series:
        if (role, horizon) in grid.columns:
            return grid[(role, horizon)].astype(float)
        return pd.Series(0.0, index=grid.index)

    for horizon in horizons:
        for role in roles:
            yield ("hiring", role, horizon), cell(role, horizon)
        yield ("hiring", "all", horizon), sum(cell(role, horizon) for role in roles)
    families = {r: (f if f is not None else "other") for r, f in ROLES.items()}
    for skill in SKILLS:
        pairs = [(role, s) for role, s in ROLE_SKILL if s == skill]
        zero = pd.Series(0.0, index=grid.index)
        yield ("skill_demand", skill, "5y"), sum((cell(role, "5y") for role, _ in pairs), zero)
        for family in sorted({families.get(role, "other") for role, _ in pairs}):
            in_family = [role for role, _ in pairs if families.get(role, "other") == family]
            value = sum((cell(role, "5y") for role in in_family), zero)
            yield ("skill_family_demand", f"{skill}/{family}", "5y"), value


def _total_estimate(y: pd.Series, frame: pd.DataFrame, sector: str | None) -> dict[str, float]:
    data = frame.loc[y.index].assign(y=y)
    inside = data["org_sector"] == sector if sector is not None else True
    data["z"] = np.where(inside, data["y"], 0.0)
    data["inside"] = inside
    total = variance = weighted_n = 0.0
    for _, h in data.groupby("stratum"):
        n_h, big_n = len(h), float(h["population"].iloc[0])
        weighted_n += big_n / n_h * int(h["inside"].sum())
        total += big_n / n_h * float(h["z"].sum())
        if n_h > 1:
            fpc = max(1 - n_h / big_n, 0.0)
            variance += big_n * big_n * fpc * float(h["z"].var(ddof=1)) / n_h
    chosen = data[data["inside"]]
    return {
        "n_respondents": len(chosen),
        "n_reporting": int((chosen["y"] > 0).sum()),
        "weighted_n": weighted_n,
        "total": total,
        "se": math.sqrt(variance),
    }


def test_every_total_equals_the_dense_stratified_estimate(
    warehouse: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
) -> None:
    frame = _frame(tables)
    estimates = warehouse.table("int_total_estimates").df()
    compared = 0
    for (measure, item, horizon), y in _dense_total_values(tables):
        sectors = sorted(set(frame.loc[y.index, "org_sector"]))
        cells = estimates[
            (estimates["measure"] == measure)
            & (estimates["item_code"] == item)
            & (estimates["horizon"] == horizon)
        ]
        assert sorted(cells["org_sector"]) == sorted([*sectors, "all"]), (measure, item)
        for row in cells.itertuples(index=False):
            sector = None if row.org_sector == "all" else row.org_sector
            expected = _total_estimate(y, frame, sector)
            assert row.n_respondents == expected["n_respondents"]
            assert row.n_reporting == expected["n_reporting"], (measure, item, sector)
            for column in ("weighted_n", "total", "se"):
                assert getattr(row, column) == pytest.approx(expected[column], **TOLERANCE), (
                    measure,
                    item,
                    horizon,
                    sector,
                    column,
                )
            compared += 1
    assert compared == len(estimates) > 100


def _dense_ratings(tables: dict[str, pd.DataFrame]) -> Iterator[tuple[tuple[str, str], pd.Series]]:
    """(measure, item) and the flag per rater of the item; training: answerers × formats."""
    difficulty = tables["recruitment_difficulty"].dropna(subset=["difficulty"])
    need = tables["skill_need"]
    rated = {
        "recruitment_difficulty": (difficulty, "role_code", difficulty["difficulty"] >= 3),
        "skill_shortage": (
            need.dropna(subset=["shortage"]),
            "skill_code",
            need.dropna(subset=["shortage"])["shortage"] >= 3,
        ),
        "skill_importance": (
            need.dropna(subset=["importance"]),
            "skill_code",
            need.dropna(subset=["importance"])["importance"] >= 4,
        ),
    }
    for measure, (data, column, flag) in rated.items():
        data = data.assign(flag=flag.astype(bool).to_numpy())
        for item, group in data.groupby(column):
            yield (measure, str(item)), group.set_index("respondent_key")["flag"]
        if measure != "skill_importance":
            yield (measure, "all"), data.groupby("respondent_key")["flag"].any()
    training = tables["training_preference"]
    answerers = sorted(set(training["respondent_key"]))
    chosen = training[training["selected"].fillna(False).astype(bool)]
    for fmt in sorted(set(training["format_code"])):
        picked = set(chosen.loc[chosen["format_code"] == fmt, "respondent_key"])
        yield ("training_preference", fmt), pd.Series([k in picked for k in answerers], answerers)


def _share_estimate(flag: pd.Series, frame: pd.DataFrame, sector: str | None) -> dict[str, float]:
    data = frame.loc[flag.index].assign(y=flag.astype(float))
    inside = (data["org_sector"] == sector).to_numpy() if sector is not None else True
    data["inside"] = inside
    domain = data[data["inside"]]
    big_w = float(domain["weight"].sum())
    share = float((domain["weight"] * domain["y"]).sum()) / big_w
    data["u"] = np.where(data["inside"], data["weight"] * (data["y"] - share) / big_w, 0.0)
    variance = 0.0
    for _, h in data.groupby("stratum"):
        n_h, big_n = len(h), float(h["population"].iloc[0])
        if n_h > 1:
            fpc = max(1 - n_h / big_n, 0.0)
            variance += fpc * n_h / (n_h - 1) * float(((h["u"] - h["u"].mean()) ** 2).sum())
    return {
        "n_respondents": len(domain),
        "n_flagged": int(domain["y"].sum()),
        "weighted_n": big_w,
        "weighted_flagged": float((domain["weight"] * domain["y"]).sum()),
        "n_eff": big_w * big_w / float((domain["weight"] ** 2).sum()),
        "share": share,
        "se": math.sqrt(variance),
    }


def test_every_share_equals_the_dense_linearised_estimate(
    warehouse: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
) -> None:
    frame = _frame(tables)
    estimates = warehouse.table("int_share_estimates").df()
    compared = 0
    for (measure, item), flag in _dense_ratings(tables):
        cells = estimates[(estimates["measure"] == measure) & (estimates["item_code"] == item)]
        sectors = sorted(set(frame.loc[flag.index, "org_sector"]))
        assert sorted(cells["org_sector"]) == sorted([*sectors, "all"]), (measure, item)
        for row in cells.itertuples(index=False):
            sector = None if row.org_sector == "all" else row.org_sector
            expected = _share_estimate(flag, frame, sector)
            assert row.n_respondents == expected["n_respondents"]
            assert row.n_flagged == expected["n_flagged"], (measure, item, sector)
            for column in ("weighted_n", "weighted_flagged", "n_eff", "share", "se"):
                assert getattr(row, column) == pytest.approx(expected[column], **TOLERANCE), (
                    measure,
                    item,
                    sector,
                    column,
                )
            compared += 1
    assert compared == len(estimates) > 60


def test_int_share_ratings_lists_every_rating_and_every_format_offered(
    warehouse: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
) -> None:
    stored = warehouse.table("int_share_ratings").df()
    found = {
        (r.measure, r.item_code, r.respondent_key): bool(r.flag)
        for r in stored.itertuples(index=False)
    }
    expected = {
        (measure, item, respondent): bool(value)
        for (measure, item), flag in _dense_ratings(tables)
        for respondent, value in flag.items()
    }
    assert found == expected
    assert (stored["survey_id"] == SURVEY).all() and (stored["wave"] == WAVE).all()
