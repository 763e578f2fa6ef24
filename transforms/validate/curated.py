"""Validate step, the curated store as later steps read it: where a wave's curated data lies,
whether it can be reused, and its tables in memory.

Kept apart from transforms.validate.store (which writes the store and runs Great Expectations)
so that the model and report steps, and their worker processes, read curated waves without
importing Great Expectations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.ingest.codebook import Codebook
from transforms.ingest.fingerprint import wave_fingerprint
from transforms.ingest.mapping import PANDAS_TYPES
from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits


@dataclass(frozen=True)
class CuratedWave:
    """Where one wave's curated data lies and how its rows reconciled."""

    survey_id: str
    wave: str
    folder: Path
    reconciliation: list[dict[str, Any]]  # per table: rows_in, rows_curated, rows_quarantined
    quarantine_reasons: list[dict[str, Any]]  # per table and reason: rows
    fingerprint: str = ""  # of the inputs it was curated from (see plan_wave)


@dataclass(frozen=True)
class WavePlan:
    """What a run does with one wave: the fingerprint of its inputs, and its curated data when
    those inputs are unchanged since it was curated (then it is not ingested again)."""

    wave: str
    fingerprint: str
    reused: CuratedWave | None
    files: list[dict[str, object]]  # the reused wave's input files, as its curation recorded


def plan_wave(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    *,
    salt: str,
    curated_dir: Path,
    force: bool,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> WavePlan:
    """Reuse a wave's curated data when its exports, codebook, reference files, code and salt
    are unchanged (``force``: never); the exports are hashed within ``limits``' time."""
    fingerprint = wave_fingerprint(
        codebook, survey_dir / "survey.yaml", survey_dir, wave, salt=salt, limits=limits
    )
    found = None if force else reuse_curated(curated_dir, codebook.survey.id, wave, fingerprint)
    if found is None:
        return WavePlan(wave, fingerprint, None, [])
    return WavePlan(wave, fingerprint, found[0], found[1])


def other_curated_waves(
    curated_dir: Path, codebook: Codebook, waves: Sequence[str]
) -> list[CuratedWave]:
    """The codebook's waves not in this run that were curated before (the warehouse holds every
    wave of the survey)."""
    found = (
        reuse_curated(curated_dir, codebook.survey.id, wave, None)
        for wave in codebook.waves
        if wave not in waves
    )
    return [item[0] for item in found if item is not None]


def wave_folder(curated_dir: Path, survey_id: str, wave: str) -> Path:
    return curated_dir / survey_id / wave


MANIFEST = "curation.json"


def reuse_curated(
    curated_dir: Path, survey_id: str, wave: str, fingerprint: str | None
) -> tuple[CuratedWave, list[dict[str, object]]] | None:
    """The wave's curated data and input files if curated from the same inputs, else None.

    ``fingerprint=None`` accepts whatever inputs the wave was last curated from.
    """
    folder = wave_folder(curated_dir, survey_id, wave)
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if fingerprint is not None and record.get("fingerprint") != fingerprint:
        return None
    curated = CuratedWave(
        survey_id=survey_id,
        wave=wave,
        folder=folder,
        reconciliation=record["reconciliation"],
        quarantine_reasons=record["quarantine_reasons"],
        fingerprint=str(record.get("fingerprint", "")),
    )
    return curated, list(record.get("files", []))


def curation_record(curated: CuratedWave) -> dict[str, object]:
    fields = asdict(curated)
    return {k: fields[k] for k in ("reconciliation", "quarantine_reasons")}


def read_curated(folder: Path, table: str) -> pd.DataFrame:
    """A curated table of one wave in memory, with the canonical dtypes."""
    return read_table_frame(folder / f"{table}.parquet")


def read_table_frame(path: Path) -> pd.DataFrame:
    """A curated Parquet file as pandas with the canonical dtypes."""
    frame: pd.DataFrame = pq.read_table(path).to_pandas(types_mapper=PANDAS_TYPES.get)
    return frame
