"""A wave's exports staged apart (one part per file, side by side) and joined give the curated
bytes of the wave staged in one go."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from tests import paths
from transforms.ingest.codebook import load_codebook
from transforms.ingest.reference import load_reference
from transforms.ingest.wave import ingest_export, ingest_wave, join_wave
from transforms.validate.codes import survey_codes, wave_codes
from transforms.validate.store import curate_wave

EXPORT = "2022/atmp2030_2022_qualtrics_SYNTHETIC.csv"
HEADER_ROWS = 3


def _two_file_survey(root: Path) -> Path:
    """The sample with its 2022 export cut in two files (header rows in each)."""
    shutil.copytree(paths.SAMPLE.parent / "reference", root / "reference")
    survey = root / "atmp2030"
    shutil.copytree(paths.SAMPLE, survey)
    source = survey / EXPORT
    with source.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    header, rows = records[:HEADER_ROWS], records[HEADER_ROWS:]
    half = len(rows) // 2
    for name, part in (("first.csv", rows[:half]), ("second.csv", rows[half:])):
        with (survey / "2022" / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(header + part)
    source.unlink()
    text = (survey / "survey.yaml").read_text(encoding="utf-8")
    assert f"files: [{EXPORT}]" in text
    text = text.replace(f"files: [{EXPORT}]", "files: [2022/first.csv, 2022/second.csv]")
    (survey / "survey.yaml").write_text(text, encoding="utf-8")
    return survey


def _parquet(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.parquet")}


def test_exports_staged_apart_and_joined_give_the_curated_bytes_of_one_staging(
    tmp_path: Path,
) -> None:
    survey = _two_file_survey(tmp_path)
    codebook = load_codebook(survey / "survey.yaml")
    codes = wave_codes(survey_codes(codebook, load_reference(codebook, survey)), codebook, "2022")
    whole_dir, parts_dir = tmp_path / "whole", tmp_path / "parts"
    whole = ingest_wave(codebook, survey, "2022", salt="s", curated_dir=whole_dir)
    parts = [
        ingest_export(codebook, survey, "2022", i, salt="s", curated_dir=parts_dir)
        for i in (1, 0)  # staged in any order, joined in export order
    ]
    joined = join_wave(sorted(parts, key=lambda p: p.files[0]["file"]), survey, parts_dir, "ab12")
    assert joined.folder.name == "2022-ab12" and joined.folder.is_dir()
    assert not any(part.folder.exists() for part in parts)  # the parts are consumed
    assert (joined.rows, joined.refused, joined.raw_rows) == (
        whole.rows,
        whole.refused,
        whole.raw_rows,
    )
    assert joined.files == whole.files and joined.warnings == whole.warnings
    assert whole.raw_rows > 100 and len(whole.files) == 2
    first = curate_wave(whole, codes, whole_dir)
    second = curate_wave(joined, codes, parts_dir)
    produced, expected = _parquet(second.folder), _parquet(first.folder)
    assert len(expected) >= 14 and produced == expected
