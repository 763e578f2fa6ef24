"""Report step, workbook: every report table as one sheet of tables.xlsx (openpyxl).

Numbers are written as numbers with a display format, so they can be copied, summed, sorted
and pivoted: a column of numbers holds nothing else. A suppressed or missing estimate is an
empty cell; every column with a suppressed cell gets a "Not published: <column>" column at the
right of the sheet holding its marker ([c]: fewer than the minimum of organisations; [c2]:
hidden so that no [c] cell can be worked out from a total), explained under the table.
Intervals are split into a low and a high column. An estimate the mart flags low precision
shows "‡" after its number (a display format: the cell stays a number), and every column of
estimates that carry the flag gets a "Low precision: <column>" column of TRUE/FALSE (empty when
suppressed), so the flag can be filtered on. Changes in a share are in percentage points.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from transforms.report.formatting import LOW_PRECISION_MARK, PRIMARY_MARK, SECONDARY_MARK
from transforms.report.values import Cell, ReportMeta, Table, Value

NUMBER_FORMATS = {
    "count": "#,##0",
    "share": "0%",
    "share1": "0.0%",
    "ratio": "0.0",
    "decimal": "0.00",
    "signed": "+#,##0;-#,##0;0",
    "points": '+0" pp";-0" pp";0" pp"',  # a change in a share, written × 100: points
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=12)
NOTE = Font(italic=True, color="555555")


def _imprint(meta: ReportMeta) -> list[tuple[str, str]]:
    """Publisher, date, version, contact, licence and the suggested citation, as given."""
    c = meta.citation
    if c is None:
        return []
    given = [
        ("Publisher", c.publisher),
        ("Published", c.published_text),
        ("Version", c.version),
        ("Contact", c.contact),
        ("Licence", c.licence),
        ("Cite as", c.reference),
    ]
    return [(name, text) for name, text in given if text]


def write_tables_xlsx(tables: Sequence[Table], meta: ReportMeta, target: Path) -> None:
    """One sheet per table, after an 'About' sheet with the survey, notice and suppression rule."""
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    lines: list[tuple[str, str]] = [
        ("Survey", meta.survey_title),
        ("Wave", meta.wave),
        ("Notice", meta.notice_text or ""),
        *_imprint(meta),
        (
            "Suppression",
            f"Cells based on fewer than {meta.min_cell_size} organisations are not published "
            f"({PRIMARY_MARK}), and neither are the cells that would let such a cell be worked "
            f"out from a total ({SECONDARY_MARK}, secondary suppression). A hidden cell is "
            'empty; its marker is in the "Not published: …" columns at the right of a sheet.',
        ),
        (
            "Low precision",
            f"{meta.low_precision_note} The flag of every such estimate is also in the "
            '"Low precision: …" columns at the right of a sheet (TRUE or FALSE; empty when the '
            "estimate is suppressed).",
        ),
    ]
    about["A1"] = meta.survey_title
    about["A1"].font = TITLE
    for i, (name, text) in enumerate(lines, start=3):
        about.cell(i, 1, name).font = BOLD
        about.cell(i, 2, text)
    start = len(lines) + 4
    about.cell(start, 1, "Sheet").font = BOLD
    about.cell(start, 2, "Table").font = BOLD
    names = _sheet_names(tables)
    for i, (table, name) in enumerate(zip(tables, names, strict=True), start=start + 1):
        about.cell(i, 1, name)
        about.cell(i, 2, f"Table {table.number}. {table.title}")
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 90
    for table, name in zip(tables, names, strict=True):
        _write_table(workbook.create_sheet(name), table)
    _save_reproducibly(workbook, target, _stamp(meta))


def _stamp(meta: ReportMeta) -> datetime:
    """The workbook's created and modified time: SOURCE_DATE_EPOCH when set (the reproducible-
    builds convention), else the wave's publication date, else 1 January 2000: never the
    clock, so that the same marts give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    published = meta.citation.published if meta.citation else None
    return datetime.combine(published or date(2000, 1, 1), time())


