"""LimeSurvey, Google Forms, Microsoft Forms, SPSS and generic readers: keys, values, detection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from tests import paths
from transforms.core.errors import ExportReadError
from transforms.ingest.readers import detect_platform, read_export
from transforms.ingest.readers.generic import read_generic_export
from transforms.ingest.readers.google_forms import read_google_forms_export
from transforms.ingest.readers.limesurvey import read_limesurvey_export
from transforms.ingest.readers.microsoft_forms import read_microsoft_forms_export
from transforms.ingest.readers.spss import read_spss_export, spss_metadata

FIXTURES = paths.FIXTURES / "exports"
REAL_EXPORTS = paths.REAL_EXPORTS
ORG = "Which of the following best describes your organisation?"


def microsoft_forms_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            ORG,
            "Which training formats would you use?",
            "Headcount",
        ]
    )
    sheet.append(
        [
            1,
            dt.datetime(2024, 3, 1, 9, 0),
            dt.datetime(2024, 3, 1, 9, 12, 30),
            "anonymous",
            None,
            "Large pharmaceutical company",
            "Short course (1-5 days);E-learning;",
            12,
        ]
    )
    sheet.append(
        [
            2,
            dt.datetime(2024, 3, 2, 13, 0),
            dt.datetime(2024, 3, 2, 13, 5),
            "anonymous",
            None,
            "Small biotech company",
            "Mentoring;",
            2.5,
        ]
    )
    workbook.save(path)
    return path  # fmt: skip


def spss_file(path: Path) -> Path:
    frame = pd.DataFrame(
        {
            "sector": [1.0, 2.0, 99.0, 98.0, None],
            "hires": [12.0, 0.5, 3.0, None, 7.0],
            "comment": ["Fine", "", "Göteborg", "x", "y"],
        }
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={"sector": ORG, "hires": "Hires in 5 years", "comment": "Anything else?"},
        variable_value_labels={"sector": {1: "Large pharma", 2: "Biotech", 99: "Don't know"}},
        missing_ranges={"sector": [98, 99]},
    )
    return path


def test_limesurvey_reader_keys_code_and_text_headings_by_code() -> None:
    export = read_limesurvey_export(FIXTURES / "limesurvey.csv")
    assert list(export.columns)[:5] == ["id", "submitdate", "lastpage", "startlanguage", "G01Q01"]
    assert "G01Q02[SQ001]" in export.columns
    assert "G01Q02[other]" in export.columns
    info = export.columns["G01Q02[SQ002]"]
    assert info.text == "Which training formats would you use? [E-learning]"
    assert export.resolve(ORG) == "G01Q01"
    assert export.resolve("G01Q01. " + ORG) == "G01Q01"


def test_limesurvey_reader_keeps_multi_select_flags_and_quoted_text() -> None:
    data = read_limesurvey_export(FIXTURES / "limesurvey.csv").data
    assert data["G01Q02[SQ001]"].tolist() == ["Y", pd.NA, "Y"]
    assert data["G01Q02[other]"].iloc[1] == 'Mentoring, "on the job"'
    assert data["G01Q03[SQ001]"].iloc[2] == "0012"
    assert data["submitdate"].iloc[1] is pd.NA


def test_limesurvey_reader_reads_code_only_headings_with_a_semicolon_delimiter(
    tmp_path: Path,
) -> None:
    text = (FIXTURES / "limesurvey_codes.csv").read_text(encoding="utf-8").replace(",", ";")
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    export = read_export(path)
    assert export.platform == "limesurvey"
    assert export.dialect["delimiter"] == ";"
    assert export.column("G01Q02[other]").tolist() == [pd.NA, "Mentoring"]
    assert export.source_rows.tolist() == [2, 3]


def test_google_forms_reader_keys_by_heading_and_tags_grid_rows_by_question() -> None:
    export = read_google_forms_export(FIXTURES / "google_forms.csv")
    assert list(export.columns)[:3] == ["Timestamp", "Email address", ORG]
    info = export.columns["How important is each skill? [Data integrity]"]
    assert info.tag == "How important is each skill?"
    assert export.status.isna().all()


def test_google_forms_reader_keeps_checkbox_answers_joined() -> None:
    data = read_google_forms_export(FIXTURES / "google_forms.csv").data
    formats = data["Which training formats would you use?"]
    assert formats.tolist() == [
        "Short course (1-5 days), E-learning",
        "Mentoring, on the job",
        pd.NA,
    ]
    assert data["How many people will you hire in the next 5 years?"].iloc[0] == "0012"
    assert data["Timestamp"].iloc[0] == "2024/03/01 9:15:22 AM GMT+1"


def test_microsoft_forms_reader_reads_the_workbook_as_strings(tmp_path: Path) -> None:
    path = microsoft_forms_xlsx(tmp_path / "forms.xlsx")
    assert detect_platform(path) == "microsoft_forms"
    export = read_microsoft_forms_export(path)
    assert export.data["Start time"].tolist() == ["2024-03-01 09:00:00", "2024-03-02 13:00:00"]
    assert export.data["Which training formats would you use?"].iloc[0] == (
        "Short course (1-5 days);E-learning;"
    )
    assert export.data["Headcount"].tolist() == ["12", "2.5"]
    assert export.data["ID"].tolist() == ["1", "2"]
    assert export.source_rows.tolist() == [2, 3]


def test_spss_reader_applies_value_labels_and_keys_by_variable_name(tmp_path: Path) -> None:
    export = read_spss_export(spss_file(tmp_path / "survey.sav"))
    assert list(export.columns) == ["sector", "hires", "comment"]
    assert export.columns["sector"].text == ORG
    assert export.resolve(ORG) == "sector"
    assert export.data["hires"].tolist() == ["12", "0.5", "3", pd.NA, "7"]
    assert export.data["comment"].tolist() == ["Fine", pd.NA, "Göteborg", "x", "y"]
    assert export.source_rows.tolist() == [1, 2, 3, 4, 5]


def test_spss_reader_turns_unlabelled_user_missing_into_na_but_keeps_labelled_ones(
    tmp_path: Path,
) -> None:
    path = spss_file(tmp_path / "survey.sav")
    labels = read_spss_export(path).data["sector"].tolist()
    assert labels == ["Large pharma", "Biotech", "Don't know", pd.NA, pd.NA]
    codes = read_spss_export(path, values="codes").data["sector"].tolist()
    assert codes == ["1", "2", "99", pd.NA, pd.NA]
    assert spss_metadata(path).missing_ranges["sector"] == [(98.0, 98.0), (99.0, 99.0)]


def test_spss_reader_refuses_a_file_that_is_not_spss(tmp_path: Path) -> None:
    with pytest.raises(ExportReadError, match="SPSS file cannot be read"):
        read_spss_export(FIXTURES / "google_forms.csv")


def test_generic_reader_keys_by_heading_and_names_unnamed_columns(tmp_path: Path) -> None:
    path = tmp_path / "release.csv"
    path.write_text(",Country,Age  band\n0,Sweden,25-34\n1,NA,35-44\n", encoding="utf-8")
    export = read_export(path, platform="generic")
    assert list(export.columns) == ["unnamed_1", "Country", "Age band"]
    assert export.resolve("Age  band") == "Age band"
    assert export.data["Country"].tolist() == ["Sweden", "NA"]


def test_generic_reader_keys_every_repeated_heading_by_its_column_letters(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("a,b,a,c,b\n1,2,3,4,5\n", encoding="utf-8")
    export = read_generic_export(path)
    assert list(export.columns) == ["a [A]", "b [B]", "a [C]", "c", "b [E]"]
    assert export.columns["a [C]"].text == "a"
    assert export.column("a [C]").tolist() == ["3"] and export.column("b [E]").tolist() == ["5"]


def test_generic_platform_may_be_forced_on_any_platform_export() -> None:
    export = read_export(FIXTURES / "surveymonkey.csv", platform="generic")
    assert export.platform == "generic"
    assert export.source_rows.iloc[0] == 2


@pytest.mark.parametrize(
    ("name", "platform"),
    [("limesurvey.csv", "limesurvey"), ("limesurvey_codes.csv", "limesurvey"),
     ("google_forms.csv", "google_forms")],
)  # fmt: skip
def test_detect_platform_recognises_one_header_row_platforms(name: str, platform: str) -> None:
    assert detect_platform(FIXTURES / name) == platform


def test_detect_platform_recognises_spss_files(tmp_path: Path) -> None:
    assert detect_platform(spss_file(tmp_path / "survey.csv")) == "spss"


# --- real public exports (skipped when ../shared/real-exports is absent) ---------------------

LIME = REAL_EXPORTS / "limesurvey_rse_uk_2017" / "public_data.csv"
SAV = REAL_EXPORTS / "spss_pyreadstat_multiple_response" / "simple_alltypes.sav"
STACK = (
    REAL_EXPORTS / "stackoverflow_2023_first1MiB" / "survey_results_public.first1MiB.trimmed.csv"
)


def python_csv_records(path: Path) -> int:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for record in csv.reader(handle) if record)


@pytest.mark.real_exports
@pytest.mark.skipif(not LIME.exists(), reason="real exports are not available")
def test_limesurvey_reader_reads_the_rse_survey_with_multi_line_cells() -> None:
    export = read_export(LIME)
    assert export.platform == "limesurvey"
    assert export.data.shape == (python_csv_records(LIME) - 1, 245)
    assert export.data.shape[0] == 253
    assert export.columns["socio1"].text == "In which country do you work?"
    assert set(export.column("socio1").dropna()) == {"United Kingdom"}
    assert set(export.column("tool4can[SQ001]").dropna()) <= {"Yes", "No"}
    assert export.source_rows.is_monotonic_increasing


@pytest.mark.real_exports
@pytest.mark.skipif(not SAV.exists(), reason="real exports are not available")
def test_spss_reader_lists_the_multiple_response_sets_of_the_pyreadstat_file() -> None:
    export = read_export(SAV)
    assert export.platform == "spss"
    assert export.encoding == "windows-1252"
    assert "mymrset: bool1, bool2, bool3 (dichotomy, counted 1)" in export.dialect["mr_sets"]
    assert export.columns["bool1"].text == "My multiple response set - Response #1"
    assert export.data["z"].tolist()[3] == "skipped"  # labelled user-missing 999
    assert export.data["y"].iloc[0] == "2000-01-01"
    assert spss_metadata(SAV).mr_sets["mymrset"]["variable_list"] == ["bool1", "bool2", "bool3"]


@pytest.mark.real_exports
@pytest.mark.skipif(not STACK.exists(), reason="real exports are not available")
def test_generic_reader_reads_the_stack_overflow_release_without_guessing_types() -> None:
    with pytest.raises(ExportReadError, match="not recognised"):
        detect_platform(STACK)  # one ResponseId column does not make a Qualtrics export
    export = read_export(STACK, platform="generic")
    assert export.data.shape == (python_csv_records(STACK) - 1, 84)
    assert "NA" in set(export.column("RemoteWork"))
    assert export.column("Currency").str.contains("\t").any()
    assert export.column("LanguageHaveWorkedWith").str.contains(";").any()


def test_generic_reader_keeps_a_trailing_column_without_heading_that_holds_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b,\n1,2,note\n3,4,\n", encoding="utf-8")
    export = read_generic_export(path)
    assert list(export.columns) == ["a", "b", "unnamed_3"]
    assert export.data["unnamed_3"].tolist() == ["note", pd.NA]


def test_readers_reject_a_workbook_without_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ExportReadError, match="no rows"):
        read_generic_export(path)


def test_readers_number_workbook_rows_as_the_sheet_does_across_empty_rows(
    tmp_path: Path,
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"], sheet["B1"] = "Timestamp", "Question"
    sheet["A2"], sheet["B2"] = "2024-01-01", "yes"
    sheet["A5"], sheet["B5"] = "2024-01-02", "no"
    path = tmp_path / "gaps.xlsx"
    workbook.save(path)
    export = read_export(path)
    assert export.platform == "google_forms"
    assert export.source_rows.tolist() == [2, 5]


@pytest.mark.parametrize("n_records", [5, 600])
def test_generic_reader_skips_blank_lines_between_any_number_of_records(
    tmp_path: Path, n_records: int
) -> None:
    lines = ["id,answer"]
    for number in range(n_records):
        lines += [f"{number},yes", "," if number % 2 else ""]
    path = tmp_path / "gaps.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    export = read_generic_export(path)
    assert export.data["id"].tolist() == [str(number) for number in range(n_records)]
    assert export.source_rows.tolist() == list(range(2, 2 * n_records + 1, 2))
