"""The SQL marts against independent implementations and a published worked example.

References:
- svy 0.35 (design-based Taylor linearisation): a stratified design with the post-strata as
  strata, the finite population correction from N_h, and svy's own domain estimation (``by=``)
  for sectors. Totals of hires and their standard errors must agree with mart_hiring_demand to
  rel 1e-9: the formulas are the same (Σ_h N_h² (1 - n_h/N_h) s_h² / n_h, zeros outside the
  domain), only the code differs. svy's ``Singleton("skip")`` is our rule for a stratum with a
  single respondent (no variance). svy's interval is t-based with n - H degrees of freedom;
  built with that quantile as ``$z``, the marts' interval must equal svy's (rel 1e-9).
- Shares: the point estimate must equal svy's weighted proportion, and the standard error
  svy's Taylor-linearised one (the same stratified design with FPC, sectors as domains), to
  rel 1e-9: for every role, skill and training format and the 'all' items, in a
  post-stratified wave with a one-respondent stratum (2022) and an equal-weight wave (2023);
  and in an unweighted wave (no FPC, one stratum that the sector domains cut across) against
  svy without a population size.
- statsmodels ``proportion_confint(method="wilson")`` with count = p·n_eff and nobs = n_eff:
  every published share interval (rel 1e-9, abs 1e-12).
- Raking (wave 2024): the marts use the frame cells as strata with N_h = the cell's sum of
  raked weights. svy rakes the same respondents itself, on a design with those strata and
  that FPC, and credits the raking in its variance (residuals from the margins); totals and
  standard errors must agree to rel 1e-9. They are one estimator: every respondent of a cell
  has the same margin levels, so the residuals differ from y by a constant within a stratum
  and crediting the raking leaves the stratified variance unchanged.
- Lohr, Sampling: Design and Analysis (2nd ed., 2019), chapter 3, the stratified sample of
  counties from the 1992 US Census of Agriculture (agstrat.csv, acres92 by region): stratum
  summaries NC N=1054 n=103 ȳ=300,504.16 s=172,099.34; NE 220, 21, 97,629.81, 87,449.83;
  S 1382, 135, 211,315.04, 231,489.71; W 422, 41, 662,295.51, 629,433.04; published
  t̂_str = 909,736,035 acres, SE 50,417,248. Values with exactly those means (and the standard
  deviations to 1e-8), in hundredths of an acre so that headcounts stay integers, go through
  mart_hiring_demand; tolerance rel 1e-6 (the published figures come from the raw data, the
  summaries above are rounded to 0.01 acre: the residual is about 1e-8).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import duckdb
import pandas as pd
import polars as pl
import pytest
import svy
from scipy.stats import t as student_t
from statsmodels.stats.proportion import proportion_confint

from tests.model.reference_rows import (
    CELLS,
    DIFFICULTY,
    EQUAL,
    FRAME,
    HIRES,
    KEYS,
    NORMAL,
    SHORTAGE,
    TRAINING,
    WEIGHTS,
    equal_flags,
    reference_tables,
    respondents,
)
from tests.model.warehouse_rows import (
    Respondent,
    build,
    canonical,
    hiring,
    one,
    respondent_tables,
    roles,
    rows,
)
from transforms.model.params import ModelParams

EXACT = {"rel": 1e-9, "abs": 1e-12}


def _design(data: pl.DataFrame, weight: str) -> svy.Sample:
    return svy.Sample(
        data, svy.Design(stratum="stratum", wgt=weight, pop_size="N_h", singleton="skip")
    )


def _answerers() -> pl.DataFrame:
    """Wave 2022's answerers of the hiring question, with N_h and weight N_h / n_h (answerers)."""
    weights = WEIGHTS["2022"].merge(respondents(CELLS, "2022"), on=[*KEYS])
    weights["N_h"] = weights.groupby("stratum")["weight"].transform("sum")
    answered = weights[weights["respondent_key"].isin({k for k, *_ in HIRES})].copy()
    answered["w"] = answered["N_h"] / answered.groupby("stratum")["stratum"].transform("size")
    return pl.from_pandas(
        answered[["respondent_key", "org_sector", "stratum", "N_h", "w"]].astype(
            {"respondent_key": str, "org_sector": str, "stratum": str}
        )
    )


