"""Validate step, writing: curated and quarantined tables of one wave, swapped in atomically."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from transforms.core import atomic
from transforms.ingest.mapping import StagedWave
from transforms.validate.codes import ValidationCodes
from transforms.validate.outcome import ValidationOutcome
from transforms.validate.report import render_validation_html, write_validation_results
from transforms.validate.run import validate_wave


@dataclass(frozen=True)
class CuratedWave:
    """Where one wave's curated data lies and how its rows reconciled."""

    survey_id: str
    wave: str
    folder: Path
    reconciliation: list[dict[str, Any]]  # per table: rows_in, rows_curated, rows_quarantined
    quarantine_reasons: list[dict[str, Any]]  # per table and reason: rows


def wave_folder(curated_dir: Path, survey_id: str, wave: str) -> Path:
    return curated_dir / survey_id / wave


_MANIFEST = "curation.json"
_FIRST_VALUE = r"'(?:[^'\\]|\\.)*'"  # the first quoted value in a reason


def curate_wave(
    staged: StagedWave, codes: ValidationCodes, curated_dir: Path, *, fingerprint: str = ""
) -> CuratedWave:
    """Validate the staged tables and write curated/quarantine Parquet, JSON and HTML results.

    ``curation.json`` records the inputs' fingerprint, the reconciliation and the quarantine
    reasons, so an unchanged wave can be reused without re-ingesting it.
    """
    outcomes = validate_wave(staged.tables, staged.quarantine, codes)
    target = wave_folder(curated_dir, staged.survey_id, staged.wave)
    with atomic.atomic_dir(target) as tmp:
        for name, outcome in outcomes.items():
            atomic.write_parquet(tmp / f"{name}.parquet", outcome.curated)
            atomic.write_parquet(tmp / "quarantine" / f"{name}.parquet", outcome.quarantined)
        write_validation_results(outcomes, tmp / "validation")
        title = f"Data quality: {staged.survey_id} wave {staged.wave}"
        atomic.write_text(tmp / "data_quality.html", render_validation_html(outcomes, title))
        curated = CuratedWave(
            survey_id=staged.survey_id,
            wave=staged.wave,
            folder=target,
            reconciliation=_reconciliation(staged, outcomes),
            quarantine_reasons=_reasons(staged, outcomes),
        )
        record = {"fingerprint": fingerprint, "files": staged.files, **_record(curated)}
        atomic.write_text(tmp / _MANIFEST, json.dumps(record, indent=2, sort_keys=True) + "\n")
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
    )
    return curated, list(record.get("files", []))


def _record(curated: CuratedWave) -> dict[str, object]:
    fields = asdict(curated)
    return {k: fields[k] for k in ("reconciliation", "quarantine_reasons")}


def read_curated(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{table}.parquet")


def _reconciliation(
    staged: StagedWave, outcomes: dict[str, ValidationOutcome]
) -> list[dict[str, Any]]:
    rows = []
    for name, outcome in outcomes.items():
        curated, quarantined = len(outcome.curated), len(outcome.quarantined)
        rows_in = len(staged.tables[name]) + len(staged.quarantine[name])
        rows.append(
            {
                "survey_id": staged.survey_id,
                "wave": staged.wave,
                "table_name": name,
                "rows_in": rows_in,
                "rows_curated": curated,
                "rows_quarantined": quarantined,
                "reconciled": rows_in == curated + quarantined,
            }
        )
    return rows


def _reasons(staged: StagedWave, outcomes: dict[str, ValidationOutcome]) -> list[dict[str, Any]]:
    """Quarantine reasons with counts; the offending value is left out so like reasons group
    (the quarantine files keep every row's full reason)."""
    rows: list[dict[str, Any]] = []
    for name, outcome in outcomes.items():
        q = outcome.quarantined
        if q.empty:
            continue
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
