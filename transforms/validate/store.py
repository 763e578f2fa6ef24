"""Validate step, writing: curated and quarantined tables of one wave, swapped in atomically."""

from __future__ import annotations

import json
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core import atomic
from transforms.ingest.staging import StagedWave
from transforms.validate.codes import ValidationCodes
from transforms.validate.curated import MANIFEST, CuratedWave, curation_record, wave_folder
from transforms.validate.outcome import TableValidation
from transforms.validate.report import render_validation_html, write_validation_results
from transforms.validate.stream import POOL_MIN_ROWS, validate_staged

_FIRST_VALUE = r"'(?:[^'\\]|\\.)*'"  # the first quoted value in a reason


def curate_wave(
    staged: StagedWave,
    codes: ValidationCodes,
    curated_dir: Path,
    *,
    fingerprint: str = "",
    workers: int = 0,
    pool: Executor | None = None,
    pool_min_rows: int = POOL_MIN_ROWS,
) -> CuratedWave:
    """Validate the staged tables and write curated/quarantine Parquet, JSON and HTML results.

    ``curation.json`` records the inputs' fingerprint, the reconciliation and the quarantine
    reasons, so an unchanged wave can be reused without re-ingesting it. The staged files are
    removed once the curated ones are in place. ``workers``, ``pool``, ``pool_min_rows``: see
    `validate_staged`.
    """
    target = wave_folder(curated_dir, staged.survey_id, staged.wave)
    with atomic.atomic_dir(target) as tmp:
        outcomes = validate_staged(
            staged, codes, tmp, workers=workers, pool=pool, pool_min_rows=pool_min_rows
        )
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
        record = {"fingerprint": fingerprint, "files": staged.files, **curation_record(curated)}
        atomic.write_text(tmp / MANIFEST, json.dumps(record, indent=2, sort_keys=True) + "\n")
    staged.discard()
    return curated


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