def _save_reproducibly(workbook: Workbook, target: Path, stamp: datetime) -> None:
    """Save as openpyxl does, but with the given timestamps in the document properties and
    on every ZIP member (openpyxl's own save writes the clock into both)."""
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    members = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=max(members, (1980, 1, 1, 0, 0, 0)))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = item.external_attr
            archive.writestr(fixed, source.read(item.filename))


def _sheet_names(tables: Sequence[Table]) -> list[str]:
    names: list[str] = []
    for table in tables:
        base = re.sub(r"[\[\]:*?/\\]", " ", table.sheet).strip()[:31] or "Table"
        name, k = base, 2
        while name.lower() in {n.lower() for n in [*names, "about"]}:
            name = f"{base[: 31 - len(str(k)) - 1]} {k}"
            k += 1
        names.append(name)
    return names


def _headers(table: Table) -> list[str]:
    headers: list[str] = []
    for column in table.columns:
        if column.kind == "interval":
            headers += [f"{column.header} low", f"{column.header} high"]
        elif column.kind == "estimate":
            headers += [column.header, f"{column.header} low", f"{column.header} high"]
        else:
            headers.append(column.header)
    flags = [f"Low precision: {table.columns[j].header}" for j in _flag_columns(table)]
    hidden = [f"Not published: {table.columns[j].header}" for j in _hidden_columns(table)]
    return headers + flags + hidden


def _hidden_columns(table: Table) -> list[int]:
    """The table's columns of numbers with a suppressed cell (in any row)."""
    return [
        j
        for j, column in enumerate(table.columns)
        if column.kind != "label" and any(row[j].values[0].suppressed for row in table.rows)
    ]


def _flag_columns(table: Table) -> list[int]:
    """The table's columns of estimates that carry a low-precision flag (in any row)."""
    return [
        j
        for j, column in enumerate(table.columns)
        if column.kind in ("number", "estimate")
        and any(row[j].values[0].low_precision is not None for row in table.rows)
    ]


def _marked(number_format: str) -> str:
    """A display format that writes "‡" after the number, in every section (+;-;0)."""
    return ";".join(f'{part}"{LOW_PRECISION_MARK}"' for part in number_format.split(";"))


def _cell_values(cell: Cell) -> list[Value | None]:
    if cell.stacked:
        estimate, *bounds = cell.values
        return [estimate, *(bounds if all(v.raw is not None for v in bounds) else [None, None])]
    if not cell.interval:
        return [cell.values[0]]
    if any(v.raw is None for v in cell.values):
        return [None, None]  # a suppressed or missing estimate has no interval
    return list(cell.values)


def _write_table(ws: Any, table: Table) -> None:
    headers = _headers(table)
    ws.cell(1, 1, f"Table {table.number}. {table.title}").font = TITLE
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(2, j, header)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    widths = [max(len(word) for word in h.split()) for h in headers]
    for i, row in enumerate(table.rows, start=3):
        j = 1
        for table_cell in row:
            for value in _cell_values(table_cell):
                cell = ws.cell(i, j)
                if value is None or (value.raw is None and value.kind != "text"):
                    pass  # suppressed or missing: an empty cell, never text among numbers
                elif value.raw is None or value.kind == "text":
                    cell.value = value.text
                else:
                    raw = value.raw
                    cell.value = float(raw) * 100 if value.kind == "points" else raw
                    number_format = NUMBER_FORMATS.get(value.kind, "General")
                    cell.number_format = (
                        _marked(number_format) if value.low_precision else number_format
                    )
                if table_cell.strong:
                    cell.font = BOLD
                shown = value.text if value is not None else ""
                widths[j - 1] = max(widths[j - 1], len(shown) + bool(value and value.low_precision))
                j += 1
        for k in _flag_columns(table):
            ws.cell(i, j, row[k].values[0].low_precision)  # None (suppressed) leaves it empty
            j += 1
        for k in _hidden_columns(table):
            hidden = row[k].values[0]
            ws.cell(i, j, hidden.text if hidden.suppressed else None)
            j += 1
    note_row = len(table.rows) + 4
    for k, note in enumerate((*table.notes, table.source) if table.source else table.notes):
        ws.cell(note_row + k, 1, note).font = NOTE
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 9), 60)
    ws.freeze_panes = "B3"
