"""Ingest step, reading: the cells of an XLSX export as the strings a spreadsheet shows (streamed
from the XML; openpyxl for workbooks the stream parser does not handle)."""

from __future__ import annotations

import zipfile
from itertools import islice
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl

from transforms.errors import ExportReadError
from transforms.readers.excel_values import cell_text
from transforms.readers.xlsx_stream import UnsupportedWorkbook, read_first_sheet


def read_xlsx_records(path: Path, limit: int | None = None) -> tuple[str, list[list[str | None]]]:
    """(sheet name, rows) of the workbook's first sheet; every row in order, empty ones included,
    so that list position + 1 is the spreadsheet row."""
    try:
        with path.open("rb") as handle:
            sheet, records = read_first_sheet(handle, limit)
    except UnsupportedWorkbook:
        return _read_with_openpyxl(path, limit)
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError, IndexError) as error:
        raise ExportReadError(f"the workbook cannot be read: {error}", file=path) from error
    return sheet, _drop_trailing_empty_rows(records)


def _read_with_openpyxl(path: Path, limit: int | None) -> tuple[str, list[list[str | None]]]:
    with path.open("rb") as handle:  # a handle: openpyxl refuses names not ending in .xlsx
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a broken workbook
            raise ExportReadError(f"the workbook cannot be opened: {error}", file=path) from error
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers store a wrong <dimension>; read every cell
            rows = islice(sheet.iter_rows(values_only=True), limit)
            records = [[cell_text(value) for value in row] for row in rows]
            return str(sheet.title), _drop_trailing_empty_rows(records)
        finally:
            workbook.close()


def _drop_trailing_empty_rows(records: list[list[str | None]]) -> list[list[str | None]]:
    end = len(records)
    while end and not any(records[end - 1]):
        end -= 1
    return records[:end]
