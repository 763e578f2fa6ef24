"""Shared by every step: a run that fails leaves the last good outputs exactly as they were.

Every output is replaced by renaming a finished temporary file or folder over it
(transforms.core.atomic), never changed in place. So a snapshot of hard links, taken when a run
starts writing, keeps the last good files at no cost in space or time: a run that fails puts
them back, a run that succeeds drops the snapshot. What a failed run wrote that explains its
failure (the file its error names, such as a data-quality page) is kept in `failed-run/`, and
the error names it there. Only safe under the run lock (transforms.core.runlock).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from transforms.core.atomic import TEMP_MARK
from transforms.core.errors import SkillgapError
from transforms.core.runlock import HOLDER_NAME, LOCK_NAME

SNAPSHOT = f".last-good{TEMP_MARK}snapshot"  # removed as a leftover if a run is killed
FAILED = "failed-run"  # what the last failed run wrote that its error names
RESULTS = ".prefect-results"  # persisted task results (flows.resume); no TEMP_MARK
# Never snapshotted or put back: the lock, the salt (made once), staged tables and persisted
# task results (a failed run's own, kept so that its retry resumes)
_LEFT_ALONE = {LOCK_NAME, HOLDER_NAME, ".salt", ".staging", RESULTS, FAILED}


@contextmanager
def last_good_kept(folders: Sequence[Path]) -> Iterator[None]:
    """While the block runs, keep the folders' contents as they were; put them back if it
    raises (the error re-raised, naming its file under `failed-run/` when the run wrote it)."""
    for folder in folders:
        _snapshot(folder)
    try:
        yield
    except BaseException as error:
        kept = [_keep_named_file(folder, error) for folder in folders]
        for folder in folders:
            _restore(folder)
        moved = next((path for path in kept if path is not None), None)
        if isinstance(error, SkillgapError) and moved is not None:
            raise _naming(error, moved) from error
        raise
    for folder in folders:
        shutil.rmtree(folder / SNAPSHOT, ignore_errors=True)
        shutil.rmtree(folder / FAILED, ignore_errors=True)  # a failure of the past


def _managed(folder: Path) -> list[Path]:
    """The entries of `folder` a run replaces: all but the ones left alone and temporaries."""
    if not folder.is_dir():
        return []
    return sorted(
        entry
        for entry in folder.iterdir()
        if entry.name not in _LEFT_ALONE and TEMP_MARK not in entry.name
    )


def _snapshot(folder: Path) -> None:
    target = folder / SNAPSHOT
    shutil.rmtree(target, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    target.mkdir()
    for entry in _managed(folder):
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target / entry.name, symlinks=True, copy_function=os.link)
        elif entry.is_symlink():
            (target / entry.name).symlink_to(entry.readlink())
        else:
            os.link(entry, target / entry.name)


def _restore(folder: Path) -> None:
    """Put the snapshot's entries back in place of what the failed run left."""
    snapshot = folder / SNAPSHOT
    if not snapshot.is_dir():
        return
    trash = Path(tempfile.mkdtemp(prefix=f".failed{TEMP_MARK}", dir=folder))
    for entry in _managed(folder):
        entry.replace(trash / entry.name)
    for entry in snapshot.iterdir():
        entry.replace(folder / entry.name)
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(snapshot, ignore_errors=True)


def _keep_named_file(folder: Path, error: BaseException) -> Path | None:
    """The file the error names, if this run wrote it under `folder`, copied to
    `folder/failed-run/` (the rest of what the run wrote is put back)."""
    named = getattr(error, "file", None)
    if not isinstance(error, SkillgapError) or not named:
        return None
    path = Path(named).absolute()
    root = folder.absolute()
    if not path.is_file() or root not in path.parents or (root / SNAPSHOT) in path.parents:
        return None
    relative = path.relative_to(root)
    before = root / SNAPSHOT / relative
    if before.exists() and before.samefile(path):
        return None  # the last good run's file, not this run's
    target = root / FAILED / relative
    shutil.rmtree(root / FAILED, ignore_errors=True)
    target.parent.mkdir(parents=True)
    shutil.copy2(path, target)
    return target


def _naming(error: SkillgapError, path: Path) -> SkillgapError:
    """The same error, naming the kept copy of its file."""
    message = f"{error.message} (the last good outputs are kept; this run's file is in {FAILED}/)"
    try:
        return type(error)(
            message, file=path, row=error.row, column=error.column, value=error.value
        )
    except TypeError:  # a subclass with other arguments: the error as it was
        return error
