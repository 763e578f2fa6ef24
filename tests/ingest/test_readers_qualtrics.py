"""Qualtrics reader: keys, values as strings, source rows, status, header layouts, errors."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from tests import paths
from transforms.core.errors import ExportReadError, MissingColumnError
from transforms.ingest.readers.qualtrics import read_qualtrics_export

FIXTURES = paths.FIXTURES / "exports"
IMPORT_ID = FIXTURES / "qualtrics_import_id.csv"
PYTHON_DICT = FIXTURES / "qualtrics_python_dict.csv"
LEGACY = FIXTURES / "qualtrics_legacy.csv"
REAL_EXPORTS = paths.REAL_EXPORTS


def write(tmp_path: Path, text: str, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEADER_3ROW = (
    "StartDate,Status,ResponseId,Q1\n"
    "Start Date,Response Type,Response ID,Region\n"
    '"{""ImportId"":""startDate""}","{""ImportId"":""status""}",'
    '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\n'
)


def test_qualtrics_reader_keys_columns_by_import_id() -> None:
    export = read_qualtrics_export(IMPORT_ID)
    assert list(export.columns)[:3] == ["startDate", "endDate", "status"]
    assert {"_recordId", "QID2", "QID6_1", "QID6_2", "QID9", "QID9_8_TEXT", "QID12_TEXT"} <= set(
        export.columns
    )
    assert list(export.data.columns) == list(export.columns)
    assert export.platform == "qualtrics"
    assert export.dialect["layout"] == "import-id"


def test_qualtrics_reader_resolves_export_tags_and_question_text_to_keys() -> None:
    export = read_qualtrics_export(IMPORT_ID)
    assert export.resolve("ResponseId") == "_recordId"
    assert export.resolve("Q6_1") == "QID6_1"
    assert export.resolve("QID6_1") == "QID6_1"
    assert export.resolve("Response ID") == "_recordId"
    assert export.column("Q2").iloc[0] == "Large pharmaceutical company"
    with pytest.raises(MissingColumnError, match="Q99"):
        export.resolve("Q99")


def test_qualtrics_reader_records_tag_text_and_position_of_each_column() -> None:
    info = read_qualtrics_export(IMPORT_ID).columns["QID6_1"]
    assert info.tag == "Q6_1"
    assert info.text == "How many people will you hire in the next 5 years? - QC analyst"
    assert info.position == 11


def test_qualtrics_reader_strips_html_and_entities_from_question_text() -> None:
    columns = read_qualtrics_export(IMPORT_ID).columns
    assert columns["QID2"].text == "Which of the following best describes your organisation?"
    assert columns["QID12_TEXT"].text == "Anything else you would like to tell us?"


def test_qualtrics_reader_keeps_every_value_as_the_string_in_the_file() -> None:
    data = read_qualtrics_export(IMPORT_ID).data
    assert data["QID6_1"].tolist()[:2] == ["0012", "1"]
    assert data["finished"].iloc[0] == "True"
    assert data["QID9"].iloc[0] == "Short course (1-5 days),E-learning"
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in data.dtypes)


def test_qualtrics_reader_turns_empty_cells_into_na() -> None:
    data = read_qualtrics_export(IMPORT_ID).data
    assert data["QID9_8_TEXT"].iloc[0] is pd.NA
    assert data.loc[3, ["QID2", "QID6_1", "QID12_TEXT"]].isna().all()


def test_qualtrics_reader_keeps_line_breaks_inside_quoted_cells() -> None:
    text = read_qualtrics_export(IMPORT_ID).data["QID12_TEXT"].iloc[2]
    assert text == 'We need more QC analysts.\r\nAlso: "hands-on" GMP training, please.'


def test_qualtrics_reader_numbers_source_rows_by_record_as_a_spreadsheet_shows_them() -> None:
    # The third response spans two physical lines; the fourth is still spreadsheet row 7.
    assert read_qualtrics_export(IMPORT_ID).source_rows.tolist() == [4, 5, 6, 7]


def test_qualtrics_reader_normalises_status_labels() -> None:
    status = read_qualtrics_export(IMPORT_ID).status
    assert status.tolist() == ["normal", "preview", "normal", "normal"]


def test_qualtrics_reader_normalises_numeric_status_codes() -> None:
    status = read_qualtrics_export(PYTHON_DICT).status
    assert status.tolist() == ["normal", "preview", "test", "spam", "imported", "offline"]


def test_qualtrics_reader_rejects_an_unknown_status_naming_file_row_column_and_value(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, HEADER_3ROW + "2024-01-01,0,R_1,A\n2024-01-02,Bogus,R_2,B\n")
    with pytest.raises(ExportReadError) as caught:
        read_qualtrics_export(path)
    assert (caught.value.row, caught.value.column, caught.value.value) == (5, "status", "Bogus")
    assert str(path) in str(caught.value)


def test_qualtrics_reader_gives_na_status_without_a_status_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "StartDate,EndDate,ResponseId,Q1\nStart,End,ID,Region\n2024-01-01,2024-01-01,R_1,A\n",
    )
    export = read_qualtrics_export(path)
    assert export.status.isna().all()
    assert len(export.status) == 1


def test_qualtrics_reader_reads_python_dict_style_import_ids_with_time_zone() -> None:
    export = read_qualtrics_export(PYTHON_DICT)
    assert list(export.columns) == ["startDate", "status", "_recordId", "QID1", "QID2_1", "QID2_2"]
    assert export.column("Q1").tolist()[2:4] == ["Skåne", "Västra Götaland"]


def test_qualtrics_reader_reports_encoding_bom_delimiter_and_line_ends() -> None:
    with_bom = read_qualtrics_export(IMPORT_ID)
    assert with_bom.encoding == "utf-8"
    assert with_bom.dialect["bom"] == "yes"
    assert with_bom.dialect["line_end"] == "CRLF"
    assert with_bom.dialect["delimiter"] == ","
    assert with_bom.dialect["header_rows"] == "3"
    without = read_qualtrics_export(PYTHON_DICT)
    assert (without.dialect["bom"], without.dialect["line_end"]) == ("no", "LF")


def test_qualtrics_reader_reads_legacy_two_row_exports_keyed_by_tag() -> None:
    export = read_qualtrics_export(LEGACY)
    assert export.dialect["layout"] == "legacy"
    assert list(export.columns)[:3] == ["V1", "V2", "V3"]
    assert export.resolve("ResponseID") == "V1"
    assert export.column("Q1").tolist() == ["2", "007"]
    assert export.source_rows.tolist() == [3, 4]
    assert export.status.tolist() == ["normal", "preview"]


def test_qualtrics_reader_drops_the_empty_trailing_column_of_legacy_exports() -> None:
    export = read_qualtrics_export(LEGACY)
    assert "" not in export.columns
    assert len(export.data.columns) == 14


def test_qualtrics_reader_keys_reused_legacy_tags_by_tag_and_text() -> None:
    export = read_qualtrics_export(LEGACY)
    assert "question_one | First matrix-Statement 1" in export.columns
    assert export.column("question_one | Second matrix-Statement 1").tolist() == ["3", pd.NA]
    with pytest.raises(MissingColumnError):
        export.resolve("question_one")  # ambiguous: not an alias


def test_qualtrics_reader_keeps_quoted_commas_in_one_cell() -> None:
    assert read_qualtrics_export(LEGACY).column("Q3_TEXT").iloc[0] == "Comma, quoted"


def test_qualtrics_reader_rejects_a_header_only_file(tmp_path: Path) -> None:
    with pytest.raises(ExportReadError, match="no data rows"):
        read_qualtrics_export(write(tmp_path, HEADER_3ROW))


def test_qualtrics_reader_rejects_an_unreadable_import_id_naming_row_3(tmp_path: Path) -> None:
    broken = HEADER_3ROW.replace('"{""ImportId"":""QID1""}"', "{ImportId: QID1")
    with pytest.raises(ExportReadError) as caught:
        read_qualtrics_export(write(tmp_path, broken + "2024-01-01,0,R_1,A\n"))
    assert (caught.value.row, caught.value.column) == (3, "Q1")


def test_qualtrics_reader_refuses_a_surveymonkey_file() -> None:
    with pytest.raises(ExportReadError, match="looks like a surveymonkey export"):
        read_qualtrics_export(FIXTURES / "surveymonkey.csv")


def test_qualtrics_reader_rejects_data_under_a_column_without_header(tmp_path: Path) -> None:
    text = "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1,\n" + ",".join(["x"] * 11) + ",\n"
    text += ",".join(["1"] * 11) + ",surprise\n"
    with pytest.raises(ExportReadError, match=r"column 12 \(L\) holds data"):
        read_qualtrics_export(write(tmp_path, text))


def test_qualtrics_reader_names_the_row_with_too_many_cells(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER_3ROW + "2024-01-01,0,R_1,A\n2024-01-02,0,R_2,B,extra\n")
    with pytest.raises(ExportReadError, match="5 cells") as caught:
        read_qualtrics_export(path)
    assert caught.value.row == 5


def test_qualtrics_reader_counts_blank_lines_as_spreadsheet_rows(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER_3ROW + "2024-01-01,0,R_1,A\n\n2024-01-02,0,R_2,B\n")
    export = read_qualtrics_export(path)
    assert export.source_rows.tolist() == [4, 6]
    assert export.column("ResponseId").tolist() == ["R_1", "R_2"]


def test_qualtrics_reader_reads_tab_separated_utf16_exports(tmp_path: Path) -> None:
    text = HEADER_3ROW.replace(",", "\t") + "2024-01-01\t0\tR_1\tMalmö, Skåne\n"
    export = read_qualtrics_export(write(tmp_path, "\ufeff" + text, "export.tsv", "utf-16-le"))
    assert export.encoding == "utf-16"
    assert export.dialect["delimiter"] == "\t"
    assert export.column("Q1").tolist() == ["Malmö, Skåne"]


def test_qualtrics_reader_falls_back_to_windows_1252_for_non_utf8_files(tmp_path: Path) -> None:
    text = HEADER_3ROW + "2024-01-01,0,R_1,Göteborg – Västra\n"
    export = read_qualtrics_export(write(tmp_path, text, encoding="cp1252"))
    assert export.encoding == "cp1252"
    assert export.column("Q1").iloc[0] == "Göteborg – Västra"


def test_qualtrics_reader_fingerprints_the_file() -> None:
    export = read_qualtrics_export(LEGACY)
    assert len(export.sha256) == 64
    assert export.path == LEGACY


# --- real public exports (skipped when ../shared/real-exports is absent) ---------------------

QUALTRICS_REAL = sorted(
    [
        *(REAL_EXPORTS / "qualtrics_qualtRics_fixture").glob("*.csv"),
        *(REAL_EXPORTS / "qualtrics_qualtricstools_samples").glob("Sample Surveys/*/*.csv"),
    ]
)


def csv_record_count(path: Path) -> tuple[int, int]:
    """(records, header rows) counted independently with Python's csv module."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = [row for row in csv.reader(handle) if row]
    legacy = records[0][0] == "V1"
    return len(records), 2 if legacy else 3


