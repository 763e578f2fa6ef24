"""Validate step, at scale: staged Parquet tables → curated and quarantined Parquet, batch by batch.

Each staged table is read in batches (`transforms.validate.batches`); every batch is checked
by the table's Great Expectations suite, in worker processes when the wave is large (one per
core: GX's pandas engine holds the GIL), and its rows are written to the curated or the
quarantine file in batch order as the results come back. Rows refused at ingest go first in
the quarantine file. The respondent table is validated first: its curated keys decide which
child rows belong to a curated respondent (a flag column the parent works out per batch, so
workers never receive a million keys).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core.canonical import TABLES, arrow_schema
from transforms.ingest.mapping import PANDAS_TYPES
from transforms.ingest.staging import StagedWave
from transforms.validate.batches import BATCH_ROWS, Batch, staged_batches
from transforms.validate.check import BatchCheck, check_batch, conform_staged
from transforms.validate.codes import ValidationCodes
from transforms.validate.merge import merge_checks
from transforms.validate.outcome import TableValidation
from transforms.validate.reasons import ingest_reason_groups
from transforms.validate.run import STAGE_INGEST, STAGE_VALIDATE, table_result

POOL_MIN_ROWS = 300_000  # below this many staged rows a wave is validated in this process
_IN_FLIGHT_PER_WORKER = 2  # batches read ahead per worker: bounds the memory held


def validate_staged(
    staged: StagedWave,
    codes: ValidationCodes,
    out_dir: Path,
    *,
    workers: int = 0,
    batch_rows: int = BATCH_ROWS,
    pool_min_rows: int = POOL_MIN_ROWS,
) -> dict[str, TableValidation]:
    """Validate every staged table of a wave into ``out_dir/<table>.parquet`` and
    ``out_dir/quarantine/<table>.parquet``; the validation result per table.

    ``workers``: worker processes for waves of at least ``pool_min_rows`` staged rows (0: one
    per core; 1: none). ``batch_rows``: rows checked at a time.
    """
    workers = workers or os.cpu_count() or 1
    if sum(staged.rows.values()) < pool_min_rows:
        workers = 1
    results: dict[str, TableValidation] = {}
    with _executor(workers) as executor:
        tables = _Tables(staged, out_dir, executor, workers, batch_rows)
        results["respondent"], keys = tables.validate("respondent", codes, None)
        child_codes = codes.with_curated_count(len(keys))
        for name in TABLES:
            if name != "respondent":
                results[name] = tables.validate(name, child_codes, keys)[0]
    return results


@contextmanager
def _executor(workers: int) -> Iterator[Executor | None]:
    if workers <= 1:
        yield None
        return
    context = multiprocessing.get_context("spawn")  # the flow process runs threads: no fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def check_arrow_batch(
    name: str, table: pa.Table, codes: ValidationCodes, curated: pa.Array | None
) -> BatchCheck:
    """Check one staged batch (runs in a worker process, or in this one)."""
    frame = conform_staged(name, table.to_pandas(types_mapper=PANDAS_TYPES.get))
    flag = None if curated is None else curated.to_pandas(types_mapper=PANDAS_TYPES.get)
    return check_batch(name, frame, codes, flag)


class _Tables:
    """Validates a wave's staged tables one after another with one executor."""

    def __init__(
        self,
        staged: StagedWave,
        out_dir: Path,
        executor: Executor | None,
        workers: int,
        batch_rows: int,
    ) -> None:
        self.staged = staged
        self.batch_rows = batch_rows
        self.out_dir = out_dir
        self.submit = _submitter(executor)
        self.in_flight = _IN_FLIGHT_PER_WORKER * workers

    def validate(
        self, name: str, codes: ValidationCodes, curated_keys: pa.Array | None
    ) -> tuple[TableValidation, pa.Array]:
        """One table: ingest refusals, then every batch checked and written; (result, the
        curated respondent keys when ``name`` is respondent)."""
        (self.out_dir / "quarantine").mkdir(parents=True, exist_ok=True)
        out = _Outputs(self.out_dir, name)
        try:
            ingest_groups, ingest_rows = _copy_ingest_refusals(self.staged, name, out.quarantine)
            pending: deque[tuple[Batch, Future[BatchCheck]]] = deque()
            worker_codes = codes.for_worker()
            for batch in staged_batches(self.staged.path(name), name, self.batch_rows):
                flag = None if curated_keys is None else _curated_flag(batch.table, curated_keys)
                future = self.submit(check_arrow_batch, name, batch.table, worker_codes, flag)
                pending.append((batch, future))
                while len(pending) > self.in_flight:
                    out.write(*pending.popleft())
            while pending:
                out.write(*pending.popleft())
        finally:
            out.close()
        result = table_result(name, merge_checks(out.checks), ingest_groups, ingest_rows)
        keys = pa.concat_arrays(out.keys) if out.keys else pa.array([], type=pa.string())
        return TableValidation(table=name, result=result), keys


