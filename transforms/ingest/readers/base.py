"""Ingest step, reading: what every platform reader returns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from transforms.core.errors import MissingColumnError

# Normalised platform status of a response row.
STATUS_NORMAL = "normal"
STATUS_PREVIEW = "preview"
STATUS_TEST = "test"
STATUS_SPAM = "spam"
STATUS_IMPORTED = "imported"
STATUS_OFFLINE = "offline"


@dataclass(frozen=True)
class ColumnInfo:
    """One export column: its stable key and what the platform called it."""

    key: str  # stable reference: Qualtrics ImportId, SurveyMonkey "question | sub-label", ...
    tag: str  # export tag / code as the platform's first header row shows it
    text: str  # question text (HTML stripped), with " - sub-item" where the platform adds it
    position: int  # 0-based position in the file (for messages only; never for mapping)


@dataclass(frozen=True)
class RawExport:
    """A platform export read into strings, with enough metadata to map and to trace rows back.

    ``data`` holds every cell as a string (``pd.NA`` for empty) with columns named by
    ``ColumnInfo.key``. ``source_rows`` gives, per data row, the 1-based row number in the file
    as a spreadsheet would show it (header rows included). ``status`` is the normalised platform
    status per row (see STATUS_*), or all ``pd.NA`` where the platform has none.
    """

    path: Path
    platform: str
    sha256: str
    data: pd.DataFrame
    source_rows: pd.Series
    columns: dict[str, ColumnInfo]
    status: pd.Series
    encoding: str = "utf-8"
    dialect: dict[str, str] = field(default_factory=dict)  # delimiter, line ends, BOM, ...
    aliases: dict[str, str] = field(default_factory=dict)  # tag or text -> key

    def resolve(self, ref: str) -> str:
        """The key of the column a codebook reference names (key, then tag, then text)."""
        if ref in self.columns:
            return ref
        if ref in self.aliases:
            return self.aliases[ref]
        raise MissingColumnError(
            f"the export has no column {ref!r} that the codebook maps", file=self.path, column=ref
        )

    def column(self, ref: str) -> pd.Series:
        """The string values of the column a codebook reference names."""
        return self.data[self.resolve(ref)]


_DIGESTS: dict[tuple[str, int, int, int], str] = {}  # (path, inode, size, mtime) -> digest
_MAX_DIGESTS = 256


def _file_key(path: Path) -> tuple[str, int, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)


def known_sha256(path: Path) -> str | None:
    """The digest this process already computed for the file as it is now, or None."""
    return _DIGESTS.get(_file_key(path))


def remember_sha256(path: Path, digest: str) -> None:
    """Keep a file's digest, so that the change check and the reader hash it once."""
    if len(_DIGESTS) >= _MAX_DIGESTS:
        _DIGESTS.clear()
    _DIGESTS[_file_key(path)] = digest


def file_sha256(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (once per process while it is unchanged)."""
    known = known_sha256(path)
    if known is not None:
        return known
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    remember_sha256(path, digest.hexdigest())
    return digest.hexdigest()
