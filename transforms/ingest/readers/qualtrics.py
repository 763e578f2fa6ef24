"""Ingest step, reading: Qualtrics CSV/TSV exports (3 header rows with ImportIds, or the legacy
2-row V1..V10 layout) into a RawExport keyed by ImportId.

Layouts and keys:
- ``import-id`` (current): row 1 export tags, row 2 question text, row 3 ``{"ImportId": ...}``
  (JSON, possibly with ``timeZone``, or Python-dict quoting). Key = ImportId (``QID4_1``,
  ``_recordId``, ``status``); tag and text (when unique) are aliases of it.
- ``legacy``: row 1 ``V1..V10`` + export tags, row 2 text (``ResponseID``, ``Status``, question
  text). Key = tag; text (when unique) is an alias, so ``ResponseID`` resolves to ``V1``.
- ``two-row``: row 1 export tags with Qualtrics metadata names, row 2 text, no ImportId row.
  Key = tag.
A key that occurs twice (legacy tags reused across questions) becomes ``"tag | text"``, or
``"ImportId | tag"``; if that is still not unique the read fails naming both columns.

Source rows count records, not physical lines: the first data record of a 3-row export is row 4
even when a header cell holds a line break, as a spreadsheet shows it.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.assemble import (
    build_export,
    clean_html_text,
    column_label,
    disambiguate,
    kept_positions,
    padded,
    require_records,
    require_unique_keys,
    unique_aliases,
)
from transforms.ingest.readers.base import (
    STATUS_IMPORTED,
    STATUS_NORMAL,
    STATUS_OFFLINE,
    STATUS_PREVIEW,
    STATUS_SPAM,
    STATUS_TEST,
    ColumnInfo,
    RawExport,
)
from transforms.ingest.readers.cells import STRING_DTYPE, CellTable, read_cells
from transforms.ingest.readers.detect import (
    LEGACY_QUALTRICS_START,
    is_import_id_cell,
    looks_like_qualtrics,
    platform_of_records,
)

# Status column values (numeric code or label) -> normalised status.
QUALTRICS_STATUS: dict[str, str] = {
    "0": STATUS_NORMAL,
    "IP Address": STATUS_NORMAL,
    "1": STATUS_PREVIEW,
    "Survey Preview": STATUS_PREVIEW,
    "2": STATUS_TEST,
    "Survey Test": STATUS_TEST,
    "4": STATUS_IMPORTED,
    "Imported": STATUS_IMPORTED,
    "8": STATUS_SPAM,
    "Spam": STATUS_SPAM,
    "16": STATUS_OFFLINE,
    "Offline": STATUS_OFFLINE,
}


@dataclass(frozen=True)
class QualtricsHeader:
    layout: str  # "import-id", "legacy" or "two-row"
    n_rows: int
    tags: list[str]
    texts: list[str]
    import_ids: list[str] | None


def read_qualtrics_export(path: Path, cells: CellTable | None = None) -> RawExport:
    """A Qualtrics export read into strings, keyed by ImportId (by tag for legacy exports)."""
    path = Path(path)
    cells = cells if cells is not None else read_cells(path)
    require_records(cells, 1)
    header = _parse_header(cells)
    require_records(cells, header.n_rows)
    positions = kept_positions(
        cells, padded(cells.header(header.n_rows), header.n_rows, len(header.tags)), header.n_rows
    )
    columns = _columns(path, header, positions)
    keys = [column.key for column in columns]
    aliases = unique_aliases(
        keys,
        [
            [(column.tag, column.key) for column in columns],
            [(column.text, column.key) for column in columns],
        ],
    )
    export = build_export(
        cells,
        platform="qualtrics",
        n_header_rows=header.n_rows,
        positions=positions,
        columns=columns,
        aliases=aliases,
        dialect={"layout": header.layout},
    )
    status_key = _status_key(export)
    if status_key is None:
        return export
    status = normalise_status(path, status_key, export.data[status_key], export.source_rows)
    return replace(export, status=status)


def _parse_header(cells: CellTable) -> QualtricsHeader:
    rows = cells.header(3)
    width = len(rows[0])
    rows = padded(rows, 3, width)
    if not looks_like_qualtrics(rows):
        found = platform_of_records(rows)
        raise ExportReadError(
            "the export does not look like a Qualtrics export (no V1..V10 header, no three "
            "Qualtrics metadata columns, no ImportId row)"
            + (f"; it looks like a {found} export" if found else ""),
            file=cells.path,
        )
    tags = [cell.strip() for cell in rows[0]]
    texts = [clean_html_text(cell) for cell in rows[1]]
    if tags[:3] == LEGACY_QUALTRICS_START:
        return QualtricsHeader("legacy", 2, tags, texts, None)
    if any(is_import_id_cell(cell) for cell in rows[2]):
        import_ids = [
            _import_id(cells, position, tags, cell) for position, cell in enumerate(rows[2])
        ]
        return QualtricsHeader("import-id", 3, tags, texts, import_ids)
    return QualtricsHeader("two-row", 2, tags, texts, None)


def _import_id(cells: CellTable, position: int, tags: list[str], cell: str) -> str:
    """The ImportId of one row-3 cell ('' for an empty cell, checked later)."""
    text = cell.strip()
    if not text:
        return ""
    parsed: object = None
    try:
        parsed = json.loads(text)
    except ValueError:
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("ImportId"), str):
        return str(parsed["ImportId"]).strip()
    raise ExportReadError(
        f"the ImportId cell of {column_label(position)} cannot be read",
        file=cells.path,
        row=int(cells.record_rows[2]),
        column=tags[position] or None,
        value=cell,
    )


def _columns(path: Path, header: QualtricsHeader, positions: list[int]) -> list[ColumnInfo]:
    tags = [header.tags[p] for p in positions]
    texts = [header.texts[p] for p in positions]
    if header.import_ids is not None:
        base = [header.import_ids[p] for p in positions]
        fallbacks = [f"{key} | {tag}" for key, tag in zip(base, tags, strict=True)]
        what = "ImportId"
    else:
        base, what = tags, "export tag"
        fallbacks = [f"{tag} | {text}" for tag, text in zip(tags, texts, strict=True)]
    for key, position in zip(base, positions, strict=True):
        if not key:
            raise ExportReadError(
                f"{column_label(position)} has no {what}", file=path, row=header.n_rows
            )
    keys = disambiguate(base, fallbacks)
    require_unique_keys(path, keys, positions)
    return [
        ColumnInfo(key=key, tag=tag, text=text, position=position)
        for key, tag, text, position in zip(keys, tags, texts, positions, strict=True)
    ]


def _status_key(export: RawExport) -> str | None:
    """The key of the Status column: ImportId 'status', tag 'Status' or (legacy) text 'Status'."""
    for ref in ("status", "Status"):
        if ref in export.columns or ref in export.aliases:
            return export.resolve(ref)
    return None


def normalise_status(path: Path, key: str, values: pd.Series, rows: pd.Series) -> pd.Series:
    """Qualtrics Status codes or labels as STATUS_* values; empty stays NA; anything else is an
    ExportReadError naming the row and value."""
    stripped = values.str.strip()
    mapped = stripped.map(QUALTRICS_STATUS)
    unknown = np.asarray(stripped.notna(), dtype=bool) & np.asarray(mapped.isna(), dtype=bool)
    if unknown.any():
        first = int(np.argmax(unknown))
        raise ExportReadError(
            "unknown Qualtrics response status (expected 0/1/2/4/8/16 or "
            "IP Address/Survey Preview/Survey Test/Imported/Spam/Offline)",
            file=path,
            row=int(rows.iloc[first]),
            column=key,
            value=values.iloc[first],
        )
    return mapped.astype(STRING_DTYPE)
