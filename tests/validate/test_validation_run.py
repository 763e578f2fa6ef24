"""Validating tables and waves: reconciliation, quarantined respondents' children, stop errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.validate.validation_frames import CODES, frame, good_frame
from transforms.core.canonical import QUARANTINE_COLUMNS, TABLES
from transforms.core.errors import ValidationStopError
from transforms.validate.outcome import ValidationOutcome
from transforms.validate.run import validate_table, validate_wave

INGEST_REASON = "headcount 'lots' is not a whole number (question hires_5y, column 'QID6_1')"


def _ingest_quarantine(table: str, *rows: dict[str, object], reason: str) -> pd.DataFrame:
    return frame(table, *rows).assign(stage="ingest", reasons=reason)


@pytest.fixture(scope="module")
def wave() -> dict[str, ValidationOutcome]:
    """r1 good, r2 a preview, r3 refused at ingest; each has hiring needs and free text."""
    staged = {
        "respondent": frame(
            "respondent", {}, {"respondent_key": "r2", "platform_status": "preview"}
        ),
        "hiring_need": frame(
            "hiring_need",
            {},
            {"respondent_key": "r2"},
            {"respondent_key": "r3"},
            {"respondent_key": "r1", "horizon": "1y", "headcount": 20_000},
        ),
        "free_text": frame("free_text", {}, {"respondent_key": "r2"}, {"respondent_key": "r3"}),
    }
    ingest = {
        "respondent": _ingest_quarantine(
            "respondent", {"respondent_key": "r3", "source_row": 9}, reason="no answers at all"
        ),
        "hiring_need": _ingest_quarantine(
            "hiring_need", {"role_code": "process_engineer", "source_row": 2}, reason=INGEST_REASON
        ),
    }
    return validate_wave(staged, ingest, CODES)


def test_a_wave_gives_an_outcome_for_every_canonical_table_in_canonical_order(
    wave: dict[str, ValidationOutcome],
) -> None:
    assert list(wave) == list(TABLES)
    assert wave["recruitment_difficulty"].rows_in == 0


def test_rows_in_equal_curated_plus_quarantined_counting_rows_refused_at_ingest(
    wave: dict[str, ValidationOutcome],
) -> None:
    hiring = wave["hiring_need"]
    assert (hiring.rows_in, hiring.rows_curated, hiring.rows_quarantined) == (5, 1, 4)
    assert hiring.result["rows_ingest_quarantined"] == 1
    for outcome in wave.values():
        assert outcome.reconciled
        assert outcome.rows_in == len(outcome.curated) + len(outcome.quarantined)
        assert outcome.result["reconciled"] is True


def test_children_of_quarantined_respondents_are_quarantined_as_respondent_quarantined(
    wave: dict[str, ValidationOutcome],
) -> None:
    assert wave["respondent"].curated["respondent_key"].tolist() == ["r1"]
    for table in ("hiring_need", "free_text"):
        quarantined = wave[table].quarantined
        for key in ("r2", "r3"):  # a preview, and a respondent refused at ingest
            reasons = quarantined.loc[quarantined["respondent_key"] == key, "reasons"].tolist()
            assert reasons == [
                f"respondent quarantined: respondent_key '{key}' is not a curated respondent "
                "(expect_column_values_to_be_in_set)"
            ]
    assert wave["free_text"].curated["respondent_key"].tolist() == ["r1"]


def test_quarantine_keeps_ingest_rows_first_with_their_stage_and_reasons(
    wave: dict[str, ValidationOutcome],
) -> None:
    quarantined = wave["hiring_need"].quarantined
    assert quarantined["stage"].tolist() == ["ingest", "validate", "validate", "validate"]
    assert quarantined["reasons"].iloc[0] == INGEST_REASON
    assert quarantined["reasons"].iloc[3] == (
        "headcount 20000 is outside 0..10000 (expect_column_values_to_be_between)"
    )


def test_curated_and_quarantined_frames_have_the_canonical_columns_and_dtypes(
    wave: dict[str, ValidationOutcome],
) -> None:
    for name, outcome in wave.items():
        canonical = TABLES[name].all_columns
        assert outcome.curated.dtypes.astype(str).to_dict() == canonical
        assert outcome.quarantined.dtypes.astype(str).to_dict() == {
            **canonical,
            **QUARANTINE_COLUMNS,
        }


def test_the_result_is_json_serialisable_and_carries_no_load_time(
    wave: dict[str, ValidationOutcome],
) -> None:
    for outcome in wave.values():
        text = json.dumps(outcome.result)
        assert "ge_load_time" not in text
        assert '"unexpected_index_list"' not in text
        (payload,) = outcome.result["great_expectations"]  # one GX result per batch
        assert payload["statistics"]["evaluated_expectations"] > 0
    hiring = wave["hiring_need"].result
    assert [r["rows"] for r in hiring["quarantine_reasons"]] == [1, 1, 2]
    curated_check = next(
        e for e in hiring["expectations"] if e["check"] == "respondent_key.curated"
    )
    assert curated_check["unexpected_count"] == 2


def test_a_missing_column_stops_validation_naming_the_file_and_the_column() -> None:
    staged = good_frame("hiring_need").drop(columns=["headcount"])
    with pytest.raises(ValidationStopError, match="missing \\['headcount'\\]") as caught:
        validate_table("hiring_need", staged, CODES)
    assert caught.value.file == "2022/export.csv"
    assert caught.value.column == "headcount"


def test_an_unexpected_column_stops_validation() -> None:
    staged = good_frame("respondent").assign(email="someone@example.org")
    with pytest.raises(ValidationStopError, match="unexpected \\['email'\\]") as caught:
        validate_table("respondent", staged, CODES)
    assert caught.value.column == "email"


def test_a_column_that_cannot_take_its_canonical_dtype_stops_validation() -> None:
    staged = good_frame("hiring_need").astype({"headcount": object})
    staged["headcount"] = ["3", "lots"]
    with pytest.raises(ValidationStopError, match="cannot be read as Int64") as caught:
        validate_table("hiring_need", staged, CODES)
    assert caught.value.column == "headcount"
    assert caught.value.file == "2022/export.csv"


def test_an_empty_staged_table_is_valid_with_nothing_in_and_nothing_out() -> None:
    empty = good_frame("skill_need").iloc[0:0]
    outcome = validate_table("skill_need", empty, CODES)
    assert (outcome.rows_in, outcome.rows_curated, outcome.rows_quarantined) == (0, 0, 0)
    assert outcome.result["success"] is True
    assert list(outcome.curated.columns) == list(TABLES["skill_need"].all_columns)


def test_staged_frames_are_not_changed_by_validation() -> None:
    staged = frame("recruitment_difficulty", {}, {"role_code": "process_engineer", "difficulty": 7})
    before = staged.copy()
    validate_table("recruitment_difficulty", staged, CODES)
    pd.testing.assert_frame_equal(staged, before)


def test_a_stop_error_keeps_file_row_and_column_when_it_crosses_processes() -> None:
    import pickle

    from transforms.core.errors import ValidationStopError

    error = ValidationStopError("broken", file="2022/x.csv", row=7, column="QID5")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.file, again.row, again.column) == (
        ValidationStopError,
        str(error),
        "2022/x.csv",
        7,
        "QID5",
    )