def _hires(data: pl.DataFrame, role: str, horizon: str) -> pl.DataFrame:
    """``data`` with y = the respondent's hires for the role ('all': every role) and horizon."""
    y = {
        key: float(
            sum(n for k, r, h, n in HIRES if k == key and h == horizon and role in (r, "all"))
        )
        for key in data["respondent_key"]
    }
    return data.with_columns(pl.col("respondent_key").replace_strict(y).alias("y"))


def _svy_totals(data: pl.DataFrame) -> dict[str, dict[str, float]]:
    """svy's total of y overall ('all') and per sector: est, se, lci, uci, df."""
    sample = _design(data, "w")
    found = {"all": sample.estimation.total("y").to_polars().row(0, named=True)}
    for row in sample.estimation.total("y", by="org_sector").to_polars().iter_rows(named=True):
        found[row["org_sector"]] = row
    return found


CASES = [(role, horizon) for role in ("qc", "gmp", "all") for horizon in ("1y", "5y")]


@pytest.mark.parametrize(("role", "horizon"), CASES)
def test_hiring_totals_and_standard_errors_equal_svys_stratified_estimates(
    reference_warehouse: duckdb.DuckDBPyConnection, role: str, horizon: str
) -> None:
    expected = _svy_totals(_hires(_answerers(), role, horizon))
    for sector, reference in expected.items():
        row = one(
            reference_warehouse,
            "mart_hiring_demand",
            role_code=role,
            horizon=horizon,
            org_sector=sector,
        )
        assert row["total"] == pytest.approx(reference["est"], **EXACT), sector
        assert row["se"] == pytest.approx(reference["se"], **EXACT), sector


def test_the_total_interval_equals_svys_when_built_with_its_t_quantile() -> None:
    reference = _svy_totals(_hires(_answerers(), "all", "5y"))["all"]
    assert reference["df"] == 15 - 4  # answerers minus strata
    z = float(student_t.ppf(0.975, reference["df"]))
    row = one(
        build(reference_tables(), ModelParams(z=z, min_cell=1)),
        "mart_hiring_demand",
        role_code="all",
        horizon="5y",
        org_sector="all",
    )
    assert reference["lci"] > 0  # else the mart clips it at 0
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (reference["lci"], reference["uci"]), **EXACT
    )


def _raters(wave: str, flags: dict[str, bool]) -> pl.DataFrame:
    weights = WEIGHTS[wave].merge(
        respondents(CELLS if wave != "2023" else EQUAL, wave),
        on=[*KEYS],
    )
    weights["N_h"] = weights.groupby("stratum")["weight"].transform("sum")
    rated = weights[weights["respondent_key"].isin(set(flags))].copy()
    rated["flag"] = rated["respondent_key"].map(flags).astype(bool)
    return pl.from_pandas(
        rated[["respondent_key", "org_sector", "stratum", "N_h", "weight", "flag"]].astype(
            {"respondent_key": str, "org_sector": str, "stratum": str}
        )
    )


def _svy_shares(data: pl.DataFrame) -> dict[str, dict[str, float]]:
    """svy's proportion flagged overall ('all') and per sector."""
    sample = _design(data, "weight")
    overall = sample.estimation.prop("flag").to_polars().filter(pl.col("flag"))
    found = {"all": overall.row(0, named=True)}
    by_sector = sample.estimation.prop("flag", by="org_sector").to_polars()
    for row in by_sector.filter(pl.col("flag")).iter_rows(named=True):
        found[row["org_sector"]] = row
    return found


@pytest.mark.parametrize("role", ["qc", "gmp"])
def test_difficulty_shares_equal_svys_weighted_proportions(
    reference_warehouse: duckdb.DuckDBPyConnection, role: str
) -> None:
    flags = {k: d[role] >= 3 for k, d in DIFFICULTY.items() if role in d}
    for sector, reference in _svy_shares(_raters("2022", flags)).items():
        row = one(
            reference_warehouse, "mart_recruitment_difficulty", role_code=role, org_sector=sector
        )
        assert row["share"] == pytest.approx(reference["est"], **EXACT), sector


