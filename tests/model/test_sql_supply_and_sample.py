"""mart_demand_vs_supply, mart_sample and mart_weighting as data.

Six respondents: a1-a3 in pharma/large (N = 10), b1-b3 in sme/small (N = 20); the frame also
has an empty cell pharma/small (N = 0). Wave 2022, so the supply window is 2022-2026.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.model.warehouse_rows import (
    SURVEY,
    WAVE,
    Respondent,
    build,
    canonical,
    hiring,
    one,
    respondent_tables,
    roles,
    skills,
)
from transforms.model.stats import kish_deff, stratified_total
from transforms.model.warehouse import ModelParams
from transforms.model.weighting import post_stratify

A, B = "pharma/large", "sme/small"
WA, WB = 10 / 3, 20 / 3
RESPONDENTS = [
    Respondent("a1", "pharma", "large", A, WA),
    Respondent("a2", "pharma", "large", A, WA),
    Respondent("a3", "pharma", "large", A, WA),
    Respondent("b1", "sme", "small", B, WB),
    Respondent("b2", "sme", "small", B, WB),
    Respondent("b3", "sme", "small", B, WB),
]
HIRES = [
    ("a1", "qc", "5y", 4),
    ("a2", "qc", "5y", 2),
    ("b1", "qc", "5y", 1),
    ("b2", "qc", "5y", 0),
    ("b3", "qc", "5y", 3),
    ("a1", "gmp", "5y", 1),
    ("b1", "gmp", "5y", 2),
    ("a3", "gmp", "1y", 1),
]
FRAME = pd.DataFrame(
    {
        "survey_id": SURVEY,
        "org_sector": ["pharma", "pharma", "sme"],
        "org_size_band": ["large", "small", "small"],
        "organisations": [10, 0, 20],
    }
)
OFFERS = pd.DataFrame(
    {
        "offer_id": ["o1", "o2", "o3", "o4"],
        "provider": "P",
        "programme": "Course",
        "level": None,
        "credits": None,
        "places_per_year": [10, 5, 100, 7],
        "first_year": [2020, 2025, 2030, 2015],
        "last_year": [2023, None, 2031, 2018],
        "skills": ["gmp_skill; assay", "gmp_skill", "assay", "unused"],
        "source": None,
    }
)
PARAMS = ModelParams(min_cell=1)


def _tables() -> dict[str, pd.DataFrame]:
    tables = respondent_tables(RESPONDENTS)
    tables["hiring_need"] = hiring(HIRES)
    tables["skill_need"] = canonical(
        "skill_need",
        [
            {"respondent_key": "a1", "skill_code": "gmp_skill", "shortage": 3},
            {"respondent_key": "b1", "skill_code": "gmp_skill", "shortage": 1},
        ],
    )
    tables["ref_role"] = roles("qc", "gmp")
    tables["ref_skill"] = skills("assay", "gmp_skill", "unused")
    tables["ref_role_skill"] = pd.DataFrame(
        {"role_code": ["qc", "qc", "gmp"], "skill_code": ["assay", "gmp_skill", "gmp_skill"]}
    )
    tables["ref_training_offer"] = OFFERS
    tables["ref_population_frame"] = FRAME
    return tables


@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    return build(_tables(), PARAMS)


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
    assert gmp["supply_places_5y"] == 10 * 2 + 5 * 2  # o1 in 2022-2023, o2 (open) in 2025-2026
    assert gmp["n_offers"] == 2
    assay = one(warehouse, "mart_demand_vs_supply", skill_code="assay")
    assert assay["supply_places_5y"] == 10 * 2  # o3 starts after the horizon
    assert assay["n_offers"] == 1
    assert gmp["gap_ratio"] == pytest.approx(gmp["demand_hires_5y"] / 30)


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


def test_the_supply_window_follows_the_horizon_parameter() -> None:
    con = build(_tables(), ModelParams(min_cell=1, horizon_years=2))
    assert one(con, "mart_demand_vs_supply", skill_code="gmp_skill")["supply_places_5y"] == 20


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
    respondent = respondent_tables(RESPONDENTS)["respondent"]
    weights, summary = post_stratify(respondent, FRAME.drop(columns="survey_id"))
    assert list(weights["weight"]) == pytest.approx([r.weight for r in RESPONDENTS])
    assert list(weights["stratum"]) == [r.stratum for r in RESPONDENTS]
    row = one(warehouse, "mart_weighting")
    assert row["kish_deff"] == pytest.approx(summary["kish_deff"])
    assert row["weighting_efficiency"] == pytest.approx(summary["weighting_efficiency"])
    assert row["sum_weights"] == pytest.approx(summary["sum_weights"])
    assert row["population"] == summary["population"]
