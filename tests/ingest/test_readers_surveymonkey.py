"""SurveyMonkey reader: question | label keys from two header rows, CSV and XLSX, encodings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests import paths
from transforms.core.errors import ExportReadError
from transforms.ingest.readers import read_export
from transforms.ingest.readers.detect import detect_platform_or_none
from transforms.ingest.readers.surveymonkey import read_surveymonkey_export

FIXTURES = paths.FIXTURES / "exports"
SM_CSV = FIXTURES / "surveymonkey.csv"
ORG = "Which of the following best describes your organisation?"
FORMATS = "Which training formats would you use?"
DIFFICULTY = "How difficult is it to recruit for these roles?"
HIRES = "How many people will you hire in the next 5 years?"


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def xlsx_export(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "export.xlsx",
        [
            ["Respondent ID", "Collector ID", "Start Date", "Email Address", ORG, HIRES, FORMATS,
             None, None],
            [None, None, None, None, "Response", "Response", "Short course (1-5 days)",
             "E-learning", "Other (please specify)"],
            [114477889900, 431234567, dt.datetime(2024, 3, 1, 9, 0, 5), None,
             "Large pharmaceutical company", 12.0, "Short course (1-5 days)", None, None],
            [114477889911, 431234567, dt.datetime(2024, 3, 2, 13, 5), "x@example.org",
             "Small biotech company", 2.5, None, "E-learning", "0012"],
        ],
    )  # fmt: skip


def test_surveymonkey_reader_keys_columns_by_question_and_row_2_label() -> None:
    export = read_surveymonkey_export(SM_CSV)
    keys = list(export.columns)
    assert keys[:2] == ["Respondent ID", "Collector ID"]
    assert f"{ORG} | Response" in keys
    assert f"{FORMATS} | Short course (1-5 days)" in keys
    assert f"{FORMATS} | Other (please specify)" in keys
    assert f"{DIFFICULTY} | Process engineer" in keys
    assert "Anything else you would like to tell us? | Open-Ended Response" in keys
    assert export.platform == "surveymonkey"


def test_surveymonkey_reader_carries_question_text_over_continuation_columns() -> None:
    info = read_surveymonkey_export(SM_CSV).columns[f"{FORMATS} | E-learning"]
    assert info.tag == FORMATS
    assert info.text == f"{FORMATS} | E-learning"
    assert info.position == 11


def test_surveymonkey_reader_resolves_a_single_column_question_by_its_text() -> None:
    export = read_surveymonkey_export(SM_CSV)
    assert export.resolve(ORG) == f"{ORG} | Response"
    assert FORMATS not in export.aliases  # several columns: no alias


def test_surveymonkey_reader_keeps_values_as_strings_and_empty_as_na() -> None:
    data = read_surveymonkey_export(SM_CSV).data
    assert data["Respondent ID"].tolist() == ["114477889900", "114477889911", "114477889922"]
    assert data[f"{HIRES} | Response"].tolist() == ["0012", "4", pd.NA]
    assert data["Start Date"].iloc[1] == "03/02/2024 01:05:00 PM"
    assert data[f"{ORG} | Response"].iloc[1] == "Contract manufacturer, CDMO"
    assert data["Email Address"].isna().all()


def test_surveymonkey_reader_numbers_source_rows_from_row_3() -> None:
    export = read_surveymonkey_export(SM_CSV)
    assert export.source_rows.tolist() == [3, 4, 5]
    assert export.dialect["header_rows"] == "2"


def test_surveymonkey_reader_has_no_platform_status() -> None:
    status = read_surveymonkey_export(SM_CSV).status
    assert len(status) == 3
    assert status.isna().all()


def test_surveymonkey_columns_with_the_same_key_are_keyed_by_their_column_letters(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Respondent ID,Collector ID,Q,Q,R,R\n,,Response,Response,x,x\n1,2,a,b,c,d\n")
    export = read_surveymonkey_export(path)
    keys = ["Q | Response [C]", "Q | Response [D]", "R | x [E]", "R | x [F]"]
    assert [k for k in export.columns if k.startswith(("Q", "R |"))] == keys
    assert export.column("R | x [F]").tolist() == ["d"]


def test_surveymonkey_reader_rejects_a_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("Respondent ID,Collector ID,Q\n,,Response\n")
    with pytest.raises(ExportReadError, match="no data rows"):
        read_surveymonkey_export(path)


def test_surveymonkey_reader_refuses_a_qualtrics_file() -> None:
    with pytest.raises(ExportReadError, match="looks like a qualtrics export"):
        read_surveymonkey_export(FIXTURES / "qualtrics_import_id.csv")


def test_surveymonkey_reader_reads_xlsx_with_the_same_key_convention(tmp_path: Path) -> None:
    export = read_surveymonkey_export(xlsx_export(tmp_path))
    assert list(export.columns) == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "Email Address",
        f"{ORG} | Response",
        f"{HIRES} | Response",
        f"{FORMATS} | Short course (1-5 days)",
        f"{FORMATS} | E-learning",
        f"{FORMATS} | Other (please specify)",
    ]
    assert export.source_rows.tolist() == [3, 4]
    assert export.dialect["container"] == "xlsx"


def test_surveymonkey_reader_writes_xlsx_numbers_and_dates_as_a_spreadsheet_shows_them(
    tmp_path: Path,
) -> None:
    data = read_surveymonkey_export(xlsx_export(tmp_path)).data
    assert data["Respondent ID"].tolist() == ["114477889900", "114477889911"]
    assert data[f"{HIRES} | Response"].tolist() == ["12", "2.5"]
    assert data["Start Date"].tolist() == ["2024-03-01 09:00:05", "2024-03-02 13:05:00"]
    assert data[f"{FORMATS} | Other (please specify)"].tolist() == [pd.NA, "0012"]
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in data.dtypes)


def test_surveymonkey_reader_reads_windows_1252_files_with_cr_line_ends(tmp_path: Path) -> None:
    text = SM_CSV.read_bytes().decode("utf-8").replace("\r\n", "\r")
    text = text.replace("Small biotech company", "Småföretag – bioteknik")
    path = tmp_path / "old.csv"
    path.write_bytes(text.encode("cp1252"))
    export = read_surveymonkey_export(path)
    assert export.encoding == "cp1252"
    assert export.dialect["line_end"] == "CR"
    assert export.data[f"{ORG} | Response"].iloc[2] == "Småföretag – bioteknik"
    answers = export.data["Anything else you would like to tell us? | Open-Ended Response"]
    assert answers.iloc[1] == "Two lines:\nfirst, and second"


def test_surveymonkey_reader_drops_an_empty_trailing_column(tmp_path: Path) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text("Respondent ID,Collector ID,Q,\n,,Response,\n1,2,a,\n")
    assert list(read_surveymonkey_export(path).columns) == [
        "Respondent ID",
        "Collector ID",
        "Q | Response",
    ]


def test_an_export_without_its_metadata_columns_is_recognised_by_its_two_row_header(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no_metadata.csv"
    path.write_text(
        "Which sector?,Which skills are hard to find?,,Comments\n"
        "Response,GMP,Viral vectors,Open-Ended Response\n"
        "Pharma,GMP,,fine\n"
        "SME,,Viral vectors,\n",
        encoding="utf-8",
    )
    assert detect_platform_or_none(path) == "surveymonkey"
    export = read_export(path)
    assert len(export.data) == 2  # row 2 is a header, not a respondent
    assert "Which skills are hard to find? | Viral vectors" in export.columns
    generic = tmp_path / "generic.csv"
    generic.write_text("Sector,Answer type,Comments\nPharma,Response,fine\n", encoding="utf-8")
    assert detect_platform_or_none(generic) is None