def test_shortage_shares_equal_svys_weighted_proportions(
    reference_warehouse: duckdb.DuckDBPyConnection,
) -> None:
    flags = {k: v >= 3 for k, v in SHORTAGE.items()}
    for sector, reference in _svy_shares(_raters("2022", flags)).items():
        row = one(reference_warehouse, "mart_skill_shortage", skill_code="assay", org_sector=sector)
        assert row["share"] == pytest.approx(reference["est"], **EXACT), sector


def _rated_flags(wave: str) -> dict[str, dict[str, dict[str, bool]]]:
    """mart -> item -> {respondent: flag}: every share the marts publish for a wave."""
    if wave == "2023":
        return {"mart_recruitment_difficulty": {"qc": equal_flags(), "all": equal_flags()}}
    difficulty = {
        role: {k: d[role] >= 3 for k, d in DIFFICULTY.items() if role in d}
        for role in ("qc", "gmp")
    }
    difficulty["all"] = {k: max(d.values()) >= 3 for k, d in DIFFICULTY.items()}
    shortage = {k: v >= 3 for k, v in SHORTAGE.items()}
    training = {
        f: {k: f in chosen for k, chosen in TRAINING.items()}
        for f in ("short_course", "e_learning")
    }
    return {
        "mart_recruitment_difficulty": difficulty,
        "mart_skill_shortage": {"assay": shortage, "all": shortage},
        "mart_training_preference": training,
    }


ITEM_COLUMN = {
    "mart_recruitment_difficulty": "role_code",
    "mart_skill_shortage": "skill_code",
    "mart_training_preference": "format_code",
}


@pytest.mark.parametrize("wave", ["2022", "2023"])
def test_share_standard_errors_equal_svys_taylor_linearisation(
    reference_warehouse: duckdb.DuckDBPyConnection, wave: str
) -> None:
    checked = 0
    for mart, items in _rated_flags(wave).items():
        for item, flags in items.items():
            for sector, reference in _svy_shares(_raters(wave, flags)).items():
                if mart == "mart_training_preference" and sector != "all":
                    continue  # the training mart has the all-sector rows only
                where = {"wave": wave, ITEM_COLUMN[mart]: item}
                if mart != "mart_training_preference":
                    where["org_sector"] = sector
                row = one(reference_warehouse, mart, **where)
                share = row["pct_cases" if mart == "mart_training_preference" else "share"]
                assert share == pytest.approx(reference["est"], **EXACT), (mart, item, sector)
                assert row["se"] == pytest.approx(reference["se"], **EXACT), (mart, item, sector)
                checked += 1
    assert checked == {"2022": 3 * 3 + 2 * 3 + 2, "2023": 2 * 3}[wave]


UNWEIGHTED = {  # respondent: (sector, rated qc difficult); one stratum 'all', weight 1
    "u1": ("a", True),
    "u2": ("a", False),
    "u3": ("a", True),
    "u4": ("b", False),
    "u5": ("b", False),
    "u6": ("b", True),
    "u7": ("c", True),
    "u8": ("c", True),
    "u9": ("c", False),
    "u10": ("a", False),
}


def test_unweighted_share_errors_equal_svys_without_a_population_size() -> None:
    people = [Respondent(k, sector, "x", "all", 1.0) for k, (sector, _) in UNWEIGHTED.items()]
    tables = respondent_tables(people)
    tables["weighting_summary"] = pd.DataFrame(
        {"survey_id": ["demo"], "wave": ["2022"], "method": ["none"], "iterations": [None]}
    )
    tables["recruitment_difficulty"] = canonical(
        "recruitment_difficulty",
        [
            {"respondent_key": k, "role_code": "qc", "difficulty": 4 if hard else 1}
            for k, (_, hard) in UNWEIGHTED.items()
        ],
    )
    tables["ref_role"] = roles("qc")
    con = build(tables, NORMAL)
    data = pl.DataFrame(
        {
            "stratum": ["all"] * len(UNWEIGHTED),
            "org_sector": [sector for sector, _ in UNWEIGHTED.values()],
            "weight": [1.0] * len(UNWEIGHTED),
            "flag": [hard for _, hard in UNWEIGHTED.values()],
        }
    )
    sample = svy.Sample(data, svy.Design(stratum="stratum", wgt="weight"))
    expected = {
        "all": sample.estimation.prop("flag").to_polars().filter(pl.col("flag")).row(0, named=True)
    }
    by_sector = sample.estimation.prop("flag", by="org_sector").to_polars().filter(pl.col("flag"))
    expected |= {row["org_sector"]: row for row in by_sector.iter_rows(named=True)}
    assert set(expected) == {"all", "a", "b", "c"}
    for sector, reference in expected.items():
        row = one(con, "mart_recruitment_difficulty", role_code="qc", org_sector=sector)
        assert row["share"] == pytest.approx(reference["est"], **EXACT), sector
        assert row["se"] == pytest.approx(reference["se"], **EXACT), sector


