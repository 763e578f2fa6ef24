"""XLSX cells: the calamine reader gives every cell type as openpyxl, read independently, does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.excel_values import cell_text
from transforms.ingest.readers.spreadsheet import read_xlsx_records


def _reference_value(value: object) -> object:
    """Where the two readers differ by design: calamine gives a date for a date cell at
    midnight, and an empty cell for an Excel error value such as #N/A."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, str) and value.startswith("#") and value.endswith(("!", "?", "/A")):
        return None
    return value


def _read_with_openpyxl(path: Path) -> tuple[str, list[list[str | None]]]:
    """The reference: openpyxl's values through the same cell formatting."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [
        [cell_text(_reference_value(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return str(sheet.title), rows


ROWS: list[list[object]] = [
    ["text", "int", "float", "big", "date", "time", "bool", "empty"],
    ["Göteborg", 12, 2.5, 114477889900, dt.datetime(2024, 3, 1, 9, 0, 5), dt.time(13, 5), True,
     None],
    ["0012", -3, 12.0, 1e20, dt.datetime(1999, 12, 31), dt.time(0, 0, 1), False, ""],
]  # fmt: skip


def workbook(path: Path, *, date1904: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Responses"
    for row in ROWS:
        sheet.append(row)
    sheet["A5"] = CellRichText(["rich ", TextBlock(InlineFont(b=True), "text")])
    sheet["B5"] = "=1+1"  # a formula without a cached value
    sheet["C6"] = "#N/A"
    if date1904:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book.save(path)
    return path


@pytest.mark.parametrize("date1904", [False, True])
def test_xlsx_reader_reads_every_cell_as_openpyxl_does(tmp_path: Path, date1904: bool) -> None:
    path = workbook(tmp_path / "book.xlsx", date1904=date1904)
    streamed = read_xlsx_records(path)
    assert streamed == _read_with_openpyxl(path)
    name, rows = streamed
    assert name == "Responses"
    assert rows[1][:7] == ["Göteborg", "12", "2.5", "114477889900", "2024-03-01 09:00:05",
                           "13:05:00", "TRUE"]  # fmt: skip
    assert rows[2][:4] == ["0012", "-3", "12", "1e+20"]
    assert not any(rows[3])  # an empty row keeps its place
    assert rows[4][0] == "rich text"


def test_xlsx_reader_stops_after_the_requested_rows(tmp_path: Path) -> None:
    _, rows = read_xlsx_records(workbook(tmp_path / "book.xlsx"), limit=2)
    assert len(rows) == 2


def test_xlsx_reader_names_a_broken_workbook(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ExportReadError, match="workbook cannot be read"):
        read_xlsx_records(path)


def test_read_export_names_a_damaged_workbook(tmp_path: Path) -> None:
    from transforms.ingest.readers import read_export

    path = workbook(tmp_path / "book.xlsx")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ExportReadError, match="damaged"):
        read_export(path)


def test_a_workbook_changed_after_detection_is_read_afresh(tmp_path: Path) -> None:
    from transforms.ingest.readers import detect_platform, read_export

    path = tmp_path / "forms.xlsx"
    for answer in ("before", "after"):
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Timestamp", "Question"])
        sheet.append(["2024-01-01", answer])
        book.save(path)
        if answer == "before":
            assert detect_platform(path) == "google_forms"  # parses and keeps the sheet
    assert read_export(path).data["Question"].tolist() == ["after"]
