"""Shared by every step: one writer at a time, and the leftovers of a killed run removed.

A run holds an exclusive lock on its curated folder (`filelock`: an OS lock, which the system
releases when the process dies, even by SIGKILL) from before it reads anything until its
outputs are recorded. Beside the lock it writes who holds it (process, host, start time), so a
second run stops at once with "another run is writing … since …", and a run that finds the
record of a holder that is gone knows the last run was interrupted (a stale lock) and says so.
Once it holds the lock no other run can be writing, so every temporary file or folder under
the curated and report folders (their names carry `TEMP_MARK`, see transforms.core.atomic)
is a leftover of an interrupted run, and is removed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from transforms.core.atomic import TEMP_MARK, write_text
from transforms.core.errors import SkillgapError

LOCK_NAME = ".skillgap.lock"  # the OS lock
HOLDER_NAME = ".skillgap.holder.json"  # who holds it; left behind only by an interrupted run

log = logging.getLogger(__name__)


class RunLocked(SkillgapError):
    """Another run is writing the same curated folder."""


@dataclass(frozen=True)
class Held:
    """What a run found when it took the lock."""

    stale: dict[str, object] | None  # the record of an interrupted run, if one was left
    removed: tuple[Path, ...]  # the temporary files and folders it left, now removed


def holder(curated_dir: Path) -> dict[str, object] | None:
    """The record of the run holding (or last interrupted while holding) the lock."""
    try:
        record = json.loads((curated_dir / HOLDER_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _describe(record: dict[str, object] | None) -> str:
    if not record:
        return "(no record of which run)"
    return (
        f"since {record.get('started', '?')} (process {record.get('pid', '?')} on "
        f"{record.get('host', '?')})"
    )


def _locked(curated_dir: Path) -> RunLocked:
    return RunLocked(
        f"another run is writing this curated folder {_describe(holder(curated_dir))}; "
        "wait for it to finish (or stop it) and run again",
        file=curated_dir,
    )


@contextmanager
def run_lock(curated_dir: Path, cleanup: Iterable[Path] = (), *, wait: float = 0) -> Iterator[Held]:
    """Hold the curated folder's lock for the body; remove the temporary leftovers of an
    interrupted run under `curated_dir` and every folder of `cleanup` first. `wait`: seconds
    to wait for another run to finish (0: stop at once). Raises RunLocked, naming the other
    run, when the lock is held."""
    curated_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(curated_dir / LOCK_NAME, timeout=wait)
    try:
        lock.acquire()
    except Timeout as exc:
        raise _locked(curated_dir) from exc
    try:
        stale = holder(curated_dir)
        if stale is not None:
            log.warning(
                "the last run on %s was interrupted %s; removing what it left half-written",
                curated_dir,
                _describe(stale),
            )
        removed = tuple(remove_leftovers([curated_dir, *cleanup]))
        write_text(
            curated_dir / HOLDER_NAME,
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "started": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            ),
        )
        try:
            yield Held(stale, removed)
        finally:
            (curated_dir / HOLDER_NAME).unlink(missing_ok=True)
    finally:
        lock.release()


def check_unlocked(curated_dir: Path) -> None:
    """Raise RunLocked now if another run holds the lock (a run checks this before it starts
    Prefect, so a second run stops in a second, not after the API has started)."""
    if not curated_dir.exists():
        return
    lock = FileLock(curated_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise _locked(curated_dir) from exc
    lock.release()


def remove_leftovers(folders: Iterable[Path]) -> list[Path]:
    """Remove every temporary file and folder (a name starting with "." that carries
    TEMP_MARK) under the folders; returns what was removed. Only safe under the lock."""
    removed: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob(f".*{TEMP_MARK}*")):
            if not path.name.startswith(".") or TEMP_MARK not in path.name:
                continue
            if any(parent in removed for parent in path.parents):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed
