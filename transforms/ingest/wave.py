"""Ingest step: read every export of a wave once, apply the codebook, stage the tables."""

from __future__ import annotations

from pathlib import Path

from transforms.ingest.codebook import Codebook
from transforms.ingest.staging import StagedWave, stage_wave


def ingest_wave(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    *,
    salt: str,
    curated_dir: Path,
    fingerprint: str = "",
) -> StagedWave:
    """Staged canonical tables for one wave (Parquet under ``curated_dir/.staging``), PII
    dropped and provenance on every row; kept under the inputs' ``fingerprint`` if given."""
    return stage_wave(
        codebook, survey_dir, wave, salt=salt, curated_dir=curated_dir, fingerprint=fingerprint
    )
