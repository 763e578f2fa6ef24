"""Ingest step, reading: the cells of an XLSX export as the strings a spreadsheet shows
(python-calamine, a Rust XLSX reader; openpyxl only as the tests' independent reference)."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from transforms.errors import ExportReadError
from transforms.readers.excel_values import cell_text


def read_xlsx_records(path: Path, limit: int | None = None) -> tuple[str, list[list[str | None]]]:
    """(sheet name, rows) of the workbook's first sheet; every row in order, empty ones included,
    so that list position + 1 is the spreadsheet row."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False, nrows=limit)
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise ExportReadError(f"the workbook cannot be read: {error}", file=path) from error
    records = [[cell_text(value) for value in row] for row in rows]
    return str(sheet.name), _drop_trailing_empty_rows(records)


def _drop_trailing_empty_rows(records: list[list[str | None]]) -> list[list[str | None]]:
    end = len(records)
    while end and not any(records[end - 1]):
        end -= 1
    return records[:end]
