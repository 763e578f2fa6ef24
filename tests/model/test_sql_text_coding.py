"""fct_text_code and mart_text_coding as data: given answers and the coder's codes, the base,
the counts and weighted shares per code with Wilson intervals, the uncoded row, suppression."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from tests.model.warehouse_rows import (
    SURVEY,
    TWO_STRATA,
    WA,
    WAVE,
    WB,
    build,
    canonical,
    one,
    respondent_tables,
    rows,
)
from transforms.model.params import ModelParams

# Answers to 'special': a1, a2, a3, b1, b2 wrote something; b3's answer is blank (no answer);
# x9 is no respondent of the wave (quarantined) and counts nowhere.
TEXTS = {"a1": "GMP; courses", "a2": "GMP", "a3": "courses", "b1": "gmp", "b2": "n/a"}
TEXTS_ALL = {**TEXTS, "b3": "   ", "x9": "GMP"}
# What the coder gave them: b2 nothing (uncoded); nobody got 'regulation'.
CODES = [("a1", "gmp"), ("a1", "courses"), ("a2", "gmp"), ("b1", "gmp"), ("a3", "courses")]
CODES_X9 = [*CODES, ("x9", "gmp")]
LABELS = [("gmp", "GMP access"), ("courses", "Few courses"), ("regulation", "Regulation")]


def _warehouse(min_cell: int, codes: list[tuple[str, str]] = CODES_X9) -> duckdb.DuckDBPyConnection:
    tables = respondent_tables(TWO_STRATA)
    tables["free_text"] = canonical(
        "free_text",
        [
            {"respondent_key": key, "question_id": "special", "text": text}
            for key, text in TEXTS_ALL.items()
        ],
    )
    tables["text_code"] = pd.DataFrame(
        [(SURVEY, WAVE, key, "special", code, 100.0) for key, code in codes],
        columns=["survey_id", "wave", "respondent_key", "question_id", "code", "score"],
    )
    tables["ref_text_code"] = pd.DataFrame(
        [
            (SURVEY, "special", "theme", code, label, n)
            for n, (code, label) in enumerate(LABELS, start=1)
        ],
        columns=["survey_id", "question_id", "scheme", "code", "label", "position"],
    )
    return build(tables, ModelParams(min_cell=min_cell))


def test_fct_text_code_has_each_answer_once_per_code_and_uncoded_answers_once() -> None:
    con = _warehouse(min_cell=1)
    got = sorted((r["respondent_key"], r["code"]) for r in rows(con, "fct_text_code"))
    assert got == sorted([*CODES, ("b2", "uncoded")])
    weights = {r["respondent_key"]: r["weight"] for r in rows(con, "fct_text_code")}
    assert weights["a1"] == pytest.approx(WA) and weights["b2"] == pytest.approx(WB)


def test_the_mart_gives_counts_and_weighted_shares_of_those_answering() -> None:
    con = _warehouse(min_cell=1)
    base = 3 * WA + 2 * WB  # a1, a2, a3, b1, b2
    n_eff = base**2 / (3 * WA**2 + 2 * WB**2)
    expected = {  # code: (label, n_coded, weighted share)
        "gmp": ("GMP access", 3, (2 * WA + WB) / base),
        "courses": ("Few courses", 2, 2 * WA / base),
        "uncoded": ("No code matched", 1, WB / base),
    }
    found = rows(con, "mart_text_coding")
    assert [r["code"] for r in found] == ["gmp", "courses", "uncoded"]  # scheme order, uncoded last
    for row in found:
        label, n, share = expected[str(row["code"])]
        assert (row["code_label"], row["n_coded"], row["n_answered"]) == (label, n, 5)
        assert row["share"] == pytest.approx(share)
        assert row["weighted_n"] == pytest.approx(base)
        assert row["n_eff"] == pytest.approx(n_eff)
        low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
        assert (row["ci_low"], row["ci_high"]) == (
            pytest.approx(low, abs=1e-6),
            pytest.approx(high, abs=1e-6),
        )
        assert (row["suppressed"], row["suppression"], row["scheme"]) == (False, None, "theme")


def test_codes_under_the_minimum_are_hidden_and_the_base_stays() -> None:
    con = _warehouse(min_cell=3)
    gmp = one(con, "mart_text_coding", code="gmp")
    assert (gmp["n_coded"], gmp["suppressed"], gmp["n_answered"]) == (3, False, 5)
    for code in ("courses", "uncoded"):  # 2 and 1 answers
        row = one(con, "mart_text_coding", code=code)
        assert (row["suppressed"], row["suppression"], row["n_answered"]) == (True, "primary", 5)
        for field in ("n_coded", "share", "ci_low", "ci_high", "se", "weighted_n"):
            assert row[field] is None or pd.isna(row[field]), (code, field)


def test_a_question_answered_by_fewer_than_the_minimum_is_hidden_whole() -> None:
    con = _warehouse(min_cell=6)
    for row in rows(con, "mart_text_coding"):
        assert row["suppressed"] and row["suppression"] == "primary"
        assert row["n_answered"] is None or pd.isna(row["n_answered"])


def test_when_every_answer_got_a_code_the_uncoded_row_says_zero() -> None:
    con = _warehouse(min_cell=1, codes=[*CODES, ("b2", "gmp")])
    uncoded = one(con, "mart_text_coding", code="uncoded")
    assert (uncoded["n_coded"], uncoded["share"], uncoded["suppressed"]) == (0, 0.0, False)
    assert one(con, "mart_text_coding", code="gmp")["n_coded"] == 4


def test_a_survey_without_coded_questions_has_an_empty_mart() -> None:
    tables = respondent_tables(TWO_STRATA)
    con = build(tables, ModelParams(min_cell=1))
    assert con.execute("select count(*) from mart_text_coding").fetchone() == (0,)


def test_a_lone_hidden_count_gets_a_partner_so_it_cannot_be_worked_out_from_the_base() -> None:
    # min_cell 2: uncoded (1 answer) is hidden. Were the others published, a reader who takes
    # each answer to have one code could work it out as base - gmp - courses: courses goes too
    con = _warehouse(min_cell=2)
    by_code = {r["code"]: r for r in rows(con, "mart_text_coding")}
    assert by_code["uncoded"]["suppression"] == "primary"
    assert by_code["courses"]["suppression"] == "secondary"
    assert by_code["courses"]["n_coded"] is None or pd.isna(by_code["courses"]["n_coded"])
    assert by_code["courses"]["share"] is None or pd.isna(by_code["courses"]["share"])
    assert (by_code["gmp"]["suppression"], by_code["gmp"]["n_coded"]) == (None, 3)
    assert {r["n_answered"] for r in by_code.values()} == {5}  # the base stays published


def test_two_hidden_counts_need_no_partner() -> None:
    con = _warehouse(min_cell=3)  # courses (2) and uncoded (1) hidden, gmp (3) published
    suppression = {r["code"]: r["suppression"] for r in rows(con, "mart_text_coding")}
    assert suppression == {"gmp": None, "courses": "primary", "uncoded": "primary"}
