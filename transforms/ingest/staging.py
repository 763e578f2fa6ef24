"""Ingest step, staging: a wave's canonical tables streamed to Parquet as they are mapped.

Each export is read once and mapped a slice at a time; every slice's tables are appended to
one Parquet file per table (and one per table of rows refused at ingest) in a staging folder,
so that no stage holds a whole wave in memory. Validation reads the staged files in batches.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core.atomic import TEMP_MARK
from transforms.core.canonical import TABLES, arrow_schema
from transforms.ingest.codebook import Codebook
from transforms.ingest.codebook_file import export_path
from transforms.ingest.mapping import (
    check_wave,
    file_record,
    layout_changes,
    map_export,
    to_pandas,
)
from transforms.ingest.readers import read_export
from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits, within_time

STAGING = ".staging"
ROW_GROUP_ROWS = 1_000_000  # rows per Parquet row group: validation's batch size
COMPRESSION = "lz4"  # staged files live for one run: fast to write and read beats small


@dataclass(frozen=True)
class StagedWave:
    """Where one wave's staged tables lie, and what reading its exports found."""

    survey_id: str
    wave: str
    folder: Path
    rows: dict[str, int]  # rows staged per table
    refused: dict[str, int]  # rows refused at ingest per table
    raw_rows: int
    files: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layouts: list[tuple[Path, list[str]]] = field(default_factory=list)  # (export, columns)

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"

    def quarantine_path(self, table: str) -> Path:
        return self.folder / "quarantine" / f"{table}.parquet"

    def frame(self, table: str) -> pd.DataFrame:
        """A staged table in memory, with the canonical dtypes (tests, small surveys)."""
        return to_pandas(table, [pq.read_table(self.path(table))], quarantine=False)

    def quarantine_frame(self, table: str) -> pd.DataFrame:
        return to_pandas(table, [pq.read_table(self.quarantine_path(table))], quarantine=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _Writers:
    """One Parquet writer per staged table, created with the table's schema up front."""

    def __init__(self, folder: Path) -> None:
        (folder / "quarantine").mkdir(parents=True, exist_ok=True)
        self.rows = dict.fromkeys(TABLES, 0)
        self.refused = dict.fromkeys(TABLES, 0)
        self._kept = {
            name: pq.ParquetWriter(
                folder / f"{name}.parquet", arrow_schema(name, staged=True), compression=COMPRESSION
            )
            for name in TABLES
        }
        self._refused = {
            name: pq.ParquetWriter(
                folder / "quarantine" / f"{name}.parquet",
                arrow_schema(name, quarantine=True, staged=True),
                compression=COMPRESSION,
            )
            for name in TABLES
        }

    def write(self, tables: dict[str, tuple[pa.Table, pa.Table]]) -> None:
        for name, (kept, refused) in tables.items():
            if kept.num_rows:
                self._kept[name].write_table(kept, row_group_size=ROW_GROUP_ROWS)
                self.rows[name] += kept.num_rows
            if refused.num_rows:
                self._refused[name].write_table(refused, row_group_size=ROW_GROUP_ROWS)
                self.refused[name] += refused.num_rows

    def copy(self, part: StagedWave) -> None:
        """Append a staged part's tables, row group by row group."""
        for name in TABLES:
            for source, writers, counts in (
                (part.path(name), self._kept, self.rows),
                (part.quarantine_path(name), self._refused, self.refused),
            ):
                handle = pq.ParquetFile(source)
                for group in range(handle.num_row_groups):
                    table = handle.read_row_group(group)
                    writers[name].write_table(table, row_group_size=ROW_GROUP_ROWS)
                    counts[name] += table.num_rows

    def close(self) -> None:
        for writer in (*self._kept.values(), *self._refused.values()):
            writer.close()


def staging_root(curated_dir: Path, survey_id: str) -> Path:
    return curated_dir / STAGING / survey_id


def staged_folder(curated_dir: Path, survey_id: str, wave: str, fingerprint: str) -> Path:
    """Where a wave's finished staging is kept until validation consumes it: named by the
    fingerprint of its inputs, so a retried run can resume from it and never from another
    input's. No TEMP_MARK: the run lock does not remove it as a leftover."""
    return staging_root(curated_dir, survey_id) / f"{wave}-{fingerprint[:24]}"


def stage_wave(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    *,
    salt: str,
    curated_dir: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    fingerprint: str = "",
) -> StagedWave:
    """Read every export of ``wave`` once and stage its canonical tables as Parquet.

    The staging folder is new for each call (under ``curated_dir/.staging/<survey>/``); a
    folder a killed run left behind for the same wave is removed first. Each file is read
    within ``limits`` (size, cell length, sheet extent, time). With the inputs'
    ``fingerprint`` the finished folder is renamed to `staged_folder` (replacing the wave's
    earlier ones); without, it keeps its temporary name.
    """
    names = check_wave(codebook, wave).files
    staged = stage_exports(
        codebook, survey_dir, wave, names, salt=salt, curated_dir=curated_dir, limits=limits
    )
    return keep_staged(staged, curated_dir, fingerprint) if fingerprint else staged


def stage_exports(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    names: Sequence[str],
    *,
    salt: str,
    curated_dir: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    part: str = "",
) -> StagedWave:
    """Stage the exports ``names`` of ``wave`` (in that order) into a new temporary folder.

    ``part`` names one part of a wave staged apart (one export file each, side by side): its
    folder, and the leftovers of a killed run removed first, are that part's alone."""
    spec = check_wave(codebook, wave)
    root = staging_root(curated_dir, codebook.survey.id)
    root.mkdir(parents=True, exist_ok=True)
    prefix = f".{wave}{TEMP_MARK}{part}-" if part else f".{wave}{TEMP_MARK}"
    for stale in root.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    files, layouts, raw_rows = [], [], 0
    writers = _Writers(folder)
    try:
        for name in names:
            path = export_path(survey_dir, wave, name, allowed=codebook.survey.exports_outside)
            export = within_time(
                path,
                limits,
                partial(read_export, path, platform=spec.platform, limits=limits),
                "reading the export",
            )
            for tables in map_export(export, codebook, wave, salt=salt, survey_dir=survey_dir):
                writers.write(tables)
            files.append(file_record(export, survey_dir))
            layouts.append((export.path, list(export.columns)))
            raw_rows += len(export.data)
            del export
        writers.close()
    except BaseException:
        writers.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return StagedWave(
        survey_id=codebook.survey.id,
        wave=wave,
        folder=folder,
        rows=writers.rows,
        refused=writers.refused,
        raw_rows=raw_rows,
        files=files,
        warnings=layout_changes(layouts, survey_dir),
        layouts=layouts,
    )


def join_staged(
    parts: list[StagedWave], survey_dir: Path, curated_dir: Path, fingerprint: str = ""
) -> StagedWave:
    """One wave's staging from its parts (each an export file staged apart), in the given
    order: every part's row groups copied as they are, so validation sees the batches one
    staging of all the files would give. The parts are removed; kept as `stage_wave` does."""
    first = parts[0]
    folder = Path(tempfile.mkdtemp(prefix=f".{first.wave}{TEMP_MARK}", dir=first.folder.parent))
    writers = _Writers(folder)
    try:
        for part in parts:
            writers.copy(part)
        writers.close()
    except BaseException:
        writers.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    layouts = [layout for part in parts for layout in part.layouts]
    joined = StagedWave(
        survey_id=first.survey_id,
        wave=first.wave,
        folder=folder,
        rows=writers.rows,
        refused=writers.refused,
        raw_rows=sum(part.raw_rows for part in parts),
        files=[record for part in parts for record in part.files],
        warnings=layout_changes(layouts, survey_dir),
        layouts=layouts,
    )
    for part in parts:
        part.discard()
    return keep_staged(joined, curated_dir, fingerprint) if fingerprint else joined


def keep_staged(staged: StagedWave, curated_dir: Path, fingerprint: str) -> StagedWave:
    """The finished staging renamed to `staged_folder` (the wave's older ones removed)."""
    final = staged_folder(curated_dir, staged.survey_id, staged.wave, fingerprint)
    return replace(staged, folder=_keep(staged.folder, final))


def _keep(folder: Path, final: Path) -> Path:
    """Rename a finished staging folder to its kept name; the wave's older ones go first."""
    wave = final.name.rsplit("-", 1)[0]
    for older in final.parent.glob(f"{wave}-*"):
        if older.is_dir() and older.name.rsplit("-", 1)[0] == wave:
            shutil.rmtree(older, ignore_errors=True)
    folder.rename(final)
    return final


def stage_frames(
    folder: Path,
    *,
    survey_id: str,
    wave: str,
    tables: dict[str, pd.DataFrame],
    refused: dict[str, pd.DataFrame] | None = None,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> StagedWave:
    """Stage canonical frames held in memory (tools and tests); tables not given are empty."""
    refused = refused or {}
    (folder / "quarantine").mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    refused_rows: dict[str, int] = {}
    for name in TABLES:
        for frames, quarantine, counts in ((tables, False, rows), (refused, True, refused_rows)):
            schema = arrow_schema(name, quarantine=quarantine, staged=True)
            frame = frames.get(name)
            table = schema.empty_table() if frame is None else _staged_table(frame, schema)
            target = folder / ("quarantine" if quarantine else "") / f"{name}.parquet"
            pq.write_table(table, target, row_group_size=row_group_rows, compression="zstd")
            counts[name] = table.num_rows
    return StagedWave(
        survey_id=survey_id,
        wave=wave,
        folder=folder,
        rows=rows,
        refused=refused_rows,
        raw_rows=rows["respondent"] + refused_rows["respondent"],
    )


def _staged_table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    columns = {}
    for column in schema:
        if column.name in frame.columns:
            values = pa.array(frame[column.name].reset_index(drop=True), from_pandas=True)
        else:
            values = pa.nulls(len(frame))
        if pa.types.is_dictionary(column.type):
            values = values.cast(pa.string()).dictionary_encode()
        columns[column.name] = values.cast(column.type)
    return pa.table(columns, schema=schema)
