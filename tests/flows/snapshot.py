"""Test helper: a committed snapshot of the sample run's curated tables and marts.

The snapshot pins what the pipeline computes on the committed sample, so that a rewrite of the
data path (readers, mapping, validation, loading) can be checked to leave every curated row,
quarantined row and mart value as it was. Rows are compared as sets (sorted), column names and
type families exactly, floats to 1e-12. Regenerate with ``pytest --snapshot-update`` after a
change that is meant to alter results, and say why in the commit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tests import paths

SNAPSHOT = paths.PROJECT / "tests" / "snapshots" / "sample"
FLOAT_TOLERANCE = 1e-12


def published_files(curated_dir: Path, survey_id: str) -> dict[str, Path]:
    """Snapshot name -> file: every curated and quarantined table per wave, every mart."""
    files: dict[str, Path] = {}
    for path in sorted((curated_dir / survey_id).glob("*/*.parquet")):
        files[f"curated/{path.parent.name}/{path.name}"] = path
    for path in sorted((curated_dir / survey_id).glob("*/quarantine/*.parquet")):
        files[f"quarantine/{path.parent.parent.name}/{path.name}"] = path
    for path in sorted((curated_dir / "marts").glob("*.parquet")):
        files[f"marts/{path.name}"] = path
    return files


def _family(dtype: pa.DataType) -> str:
    """A type's family: the same data read by another engine may differ in width or unit."""
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return "string"
    if pa.types.is_dictionary(dtype):
        return _family(dtype.value_type)
    if pa.types.is_integer(dtype):
        return "integer"
    if pa.types.is_floating(dtype) or pa.types.is_decimal(dtype):
        return "float"
    if pa.types.is_timestamp(dtype):
        return "timestamp"
    return str(dtype)


def read_table(path: Path) -> tuple[dict[str, str], pd.DataFrame]:
    """(column -> type family, rows sorted by every column) of one Parquet file."""
    table = pq.read_table(path)
    families = {field.name: _family(field.type) for field in table.schema}
    frame = table.to_pandas()
    for column, family in families.items():
        if family == "timestamp":
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    if len(frame.columns):
        keys = frame.astype("string").fillna("\x00null")
        order = keys.sort_values(list(keys.columns), kind="mergesort").index
        frame = frame.loc[order].reset_index(drop=True)
    return families, frame


def write_snapshot(files: dict[str, Path], target: Path = SNAPSHOT) -> None:
    """Copy each file's rows, sorted, into the snapshot folder (replacing what was there)."""
    for old in target.rglob("*.parquet"):
        old.unlink()
    for name, path in files.items():
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        _, frame = read_table(path)
        pq.write_table(
            pa.Table.from_pandas(frame, schema=pq.read_schema(path), preserve_index=False),
            out,
            compression="zstd",
        )


def snapshot_files(target: Path = SNAPSHOT) -> dict[str, Path]:
    return {p.relative_to(target).as_posix(): p for p in sorted(target.rglob("*.parquet"))}


def differences(expected: Path, actual: Path) -> list[str]:
    """What differs between two Parquet files' schemas and rows; empty when they agree."""
    want_types, want = read_table(expected)
    got_types, got = read_table(actual)
    if want_types != got_types:
        return [f"columns differ: expected {want_types}, got {got_types}"]
    if len(want) != len(got):
        return [f"{len(want)} rows expected, {len(got)} found"]
    problems = []
    for column, family in want_types.items():
        a, b = want[column], got[column]
        if family == "float":
            x = a.astype("float64").to_numpy()
            y = b.astype("float64").to_numpy()
            same = np.isclose(x, y, rtol=FLOAT_TOLERANCE, atol=FLOAT_TOLERANCE, equal_nan=True)
        else:
            same = (a.isna().to_numpy() & b.isna().to_numpy()) | (
                a.astype("string").fillna("\x00") == b.astype("string").fillna("\x00")
            ).to_numpy()
        if not same.all():
            first = int(np.argmin(same))
            problems.append(
                f"{column}: {int((~same).sum())} rows differ, e.g. expected {a.iloc[first]!r}, "
                f"got {b.iloc[first]!r}"
            )
    return problems


def run_differences(curated_dir: Path, survey_id: str) -> dict[str, list[str]]:
    """Snapshot name -> what differs, for a run's curated folder against the snapshot (a file
    missing or extra on either side counts as a difference)."""
    produced = published_files(curated_dir, survey_id)
    expected = snapshot_files()
    problems: dict[str, list[str]] = {
        name: ["missing" if name in expected else "not in the snapshot"]
        for name in sorted(set(produced) ^ set(expected))
    }
    for name, path in expected.items():
        if name in produced and (found := differences(path, produced[name])):
            problems[name] = found
    return problems