def _share_rows(con: duckdb.DuckDBPyConnection) -> Iterable[tuple[str, dict[str, object]]]:
    for mart, share in (
        ("mart_recruitment_difficulty", "share"),
        ("mart_skill_shortage", "share"),
        ("mart_training_preference", "pct_cases"),
    ):
        for row in rows(con, mart, wave="2022"):
            yield f"{mart} {row}", {**row, "share": row[share]}


def test_every_share_interval_is_statsmodels_wilson_with_the_kish_effective_n(
    reference_warehouse: duckdb.DuckDBPyConnection,
) -> None:
    checked = 0
    for name, row in _share_rows(reference_warehouse):
        share = float(str(row["share"]))
        n_eff = float(str(row["n_eff"]))
        low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), **EXACT), name
        checked += 1
    assert checked == 3 * 3 + 2 * 3 + 2  # (qc, gmp, all) and (assay, all) × 3 sectors; 2 formats


def _svy_raked(role: str, horizon: str) -> tuple[svy.Sample, list[float]]:
    """svy rakes wave 2024 itself, on a design with the cells as strata and N_h for the FPC."""
    people = WEIGHTS["2024"].merge(respondents(CELLS, "2024"), on=[*KEYS])
    cell_sizes = people.groupby("stratum")["weight"].transform("sum")  # N_h: raked cell sizes
    data = _hires(
        pl.DataFrame(
            {
                "respondent_key": people["respondent_key"].astype(str),
                "org_sector": people["org_sector"].astype(str),
                "org_size_band": people["org_size_band"].astype(str),
                "stratum": people["stratum"].astype(str),
                "N_h": cell_sizes.astype(float),
                "start": 1.0,
            }
        ),
        role,
        horizon,
    )
    margins = {
        c: {str(k): float(v) for k, v in FRAME.groupby(c)["organisations"].sum().items()}
        for c in ("org_sector", "org_size_band")
    }
    raked = _design(data, "start").weighting.rake(controls=margins, tol=1e-12, max_iter=1000)
    return raked, people["weight"].to_list()


def test_raked_totals_and_errors_equal_svys_raking_with_the_cells_as_strata(
    reference_warehouse: duckdb.DuckDBPyConnection,
) -> None:
    raked, ours = _svy_raked("all", "5y")
    assert raked.data["rk_wgt"].to_list() == pytest.approx(ours, **EXACT)
    found = {"all": raked.estimation.total("y").to_polars().row(0, named=True)}
    for row in raked.estimation.total("y", by="org_sector").to_polars().iter_rows(named=True):
        found[row["org_sector"]] = row
    for sector, reference in found.items():
        row = one(
            reference_warehouse,
            "mart_hiring_demand",
            wave="2024",
            role_code="all",
            horizon="5y",
            org_sector=sector,
        )
        assert row["total"] == pytest.approx(reference["est"], **EXACT), sector
        assert row["se"] == pytest.approx(reference["se"], **EXACT), sector


