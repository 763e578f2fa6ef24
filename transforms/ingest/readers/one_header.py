"""Ingest step, reading: the shared reader of exports with one header row (LimeSurvey, Google
Forms, Microsoft Forms, generic CSV/XLSX): one key per header cell, data from row 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from transforms.ingest.readers.assemble import (
    build_export,
    collapse_space,
    distinct_keys,
    kept_positions,
    padded,
    require_records,
    require_unique_keys,
    unique_aliases,
)
from transforms.ingest.readers.base import ColumnInfo, RawExport
from transforms.ingest.readers.cells import CellTable, read_cells
from transforms.ingest.readers.detect import check_platform

HeaderParser = Callable[[str], tuple[str, str, str]]  # heading -> (key, tag, text)


def unnamed_key(position: int) -> str:
    """Key of a column without a heading (a saved index column): 'unnamed_<column number>'."""
    return f"unnamed_{position + 1}"


def plain_heading(heading: str) -> tuple[str, str, str]:
    """Key, tag and text are all the heading itself."""
    return heading, heading, heading


def read_one_header_export(
    path: Path,
    *,
    platform: str,
    parse_heading: HeaderParser = plain_heading,
    cells: CellTable | None = None,
) -> RawExport:
    """An export with one header row, keyed by parse_heading(heading); a repeated heading is
    keyed with its column letters ('Comments [H]'); aliases map unique tags and texts to keys.
    ``cells``: the file's cells when the caller has read them already (read once)."""
    path = Path(path)
    cells = cells if cells is not None else read_cells(path)
    require_records(cells, 1)
    if platform != "generic":
        check_platform(path, cells.header(3), platform)
    header = padded(cells.header(1), 1, cells.table.num_columns)
    positions = kept_positions(cells, header, 1, allow_unnamed=True)
    columns = distinct_keys([_column(header[0][p], p, parse_heading) for p in positions])
    require_unique_keys(path, [c.key for c in columns], positions)
    aliases = unique_aliases(
        [column.key for column in columns],
        [
            [(column.tag, column.key) for column in columns],
            [(column.text, column.key) for column in columns],
            [(header[0][c.position].strip(), c.key) for c in columns],  # as written
        ],
    )
    return build_export(
        cells,
        platform=platform,
        n_header_rows=1,
        positions=positions,
        columns=columns,
        aliases=aliases,
    )


def _column(heading: str, position: int, parse_heading: HeaderParser) -> ColumnInfo:
    text = collapse_space(heading)
    if not text:
        key = unnamed_key(position)
        return ColumnInfo(key=key, tag="", text="", position=position)
    key, tag, label = parse_heading(text)
    return ColumnInfo(key=key, tag=tag, text=label, position=position)
