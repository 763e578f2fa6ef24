"""Validate step, batching: a staged Parquet table read back as batches that can be checked apart.

Every check of a suite is about one row except uniqueness of the natural key. So the rows whose
natural key occurs more than once (found from a 64-bit hash of the key, DuckDB's, in one pass
over the key columns) are taken out of their batches and checked together in one batch at the end;
every other batch is a run of consecutive rows. A hash collision only moves a row into that
last batch, where the check itself decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core.canonical import TABLES

BATCH_ROWS = 1_000_000  # rows GX validates at a time (about a second per million, per core)


@dataclass(frozen=True)
class Batch:
    """Rows of a staged table and the position of each in the table (0-based)."""

    table: pa.Table
    positions: np.ndarray  # int64


@dataclass(frozen=True)
class BatchSpec:
    """Where one batch's rows lie in a staged file, so that a worker can read them itself.

    Either a run of whole row groups (``groups``) without the rows at ``skip`` (their key
    occurs twice: they are checked in the last batch), or (``take``) exactly those rows.
    """

    path: Path
    groups: tuple[int, ...]  # row groups read
    start: int  # position of the first row of the first group read
    skip: np.ndarray  # positions left out (sorted)
    take: np.ndarray | None = None  # positions kept (sorted); None: every row not skipped

    @property
    def rows(self) -> int:
        return len(self.take) if self.take is not None else -1


def plan_batches(path: Path, table: str, batch_rows: int = BATCH_ROWS) -> list[BatchSpec]:
    """The staged table as runs of whole row groups of about ``batch_rows`` rows, then one
    batch of every row whose natural key is repeated; a table without rows gives one empty
    batch."""
    repeated = repeated_key_rows(path, table, batch_rows)
    metadata = pq.ParquetFile(path).metadata
    specs: list[BatchSpec] = []
    group: list[int] = []
    start = offset = 0
    for index in range(metadata.num_row_groups):
        group.append(index)
        offset += metadata.row_group(index).num_rows
        if offset - start >= batch_rows or index == metadata.num_row_groups - 1:
            inside = repeated[(repeated >= start) & (repeated < offset)]
            specs.append(BatchSpec(path, tuple(group), start, inside))
            group, start = [], offset
    if len(repeated):
        groups = _groups_holding(metadata, repeated)
        first = sum(metadata.row_group(i).num_rows for i in range(groups[0]))
        specs.append(BatchSpec(path, groups, first, np.zeros(0, dtype=np.int64), repeated))
    if not specs:
        specs.append(BatchSpec(path, (), 0, np.zeros(0, dtype=np.int64)))
    return specs


def _groups_holding(metadata: pq.FileMetaData, positions: np.ndarray) -> tuple[int, ...]:
    ends = np.cumsum([metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)])
    return tuple(sorted({int(i) for i in np.searchsorted(ends, positions, side="right")}))


def read_batch(spec: BatchSpec) -> Batch:
    """The rows a BatchSpec names, with their positions in the staged table."""
    handle = pq.ParquetFile(spec.path)
    if not spec.groups:
        return Batch(handle.schema_arrow.empty_table(), np.zeros(0, dtype=np.int64))
    table = handle.read_row_groups(list(spec.groups))
    if spec.take is not None:
        parts, chosen = [], []
        at = 0
        for group in spec.groups:  # the groups read need not be consecutive
            rows = handle.metadata.row_group(group).num_rows
            begin = sum(handle.metadata.row_group(i).num_rows for i in range(group))
            wanted = spec.take[(spec.take >= begin) & (spec.take < begin + rows)]
            parts.append(table.slice(at, rows).take(pa.array(wanted - begin)))
            chosen.append(wanted)
            at += rows
        return Batch(pa.concat_tables(parts), np.concatenate(chosen).astype(np.int64))
    positions = np.arange(spec.start, spec.start + table.num_rows, dtype=np.int64)
    if not len(spec.skip):
        return Batch(table, positions)
    kept = ~_inside(spec.skip, positions)
    return Batch(table.filter(pa.array(kept)), positions[kept])


def staged_batches(path: Path, table: str, batch_rows: int = BATCH_ROWS) -> Iterator[Batch]:
    """Every batch of the staged table, read (see `plan_batches`)."""
    for spec in plan_batches(path, table, batch_rows):
        yield read_batch(spec)


def _inside(sorted_positions: np.ndarray, positions: np.ndarray) -> np.ndarray:
    if not len(sorted_positions):
        return np.zeros(len(positions), dtype=bool)
    found = np.searchsorted(sorted_positions, positions)
    found = np.minimum(found, len(sorted_positions) - 1)
    return np.asarray(sorted_positions[found] == positions)


def repeated_key_rows(path: Path, table: str, batch_rows: int = BATCH_ROWS) -> np.ndarray:
    """Sorted positions of the rows whose natural key (by its hash) occurs more than once.

    DuckDB hashes the key columns (all threads; about a tenth of a second per two million
    rows) and reports each row's position in the file; numpy finds the repeated hashes."""
    del batch_rows  # DuckDB reads the file in its own chunks
    key = ", ".join('"' + column.replace('"', '""') + '"' for column in TABLES[table].natural_key)
    with duckdb.connect() as con:
        relation = con.read_parquet(str(path), file_row_number=True)
        found = relation.project(f"file_row_number, hash({key}) AS key_hash").fetchnumpy()
    hashes = np.asarray(found["key_hash"], dtype=np.uint64)
    if len(hashes) < 2:
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(hashes)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(twice):
        return np.zeros(0, dtype=np.int64)
    rows = np.asarray(found["file_row_number"], dtype=np.int64)
    return np.sort(rows[np.isin(hashes, twice)])
