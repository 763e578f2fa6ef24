"""Ingest step, reading: the limits every read keeps to (file size, cell size, sheet extent and
time), set in Settings and named in the message of the error that hits one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from transforms.core.errors import ExportReadError

T = TypeVar("T")


@dataclass(frozen=True)
class ReadLimits:
    """How much a read accepts. The defaults fit a million respondents with room to spare; a
    file past one is damaged or not an export (a cell of a million characters is no answer)."""

    max_export_bytes: int = 5_000_000_000  # one export file: 5 GB (1M respondents: ~1 GB)
    max_cell_chars: int = 1_000_000  # one cell of a CSV/TSV or XLSX export
    max_xlsx_cells: int = 150_000_000  # rows x columns up to a sheet's farthest cell
    read_timeout_seconds: float = 900.0  # reading (and hashing) one file

    def __post_init__(self) -> None:
        for name in ("max_export_bytes", "max_cell_chars", "max_xlsx_cells"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if not self.read_timeout_seconds > 0:
            raise ValueError(f"read_timeout_seconds must be positive: {self.read_timeout_seconds}")


DEFAULT_LIMITS = ReadLimits()


def setting(name: str) -> str:
    """How a message names the setting that sets a limit."""
    return f"setting {name}, environment variable SKILLGAP_{name.upper()}"


def check_export_size(path: Path, limits: ReadLimits) -> None:
    """Refuse a file larger than ``max_export_bytes`` before any of it is read (a path that is
    no file is left to the reader's own checks, which name what it is)."""
    if not path.is_file():
        return
    size = path.stat().st_size
    if size > limits.max_export_bytes:
        raise ExportReadError(
            f"the export is {size:,} bytes, more than the {limits.max_export_bytes:,} a read "
            f"accepts ({setting('max_export_bytes')})",
            file=path,
        )


def within_time(path: Path, limits: ReadLimits, work: Callable[[], T], doing: str) -> T:
    """``work()``'s result, or an ExportReadError when it has not finished after
    ``read_timeout_seconds`` (a file on a mount that stopped answering blocks its reader for
    ever). The work runs in a daemon thread, so that a read that never returns cannot keep
    the process from stopping; its errors are raised here."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name=f"read {path.name}", daemon=True)
    worker.start()
    worker.join(limits.read_timeout_seconds)
    if worker.is_alive():
        raise ExportReadError(
            f"{doing} did not finish within {limits.read_timeout_seconds:g} s "
            f"({setting('read_timeout_seconds')}): is the file on a mount that stopped "
            "answering, or still being written?",
            file=path,
        )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
