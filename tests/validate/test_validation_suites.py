"""Validation suites: good rows are curated, each crafted bad row is quarantined with its reason."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from tests.validate.validation_frames import CODES, frame, good_frame
from transforms.core.canonical import TABLES
from transforms.validate.outcome import ValidationOutcome
from transforms.validate.run import validate_table
from transforms.validate.suites import CHECK, LEVEL, REASON, ROW_LEVEL, TABLE_LEVEL, build_suite

IN_SET = "(expect_column_values_to_be_in_set)"
NOT_NULL = "(expect_column_values_to_not_be_null)"
BETWEEN = "(expect_column_values_to_be_between)"

# (table, case id, overrides of a good row, the one reason that row must get)
BAD_ROWS: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "respondent",
        "unknown sector",
        {"org_sector": "pharma_big"},
        f"org_sector 'pharma_big' is not an allowed code {IN_SET}",
    ),
    (
        "respondent",
        "missing size band",
        {"org_size_band": None},
        f"org_size_band is missing {NOT_NULL}",
    ),
    (
        "respondent",
        "unknown region",
        {"region": "mars"},
        f"region 'mars' is not an allowed code {IN_SET}",
    ),
    (
        "respondent",
        "preview",
        {"platform_status": "preview"},
        f"platform_status 'preview' is not a real answer (normal, imported, offline) {IN_SET}",
    ),
    (
        "respondent",
        "spam",
        {"platform_status": "spam"},
        f"platform_status 'spam' is not a real answer (normal, imported, offline) {IN_SET}",
    ),
    (
        "respondent",
        "missing key",
        {"respondent_key": None},
        f"respondent_key is missing {NOT_NULL}",
    ),
    ("respondent", "row zero", {"source_row": 0}, f"source_row 0 is not a row number {BETWEEN}"),
    (
        "hiring_need",
        "headcount too big",
        {"headcount": 20_000},
        f"headcount 20000 is outside 0..10000 {BETWEEN}",
    ),
    (
        "hiring_need",
        "negative headcount",
        {"headcount": -1},
        f"headcount -1 is outside 0..10000 {BETWEEN}",
    ),
    ("hiring_need", "missing headcount", {"headcount": None}, f"headcount is missing {NOT_NULL}"),
    (
        "hiring_need",
        "unknown horizon",
        {"horizon": "3y"},
        f"horizon '3y' is not an allowed horizon {IN_SET}",
    ),
    (
        "hiring_need",
        "unknown role",
        {"role_code": "astronaut"},
        f"role_code 'astronaut' is not an allowed code {IN_SET}",
    ),
    ("hiring_need", "missing wave", {"wave": None}, f"wave is missing {NOT_NULL}"),
    (
        "recruitment_difficulty",
        "difficulty 5",
        {"difficulty": 5},
        f"difficulty 5 is outside 1..4 {BETWEEN}",
    ),
    (
        "recruitment_difficulty",
        "missing role",
        {"role_code": None},
        f"role_code is missing {NOT_NULL}",
    ),
    ("skill_need", "importance 6", {"importance": 6}, f"importance 6 is outside 1..5 {BETWEEN}"),
    ("skill_need", "shortage 0", {"shortage": 0}, f"shortage 0 is outside 1..4 {BETWEEN}"),
    (
        "skill_need",
        "neither rating",
        {"importance": None, "shortage": None},
        f"importance and shortage are both missing {NOT_NULL}",
    ),
    (
        "skill_need",
        "unknown skill",
        {"skill_code": "juggling"},
        f"skill_code 'juggling' is not an allowed code {IN_SET}",
    ),
    (
        "training_preference",
        "unknown format",
        {"format_code": "retreat"},
        f"format_code 'retreat' is not an allowed code {IN_SET}",
    ),
    (
        "training_preference",
        "missing selection",
        {"selected": None},
        f"selected is missing {NOT_NULL}",
    ),
    (
        "free_text",
        "blank text",
        {"text": "   "},
        "text '   ' is blank (expect_column_values_to_match_regex)",
    ),
    ("free_text", "missing text", {"text": None}, f"text is missing {NOT_NULL}"),
    ("answer", "missing option", {"option_code": None}, f"option_code is missing {NOT_NULL}"),
    (
        "free_text",
        "missing source file",
        {"source_file": None},
        f"source_file is missing {NOT_NULL}",
    ),
]


def _bad_row(index: int, overrides: dict[str, Any]) -> dict[str, Any]:
    """A row with its own respondent (so natural keys never collide) and source row."""
    return {"respondent_key": f"bad{index}", "source_row": 100 + index, **overrides}


@pytest.fixture(scope="module")
def bad_outcomes() -> dict[str, ValidationOutcome]:
    """Each table validated once: a good row first, then every crafted bad row of that table."""
    outcomes = {}
    for table in TABLES:
        rows = [_bad_row(i, o) for i, (t, _, o, _) in enumerate(BAD_ROWS) if t == table]
        outcomes[table] = validate_table(table, frame(table, {}, *rows), CODES)
    return outcomes


def test_every_table_has_a_suite_with_table_level_and_row_level_expectations() -> None:
    for table in TABLES:
        suite = build_suite(table, CODES)
        levels = {e.meta[LEVEL] for e in suite.expectations}
        checks = [e.meta[CHECK] for e in suite.expectations]
        assert levels == {TABLE_LEVEL, ROW_LEVEL}
        assert len(checks) == len(set(checks)), "check ids are unique within a suite"
        assert "columns.match_canonical" in checks
        assert "natural_key.unique" in checks
        assert all(REASON in e.meta for e in suite.expectations if e.meta[LEVEL] == ROW_LEVEL)


def test_child_suites_check_curated_respondents_only_when_keys_are_given() -> None:
    without = [e.meta[CHECK] for e in build_suite("hiring_need", CODES).expectations]
    with_keys = build_suite("hiring_need", CODES.with_respondents(["r1"])).expectations
    assert "respondent_key.curated" not in without
    assert "respondent_key.curated" in [e.meta[CHECK] for e in with_keys]
    respondent = build_suite("respondent", CODES.with_respondents(["r1"])).expectations
    assert "respondent_key.curated" not in [e.meta[CHECK] for e in respondent]


@pytest.mark.parametrize("table", list(TABLES))
def test_a_good_tiny_frame_of_every_table_is_curated_whole(table: str) -> None:
    staged = good_frame(table)
    outcome = validate_table(table, staged, CODES)
    assert outcome.result["success"] is True
    assert outcome.rows_quarantined == 0
    pd.testing.assert_frame_equal(outcome.curated, staged)


@pytest.mark.parametrize(
    ("table", "overrides", "reason"),
    [pytest.param(t, o, r, id=f"{t}-{case}") for t, case, o, r in BAD_ROWS],
)
def test_a_crafted_bad_row_is_quarantined_with_exactly_its_reason(
    bad_outcomes: dict[str, ValidationOutcome], table: str, overrides: dict[str, Any], reason: str
) -> None:
    outcome = bad_outcomes[table]
    index = next(i for i, (t, _, o, _) in enumerate(BAD_ROWS) if t == table and o == overrides)
    source_row = _bad_row(index, overrides)["source_row"]
    rows = outcome.quarantined[outcome.quarantined["source_row"] == source_row]
    assert rows["reasons"].tolist() == [reason]
    assert rows["stage"].tolist() == ["validate"]


@pytest.mark.parametrize("table", list(TABLES))
def test_a_suite_fails_on_its_bad_frame_but_still_curates_the_good_row(
    bad_outcomes: dict[str, ValidationOutcome], table: str
) -> None:
    outcome = bad_outcomes[table]
    assert outcome.result["success"] is False
    assert outcome.curated["source_row"].tolist() == [2]
    assert outcome.rows_quarantined == sum(1 for t, *_ in BAD_ROWS if t == table)


def test_duplicate_natural_keys_quarantine_every_copy() -> None:
    staged = frame("hiring_need", {}, {}, {"horizon": "1y"})
    outcome = validate_table("hiring_need", staged, CODES)
    assert outcome.curated["horizon"].tolist() == ["1y"]
    assert outcome.quarantined["source_row"].tolist() == [2, 3]
    assert set(outcome.quarantined["reasons"]) == {
        "(survey_id, wave, respondent_key, role_code, horizon) "
        "('demo', '2022', 'r1', 'qc_analyst', '5y') occurs more than once "
        "(expect_compound_columns_to_be_unique)"
    }


def test_a_skill_rated_for_importance_or_shortage_alone_is_curated() -> None:
    staged = frame(
        "skill_need", {"shortage": None}, {"skill_code": "bioinformatics", "importance": None}
    )
    outcome = validate_table("skill_need", staged, CODES)
    assert outcome.rows_curated == 2


def test_every_failed_expectation_of_a_row_is_listed_in_suite_order() -> None:
    staged = frame("respondent", {"org_sector": "pharma_big", "platform_status": "test"})
    outcome = validate_table("respondent", staged, CODES)
    assert outcome.quarantined["reasons"].tolist() == [
        f"org_sector 'pharma_big' is not an allowed code {IN_SET}; "
        f"platform_status 'test' is not a real answer (normal, imported, offline) {IN_SET}"
    ]


def test_failing_rows_are_found_by_position_whatever_the_staged_index() -> None:
    staged = frame(
        "recruitment_difficulty",
        {"respondent_key": "a", "difficulty": 9},
        {"respondent_key": "b"},
        {"respondent_key": "c", "difficulty": None},
        {"respondent_key": "d"},
        {"respondent_key": "e", "difficulty": 0},
    )
    staged.index = pd.Index([40, 7, 13, 2, 99])
    outcome = validate_table("recruitment_difficulty", staged, CODES)
    assert outcome.curated["respondent_key"].tolist() == ["b", "d"]
    assert outcome.quarantined["respondent_key"].tolist() == ["a", "c", "e"]
    assert outcome.quarantined["reasons"].tolist() == [
        f"difficulty 9 is outside 1..4 {BETWEEN}",
        f"difficulty is missing {NOT_NULL}",
        f"difficulty 0 is outside 1..4 {BETWEEN}",
    ]


def test_a_survey_without_sector_or_size_codes_does_not_require_them() -> None:
    from transforms.validate.codes import ValidationCodes
    from transforms.validate.suites import build_suite

    codes = ValidationCodes.from_lists(role=["qc"])
    checks = {e.meta["skillgap_check"] for e in build_suite("respondent", codes).expectations}
    assert "org_sector.not_null" not in checks and "org_size_band.not_null" not in checks
    full = ValidationCodes.from_lists(org_sector=["a"], org_size_band=["s"])
    checks = {e.meta["skillgap_check"] for e in build_suite("respondent", full).expectations}
    assert {"org_sector.not_null", "org_size_band.not_null"} <= checks


def test_a_wave_that_accepts_test_responses_curates_them_and_others_do_not() -> None:
    from dataclasses import replace

    staged = frame("respondent", {"platform_status": "test"})
    refused = validate_table("respondent", staged, CODES)
    assert refused.rows_quarantined == 1
    accepting = replace(CODES, platform_statuses=(*CODES.platform_statuses, "test"))
    kept = validate_table("respondent", staged, accepting)
    assert kept.rows_quarantined == 0 and len(kept.curated) == 1
