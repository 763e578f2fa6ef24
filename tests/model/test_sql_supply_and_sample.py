"""mart_demand_vs_supply, mart_sample and mart_weighting as data.

Six respondents: a1-a3 in pharma/large (N = 10), b1-b3 in sme/small (N = 20); the frame also
has an empty cell pharma/small (N = 0). Wave 2022, so the supply window is 2022-2026.
The rows are built in tests/model/supply_rows.py.
"""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

from tests.model.supply_rows import FRAME, PARAMS, supply_tables
from tests.model.warehouse_rows import (
    TWO_STRATA,
    WA,
    WAVE,
    WB,
    A,
    B,
    build,
    one,
    respondent_tables,
)
from tests.oracles import stratified_total
from transforms.model.params import ModelParams
from transforms.model.weighting import kish_deff, post_stratify


@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    return build(supply_tables(), PARAMS)


def test_skill_demand_sums_the_hires_of_every_role_needing_the_skill(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_demand_vs_supply", skill_code="gmp_skill")
    # 5-year hires in qc + gmp: a1 5, a2 2, a3 0, b1 3, b2 0, b3 3
    expected = stratified_total([5, 2, 0, 3, 0, 3], [A, A, A, B, B, B], {A: 10, B: 20})
    assert row["demand_hires_5y"] == pytest.approx(expected.total) == pytest.approx(WA * 7 + WB * 6)
    assert row["demand_se"] == pytest.approx(expected.se)
    low, high = expected.ci(PARAMS.z)
    assert (row["demand_ci_low"], row["demand_ci_high"]) == pytest.approx((low, high))
    assert row["n_respondents"] == 6
    assert row["n_reporting"] == 4


def test_supply_counts_places_in_the_years_each_offer_runs_within_the_horizon(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    gmp = one(warehouse, "mart_demand_vs_supply", skill_code="gmp_skill")
    # o1 in 2022-2023 (half its places: it also covers assay), o2 (open) in 2025-2026
    assert gmp["supply_places_5y"] == 10 * 2 / 2 + 5 * 2
    assert gmp["n_offers"] == 2
    assay = one(warehouse, "mart_demand_vs_supply", skill_code="assay")
    assert assay["supply_places_5y"] == 10 * 2 / 2  # o3 starts after the horizon
    assert assay["n_offers"] == 1
    assert gmp["gap_ratio"] == pytest.approx(gmp["demand_hires_5y"] / 20)


def test_a_programme_covering_three_skills_supplies_its_places_once_in_all(
    supply_tables: dict[str, pd.DataFrame],
) -> None:
    offers = supply_tables["ref_training_offer"].iloc[:1].copy()
    offers[["offer_id", "places_per_year", "first_year", "last_year", "skills"]] = [
        "o9",
        30,
        2022,
        2026,
        "gmp_skill; assay;unused",
    ]
    con = build({**supply_tables, "ref_training_offer": offers}, PARAMS)
    places = {
        skill: one(con, "mart_demand_vs_supply", skill_code=skill)["supply_places_5y"]
        for skill in ("gmp_skill", "assay", "unused")
    }
    assert places == pytest.approx({"gmp_skill": 50.0, "assay": 50.0, "unused": 50.0})
    assert sum(places.values()) == pytest.approx(30 * 5)  # not 3 × 150
    shares = con.execute("select sum(place_share) from stg_training_offer_skill").fetchone()
    assert shares == (pytest.approx(1.0),)


def test_illustrative_offers_are_listed_but_counted_only_when_the_run_asks(
    supply_tables: dict[str, pd.DataFrame],
) -> None:
    offers = supply_tables["ref_training_offer"].copy()
    offers.loc[offers["offer_id"] == "o2", "illustrative"] = True  # 5 places a year of gmp_skill
    tables = {**supply_tables, "ref_training_offer": offers}
    default = build(tables, PARAMS)
    assert one(default, "mart_demand_vs_supply", skill_code="gmp_skill")["supply_places_5y"] == 10
    assert one(default, "mart_demand_vs_supply", skill_code="gmp_skill")["n_offers"] == 1
    listed = one(default, "mart_training_offer", offer_id="o2")
    assert (listed["illustrative"], listed["in_supply"], listed["status"]) == (
        True,
        False,
        "planned",  # starts 2025, after the wave year
    )
    opted = build(tables, dataclasses.replace(PARAMS, include_illustrative_offers=True))
    assert one(opted, "mart_demand_vs_supply", skill_code="gmp_skill")["supply_places_5y"] == 20
    assert bool(one(opted, "mart_training_offer", offer_id="o2")["in_supply"])


def test_the_offer_mart_gives_each_offer_its_status_in_the_wave_year_and_its_skills(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    found = {
        offer: one(warehouse, "mart_training_offer", offer_id=offer)
        for offer in ("o1", "o2", "o3", "o4")
    }  # wave 2022
    assert {offer: row["status"] for offer, row in found.items()} == {
        "o1": "running",  # 2020-2023
        "o2": "planned",  # from 2025
        "o3": "planned",  # 2030-2031
        "o4": "ended",  # 2015-2018
    }
    assert (found["o1"]["n_skills"], found["o1"]["skills_covered"]) == (2, "Assay; Gmp_Skill")
    assert all(row["in_supply"] and not row["illustrative"] for row in found.values())


def test_a_skill_without_supply_has_no_gap_ratio(warehouse: duckdb.DuckDBPyConnection) -> None:
    unused = one(warehouse, "mart_demand_vs_supply", skill_code="unused")
    assert unused["supply_places_5y"] == 0
    assert unused["demand_hires_5y"] == 0
    assert pd.isna(unused["gap_ratio"])


def test_the_shortage_share_comes_from_the_all_sectors_shortage_row(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_demand_vs_supply", skill_code="gmp_skill")
    shortage = one(warehouse, "mart_skill_shortage", skill_code="gmp_skill", org_sector="all")
    assert row["shortage_share"] == pytest.approx(shortage["share"]) == pytest.approx(1 / 3)
    assert pd.isna(one(warehouse, "mart_demand_vs_supply", skill_code="assay")["shortage_share"])


def test_the_supply_window_follows_the_horizon_parameter(
    supply_tables: dict[str, pd.DataFrame],
) -> None:
    con = build(supply_tables, ModelParams(min_cell=1, horizon_years=2))
    # 2022-2023: o1's half (10 a year, shared with assay); o2 starts in 2025
    assert one(con, "mart_demand_vs_supply", skill_code="gmp_skill")["supply_places_5y"] == 10


def test_the_sample_mart_sets_respondents_against_every_frame_cell(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    cell = one(warehouse, "mart_sample", org_sector="pharma", org_size_band="large")
    assert (cell["population"], cell["n_respondents"]) == (10, 3)
    assert cell["response_rate"] == pytest.approx(0.3)
    assert cell["weight"] == pytest.approx(WA)
    assert cell["stratum"] == A
    empty = one(warehouse, "mart_sample", org_sector="pharma", org_size_band="small")
    assert (empty["population"], empty["n_respondents"]) == (0, 0)
    assert pd.isna(empty["response_rate"]) and pd.isna(empty["weight"])
    total = one(warehouse, "mart_sample", org_sector="all", org_size_band="all")
    assert (total["population"], total["n_respondents"]) == (30, 6)
    assert total["weight"] == pytest.approx(5.0)
    sector = one(warehouse, "mart_sample", org_sector="sme", org_size_band="all")
    assert sector["response_rate"] == pytest.approx(3 / 20)


def test_the_weighting_mart_reports_kish_design_effect_and_efficiency(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_weighting", wave=WAVE)
    deff = 6 * (3 * WA**2 + 3 * WB**2) / 30**2
    assert (row["n_respondents"], row["population"], row["n_strata"]) == (6, 30, 2)
    assert row["sum_weights"] == pytest.approx(30)
    assert row["kish_deff"] == pytest.approx(deff) == pytest.approx(kish_deff([WA] * 3 + [WB] * 3))
    assert row["weighting_efficiency"] == pytest.approx(1 / deff)


def test_post_stratification_gives_these_weights_and_the_same_diagnostics(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    respondent = respondent_tables(TWO_STRATA)["respondent"]
    weights, summary = post_stratify(respondent, FRAME.drop(columns="survey_id"))
    assert list(weights["weight"]) == pytest.approx([r.weight for r in TWO_STRATA])
    assert list(weights["stratum"]) == [r.stratum for r in TWO_STRATA]
    row = one(warehouse, "mart_weighting")
    assert row["kish_deff"] == pytest.approx(summary["kish_deff"])
    assert row["weighting_efficiency"] == pytest.approx(summary["weighting_efficiency"])
    assert row["sum_weights"] == pytest.approx(summary["sum_weights"])
    assert row["population"] == summary["population"]
