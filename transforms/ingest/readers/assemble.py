"""Ingest step, reading: helpers every platform reader shares to turn header rows into keyed
columns and assemble a RawExport."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.base import ColumnInfo, RawExport
from transforms.ingest.readers.cells import STRING_DTYPE, CellTable

_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|ul|ol|tr|td|th|h[1-6])\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def collapse_space(text: str) -> str:
    """Header text as a codebook can quote it: whitespace runs (newlines included) as one
    space, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def clean_html_text(text: str) -> str:
    """Qualtrics header text: HTML tags removed, entities decoded, whitespace collapsed."""
    if "<" in text:
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    return collapse_space(text)


def column_label(position: int) -> str:
    """A 0-based position as a spreadsheet shows it: 'column 28 (AB)'."""
    letters, number = "", position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"column {position + 1} ({letters})"


def require_records(cells: CellTable, n_header_rows: int) -> None:
    """ExportReadError when the file has no header or no data rows."""
    if cells.n_records == 0:
        raise ExportReadError("the export has no rows at all", file=cells.path)
    if cells.n_records <= n_header_rows:
        raise ExportReadError(
            f"the export has its {n_header_rows} header row(s) but no data rows", file=cells.path
        )


def padded(rows: list[list[str]], n_rows: int, width: int) -> list[list[str]]:
    """Header rows padded to n_rows x width with empty strings."""
    rows = [row + [""] * (width - len(row)) for row in rows[:n_rows]]
    return rows + [[""] * width for _ in range(n_rows - len(rows))]


def kept_positions(
    cells: CellTable, header: list[list[str]], n_header_rows: int, *, allow_unnamed: bool = False
) -> list[int]:
    """Column positions to keep: trailing columns without any header text are dropped when they
    hold no data (the trailing comma of legacy exports); one with data is an error unless
    unnamed columns are allowed (one-header-row readers name them by position)."""
    width = len(header[0])
    end = width
    while end and not any(row[end - 1].strip() for row in header):
        if not cells.column_is_empty(end - 1, n_header_rows):
            if allow_unnamed:
                break
            raise ExportReadError(
                f"{column_label(end - 1)} holds data but has no header",
                file=cells.path,
                row=int(cells.record_rows[0]),
            )
        end -= 1
    if end == 0:
        raise ExportReadError("the export's header rows are empty", file=cells.path, row=1)
    return list(range(end))


def require_unique_keys(path: Path, keys: Sequence[str], positions: Sequence[int]) -> None:
    """ExportReadError naming every key that occurs more than once, with all its positions."""
    where: dict[str, list[int]] = {}
    for key, position in zip(keys, positions, strict=True):
        where.setdefault(key, []).append(position)
    repeated = {key: spots for key, spots in where.items() if len(spots) > 1}
    if not repeated:
        return
    listed = "; ".join(
        f"{key!r} at {', '.join(column_label(p) for p in spots)}" for key, spots in repeated.items()
    )
    raise ExportReadError(
        f"{len(repeated)} column key(s) occur more than once, so a codebook could not tell the "
        f"columns apart: {listed}. Rename the headings in the export (or export with "
        "question ids as headings)",
        file=path,
        column=next(iter(repeated)),
    )


def column_letters(position: int) -> str:
    """A 0-based position as a spreadsheet's column letters: 27 -> 'AB'."""
    return column_label(position).split("(")[1].rstrip(")")


def distinct_keys(columns: list[ColumnInfo]) -> list[ColumnInfo]:
    """Columns whose key repeats get the key '<key> [<column letters>]' ('Comments [H]'), which
    a codebook can name; their text stays as written. (An export keyed by its headings has
    nothing else to tell two columns with the same heading apart by.)"""
    counts = Counter(c.key for c in columns)
    return [
        replace(c, key=f"{c.key} [{column_letters(c.position)}]") if counts[c.key] > 1 else c
        for c in columns
    ]


def disambiguate(keys: Sequence[str], fallbacks: Sequence[str]) -> list[str]:
    """Keys with every duplicated one replaced by its fallback (e.g. 'tag | text')."""
    counts = Counter(keys)
    return [
        key if counts[key] == 1 else fallback for key, fallback in zip(keys, fallbacks, strict=True)
    ]


def unique_aliases(
    keys: Iterable[str], groups: Iterable[Iterable[tuple[str, str]]]
) -> dict[str, str]:
    """Alias -> key for each (alias, key) pair whose alias names one column only and is neither
    a key nor an alias of an earlier group (tags come before texts, say)."""
    aliases: dict[str, str] = {}
    taken = set(keys)
    for group in groups:
        owners: dict[str, set[str]] = {}
        for alias, key in group:
            if alias and alias != key:
                owners.setdefault(alias, set()).add(key)
        for alias, owner_keys in owners.items():
            if alias not in taken and len(owner_keys) == 1:
                aliases[alias] = next(iter(owner_keys))
        taken.update(owners)
    return aliases


def build_export(
    cells: CellTable,
    *,
    platform: str,
    n_header_rows: int,
    positions: list[int],
    columns: list[ColumnInfo],
    aliases: dict[str, str],
    status: pd.Series | None = None,
    dialect: dict[str, str] | None = None,
) -> RawExport:
    """The RawExport of a file's data rows, the kept columns named by their keys."""
    keys = [column.key for column in columns]
    data = cells.body(n_header_rows, positions, keys)
    if status is None:
        status = pd.Series(pd.NA, index=data.index, dtype=STRING_DTYPE)
    return RawExport(
        path=cells.path,
        platform=platform,
        sha256=cells.sha256,
        data=data,
        source_rows=cells.body_rows(n_header_rows),
        columns={column.key: column for column in columns},
        status=status,
        encoding=cells.encoding,
        dialect={**cells.dialect, "header_rows": str(n_header_rows), **(dialect or {})},
        aliases=aliases,
    )