def _submitter(executor: Executor | None) -> Callable[..., Future[BatchCheck]]:
    if executor is not None:
        return executor.submit

    def run_here(fn: Callable[..., BatchCheck], *args: Any) -> Future[BatchCheck]:
        future: Future[BatchCheck] = Future()
        future.set_result(fn(*args))
        return future

    return run_here


class _Outputs:
    """The curated and quarantine files of one table, written a checked batch at a time."""

    def __init__(self, out_dir: Path, name: str) -> None:
        self.name = name
        self.curated = pq.ParquetWriter(
            out_dir / f"{name}.parquet", arrow_schema(name), compression="zstd"
        )
        self.quarantine = pq.ParquetWriter(
            out_dir / "quarantine" / f"{name}.parquet",
            arrow_schema(name, quarantine=True),
            compression="zstd",
        )
        self.checks: list[tuple[BatchCheck, np.ndarray]] = []
        self.keys: list[pa.Array] = []

    def write(self, batch: Batch, future: Future[BatchCheck]) -> None:
        """Passing rows to curated, failing rows (with reasons) to quarantine, in batch order."""
        check = future.result()
        self.checks.append((check, batch.positions))
        reasons = _reasons_per_row(check)
        failed = np.zeros(batch.table.num_rows, dtype=bool)
        failed[list(reasons)] = True
        curated = batch.table.filter(pa.array(~failed)).cast(arrow_schema(self.name))
        if curated.num_rows:
            self.curated.write_table(curated)
        if self.name == "respondent":
            self.keys.append(curated.column("respondent_key").combine_chunks().drop_null())
        if failed.any():
            rejected = batch.table.filter(pa.array(failed)).cast(arrow_schema(self.name))
            n = rejected.num_rows
            rejected = rejected.append_column(
                "stage", pa.array([STAGE_VALIDATE] * n, type=pa.string())
            ).append_column("reasons", pa.array(list(reasons.values()), type=pa.string()))
            self.quarantine.write_table(rejected.cast(arrow_schema(self.name, quarantine=True)))

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
    staged: StagedWave, name: str, writer: pq.ParquetWriter
) -> tuple[list[dict[str, Any]], int]:
    """Rows refused at ingest, first in the quarantine file; their reason groups and count."""
    schema = arrow_schema(name, quarantine=True)
    parts = []
    for record_batch in pq.ParquetFile(staged.quarantine_path(name)).iter_batches():
        part = pa.Table.from_batches([record_batch]).cast(schema)
        stage = pc.fill_null(part.column("stage"), STAGE_INGEST)
        part = part.set_column(part.schema.get_field_index("stage"), "stage", stage)
        writer.write_table(part)
        parts.append(part.select(["source_file", "source_row", "reasons"]))
    if not parts:
        return [], 0
    refused = pa.concat_tables(parts).to_pandas(types_mapper=PANDAS_TYPES.get)
    return ingest_reason_groups(refused), len(refused)


def _curated_flag(table: pa.Table, curated_keys: pa.Array) -> pa.Array:
    """Per row: is respondent_key a curated respondent (null where the key is null)."""
    keys = table.column("respondent_key").combine_chunks().cast(pa.string())
    found = pc.is_in(keys, value_set=curated_keys)
    return pc.if_else(pc.is_null(keys), pa.scalar(None, pa.bool_()), found)


def read_table_frame(path: Path) -> pd.DataFrame:
    """A curated Parquet file as pandas with the canonical dtypes."""
    frame: pd.DataFrame = pq.read_table(path).to_pandas(types_mapper=PANDAS_TYPES.get)
    return frame
