"""`skillgap codebook check`: every problem of a codebook and its exports, with file, row,
column and value; exit code 1 on errors, 0 on warnings only."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from tests import paths
from transforms.codebook_tools.check import check_codebook, check_codebook_file
from transforms.codebook_tools.problems import Problem, format_report
from transforms.ingest.codebook import load_codebook

PROJECT = paths.PROJECT
FIXTURE = PROJECT / "tests/fixtures/codebook"
EXPORT = "2023/tiny_2023_qualtrics.csv"

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A copy of the tiny survey folder (codebook, export, reference) to edit."""
    shutil.copytree(FIXTURE, tmp_path / "codebook")
    return tmp_path / "codebook" / "tiny" / "survey.yaml"


def edited(path: Path, edit: Edit) -> Path:
    raw = yaml.safe_load(path.read_text("utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def questions(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in raw["questions"]}


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def test_the_committed_sample_has_no_errors() -> None:
    problems = check_codebook_file(PROJECT / "data/raw/atmp2030/survey.yaml")
    assert errors(problems) == []
    planted = [p for p in problems if p.value == "10-15"]  # a headcount ingest quarantines
    assert planted and planted[0].severity == "warning" and planted[0].column == "QID5_4"


def test_the_tiny_fixture_has_warnings_only_and_the_function_takes_a_loaded_codebook(
    tiny: Path,
) -> None:
    problems = check_codebook(load_codebook(tiny), tiny.parent)
    assert errors(problems) == []
    assert {(p.column, p.value) for p in problems} == {("QID4_3", "10-15"), ("QID11", None)}
    unmapped_column = next(p for p in problems if p.column == "QID11")
    assert "neither mapped" in unmapped_column.message and unmapped_column.file == EXPORT


def test_a_mapped_column_missing_from_the_export_is_an_error_naming_file_and_column(
    tiny: Path,
) -> None:
    def rename(raw: dict[str, Any]) -> None:
        questions(raw)["org_size_band"]["waves"]["2023"]["column"] = "QID22"
        raw["waves"]["2023"]["submitted_at"] = "SubmittedAt"

    problems = errors(check_codebook_file(edited(tiny, rename)))
    missing = {(p.file, p.column, p.wave) for p in problems}
    assert (EXPORT, "QID22", "2023") in missing
    assert (EXPORT, "SubmittedAt", "2023") in missing
    assert len(problems) == 2


def test_an_unmapped_answer_is_an_error_with_file_column_value_count_and_first_row(
    tiny: Path,
) -> None:
    def forget(raw: dict[str, Any]) -> None:
        del questions(raw)["org_sector"]["value_map"]["Hospital or healthcare region"]
        del questions(raw)["recruitment_difficulty"]["missing_values"]
        del questions(raw)["training_format"]["value_map"]["E-learning"]

    problems = errors(check_codebook_file(edited(tiny, forget)))
    by_column = {p.column: p for p in problems}
    sector = by_column["QID1"]
    assert (sector.file, sector.value, sector.count, sector.row) == (
        EXPORT,
        "Hospital or healthcare region",
        2,
        5,  # first data row after three header rows is row 4; R_2 is row 5
    )
    assert "value_map" in sector.message and "org_sector" in sector.message
    not_applicable = [p for p in problems if p.value == "Not applicable"]
    assert {p.column for p in not_applicable} == {"QID6_1", "QID6_2"}
    elearning = by_column["QID9"]
    assert elearning.value == "E-learning" and elearning.count == 2 and elearning.row == 6
    # "On-the-job training, mentoring, or job rotation" contains the delimiter but is known
    assert all("On-the-job" not in (p.value or "") for p in problems)


def test_codes_not_in_their_code_list_or_taxonomy_are_errors(tiny: Path) -> None:
    def recode(raw: dict[str, Any]) -> None:
        questions(raw)["org_sector"]["value_map"]["Large pharmaceutical company"] = "big_pharma"
        items = questions(raw)["hires_5y"]["waves"]["2023"]["items"]
        items["qp"] = items.pop("qualified_person")
        questions(raw)["recruitment_difficulty"]["value_map"]["Extremely difficult"] = 7
        questions(raw)["hires_5y"]["constants"] = {"horizon": "10y"}

    problems = errors(check_codebook_file(edited(tiny, recode)))
    found = {(p.column, p.value) for p in problems}
    assert ("questions[org_sector].value_map", "big_pharma") in found
    assert ("questions[hires_5y].waves.2023.items", "qp") in found
    assert ("questions[recruitment_difficulty].value_map", "7") in found
    assert ("questions[hires_5y].constants", "10y") in found
    assert all(p.file == "survey.yaml" for p in problems)
    assert any("codes.org_sector" in p.message for p in problems)
    assert any("role taxonomy" in p.message for p in problems)


def test_pii_mapped_as_a_question_and_missing_required_fields_are_errors(tiny: Path) -> None:
    def break_it(raw: dict[str, Any]) -> None:
        raw["waves"]["2023"]["pii_columns"].append("QID10_TEXT")
        raw["questions"] = [q for q in raw["questions"] if q["id"] != "org_size_band"]

    problems = errors(check_codebook_file(edited(tiny, break_it)))
    messages = " | ".join(p.message for p in problems)
    assert "maps a column listed in pii_columns" in messages
    assert "respondent.org_size_band" in messages
    assert any(p.column == "QID10_TEXT" for p in problems)


def test_every_schema_error_is_reported_with_its_field(tiny: Path) -> None:
    def break_schema(raw: dict[str, Any]) -> None:
        questions(raw)["org_sector"]["type"] = "dropdown"
        questions(raw)["hires_5y"]["waves"]["2023"]["column"] = "QID4_1"  # column and items
        raw["waves"]["2023"]["colour"] = "blue"

    problems = check_codebook_file(edited(tiny, break_schema))
    fields = {p.column for p in problems}
    assert "questions[org_sector].type" in fields
    assert "questions[hires_5y].waves.2023" in fields
    assert "waves.2023.colour" in fields
    assert all(p.is_error and p.file == "survey.yaml" for p in problems)


def test_draft_questions_left_under_unmapped_are_errors(tiny: Path) -> None:
    def leave(raw: dict[str, Any]) -> None:
        raw["unmapped"] = [{"id": "qid11", "target": "?"}]

    problems = check_codebook_file(edited(tiny, leave))
    assert [p.column for p in errors(problems)] == ["unmapped[qid11]"]


def test_unknown_waves_and_missing_exports_are_errors(tiny: Path) -> None:
    unknown = check_codebook_file(tiny, waves=["2099"])
    assert [p.wave for p in unknown if p.message.startswith("no such wave")] == ["2099"]
    (tiny.parent / EXPORT).unlink()
    problems = errors(check_codebook_file(tiny))
    assert [(p.file, p.message) for p in problems] == [
        (EXPORT, "the export listed in files does not exist")
    ]


def test_cli_check_exits_0_on_warnings_and_1_on_errors(tiny: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["codebook", "check", str(tiny)])
    assert clean.exit_code == 0, clean.output
    assert "0 errors, 2 warnings" in clean.output
    edited(tiny, lambda raw: questions(raw)["org_sector"]["value_map"].clear())
    broken = runner.invoke(app, ["codebook", "check", str(tiny), "--wave", "2023"])
    assert broken.exit_code == 1
    assert "error: wave 2023, 2023/tiny_2023_qualtrics.csv row 4, column 'QID1'" in broken.output
    as_json = runner.invoke(app, ["codebook", "check", str(tiny), "--format", "json"])
    rows = json.loads(as_json.output)
    assert as_json.exit_code == 1 and {"severity", "file", "row", "column", "value"} <= set(rows[0])


def test_the_report_lists_errors_before_warnings() -> None:
    problems = [
        Problem(severity="warning", message="look", column="a"),
        Problem(severity="error", message="fix", file="f.csv", row=3, value="x", count=2),
    ]
    assert format_report(problems).splitlines() == [
        "error: f.csv row 3, value 'x', 2 rows: fix",
        "warning: column 'a': look",
        "1 error, 1 warning",
    ]
    assert format_report([]) == "no problems found"


def test_a_respondent_id_shared_by_many_rows_is_an_error_and_by_a_few_a_warning(
    tiny: Path,
) -> None:
    export = tiny.parent / EXPORT
    text = export.read_text(encoding="utf-8")
    export.write_text(text.replace(",R_2,", ",R_1,"), encoding="utf-8")
    repeated = [p for p in check_codebook_file(tiny) if p.column == "ResponseId"]
    assert len(repeated) == 1 and repeated[0].value == "R_1" and repeated[0].count == 2
    assert repeated[0].severity == "warning" and "respondent_id: null" in repeated[0].message
    lines = text.splitlines()
    copies = [lines[3].replace(",R_1,", f",R_{n % 2},") for n in range(12)]
    export.write_text("\n".join([*lines, *copies]) + "\n", encoding="utf-8")
    repeated = [p for p in check_codebook_file(tiny) if p.column == "ResponseId"]
    assert repeated and all(p.severity == "error" for p in repeated)
    assert "rows share an id" in repeated[0].message
