"""Test helper: a survey folder through ingest, validation and the warehouse build, in process
and without Prefect (the stages the flow composes), for tests that need their outputs."""

from __future__ import annotations

from pathlib import Path

from transforms.ingest.codebook import load_codebook
from transforms.ingest.fingerprint import wave_fingerprint
from transforms.ingest.reference import load_reference
from transforms.ingest.wave import ingest_wave
from transforms.model.build import ModelResult, build_model
from transforms.model.params import ModelParams
from transforms.validate.codes import survey_codes
from transforms.validate.curated import CuratedWave
from transforms.validate.store import curate_wave


def model_survey(
    survey: Path, curated: Path, *, salt: str, params: ModelParams
) -> tuple[list[CuratedWave], ModelResult]:
    """Every wave of the survey at `survey` curated under `curated`, and the warehouse; as the
    flow does, every wave's change check (which hashes its exports) comes first."""
    codebook = load_codebook(survey / "survey.yaml")
    reference = load_reference(codebook, survey)
    for wave in codebook.waves:
        wave_fingerprint(codebook, survey / "survey.yaml", survey, wave, salt=salt)
    codes = survey_codes(codebook, reference)
    waves = [
        curate_wave(
            ingest_wave(codebook, survey, w, salt=salt, curated_dir=curated), codes, curated
        )
        for w in codebook.waves
    ]
    result = build_model(
        codebook,
        reference,
        waves,
        warehouse=curated / "warehouse.duckdb",
        marts_dir=curated / "marts",
        params=params,
    )
    return waves, result
