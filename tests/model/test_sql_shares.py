"""Share marts as data: recruitment difficulty, skill shortage, training preference.

Stratum pharma/large: a1, a2, a3 with weight 10/3; stratum sme/small: b1, b2, b3 with 20/3.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from tests.model.warehouse_rows import (
    SURVEY,
    TWO_STRATA,
    WA,
    WB,
    build,
    canonical,
    one,
    respondent_tables,
    roles,
    rows,
    skills,
)
from tests.oracles import kish_effective_n, weighted_share
from transforms.model.params import ModelParams

# qc difficulty: a1 4, a2 1, a3 3, b1 2, b2 3, b3 did not rate qc. gmp: a2 3 only.
DIFFICULTY = [("a1", "qc", 4), ("a2", "qc", 1), ("a3", "qc", 3), ("b1", "qc", 2), ("b2", "qc", 3)]
DIFFICULTY += [("a2", "gmp", 3)]
# gmp_skill shortage: a1 3, a2 1, b1 4, b2 2; importance: a1 5, a2 3, b1 4, b3 2 (b3: no shortage).
SKILL_NEED = [
    ("a1", "gmp_skill", 5, 3),
    ("a2", "gmp_skill", 3, 1),
    ("b1", "gmp_skill", 4, 4),
    ("b2", "gmp_skill", None, 2),
    ("b3", "gmp_skill", 2, None),
]
# Training: a1, a2, b1, b2 answered; b3 did not. Rows only for what each answerer was shown.
TRAINING = [
    ("a1", "short_course", True),
    ("a1", "e_learning", True),
    ("a2", "short_course", False),
    ("a2", "e_learning", True),
    ("b1", "short_course", True),
    ("b2", "short_course", False),
    ("b2", "e_learning", False),
]
Z = 1.959963984540054  # norm.ppf(0.975), the z statsmodels uses
PARAMS = ModelParams(z=Z, min_cell=3)  # hides the two-respondent sector cells


def _tables() -> dict[str, pd.DataFrame]:
    tables = respondent_tables(TWO_STRATA)
    tables["recruitment_difficulty"] = canonical(
        "recruitment_difficulty",
        [{"respondent_key": k, "role_code": r, "difficulty": d} for k, r, d in DIFFICULTY],
    )
    tables["skill_need"] = canonical(
        "skill_need",
        [
            {"respondent_key": k, "skill_code": s, "importance": i, "shortage": sh}
            for k, s, i, sh in SKILL_NEED
        ],
    )
    tables["training_preference"] = canonical(
        "training_preference",
        [{"respondent_key": k, "format_code": f, "selected": s} for k, f, s in TRAINING],
    )
    tables["ref_role"] = roles("qc", "gmp")
    tables["ref_skill"] = skills("gmp_skill")
    tables["ref_code"] = pd.DataFrame(
        {
            "survey_id": SURVEY,
            "code_list": "training_format",
            "code": ["short_course"],
            "label": ["Short course"],
        }
    )
    return tables


@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    return build(_tables(), PARAMS)


@pytest.fixture(scope="module")
def unsuppressed() -> duckdb.DuckDBPyConnection:
    return build(_tables(), ModelParams(z=Z, min_cell=1))


def _wilson(share: float, n_eff: float) -> tuple[float, float]:
    low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
    return float(low), float(high)


def test_difficulty_share_is_the_weighted_share_rating_three_or_four(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="all")
    weights = [WA, WA, WA, WB, WB]
    assert row["share"] == pytest.approx((WA * 2 + WB) / (3 * WA + 2 * WB)) == pytest.approx(4 / 7)
    assert row["n_respondents"] == 5
    assert row["n_difficult"] == 3
    assert row["weighted_n"] == pytest.approx(3 * WA + 2 * WB)
    assert row["n_eff"] == pytest.approx(kish_effective_n(weights))
    assert row["n_eff"] == pytest.approx((70 / 3) ** 2 / (3 * WA**2 + 2 * WB**2))


def test_difficulty_interval_is_wilson_with_the_effective_n(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="all")
    low, high = _wilson(4 / 7, float(row["n_eff"]))
    assert row["ci_low"] == pytest.approx(low)
    assert row["ci_high"] == pytest.approx(high)
    expected = weighted_share([True, False, True, False, True], [WA, WA, WA, WB, WB], Z)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((expected.ci_low, expected.ci_high))


def test_difficulty_standard_error_is_linearised_over_the_strata_with_fpc(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="all")
    # Raters: a1 1, a2 0, a3 1 in pharma/large (N 10); b1 0, b2 1 in sme/small (N 20; b3 did
    # not rate qc, so n_h = 2). tests/test_stats.py works this case by hand: 43/490.
    assert row["se"] == pytest.approx(math.sqrt(43 / 490))
    expected = weighted_share(
        [True, False, True, False, True],
        [WA, WA, WA, WB, WB],
        Z,
        strata=["A", "A", "A", "B", "B"],
        stratum_population={"A": 3 * WA, "B": 3 * WB},
    )
    assert row["se"] == pytest.approx(expected.se)


def test_difficulty_per_sector_uses_only_that_sectors_raters(
    unsuppressed: duckdb.DuckDBPyConnection,
) -> None:
    row = one(unsuppressed, "mart_recruitment_difficulty", role_code="qc", org_sector="pharma")
    assert row["share"] == pytest.approx(2 / 3)  # a1 4, a2 1, a3 3
    assert row["n_eff"] == pytest.approx(3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(_wilson(2 / 3, 3))


def test_the_any_role_row_counts_respondents_finding_at_least_one_role_difficult(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    row = one(warehouse, "mart_recruitment_difficulty", role_code="all", org_sector="all")
    # a1 (qc 4), a2 (gmp 3), a3 (qc 3), b2 (qc 3) of a1, a2, a3, b1, b2.
    assert row["n_respondents"] == 5
    assert row["n_difficult"] == 4
    assert row["share"] == pytest.approx((3 * WA + WB) / (3 * WA + 2 * WB))


def test_shortage_share_and_weighted_mean_importance(warehouse: duckdb.DuckDBPyConnection) -> None:
    row = one(warehouse, "mart_skill_shortage", skill_code="gmp_skill", org_sector="all")
    assert row["skill_label"] == "Gmp_Skill"
    assert row["n_respondents"] == 4
    assert row["n_shortage"] == 2
    assert row["share"] == pytest.approx((WA + WB) / (2 * WA + 2 * WB))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(_wilson(0.5, float(row["n_eff"])))
    # importance raters: a1 5, a2 3, b1 4, b3 2 (b2 gave no importance)
    assert row["mean_importance"] == pytest.approx((WA * 8 + WB * 6) / (2 * WA + 2 * WB))


def test_training_pct_of_cases_has_the_answerers_as_base(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    short = one(warehouse, "mart_training_preference", format_code="short_course")
    assert short["format_label"] == "Short course"
    assert short["n_base"] == 4
    assert short["n_selected"] == 2
    assert short["pct_cases"] == pytest.approx((WA + WB) / (2 * WA + 2 * WB))
    low, high = _wilson(float(short["pct_cases"]), kish_effective_n([WA, WA, WB, WB]))
    assert (short["ci_low"], short["ci_high"]) == pytest.approx((low, high))
    # b1 was not shown e-learning: still in the base, as not selecting it.
    e_learning = one(warehouse, "mart_training_preference", format_code="e_learning")
    assert e_learning["format_label"] == "e_learning"
    assert e_learning["n_base"] == 4
    assert e_learning["pct_cases"] == pytest.approx(2 * WA / (2 * WA + 2 * WB))


def test_training_pct_of_responses_adds_up_to_one(warehouse: duckdb.DuckDBPyConnection) -> None:
    found = {
        r["format_code"]: r["pct_responses"] for r in rows(warehouse, "mart_training_preference")
    }
    selections = {"short_course": WA + WB, "e_learning": 2 * WA}
    total = sum(selections.values())
    assert found == pytest.approx({code: w / total for code, w in selections.items()})


def test_share_cells_under_the_minimum_are_suppressed_with_a_partner_but_all_rows_are_not(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    sector = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="sme")
    assert (sector["suppressed"], sector["suppression"]) == (True, "primary")
    hidden = ("n_respondents", "n_difficult", "weighted_n", "n_eff", "share", "se", "ci_low")
    assert all(pd.isna(sector[c]) for c in hidden)
    # pharma alone would give sme away (all minus pharma): it is hidden as well
    partner = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="pharma")
    assert (partner["suppressed"], partner["suppression"]) == (True, "secondary")
    assert all(pd.isna(partner[c]) for c in hidden)
    overall = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="all")
    assert overall["suppressed"] is False
    assert overall["share"] == pytest.approx(4 / 7)
    skill = one(warehouse, "mart_skill_shortage", skill_code="gmp_skill", org_sector="pharma")
    assert skill["suppressed"] is True
    assert pd.isna(skill["mean_importance"])


LOOSE = {"min_n_eff": 1.0, "max_ci_width": 0.99, "max_relative_ci_width": 10.0}


def _low_precision(**thresholds: float) -> object:
    params = ModelParams(z=Z, min_cell=1, **{**LOOSE, **thresholds})
    con = build(_tables(), params)
    return one(con, "mart_recruitment_difficulty", role_code="qc", org_sector="all")[
        "low_precision"
    ]


def test_each_nchs_rule_alone_flags_a_share_as_low_precision(
    unsuppressed: duckdb.DuckDBPyConnection,
) -> None:
    row = one(unsuppressed, "mart_recruitment_difficulty", role_code="qc", org_sector="all")
    n_eff, width = float(row["n_eff"]), float(row["ci_high"] - row["ci_low"])
    relative = width / float(row["share"])
    assert row["low_precision"] is True  # the defaults: n_eff 4.5 < 30
    assert _low_precision() is False
    assert _low_precision(min_n_eff=n_eff + 0.01) is True
    assert _low_precision(max_ci_width=width - 0.01) is True
    assert _low_precision(max_ci_width=width + 0.01) is False
    assert _low_precision(max_relative_ci_width=relative - 0.01) is True
    assert (
        _low_precision(max_relative_ci_width=relative - 0.01, relative_ci_width_floor=width)
        is False
    )


def test_a_suppressed_share_has_no_precision_flag(warehouse: duckdb.DuckDBPyConnection) -> None:
    sector = one(warehouse, "mart_recruitment_difficulty", role_code="qc", org_sector="sme")
    assert sector["suppressed"] and pd.isna(sector["low_precision"])
    training = one(warehouse, "mart_training_preference", format_code="short_course")
    assert training["low_precision"] is True  # n_eff 3.6
    assert training["se"] > 0 and training["weighted_n"] == pytest.approx(2 * WA + 2 * WB)


def _answer_warehouse(min_cell: int) -> duckdb.DuckDBPyConnection:
    tables = respondent_tables(TWO_STRATA)
    # Generic single choice 'channel': a1 web, a2 web, a3 fair, b1 web, b2 fair; b3 no answer.
    answers = [("a1", "web"), ("a2", "web"), ("a3", "fair"), ("b1", "web"), ("b2", "fair")]
    tables["answer"] = canonical(
        "answer",
        [
            {
                "respondent_key": key,
                "question_id": "channel",
                "item_code": "",
                "option_code": option,
                "value": 1.0,
            }
            for key, option in answers
        ],
    )
    return build(tables, ModelParams(z=Z, min_cell=min_cell))


def test_a_generic_single_choice_share_is_the_weighted_share_of_its_answerers() -> None:
    con = _answer_warehouse(min_cell=1)
    web = one(
        con,
        "mart_answer_share",
        question_id="channel",
        option_code="web",
        dimension="org_sector",
        level="all",
    )
    flags = [True, True, False, True, False]
    expected = weighted_share(
        flags,
        [WA, WA, WA, WB, WB],
        Z,
        strata=["A", "A", "A", "B", "B"],
        stratum_population={"A": 3 * WA, "B": 3 * WB},
    )
    assert (web["n_respondents"], web["n_selected"]) == (5, 3)
    assert web["share"] == pytest.approx((2 * WA + WB) / (3 * WA + 2 * WB))
    assert web["share"] == pytest.approx(expected.share)
    assert web["se"] == pytest.approx(expected.se)
    assert (web["ci_low"], web["ci_high"]) == pytest.approx((expected.ci_low, expected.ci_high))
    fair = one(
        con,
        "mart_answer_share",
        question_id="channel",
        option_code="fair",
        dimension="org_sector",
        level="all",
    )
    assert fair["share"] == pytest.approx(1 - web["share"])  # one base for both options


def test_generic_share_cells_under_the_minimum_are_suppressed_with_a_partner() -> None:
    con = _answer_warehouse(min_cell=3)
    sme = one(
        con,
        "mart_answer_share",
        question_id="channel",
        option_code="web",
        dimension="org_sector",
        level="sme",
    )
    assert (sme["suppressed"], sme["suppression"]) == (True, "primary")
    assert pd.isna(sme["share"]) and pd.isna(sme["n_respondents"])
    pharma = one(
        con,
        "mart_answer_share",
        question_id="channel",
        option_code="web",
        dimension="org_sector",
        level="pharma",
    )
    assert (pharma["suppressed"], pharma["suppression"]) == (True, "secondary")
    assert pd.isna(pharma["share"])


def test_a_generic_share_is_estimated_by_size_band_as_by_sector() -> None:
    con = _answer_warehouse(min_cell=1)
    # In these rows pharma organisations are the large ones and SMEs the small ones.
    for sector, size in (("pharma", "large"), ("sme", "small"), ("all", "all")):
        by_sector = one(
            con, "mart_answer_share", option_code="web", dimension="org_sector", level=sector
        )
        by_size = one(
            con, "mart_answer_share", option_code="web", dimension="org_size_band", level=size
        )
        assert by_size["share"] == pytest.approx(by_sector["share"])
        assert by_size["se"] == pytest.approx(by_sector["se"])
        assert by_size["n_respondents"] == by_sector["n_respondents"]
    regions = rows(con, "mart_answer_share", option_code="web", dimension="region")
    assert [r["level"] for r in regions] == ["all"]  # the rows have no region: only the total
