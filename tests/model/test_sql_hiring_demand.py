"""mart_hiring_demand as data: six respondents in two strata with known weights.

Wave 2022. Stratum pharma/large: N = 10, respondents a1, a2, a3 (weight 10/3).
           Stratum sme/small:    N = 20, respondents b1, b2, b3 (weight 20/3).
5-year qc hires: a1 4, a2 2, a3 none stated (answered the 1-year grid only), b1 1, b2 0, b3 3.
Waves 2023 and 2024 hold two more scenarios in the same warehouse (waves never mix).
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from tests.model.warehouse_rows import (
    TWO_STRATA,
    TWO_STRATA_HIRES,
    A,
    B,
    Respondent,
    build,
    hiring,
    one,
    respondent_tables,
    roles,
    rows,
)
from tests.oracles import stratified_total
from transforms.model.params import ModelParams

# Wave 2023: one stratum "mixed" (N = 16) spanning two sectors.
MIXED = [
    Respondent("m1", "pharma", "large", "mixed", 4.0, wave="2023"),
    Respondent("m2", "pharma", "large", "mixed", 4.0, wave="2023"),
    Respondent("m3", "sme", "small", "mixed", 4.0, wave="2023"),
    Respondent("m4", "sme", "small", "mixed", 4.0, wave="2023"),
]
MIXED_HIRES = [
    ("m1", "qc", "5y", 3),
    ("m2", "qc", "5y", 1),
    ("m3", "qc", "5y", 5),
    ("m4", "qc", "5y", 2),
]
# Wave 2024: as 2022, but stratum B has a fourth respondent, b4, who skipped the hiring
# question: its four respondents weigh 20/4 = 5 each.
SKIPPED = [
    *[Respondent(k, "pharma", "large", A, 10 / 3, wave="2024") for k in ("a1", "a2", "a3")],
    *[Respondent(k, "sme", "small", B, 5.0, wave="2024") for k in ("b1", "b2", "b3", "b4")],
]
PARAMS = ModelParams(min_cell=1)  # nothing suppressed


def _warehouse(params: ModelParams) -> duckdb.DuckDBPyConnection:
    tables = respondent_tables([*TWO_STRATA, *MIXED, *SKIPPED])
    tables["hiring_need"] = pd.concat(
        [
            hiring(TWO_STRATA_HIRES),
            hiring(MIXED_HIRES, wave="2023"),
            hiring(TWO_STRATA_HIRES, wave="2024"),
        ]
    )
    tables["ref_role"] = roles("qc", "gmp")
    return build(tables, params)


# Built once per module (a build takes most of a second); the tests only read them.
@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    return _warehouse(PARAMS)


@pytest.fixture(scope="module")
def suppressing() -> duckdb.DuckDBPyConnection:
    return _warehouse(ModelParams(min_cell=4))


def test_the_weighted_total_is_the_sum_of_weight_times_headcount(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="all")
    assert row["total"] == pytest.approx(10 / 3 * (4 + 2 + 0) + 20 / 3 * (1 + 0 + 3))
    assert row["n_respondents"] == 6
    assert row["n_reporting"] == 4
    assert row["weighted_n"] == pytest.approx(30)
    assert row["role_label"] == "QC"


def test_the_standard_error_follows_the_stratified_formula_with_finite_population_correction(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="all")
    # Stratum A: y = 4, 2, 0 (a3 answered the hiring question, so counts as 0): s² = 4.
    # Stratum B: y = 1, 0, 3: mean 4/3, s² = (1/9 + 16/9 + 25/9) / 2 = 7/3.
    var_a = 10**2 * (1 - 3 / 10) * 4 / 3
    var_b = 20**2 * (1 - 3 / 20) * (7 / 3) / 3
    assert row["se"] == pytest.approx(math.sqrt(var_a + var_b))
    expected = stratified_total([4, 2, 0, 1, 0, 3], [A, A, A, B, B, B], {A: 10, B: 20})
    assert row["se"] == pytest.approx(expected.se)
    assert row["total"] == pytest.approx(expected.total)


def test_the_interval_is_total_plus_minus_z_se_clipped_at_zero(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="all")
    assert row["ci_high"] == pytest.approx(row["total"] + PARAMS.z * row["se"])
    assert row["ci_low"] == pytest.approx(max(0.0, row["total"] - PARAMS.z * row["se"]))
    small = one(warehouse, "mart_hiring_demand", role_code="gmp", horizon="5y", org_sector="sme")
    assert small["total"] - PARAMS.z * small["se"] < 0
    assert small["ci_low"] == 0


def test_a_sector_row_estimates_the_domain_with_zeros_outside_it(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="pharma")
    assert row["total"] == pytest.approx(10 / 3 * 6)
    assert row["se"] == pytest.approx(math.sqrt(10**2 * (1 - 3 / 10) * 4 / 3))
    assert row["n_respondents"] == 3


def test_a_stratum_spanning_two_sectors_counts_the_other_sector_as_zeros(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    where = {"role_code": "qc", "horizon": "5y", "org_sector": "pharma", "wave": "2023"}
    row = one(warehouse, "mart_hiring_demand", **where)
    expected = stratified_total([3, 1, 0, 0], ["mixed"] * 4, {"mixed": 16})
    assert row["total"] == pytest.approx(expected.total) == pytest.approx(16)
    assert row["se"] == pytest.approx(expected.se)


def test_the_grand_total_is_the_all_roles_all_sectors_row(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_hiring_demand", role_code="all", horizon="5y", org_sector="all")
    assert row["role_label"] == "All roles"
    assert row["total"] == pytest.approx(10 / 3 * (5 + 2) + 20 / 3 * (3 + 0 + 3))
    expected = stratified_total([5, 2, 0, 3, 0, 3], [A, A, A, B, B, B], {A: 10, B: 20})
    assert row["se"] == pytest.approx(expected.se)
    one_year = one(warehouse, "mart_hiring_demand", role_code="all", horizon="1y", org_sector="all")
    assert one_year["total"] == pytest.approx(10 / 3)


def test_every_role_horizon_and_sector_has_a_row_with_all_totals(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    count = warehouse.sql("select count(*) from mart_hiring_demand where wave = '2022'").fetchall()
    assert (
        count[0][0] == 3 * 2 * 3
    )  # roles qc, gmp, all × horizons 1y, 5y × sectors pharma, sme, all


def test_respondents_who_skipped_the_hiring_question_are_represented_by_their_stratum(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    where = {"role_code": "qc", "horizon": "5y", "org_sector": "sme", "wave": "2024"}
    row = one(warehouse, "mart_hiring_demand", **where)
    # b1-b3 answered and stand for the stratum's 20 organisations: 20/3 each, not 5.
    assert row["total"] == pytest.approx(20 / 3 * 4)
    assert row["n_respondents"] == 3
    assert row["weighted_n"] == pytest.approx(20)
    expected = stratified_total([1, 0, 3], [B, B, B], {B: 20})
    assert row["se"] == pytest.approx(expected.se)


def test_cells_under_the_minimum_are_suppressed_and_hide_their_small_counts(
    suppressing: duckdb.DuckDBPyConnection,
) -> None:
    sector = one(
        suppressing, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="pharma"
    )
    assert sector["suppressed"] is True
    assert sector["suppression"] == "primary"
    hidden = ("n_respondents", "n_reporting", "weighted_n", "total", "se", "ci_low", "ci_high")
    assert all(pd.isna(sector[c]) for c in hidden)  # 3 respondents: under the minimum of 4
    one_year = one(
        suppressing, "mart_hiring_demand", role_code="qc", horizon="1y", org_sector="all"
    )
    assert one_year["suppressed"] is False
    assert pd.isna(one_year["suppression"])
    assert one_year["n_respondents"] == 6


def test_a_role_total_that_would_give_a_hidden_one_away_is_hidden_too(
    suppressing: duckdb.DuckDBPyConnection,
) -> None:
    gmp = one(suppressing, "mart_hiring_demand", role_code="gmp", horizon="5y", org_sector="all")
    assert gmp["suppression"] == "primary"  # 2 contributors
    # with two roles, gmp = all roles - qc: qc's total is hidden as its partner
    qc = one(suppressing, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="all")
    assert (qc["suppressed"], qc["suppression"]) == (True, "secondary")
    assert pd.isna(qc["total"])
    everything = one(
        suppressing, "mart_hiring_demand", role_code="all", horizon="5y", org_sector="all"
    )
    assert everything["suppressed"] is False


def test_totals_with_few_contributors_are_suppressed_but_zero_totals_are_not(
    suppressing: duckdb.DuckDBPyConnection,
) -> None:
    few = one(suppressing, "mart_hiring_demand", role_code="gmp", horizon="5y", org_sector="all")
    assert few["suppressed"] is True
    assert pd.isna(few["n_reporting"])  # 2 contributors: the count is hidden with the total
    assert few["n_respondents"] == 6
    none = one(suppressing, "mart_hiring_demand", role_code="qc", horizon="1y", org_sector="all")
    assert none["n_reporting"] == 0
    assert none["suppressed"] is False
    assert none["total"] == 0


def test_a_total_is_low_precision_when_its_coefficient_of_variation_passes_the_limit() -> None:
    def row(max_cv: float) -> dict[str, object]:
        con = _warehouse(ModelParams(min_cell=1, max_cv=max_cv))
        return one(con, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="all")

    found = row(0.30)
    cv = float(str(found["cv"]))
    assert cv == pytest.approx(float(str(found["se"])) / float(str(found["total"])))
    assert row(cv - 0.01)["low_precision"] is True
    assert row(cv + 0.01)["low_precision"] is False


def test_a_zero_total_has_no_coefficient_of_variation_and_a_suppressed_one_no_flag(
    warehouse: duckdb.DuckDBPyConnection, suppressing: duckdb.DuckDBPyConnection
) -> None:
    zeros = [r for r in rows(warehouse, "mart_hiring_demand") if r["total"] == 0]
    assert zeros and all(pd.isna(r["cv"]) and r["low_precision"] is False for r in zeros)
    hidden = [r for r in rows(suppressing, "mart_hiring_demand") if r["suppressed"]]
    assert hidden and all(pd.isna(r["cv"]) and pd.isna(r["low_precision"]) for r in hidden)