# ---------------------------------------------------------------- Lohr, chapter 3 (agstrat)
LOHR = {  # region: (N_h, n_h, mean acres92, standard deviation)
    "NC": (1054, 103, 300_504.16, 172_099.34),
    "NE": (220, 21, 97_629.81, 87_449.83),
    "S": (1382, 135, 211_315.04, 231_489.71),
    "W": (422, 41, 662_295.51, 629_433.04),
}
LOHR_TOTAL, LOHR_SE = 909_736_035, 50_417_248
CENTI = 100  # hundredths of an acre: integer headcounts


def _lohr_values(n: int, mean: float, sd: float) -> list[int]:
    """n integers (hundredths of an acre) with this mean exactly and this sd to about 1e-8.

    n - 1 values at a, one at b: mean = ((n-1)a + b)/n, sd = (b - a)/sqrt(n).
    """
    low = round(mean * CENTI - sd * CENTI / math.sqrt(n))
    return [low] * (n - 1) + [round(mean * CENTI * n) - low * (n - 1)]


@pytest.fixture(scope="module")
def lohr() -> duckdb.DuckDBPyConnection:
    people = [
        Respondent(f"{region}{i}", region, "county", region, N / n)
        for region, (N, n, _, _) in LOHR.items()
        for i in range(n)
    ]
    values = [
        (f"{region}{i}", "acres", "5y", y)
        for region, (_, n, mean, sd) in LOHR.items()
        for i, y in enumerate(_lohr_values(n, mean, sd))
    ]
    return build({**respondent_tables(people), "hiring_need": hiring(values)}, NORMAL)


def test_the_stratified_total_reproduces_lohrs_agstrat_example(
    lohr: duckdb.DuckDBPyConnection,
) -> None:
    row = one(lohr, "mart_hiring_demand", role_code="acres", horizon="5y", org_sector="all")
    assert row["n_respondents"] == 300
    assert row["total"] / CENTI == pytest.approx(LOHR_TOTAL, rel=1e-6)
    assert row["se"] / CENTI == pytest.approx(LOHR_SE, rel=1e-6)
    z = NORMAL.z
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (row["total"] - z * row["se"], row["total"] + z * row["se"]), **EXACT
    )


def test_svy_reproduces_lohrs_agstrat_example_from_the_same_values() -> None:
    data = pl.DataFrame(
        [
            {"stratum": region, "N_h": float(N), "w": N / n, "y": y / CENTI}
            for region, (N, n, mean, sd) in LOHR.items()
            for y in _lohr_values(n, mean, sd)
        ]
    )
    reference = _design(data, "w").estimation.total("y").to_polars().row(0, named=True)
    assert reference["est"] == pytest.approx(LOHR_TOTAL, rel=1e-6)
    assert reference["se"] == pytest.approx(LOHR_SE, rel=1e-6)


def test_generic_means_and_standard_errors_equal_svys_stratified_mean() -> None:
    from tests.model.warehouse_rows import TWO_STRATA, build, canonical, one, respondent_tables
    from transforms.model.params import ModelParams

    scores = {"a1": 4.0, "a2": 2.0, "a3": 5.0, "b1": 1.0, "b2": 3.0}  # b3 did not answer
    tables = respondent_tables(TWO_STRATA)
    tables["answer"] = canonical(
        "answer",
        [
            {
                "respondent_key": k,
                "question_id": "staff",
                "item_code": "phd",
                "option_code": "",
                "value": v,
            }
            for k, v in scores.items()
        ],
    )
    con = build(tables, ModelParams(min_cell=1))
    by_key = {r.key: r for r in TWO_STRATA}
    data = pl.DataFrame(
        {
            "y": list(scores.values()),
            "w": [by_key[k].weight for k in scores],
            "stratum": [by_key[k].stratum for k in scores],
            "org_sector": [by_key[k].sector for k in scores],
            "N_h": [3 * by_key[k].weight for k in scores],  # each post-stratum has 3 respondents
        }
    )
    reference = _design(data, "w").estimation.mean("y").to_polars().row(0, named=True)
    row = one(
        con,
        "mart_answer_mean",
        question_id="staff",
        item_code="phd",
        dimension="org_sector",
        level="all",
    )
    assert row["n_respondents"] == 5
    assert row["mean"] == pytest.approx(reference["est"], **EXACT)
    assert row["se"] == pytest.approx(reference["se"], **EXACT)
