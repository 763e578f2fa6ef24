"""Validate step, batching: a staged Parquet table read back as batches that can be checked apart.

Every check of a suite is about one row except uniqueness of the natural key. So the rows whose
natural key occurs more than once (found from a 64-bit hash of the key, in one pass over the
key columns) are taken out of their batches and checked together in one batch at the end;
every other batch is a run of consecutive rows. A hash collision only moves a row into that
last batch, where the check itself decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core.canonical import TABLES

BATCH_ROWS = 1_000_000  # rows GX validates at a time (about a second per million, per core)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant to combine column hashes
_NULL = np.uint64(0x5BD1E9955BD1E995)


@dataclass(frozen=True)
class Batch:
    """Rows of a staged table and the position of each in the table (0-based)."""

    table: pa.Table
    positions: np.ndarray  # int64


def staged_batches(path: Path, table: str, batch_rows: int = BATCH_ROWS) -> Iterator[Batch]:
    """The staged table as batches of consecutive rows, then one batch of every row whose
    natural key is repeated; a table without rows gives one empty batch."""
    repeated = repeated_key_rows(path, table, batch_rows)
    handle = pq.ParquetFile(path)
    held: list[Batch] = []
    offset = 0
    yielded = False
    for record_batch in handle.iter_batches(batch_size=batch_rows):
        part = pa.Table.from_batches([record_batch])
        positions = np.arange(offset, offset + part.num_rows, dtype=np.int64)
        offset += part.num_rows
        inside = _inside(repeated, positions)
        if inside.any():
            held.append(Batch(part.filter(pa.array(inside)), positions[inside]))
            part, positions = part.filter(pa.array(~inside)), positions[~inside]
        if part.num_rows:
            yielded = True
            yield Batch(part, positions)
    if held:
        yield Batch(
            pa.concat_tables([b.table for b in held]),
            np.concatenate([b.positions for b in held]),
        )
    elif not yielded:
        yield Batch(handle.schema_arrow.empty_table(), np.zeros(0, dtype=np.int64))


def _inside(sorted_positions: np.ndarray, positions: np.ndarray) -> np.ndarray:
    if not len(sorted_positions):
        return np.zeros(len(positions), dtype=bool)
    found = np.searchsorted(sorted_positions, positions)
    found = np.minimum(found, len(sorted_positions) - 1)
    return np.asarray(sorted_positions[found] == positions)


def repeated_key_rows(path: Path, table: str, batch_rows: int = BATCH_ROWS) -> np.ndarray:
    """Sorted positions of the rows whose natural key (by its hash) occurs more than once."""
    key = list(TABLES[table].natural_key)
    handle = pq.ParquetFile(path)
    hashes = np.empty(handle.metadata.num_rows, dtype=np.uint64)
    offset = 0
    for record_batch in handle.iter_batches(batch_size=batch_rows, columns=key):
        combined = np.zeros(record_batch.num_rows, dtype=np.uint64)
        for column in record_batch.columns:
            combined = combined * _MIX + column_hash(column)
        hashes[offset : offset + record_batch.num_rows] = combined
        offset += record_batch.num_rows
    if len(hashes) < 2:
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(hashes)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(twice):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(hashes, twice)).astype(np.int64)


def column_hash(column: pa.Array) -> np.ndarray:
    """A 64-bit hash of every value of a string column (dictionary-encoded or not)."""
    if pa.types.is_dictionary(column.type):
        labels = _value_hashes(column.dictionary)
        if not len(labels):  # every value null
            return np.full(len(column), _NULL, dtype=np.uint64)
        indices = column.indices
        taken = labels[np.asarray(indices.fill_null(0).to_numpy(zero_copy_only=False))]
        return np.where(np.asarray(indices.is_null().to_numpy(zero_copy_only=False)), _NULL, taken)
    return _value_hashes(column)


def _value_hashes(values: pa.Array) -> np.ndarray:
    text = values.cast(pa.string())
    hashed = pd.util.hash_array(np.asarray(text.fill_null("").to_numpy(zero_copy_only=False)))
    return np.where(np.asarray(pc.is_null(text).to_numpy(zero_copy_only=False)), _NULL, hashed)