@pytest.mark.real_exports
@pytest.mark.skipif(not QUALTRICS_REAL, reason="real exports are not available")
@pytest.mark.parametrize("path", QUALTRICS_REAL, ids=lambda p: p.name)
def test_qualtrics_reader_reads_every_row_of_real_exports(path: Path) -> None:
    export = read_qualtrics_export(path)
    records, header_rows = csv_record_count(path)
    assert len(export.data) == records - header_rows
    assert export.source_rows.iloc[0] == header_rows + 1
    assert export.status.notna().all()
    tags = Counter(info.tag for info in export.columns.values())
    for key, info in export.columns.items():
        assert export.resolve(key) == key
        if tags[info.tag] == 1:
            assert export.resolve(info.tag) == key
        else:
            assert info.tag not in export.aliases
    response_id = "ResponseId" if "ResponseId" in export.aliases else "ResponseID"
    assert export.column(response_id).str.startswith("R_").all()


@pytest.mark.real_exports
@pytest.mark.skipif(not QUALTRICS_REAL, reason="real exports are not available")
def test_qualtrics_reader_keys_the_qualtrics_r_fixture_by_import_id() -> None:
    export = read_qualtrics_export(REAL_EXPORTS / "qualtrics_qualtRics_fixture" / "sample.csv")
    assert export.resolve("Q2") == "QID2_TEXT"
    assert export.column("Q2").tolist() == ["Hello World!"]
    assert export.columns["QID1"].text == "This is a multiple choice question."
    legacy = read_qualtrics_export(
        REAL_EXPORTS / "qualtrics_qualtRics_fixture" / "sample_legacy.csv"
    )
    assert legacy.dialect["bom"] == "yes"
    assert legacy.column("ResponseID").tolist() == ["R_2YPOQ602ER1jkf1"]
    assert len(legacy.columns) == 15


def test_qualtrics_reader_switches_to_windows_1252_when_utf8_breaks_late(tmp_path: Path) -> None:
    filler = "".join(f"2024-01-01,0,R_{i},Stockholm\n" for i in range(4000))  # > 64 KiB ASCII
    text = HEADER_3ROW + filler + "2024-01-02,0,R_x,Malmö\n"
    export = read_qualtrics_export(write(tmp_path, text, encoding="cp1252"))
    assert export.encoding == "cp1252"
    assert export.column("Q1").iloc[-1] == "Malmö"


def test_qualtrics_reader_refuses_a_file_that_mixes_encodings(tmp_path: Path) -> None:
    filler = "".join(f"2024-01-01,0,R_{i},Växjö\n" for i in range(4000))
    data = (HEADER_3ROW + filler).encode("utf-8") + "2024-01-02,0,R_x,Malmö\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    with pytest.raises(ExportReadError, match="mixes encodings"):
        read_qualtrics_export(path)
