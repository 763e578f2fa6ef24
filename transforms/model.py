"""Model step: curated waves + reference + weights → the DuckDB warehouse and Parquet marts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from transforms.canonical import TABLES
from transforms.codebook import Codebook
from transforms.curate import CuratedWave, read_curated
from transforms.reference import Reference, reference_tables
from transforms.warehouse import ModelParams, build_warehouse, export_marts
from transforms.weighting import WeightingSummary, post_stratify


@dataclass(frozen=True)
class ModelResult:
    warehouse: Path
    rows_per_model: dict[str, int]
    marts: dict[str, Path]
    weighting: list[WeightingSummary]


def weight_wave(
    curated: CuratedWave, reference: Reference
) -> tuple[pd.DataFrame, WeightingSummary]:
    """Post-stratification weights of one wave's curated respondents."""
    return post_stratify(read_curated(curated.folder, "respondent"), reference.population_frame)


def build_model(
    codebook: Codebook,
    reference: Reference,
    waves: list[CuratedWave],
    *,
    warehouse: Path,
    marts_dir: Path,
    params: ModelParams,
) -> ModelResult:
    """Weight the curated waves, build the warehouse from them, export the marts."""
    weights, summaries = [], []
    for curated in waves:
        frame, summary = weight_wave(curated, reference)
        weights.append(frame)
        summaries.append(summary)
    tables: dict[str, pd.DataFrame] = {
        name: _concat([read_curated(c.folder, name) for c in waves]) for name in TABLES
    }
    tables.update(reference_tables([(codebook, reference)]))
    tables["respondent_weight"] = _concat(weights)
    tables["dq_reconciliation"] = pd.DataFrame(_rows(waves, "reconciliation"))
    tables["dq_quarantine_reason"] = pd.DataFrame(
        _rows(waves, "quarantine_reasons"),
        columns=["survey_id", "wave", "table_name", "stage", "reason", "rows"],
    )
    rows = build_warehouse(warehouse, tables, params)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = export_marts(con, marts_dir)
    return ModelResult(warehouse=warehouse, rows_per_model=rows, marts=marts, weighting=summaries)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty] or frames[:1]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _rows(waves: list[CuratedWave], attribute: str) -> list[dict[str, Any]]:
    return [row for wave in waves for row in getattr(wave, attribute)]
