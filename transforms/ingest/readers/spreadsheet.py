"""Ingest step, reading: the cells of an XLSX export as the strings a spreadsheet shows
(python-calamine, a Rust XLSX reader; openpyxl only as the tests' independent reference).

Calamine parses a whole sheet at once, however few rows are asked for, and parsing is most of
the time a workbook takes to read: `read_export` therefore reads a workbook's cells once and
detects the platform from their first rows (no cache of parsed sheets is kept).
"""

from __future__ import annotations

import re
import zipfile
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.excel_values import column_texts
from transforms.ingest.readers.limits import DEFAULT_LIMITS, setting

_BATCH_ROWS = 4096  # rows converted at a time; their Python objects are freed after each batch
_CELL_REF = re.compile(rb'<c[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')


def read_xlsx_table(
    path: Path, limit: int | None = None, *, max_cells: int = DEFAULT_LIMITS.max_xlsx_cells
) -> tuple[str, pa.Table]:
    """(sheet name, cells) of the workbook's first sheet: one large_string column per sheet
    column from column A (null for empty cells), one row per sheet row from row 1 (empty rows
    included, so that row position + 1 is the spreadsheet row), at most limit rows; a sheet
    spanning more than ``max_cells`` is refused before it is parsed."""
    check_extent(path, max_cells)
    try:
        sheet = _first_sheet(path)
        name, rows = str(sheet.name), sheet.to_python(skip_empty_area=False, nrows=limit)
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise ExportReadError(f"the workbook cannot be read: {error}", file=path) from error
    del sheet  # the parsed sheet is freed before the conversion
    return name, _columns(rows)


def read_xlsx_records(
    path: Path, limit: int | None = None, *, max_cells: int = DEFAULT_LIMITS.max_xlsx_cells
) -> tuple[str, list[list[str | None]]]:
    """(sheet name, rows) of the workbook's first sheet; every row in order, empty ones included,
    so that list position + 1 is the spreadsheet row."""
    name, table = read_xlsx_table(path, limit, max_cells=max_cells)
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


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_extent(path: Path, max_cells: int) -> None:
    """Refuse a workbook whose sheets reach further than ``max_cells`` (rows x columns, as
    far as their farthest cell) before the reader parses it: the parser allocates the whole
    rectangle up to the farthest cell, so one cell at XFD1048576 would ask for 500 GB and abort
    the process. The sheets' XML is scanned as a stream for cell references."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            for name in sheets:
                rows = columns = 0
                tail = b""
                with archive.open(name) as stream:
                    while chunk := stream.read(1 << 20):
                        text = tail + chunk
                        for letters, row in _CELL_REF.findall(text):
                            rows = max(rows, int(row))
                            columns = max(columns, _column_number(letters))
                        tail = text[-32:]
                if rows * columns > max_cells:
                    raise ExportReadError(
                        f"the sheet {name.rsplit('/', 1)[-1]} reaches row {rows:,} and column "
                        f"{columns:,}: {rows * columns:,} cells, more than the "
                        f"{max_cells:,} a workbook may span ({setting('max_xlsx_cells')}; is a "
                        "stray cell far below or to the right of the answers?)",
                        file=path,
                    )
    except (zipfile.BadZipFile, OSError) as error:
        raise ExportReadError(
            f"the workbook cannot be read (damaged): {error}", file=path
        ) from error


def _first_sheet(path: Path) -> CalamineSheet:
    """The parsed first sheet of the workbook."""
    with CalamineWorkbook.from_path(str(Path(path))) as workbook:
        return workbook.get_sheet_by_index(0)


def _drop_trailing_empty_rows(records: list[list[str | None]]) -> list[list[str | None]]:
    end = len(records)
    while end and not any(records[end - 1]):
        end -= 1
    return records[:end]
