"""Ingest step, reading: the cells of an XLSX export as the strings a spreadsheet shows
(python-calamine, a Rust XLSX reader; openpyxl only as the tests' independent reference).

Calamine parses a whole sheet at once, however few rows are asked for, and parsing is most of
the time a workbook takes to read: `read_export` therefore reads a workbook's cells once and
detects the platform from their first rows (no cache of parsed sheets is kept).
"""

from __future__ import annotations

from itertools import zip_longest
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.excel_values import column_texts

_BATCH_ROWS = 4096  # rows converted at a time; their Python objects are freed after each batch


def read_xlsx_table(path: Path, limit: int | None = None) -> tuple[str, pa.Table]:
    """(sheet name, cells) of the workbook's first sheet: one large_string column per sheet
    column from column A (null for empty cells), one row per sheet row from row 1 (empty rows
    included, so that row position + 1 is the spreadsheet row), at most limit rows."""
    try:
        sheet = _first_sheet(path)
        name, rows = str(sheet.name), sheet.to_python(skip_empty_area=False, nrows=limit)
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise ExportReadError(f"the workbook cannot be read: {error}", file=path) from error
    del sheet  # the parsed sheet is freed before the conversion
    return name, _columns(rows)


def read_xlsx_records(path: Path, limit: int | None = None) -> tuple[str, list[list[str | None]]]:
    """(sheet name, rows) of the workbook's first sheet; every row in order, empty ones included,
    so that list position + 1 is the spreadsheet row."""
    name, table = read_xlsx_table(path, limit)
    columns = [column.to_pylist() for column in table.columns]
    records = [list(row) for row in zip(*columns, strict=True)]
    return name, _drop_trailing_empty_rows(records)


def _columns(rows: list[Any]) -> pa.Table:
    """The rows as text columns, converted a batch of rows at a time (the batch converted
    last first, so that each batch's values can be freed as soon as it is done)."""
    width = max(map(len, rows), default=0)
    chunks: list[list[pa.Array]] = [[] for _ in range(width)]
    for end in range(len(rows), 0, -_BATCH_ROWS):
        start = max(end - _BATCH_ROWS, 0)
        columns = list(zip_longest(*rows[start:end], fillvalue=None))
        del rows[start:end]
        for position in range(width):
            if position < len(columns):
                chunks[position].append(column_texts(columns[position]))
            else:
                chunks[position].append(pa.nulls(end - start, pa.large_string()))
        del columns
    names = [f"f{position}" for position in range(width)]
    return pa.table(
        [pa.chunked_array(reversed(parts), pa.large_string()) for parts in chunks], names=names
    )


def _first_sheet(path: Path) -> CalamineSheet:
    """The parsed first sheet of the workbook."""
    with CalamineWorkbook.from_path(str(Path(path))) as workbook:
        return workbook.get_sheet_by_index(0)


def _drop_trailing_empty_rows(records: list[list[str | None]]) -> list[list[str | None]]:
    end = len(records)
    while end and not any(records[end - 1]):
        end -= 1
    return records[:end]
