"""Ingest mapping: a tiny export and codebook give the expected canonical rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from transforms.core.errors import CodebookError, MissingColumnError
from transforms.ingest.codebook import Codebook
from transforms.ingest.mapping import apply_codebook
from transforms.ingest.readers.base import ColumnInfo, RawExport

OTJ = "On-the-job training, mentoring, or job rotation"


def _export(rows: list[dict[str, str | None]], path: Path = Path("/s/2022/x.csv")) -> RawExport:
    data = pd.DataFrame(rows).astype("string")
    columns = {
        key: ColumnInfo(key=key, tag=key, text=key, position=i) for i, key in enumerate(data)
    }
    return RawExport(
        path=path,
        platform="qualtrics",
        sha256="ab" * 32,
        data=data,
        source_rows=pd.Series(range(4, 4 + len(data)), index=data.index),
        columns=columns,
        status=pd.Series(["normal"] * (len(data) - 1) + ["preview"], dtype="string"),
        aliases={"ResponseId": "_recordId"},
    )


def _codebook(**wave_overrides: object) -> Codebook:
    wave = {
        "files": ["2022/x.csv"],
        "respondent_id": "ResponseId",
        "completed": {"column": "finished"},
        "pii_columns": ["email"],
        **wave_overrides,
    }
    grid = {"qc": "QID5_1", "qp": "QID5_2"}
    return Codebook.model_validate(
        {
            "survey": {"id": "demo", "title": "Demo"},
            "taxonomies": {"role": "r.csv", "skill": "s.csv"},
            "codes": {
                "org_sector": {"pharma": "Pharma", "sme": "SME"},
                "training_format": {"short": "Short", "otj": OTJ, "other": "Other"},
            },
            "waves": {"2022": wave},
            "questions": [
                {
                    "id": "org_sector",
                    "text": "Sector?",
                    "type": "single",
                    "target": "respondent.org_sector",
                    "value_map": {"Pharma company": "pharma", "Small company": "sme"},
                    "waves": {"2022": {"column": "QID2"}},
                },
                {
                    "id": "hires_5y",
                    "text": "Hires?",
                    "type": "numeric_grid",
                    "target": "hiring_need.headcount",
                    "constants": {"horizon": "5y"},
                    "waves": {"2022": {"items": grid}},
                },
                {
                    "id": "difficulty",
                    "text": "Difficulty?",
                    "type": "ordinal_grid",
                    "target": "recruitment_difficulty.difficulty",
                    "value_map": {"Not difficult": 1, "Very difficult": 3},
                    "missing_values": ["Not applicable"],
                    "waves": {"2022": {"items": {"qc": "QID6_1"}}},
                },
                {
                    "id": "formats",
                    "text": "Formats?",
                    "type": "multi",
                    "target": "training_preference.format_code",
                    "value_map": {"Short": "short", OTJ: "otj", "Other": "other"},
                    "waves": {
                        "2022": {"column": "QID9", "joined": ",", "other_text": "QID9_3_TEXT"}
                    },
                },
                {
                    "id": "other_skills",
                    "text": "Other skills?",
                    "type": "text",
                    "target": "free_text.text",
                    "waves": {"2022": {"column": "QID10"}},
                },
            ],
        }
    )


ROWS: list[dict[str, str | None]] = [
    {
        "_recordId": "R_1",
        "email": "a@example.se",
        "finished": "True",
        "QID2": "Pharma company",
        "QID5_1": "3",
        "QID5_2": None,
        "QID6_1": "Very difficult",
        "QID9": f"Short,{OTJ}",
        "QID9_3_TEXT": None,
        "QID10": "Mail me at anna.berg@example.se <b>now</b>",
    },
    {
        "_recordId": "R_2",
        "email": "b@example.se",
        "finished": "False",
        "QID2": "Big pharma",
        "QID5_1": "10-15",
        "QID5_2": "0",
        "QID6_1": "Not applicable",
        "QID9": None,
        "QID9_3_TEXT": "Summer school",
        "QID10": None,
    },
    {
        "_recordId": "R_3",
        "email": "c@example.se",
        "finished": "True",
        "QID2": "Small company",
        "QID5_1": "1",
        "QID5_2": "2",
        "QID6_1": "Hard",
        "QID9": None,
        "QID9_3_TEXT": None,
        "QID10": " ",
    },
]


def _stage(rows: list[dict[str, str | None]] = ROWS, **overrides: object):  # type: ignore[no-untyped-def]
    return apply_codebook(
        [_export(rows)], _codebook(**overrides), "2022", salt="s", survey_dir=Path("/s")
    )


def test_every_raw_row_becomes_a_respondent_row_with_provenance() -> None:
    staged = _stage()
    respondent = staged.tables["respondent"]
    assert staged.raw_rows == 3
    assert list(respondent["source_row"]) == [4, 5, 6]
    assert set(respondent["source_file"]) == {"2022/x.csv"}
    assert list(respondent["completed"]) == [True, False, True]
    assert list(respondent["platform_status"]) == ["normal", "normal", "preview"]


def test_single_choice_values_map_to_codes_and_unmapped_values_stay_for_validation() -> None:
    respondent = _stage().tables["respondent"]
    assert list(respondent["org_sector"]) == ["pharma", "Big pharma", "sme"]


def test_platform_ids_and_pii_columns_never_reach_the_staged_tables() -> None:
    staged = _stage()
    for frame in staged.tables.values():
        text = frame.astype("string").to_csv()
        assert "R_1" not in text and "@example.se" not in text


def test_respondent_keys_are_stable_for_one_salt_and_differ_with_another() -> None:
    first = _stage().tables["respondent"]["respondent_key"]
    again = _stage().tables["respondent"]["respondent_key"]
    other = apply_codebook(
        [_export(ROWS)], _codebook(), "2022", salt="other", survey_dir=Path("/s")
    ).tables["respondent"]["respondent_key"]
    assert list(first) == list(again)
    assert not set(first) & set(other)


def test_numeric_grid_gives_one_row_per_answer_and_quarantines_text_at_ingest() -> None:
    staged = _stage()
    hiring = staged.tables["hiring_need"]
    assert sorted(
        zip(hiring["source_row"], hiring["role_code"], hiring["headcount"], strict=True)
    ) == [
        (4, "qc", 3),
        (5, "qp", 0),
        (6, "qc", 1),
        (6, "qp", 2),
    ]
    assert set(hiring["horizon"]) == {"5y"}
    refused = staged.quarantine["hiring_need"]
    assert len(refused) == 1
    assert refused.loc[0, "source_row"] == 5
    assert "'10-15' is not a whole number" in refused.loc[0, "reasons"]
    assert "QID5_1" in refused.loc[0, "reasons"]


def test_ordinal_grid_drops_missing_answers_and_quarantines_off_scale_text() -> None:
    staged = _stage()
    difficulty = staged.tables["recruitment_difficulty"]
    assert list(zip(difficulty["source_row"], difficulty["difficulty"], strict=True)) == [(4, 3)]
    assert (
        "'Hard' is not on the answer scale"
        in staged.quarantine["recruitment_difficulty"].loc[0, "reasons"]
    )


def test_joined_multi_select_keeps_choices_that_contain_the_delimiter() -> None:
    prefs = _stage().tables["training_preference"]
    first = prefs[prefs["source_row"] == 4].set_index("format_code")["selected"].to_dict()
    assert first == {"short": True, "otj": True, "other": False}


def test_other_text_counts_as_choosing_other_and_lands_in_free_text() -> None:
    staged = _stage()
    prefs = staged.tables["training_preference"]
    second = prefs[prefs["source_row"] == 5].set_index("format_code")["selected"].to_dict()
    assert second == {"short": False, "otj": False, "other": True}
    free = staged.tables["free_text"]
    assert set(free["question_id"]) == {"other_skills", "formats_other"}


def test_free_text_is_redacted_and_blank_answers_are_dropped() -> None:
    free = _stage().tables["free_text"]
    skills = free[free["question_id"] == "other_skills"]
    assert list(skills["text"]) == ["Mail me at [e-mail removed] <b>now</b>"]


def test_a_codebook_that_maps_a_pii_column_is_refused() -> None:
    with pytest.raises(CodebookError, match="PII"):
        _stage(pii_columns=["QID10"])


def test_a_missing_mapped_column_names_the_file_and_column() -> None:
    rows = [{k: v for k, v in row.items() if k != "QID2"} for row in ROWS]
    with pytest.raises(MissingColumnError, match=r"x\.csv.*'QID2'"):
        _stage(rows)


def _with_text_column(
    values: list[str | None], header: str = "QID10"
) -> list[dict[str, str | None]]:
    return [{**row, "QID10": value} for row, value in zip(ROWS, values, strict=True)]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["a@example.se", "b@example.se", None], "e-mail addresses"),
        (["192.0.2.1", "198.51.100.7", "x"], "IP addresses"),
        (["+46 70 123 45 67", "070-123 45 67", None], "phone numbers"),
    ],
)
def test_a_mapped_column_that_looks_personal_is_refused_even_if_the_codebook_forgets_it(
    values: list[str | None], kind: str
) -> None:
    with pytest.raises(CodebookError, match=kind) as error:
        _stage(_with_text_column(values))
    assert kind in str(error.value) and "QID10" in str(error.value)


def test_a_column_the_codebook_allows_explicitly_passes_the_pii_safety_net() -> None:
    staged = _stage(_with_text_column(["+46 70 123 45 67", None, None]), allow_columns=["QID10"])
    assert (
        len(staged.tables["free_text"][staged.tables["free_text"]["question_id"] == "other_skills"])
        == 1
    )


def test_a_column_whose_header_names_personal_data_is_refused() -> None:
    rows = [{**row, "QID10": None} for row in ROWS]
    export = _export(rows)
    info = export.columns["QID10"]
    export.columns["QID10"] = type(info)(
        key="QID10", tag="Q10", text="Your e-mail (optional)", position=info.position
    )
    with pytest.raises(CodebookError, match="header"):
        apply_codebook([export], _codebook(), "2022", salt="s", survey_dir=Path("/s"))


def test_a_wave_whose_second_export_has_other_columns_gets_a_warning_naming_both_files() -> None:
    later = [{**row, "QID11": "new"} for row in ROWS]
    staged = apply_codebook(
        [_export(ROWS), _export(later, Path("/s/2022/y.csv"))],
        _codebook(),
        "2022",
        salt="s",
        survey_dir=Path("/s"),
    )
    assert staged.raw_rows == 6
    assert len(staged.warnings) == 1
    assert "2022/y.csv" in staged.warnings[0] and "QID11" in staged.warnings[0]
    assert "2022/x.csv" in staged.warnings[0]


def test_a_question_renamed_in_a_new_wave_lands_in_the_same_canonical_field() -> None:
    raw = _codebook().model_dump(mode="json")
    raw["waves"]["2024"] = {**raw["waves"]["2022"], "files": ["2024/y.csv"]}
    sector = next(q for q in raw["questions"] if q["id"] == "org_sector")
    sector["value_map"]["Pharmaceutical company (large)"] = "pharma"  # re-worded answer
    sector["waves"]["2024"] = {"column": "QID_sector_v2", "note": "Reworded in 2024"}
    hires = next(q for q in raw["questions"] if q["id"] == "hires_5y")
    hires["waves"]["2024"] = {"items": {"qc": "QID7_1", "qp": "QID7_2"}}  # re-coded grid
    codebook = Codebook.model_validate(raw)
    renamed = [
        {
            **{k: v for k, v in row.items() if k not in ("QID2", "QID5_1", "QID5_2")},
            "QID_sector_v2": "Pharmaceutical company (large)" if i == 0 else row["QID2"],
            "QID7_1": row["QID5_1"],
            "QID7_2": row["QID5_2"],
        }
        for i, row in enumerate(ROWS)
    ]
    old = apply_codebook([_export(ROWS)], codebook, "2022", salt="s", survey_dir=Path("/s"))
    new = apply_codebook(
        [_export(renamed, Path("/s/2024/y.csv"))], codebook, "2024", salt="s", survey_dir=Path("/s")
    )
    assert list(new.tables["respondent"]["org_sector"]) == ["pharma", "Big pharma", "sme"]
    assert set(new.tables["respondent"]["wave"]) == {"2024"}
    columns = ["source_row", "role_code", "headcount"]
    assert new.tables["hiring_need"][columns].equals(old.tables["hiring_need"][columns])


def test_one_column_per_option_honours_missing_values_and_keeps_all_no_in_the_base() -> None:
    codebook = _codebook()
    formats = next(q for q in codebook.questions if q.id == "formats")
    items = {"short": "QID9_1", "otj": "QID9_2", "other": "QID9_3"}
    per_option = formats.model_copy(
        update={
            "missing_values": ["Don't know"],
            "waves": {
                "2022": formats.waves["2022"].model_copy(
                    update={"column": None, "joined": None, "other_text": None, "items": items}
                )
            },
        }
    )
    codebook = codebook.model_copy(
        update={"questions": [per_option if q.id == "formats" else q for q in codebook.questions]}
    )
    answers = [  # R_1 ticks short; R_2 says No to every option; R_3 answers only "Don't know"
        {"QID9_1": "1", "QID9_2": None, "QID9_3": "Don't know"},
        {"QID9_1": "No", "QID9_2": "No", "QID9_3": "No"},
        {"QID9_1": "Don't know", "QID9_2": None, "QID9_3": "Don't know"},
    ]
    rows = [{**row, **answer} for row, answer in zip(ROWS, answers, strict=True)]
    staged = apply_codebook([_export(rows)], codebook, "2022", salt="s", survey_dir=Path("/s"))
    prefs = staged.tables["training_preference"]
    by_row = {
        row: group.set_index("format_code")["selected"].to_dict()
        for row, group in prefs.groupby("source_row")
    }
    assert by_row == {
        4: {"short": True, "otj": False, "other": False},
        5: {"short": False, "otj": False, "other": False},
    }


def test_questions_outside_the_model_become_rows_of_the_answer_table() -> None:
    base = _codebook()
    generic = [
        {
            "id": "satisfied",
            "text": "Satisfied?",
            "type": "single",
            "target": "answer.value",
            "value_map": {"Yes": "yes", "No": "no"},
            "missing_values": ["Don't know"],
            "waves": {"2022": {"column": "G1"}},
        },
        {
            "id": "channels",
            "text": "Channels?",
            "type": "multi",
            "target": "answer.value",
            "waves": {"2022": {"items": {"web": "G2_1", "fair": "G2_2"}}},
        },
        {
            "id": "staff",
            "text": "Staff?",
            "type": "numeric_grid",
            "target": "answer.value",
            "waves": {"2022": {"items": {"phd": "G3_1"}}},
        },
        {
            "id": "why",
            "text": "Why?",
            "type": "text",
            "target": "answer.value",
            "waves": {"2022": {"column": "G4"}},
        },
    ]
    raw = base.model_dump(mode="json", exclude_unset=True)
    raw["questions"] += generic
    codebook = Codebook.model_validate(raw)
    answers = [
        {"G1": "Yes", "G2_1": "1", "G2_2": None, "G3_1": "4", "G4": "cost"},
        {"G1": "Don't know", "G2_1": "0", "G2_2": "0", "G3_1": "many", "G4": " "},
        {"G1": None, "G2_1": None, "G2_2": None, "G3_1": "2.5", "G4": None},
    ]
    rows = [{**row, **answer} for row, answer in zip(ROWS, answers, strict=True)]
    staged = apply_codebook([_export(rows)], codebook, "2022", salt="s", survey_dir=Path("/s"))
    got = staged.tables["answer"]
    seen = {
        (r.source_row, r.question_id, r.item_code, r.option_code): r.value for r in got.itertuples()
    }
    assert {k: (None if pd.isna(v) else v) for k, v in seen.items()} == {
        (4, "satisfied", "", "yes"): 1.0,
        (4, "channels", "", "web"): 1.0,
        (4, "channels", "", "fair"): 0.0,
        (5, "channels", "", "web"): 0.0,  # "no" to every option: in the base
        (5, "channels", "", "fair"): 0.0,
        (4, "staff", "phd", ""): 4.0,
        (6, "staff", "phd", ""): 2.5,  # a generic number need not be whole
        (4, "why", "", ""): None,  # counted; the text is not stored
    }
    refused = staged.quarantine["answer"]
    assert (
        list(refused["source_row"]) == [5]
        and "'many' is not a number" in refused["reasons"].iloc[0]
    )
    assert "text" not in got.columns


def test_a_one_column_per_option_question_nobody_answered_gives_no_rows() -> None:
    from transforms.ingest.rows import isin_per_unique

    empty = pd.Series([None, None], dtype="string")
    assert isin_per_unique(empty, frozenset({"No"})).tolist() == [False, False]
