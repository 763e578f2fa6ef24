"""Ingest step: read every export of a wave once, apply the codebook, stage the tables."""

from __future__ import annotations

from pathlib import Path

from transforms.ingest.codebook import Codebook
from transforms.ingest.mapping import check_wave
from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits
from transforms.ingest.staging import StagedWave, join_staged, stage_exports, stage_wave


def ingest_wave(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    *,
    salt: str,
    curated_dir: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    fingerprint: str = "",
) -> StagedWave:
    """Staged canonical tables for one wave (Parquet under ``curated_dir/.staging``), PII
    dropped and provenance on every row; kept under the inputs' ``fingerprint`` if given."""
    return stage_wave(
        codebook,
        survey_dir,
        wave,
        salt=salt,
        curated_dir=curated_dir,
        limits=limits,
        fingerprint=fingerprint,
    )


def ingest_export(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    index: int,
    *,
    salt: str,
    curated_dir: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> StagedWave:
    """The staged tables of the wave's export number ``index`` alone (a part of the wave, to
    stage its files side by side; `join_wave` puts the parts together)."""
    name = check_wave(codebook, wave).files[index]
    return stage_exports(
        codebook,
        survey_dir,
        wave,
        [name],
        salt=salt,
        curated_dir=curated_dir,
        limits=limits,
        part=f"f{index}",
    )


def join_wave(
    parts: list[StagedWave], survey_dir: Path, curated_dir: Path, fingerprint: str = ""
) -> StagedWave:
    """The wave's staging from its parts in export order: the same rows and batches as
    `ingest_wave` gives."""
    return join_staged(parts, survey_dir, curated_dir, fingerprint)
