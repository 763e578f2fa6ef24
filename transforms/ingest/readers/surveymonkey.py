"""Ingest step, reading: SurveyMonkey CSV/XLSX exports (2 header rows) into a RawExport keyed by
"question text | row-2 label".

Row 1 holds the question text over the first column of each question only; it is carried
forward over the question's other columns. Row 2 holds ``Response``, ``Open-Ended Response``, an
option or row label, ``Other (please specify)``, or nothing (metadata columns). Key:
``"<question> | <row-2 label>"`` when row 2 is non-empty, else the row-1 text alone
(``Respondent ID``, ``Email Address``). Whitespace in both parts is collapsed to single spaces.
A question with a single column is also reachable by its question text alone (an alias).
Two columns with the same key are an error naming both positions (never silently renamed).
SurveyMonkey has no response status: ``status`` is all NA. Source rows start at 3.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.assemble import (
    build_export,
    collapse_space,
    column_label,
    distinct_keys,
    kept_positions,
    padded,
    require_records,
    unique_aliases,
)
from transforms.ingest.readers.base import ColumnInfo, RawExport
from transforms.ingest.readers.cells import CellTable, read_cells
from transforms.ingest.readers.detect import check_platform

HEADER_ROWS = 2
KEY_SEPARATOR = " | "


def read_surveymonkey_export(path: Path, cells: CellTable | None = None) -> RawExport:
    """A SurveyMonkey export (CSV or XLSX) read into strings, keyed by question | label."""
    path = Path(path)
    cells = cells if cells is not None else read_cells(path)
    require_records(cells, HEADER_ROWS)
    check_platform(path, cells.header(3), "surveymonkey")
    raw_header = cells.header(HEADER_ROWS)
    header = padded(raw_header, HEADER_ROWS, len(raw_header[0]))
    positions = kept_positions(cells, header, HEADER_ROWS)
    columns = surveymonkey_columns(path, header, positions)
    questions = Counter(column.tag for column in columns)
    aliases = unique_aliases(
        [column.key for column in columns],
        [[(column.tag, column.key) for column in columns if questions[column.tag] == 1]],
    )
    return build_export(
        cells,
        platform="surveymonkey",
        n_header_rows=HEADER_ROWS,
        positions=positions,
        columns=columns,
        aliases=aliases,
    )


def surveymonkey_columns(
    path: Path, header: list[list[str]], positions: list[int]
) -> list[ColumnInfo]:
    """Columns keyed by forward-filled question text and row-2 label."""
    columns: list[ColumnInfo] = []
    question = ""
    for position in positions:
        own = collapse_space(header[0][position])
        question = own or question
        if not question:
            raise ExportReadError(
                f"{column_label(position)} has no question text in row 1 and none before it",
                file=path,
                row=1,
            )
        label = collapse_space(header[1][position])
        key = f"{question}{KEY_SEPARATOR}{label}" if label else question
        columns.append(ColumnInfo(key=key, tag=question, text=key, position=position))
    return distinct_keys(columns)
