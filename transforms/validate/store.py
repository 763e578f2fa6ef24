"""Validate step, writing: curated and quarantined tables of one wave, swapped in atomically."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core import atomic
from transforms.ingest.codebook import Codebook
from transforms.ingest.fingerprint import wave_fingerprint
from transforms.ingest.staging import StagedWave
from transforms.validate.codes import ValidationCodes
from transforms.validate.outcome import TableValidation
from transforms.validate.report import render_validation_html, write_validation_results
from transforms.validate.stream import read_table_frame, validate_staged


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
    codebook: Codebook, survey_dir: Path, wave: str, *, salt: str, curated_dir: Path, force: bool
) -> WavePlan:
    """Reuse a wave's curated data when its exports, codebook, reference files, code and salt
    are unchanged (``force``: never)."""
    fingerprint = wave_fingerprint(
        codebook, survey_dir / "survey.yaml", survey_dir, wave, salt=salt
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


_MANIFEST = "curation.json"
_FIRST_VALUE = r"'(?:[^'\\]|\\.)*'"  # the first quoted value in a reason


def curate_wave(
    staged: StagedWave,
    codes: ValidationCodes,
    curated_dir: Path,
    *,
    fingerprint: str = "",
    workers: int = 0,
) -> CuratedWave:
    """Validate the staged tables and write curated/quarantine Parquet, JSON and HTML results.

    ``curation.json`` records the inputs' fingerprint, the reconciliation and the quarantine
    reasons, so an unchanged wave can be reused without re-ingesting it. The staged files are
    removed once the curated ones are in place. ``workers``: see `validate_staged`.
    """
    target = wave_folder(curated_dir, staged.survey_id, staged.wave)
    with atomic.atomic_dir(target) as tmp:
        outcomes = validate_staged(staged, codes, tmp, workers=workers)
        write_validation_results(outcomes, tmp / "validation")
        title = f"Data quality: {staged.survey_id} wave {staged.wave}"
        atomic.write_text(tmp / "data_quality.html", render_validation_html(outcomes, title))
        curated = CuratedWave(
            survey_id=staged.survey_id,
            wave=staged.wave,
            folder=target,
            reconciliation=_reconciliation(staged, outcomes),
            quarantine_reasons=_reasons(staged, outcomes, tmp),
            fingerprint=fingerprint,
        )
        record = {"fingerprint": fingerprint, "files": staged.files, **_record(curated)}
        atomic.write_text(tmp / _MANIFEST, json.dumps(record, indent=2, sort_keys=True) + "\n")
    staged.discard()
    return curated


def reuse_curated(
    curated_dir: Path, survey_id: str, wave: str, fingerprint: str | None
) -> tuple[CuratedWave, list[dict[str, object]]] | None:
    """The wave's curated data and input files if curated from the same inputs, else None.

    ``fingerprint=None`` accepts whatever inputs the wave was last curated from.
    """
    folder = wave_folder(curated_dir, survey_id, wave)
    try:
        record = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
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


def _record(curated: CuratedWave) -> dict[str, object]:
    fields = asdict(curated)
    return {k: fields[k] for k in ("reconciliation", "quarantine_reasons")}


def read_curated(folder: Path, table: str) -> pd.DataFrame:
    """A curated table of one wave in memory, with the canonical dtypes."""
    return read_table_frame(folder / f"{table}.parquet")


def _reconciliation(
    staged: StagedWave, outcomes: dict[str, TableValidation]
) -> list[dict[str, Any]]:
    rows = []
    for name, outcome in outcomes.items():
        rows_in = staged.rows[name] + staged.refused[name]
        rows.append(
            {
                "survey_id": staged.survey_id,
                "wave": staged.wave,
                "table_name": name,
                "rows_in": rows_in,
                "rows_curated": outcome.rows_curated,
                "rows_quarantined": outcome.rows_quarantined,
                "reconciled": rows_in == outcome.rows_curated + outcome.rows_quarantined,
            }
        )
    return rows


def _reasons(
    staged: StagedWave, outcomes: dict[str, TableValidation], folder: Path
) -> list[dict[str, Any]]:
    """Quarantine reasons with counts; the offending value is left out so like reasons group
    (the quarantine files keep every row's full reason). Read from the quarantine files, a
    column at a time."""
    rows: list[dict[str, Any]] = []
    for name, outcome in outcomes.items():
        if not outcome.rows_quarantined:
            continue
        path = folder / "quarantine" / f"{name}.parquet"
        q = pq.read_table(path, columns=["stage", "reasons"]).to_pandas()
        singles = q.assign(reason=q["reasons"].str.split("; ")).explode("reason")
        singles["reason"] = singles["reason"].str.replace(_FIRST_VALUE, "…", n=1, regex=True)
        counts = singles.groupby(["stage", "reason"], sort=True).size().reset_index(name="rows")
        rows += [
            {
                "survey_id": staged.survey_id,
                "wave": staged.wave,
                "table_name": name,
                "stage": str(stage),
                "reason": str(reason),
                "rows": int(count),
            }
            for stage, reason, count in counts.itertuples(index=False)
        ]
    return rows
