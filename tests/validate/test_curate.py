"""Validate step, writing: the curated sample reconciles and is byte-identical on re-run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests import paths
from transforms.ingest.codebook import load_codebook
from transforms.ingest.fingerprint import wave_fingerprint
from transforms.ingest.reference import load_reference
from transforms.ingest.wave import ingest_wave
from transforms.validate.codes import survey_codes as validation_codes
from transforms.validate.curated import reuse_curated
from transforms.validate.store import curate_wave

SAMPLE = paths.SAMPLE


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def curated_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    codebook = load_codebook(SAMPLE / "survey.yaml")
    codes = validation_codes(codebook, load_reference(codebook, SAMPLE))
    outs = []
    for attempt in ("first", "second"):
        out = tmp_path_factory.mktemp(attempt)
        staged = ingest_wave(codebook, SAMPLE, "2022", salt="fixed", curated_dir=out)
        curate_wave(staged, codes, out)
        outs.append(out / "atmp2030" / "2022")
    return outs[0], outs[1]


@pytest.mark.e2e  # `curated_twice`: the sample's 2022 wave ingested and curated twice
def test_the_same_inputs_give_the_same_curated_bytes(curated_twice: tuple[Path, Path]) -> None:
    first, second = curated_twice
    assert _digests(first) == _digests(second)
    assert len(_digests(first)) >= 12 + 2  # 6 tables, 6 quarantines, results and HTML


@pytest.mark.e2e  # `curated_twice`: the sample's 2022 wave ingested and curated twice
def test_quarantined_rows_name_file_row_column_and_value(curated_twice: tuple[Path, Path]) -> None:
    first, _ = curated_twice
    hiring = pd.read_parquet(first / "quarantine" / "hiring_need.parquet")
    typed = hiring[hiring["reasons"].str.contains("10-15")]
    assert len(typed) == 1
    row = typed.iloc[0]
    assert row["source_file"].endswith(".csv") and row["source_row"] > 3
    assert "QID" in row["reasons"] and row["stage"] == "ingest"
    preview = pd.read_parquet(first / "quarantine" / "respondent.parquet")
    assert preview["reasons"].str.contains("preview").all()


def test_a_wave_is_reused_only_when_its_fingerprint_matches(tmp_path: Path) -> None:
    codebook = load_codebook(SAMPLE / "survey.yaml")
    codes = validation_codes(codebook, load_reference(codebook, SAMPLE))
    staged = ingest_wave(codebook, SAMPLE, "2024", salt="fixed", curated_dir=tmp_path)
    curated = curate_wave(staged, codes, tmp_path, fingerprint="abc")
    reused = reuse_curated(tmp_path, "atmp2030", "2024", "abc")
    assert reused is not None
    assert reused[0].reconciliation == curated.reconciliation
    assert reused[1] == staged.files
    assert reuse_curated(tmp_path, "atmp2030", "2024", "other") is None
    assert reuse_curated(tmp_path, "atmp2030", "2024", None) is not None
    assert reuse_curated(tmp_path, "atmp2030", "2022", None) is None


def test_the_fingerprint_changes_with_any_input_byte_and_with_the_salt(tmp_path: Path) -> None:
    survey = tmp_path / "raw" / "atmp2030"
    shutil.copytree(SAMPLE, survey)
    shutil.copytree(SAMPLE.parent / "reference", tmp_path / "raw" / "reference")
    codebook = load_codebook(survey / "survey.yaml")

    def fingerprint(salt: str = "s") -> str:
        return wave_fingerprint(codebook, survey / "survey.yaml", survey, "2022", salt=salt)

    first = fingerprint()
    assert fingerprint() == first
    assert fingerprint("t") != first
    frame = tmp_path / "raw" / "reference" / "atmp2030_population_frame.csv"
    frame.write_text(frame.read_text() + "\n")
    assert fingerprint() != first
