"""Validate step, at scale: staged Parquet tables → curated and quarantined Parquet, batch by batch.

Each staged table is cut into batches of whole row groups (`transforms.validate.batches`);
every batch is checked by the table's Great Expectations suite, in worker processes when the
wave is large (one per core: GX's pandas engine holds the GIL), and its rows are written to
the curated or the quarantine file in batch order as the results come back. Rows refused at
ingest go first in the quarantine file. The respondent table is validated first: its curated
keys decide which child rows belong to a curated respondent. A worker reads its batch from the
staged file and the curated keys from the curated respondent file itself (nothing large is
sent to it), and the batches of every child table are queued one after another, so both
cores stay busy from the first child batch to the last.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core.canonical import TABLES
from transforms.core.parquet import CanonicalWriter
from transforms.ingest.mapping import PANDAS_TYPES
from transforms.ingest.staging import StagedWave
from transforms.validate.batches import BATCH_ROWS, Batch, BatchSpec, plan_batches, read_batch
from transforms.validate.check import BatchCheck, check_batch, conform_staged
from transforms.validate.codes import ValidationCodes
from transforms.validate.merge import merge_checks
from transforms.validate.outcome import TableValidation
from transforms.validate.reasons import ingest_reason_groups
from transforms.validate.run import STAGE_INGEST, STAGE_VALIDATE, table_result

# Below this many staged rows a wave is validated in this process: starting the workers and
# importing Great Expectations in each costs more than they save (measured: at 100,000
# respondents, 4.7 million rows, two workers took twice as long as one process).
POOL_MIN_ROWS = 10_000_000
_IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: keeps it busy while the parent writes


def validate_staged(
    staged: StagedWave,
    codes: ValidationCodes,
    out_dir: Path,
    *,
    workers: int = 0,
    batch_rows: int = BATCH_ROWS,
    pool_min_rows: int = POOL_MIN_ROWS,
    pool: Executor | None = None,
) -> dict[str, TableValidation]:
    """Validate every staged table of a wave into ``out_dir/<table>.parquet`` and
    ``out_dir/quarantine/<table>.parquet``; the validation result per table.

    ``workers``: worker processes for waves of at least ``pool_min_rows`` staged rows (0: one
    per core; 1: none). ``batch_rows``: rows checked at a time (whole row groups). ``pool``:
    where those batches are checked instead of worker processes started here (a cluster's
    executor, its ``workers`` workers; it must see the staged and curated files).
    """
    workers = workers or os.cpu_count() or 1
    if sum(staged.rows.values()) < pool_min_rows:
        workers = 1
    (out_dir / "quarantine").mkdir(parents=True, exist_ok=True)
    with _executor(workers, pool) as executor:
        queue = _Queue(staged, out_dir, executor, workers)
        respondent = queue.run(["respondent"], codes, batch_rows, None)["respondent"]
        keys_path = out_dir / "respondent.parquet"
        child_codes = codes.with_curated_count(respondent.rows_curated)
        children = [name for name in TABLES if name != "respondent"]
        results = queue.run(children, child_codes, batch_rows, keys_path)
    return {"respondent": respondent, **results}


@contextmanager
def _executor(workers: int, pool: Executor | None) -> Iterator[Executor | None]:
    if workers <= 1 or pool is not None:
        yield pool if workers > 1 else None
        return
    context = multiprocessing.get_context("spawn")  # the flow process runs threads: no fork
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_warm_worker
    ) as pool:
        yield pool


def _warm_worker() -> None:
    """Import Great Expectations and make its context while the parent reads and writes."""
    from transforms.validate._gx import warm_up

    warm_up()


def check_arrow_batch(
    name: str, table: pa.Table, codes: ValidationCodes, curated: pa.Array | None
) -> BatchCheck:
    """Check one staged batch held in memory."""
    frame = conform_staged(name, table.to_pandas(types_mapper=PANDAS_TYPES.get))
    flag = None if curated is None else curated.to_pandas(types_mapper=PANDAS_TYPES.get)
    return check_batch(name, frame, codes, flag)


def check_spec(
    name: str, spec: BatchSpec, codes: ValidationCodes, keys_path: Path | None
) -> BatchCheck:
    """Check one batch, read from the staged file (runs in a worker process)."""
    table = read_batch(spec).table
    flag = None if keys_path is None else _curated_flag(table, curated_keys(keys_path))
    return check_arrow_batch(name, table, codes, flag)


def curated_keys(path: Path) -> pa.Array:
    """The curated respondents' keys, read once per process (per version of the file)."""
    stat = path.stat()
    return _keys(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _keys(path: Path, mtime_ns: int, size: int) -> pa.Array:
    del mtime_ns, size  # the cache key only
    return pq.read_table(path, columns=["respondent_key"]).column(0).combine_chunks()


class _Queue:
    """Checks batches (here or in workers) and writes each table's outputs in batch order."""

    def __init__(
        self, staged: StagedWave, out_dir: Path, executor: Executor | None, workers: int
    ) -> None:
        self.staged = staged
        self.out_dir = out_dir
        self.executor = executor
        self.in_flight = _IN_FLIGHT_PER_WORKER * workers

    def run(
        self,
        names: list[str],
        codes: ValidationCodes,
        batch_rows: int,
        keys_path: Path | None,
    ) -> dict[str, TableValidation]:
        """Validate the tables, their batches queued one after another; result per table."""
        outputs = {name: _Outputs(self.out_dir, name) for name in names}
        try:
            ingest = {
                name: _copy_ingest_refusals(self.staged, name, outputs[name].quarantine)
                for name in names
            }
            pending: deque[tuple[str, BatchSpec, Batch | None, Future[BatchCheck]]] = deque()
            worker_codes = codes.for_worker()
            for name in names:
                for spec in plan_batches(self.staged.path(name), name, batch_rows):
                    pending.append((name, *self._submit(name, spec, worker_codes, keys_path)))
                    while len(pending) > self.in_flight:
                        self._write(outputs, *pending.popleft())
            while pending:
                self._write(outputs, *pending.popleft())
        finally:
            for out in outputs.values():
                out.close()
        return {
            name: TableValidation(
                table=name,
                result=table_result(name, merge_checks(outputs[name].checks), *ingest[name]),
            )
            for name in names
        }

    def _submit(
        self, name: str, spec: BatchSpec, codes: ValidationCodes, keys_path: Path | None
    ) -> tuple[BatchSpec, Batch | None, Future[BatchCheck]]:
        if self.executor is not None:
            return spec, None, self.executor.submit(check_spec, name, spec, codes, keys_path)
        batch = read_batch(spec)  # here: read once, for the check and the writing
        flag = None if keys_path is None else _curated_flag(batch.table, curated_keys(keys_path))
        future: Future[BatchCheck] = Future()
        future.set_result(check_arrow_batch(name, batch.table, codes, flag))
        return spec, batch, future

    @staticmethod
    def _write(
        outputs: dict[str, _Outputs],
        name: str,
        spec: BatchSpec,
        batch: Batch | None,
        future: Future[BatchCheck],
    ) -> None:
        outputs[name].write(batch if batch is not None else read_batch(spec), future.result())


class _Outputs:
    """The curated and quarantine files of one table, written a checked batch at a time."""

    def __init__(self, out_dir: Path, name: str) -> None:
        self.name = name
        self.curated = CanonicalWriter(out_dir / f"{name}.parquet", name)
        self.quarantine = CanonicalWriter(
            out_dir / "quarantine" / f"{name}.parquet", name, quarantine=True
        )
        self.checks: list[tuple[BatchCheck, np.ndarray]] = []

    def write(self, batch: Batch, check: BatchCheck) -> None:
        """Passing rows to curated, failing rows (with reasons) to quarantine, in batch order."""
        self.checks.append((check, batch.positions))
        reasons = _reasons_per_row(check)
        failed = np.zeros(batch.table.num_rows, dtype=bool)
        failed[list(reasons)] = True
        self.curated.write(batch.table.filter(pa.array(~failed)))
        if failed.any():
            rejected = batch.table.filter(pa.array(failed))
            n = rejected.num_rows
            rejected = rejected.append_column(
                "stage", pa.array([STAGE_VALIDATE] * n, type=pa.string())
            ).append_column("reasons", pa.array(list(reasons.values()), type=pa.string()))
            self.quarantine.write(rejected)

    def close(self) -> None:
        self.curated.close()
        self.quarantine.close()


def _reasons_per_row(check: BatchCheck) -> dict[int, str]:
    per_row: dict[int, list[str]] = {}
    for failure in check.failures:
        for position, reason in zip(failure.positions, failure.reasons, strict=True):
            per_row.setdefault(position, []).append(reason)
    return {position: "; ".join(reasons) for position, reasons in sorted(per_row.items())}


def _copy_ingest_refusals(
    staged: StagedWave, name: str, writer: CanonicalWriter
) -> tuple[list[dict[str, Any]], int]:
    """Rows refused at ingest, first in the quarantine file; their reason groups and count."""
    parts = []
    for record_batch in pq.ParquetFile(staged.quarantine_path(name)).iter_batches():
        part = pa.Table.from_batches([record_batch])
        stage = pc.fill_null(part.column("stage").cast(pa.string()), STAGE_INGEST)
        part = part.set_column(part.schema.get_field_index("stage"), "stage", stage)
        writer.write(part)
        parts.append(part.select(["source_file", "source_row", "reasons"]))
    if not parts:
        return [], 0
    refused = pa.concat_tables(parts).cast(
        pa.schema(
            [("source_file", pa.string()), ("source_row", pa.int64()), ("reasons", pa.string())]
        )
    )
    frame = refused.to_pandas(types_mapper=PANDAS_TYPES.get)
    return ingest_reason_groups(frame), len(frame)


def _curated_flag(table: pa.Table, curated_keys: pa.Array) -> pa.Array:
    """Per row: is respondent_key a curated respondent (null where the key is null); looked up
    once per distinct key (the dictionary), not once per row."""
    keys = table.column("respondent_key").combine_chunks()
    if pa.types.is_dictionary(keys.type):
        found = pc.is_in(keys.dictionary, value_set=curated_keys).take(keys.indices)
    else:
        found = pc.is_in(keys, value_set=curated_keys)
    return pc.if_else(pc.is_null(keys), pa.scalar(None, pa.bool_()), found)
