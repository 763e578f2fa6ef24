"""Real exports through a codebook alone (tests/fixtures/real_codebooks, README.md there).

Every committed codebook was drafted by `skillgap codebook init` and edited by hand; none needs
a code change. For each: `codebook check` reports no errors; ingest and curate succeed; every
table reconciles (rows in = curated + quarantined); the respondents staged equal the export's
data records counted independently (csv module, pyreadstat); and no e-mail address, IP address
or (distinctive) platform response id of the export appears in any file of the curated folder.
The exports are read from ../shared/real-exports, never copied.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import yaml

from tests import paths
from tests.leaks import ValueScan
from tests.paths import REAL_EXPORTS
from transforms.codebook_tools.check import check_codebook_file
from transforms.ingest.codebook import Codebook, load_codebook
from transforms.ingest.reference import load_reference
from transforms.ingest.wave import ingest_wave
from transforms.validate.codes import survey_codes as validation_codes
from transforms.validate.store import curate_wave

pytestmark = [
    pytest.mark.real_exports,
    pytest.mark.skipif(not REAL_EXPORTS.is_dir(), reason="../shared/real-exports is absent"),
]

FOLDER = paths.FIXTURES / "real_codebooks"
CODEBOOKS = sorted(FOLDER.glob("*/survey.yaml"))
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
SHORTEST_ID = 6  # shorter ids (LimeSurvey's 1, 2, 5 ...) would match any number


def _ids(path: Path) -> str:
    return path.parent.name


def test_there_is_a_codebook_for_every_real_export() -> None:
    exports = {
        p.resolve()
        for p in REAL_EXPORTS.rglob("*")
        if p.suffix.lower() in {".csv", ".sav"} and p.is_file()
    }
    named = {
        (path.parent / name).resolve()
        for path in CODEBOOKS
        for wave in yaml.safe_load(path.read_text("utf-8"))["waves"].values()
        for name in wave["files"]
    }
    assert exports and exports <= named
    for path in CODEBOOKS:  # the exports are referenced where they lie, never copied
        assert not [p for p in path.parent.iterdir() if p.suffix.lower() in {".csv", ".sav"}]


@pytest.mark.parametrize("path", CODEBOOKS, ids=_ids)
def test_the_codebook_checks_without_errors(path: Path) -> None:
    errors = [p for p in check_codebook_file(path) if p.severity == "error"]
    assert errors == []


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _header_rows(rows: list[list[str]], platform: str | None) -> int:
    """Qualtrics: tags, texts and (newer exports) a row of ImportId objects; others: one."""
    if platform != "qualtrics":
        return 1
    third = rows[2][0] if len(rows) > 2 and rows[2] else ""
    return 3 if third.startswith("{") and "ImportId" in third else 2


def _records_and_secrets(path: Path, platform: str | None, id_column: str | None) -> tuple[
    int, set[str]
]:  # fmt: skip
    """The export's data records, counted apart from the readers, and the values that must
    not reach curated data: e-mail and IP addresses anywhere, distinctive response ids."""
    if path.suffix.lower() == ".sav":
        frame, _ = pyreadstat.read_sav(str(path))
        cells = [str(v) for v in frame.astype(str).to_numpy().ravel()]
        ids = [str(v) for v in frame[id_column]] if id_column else []
        return len(frame), _secrets(cells, ids)
    rows = _csv_rows(path)
    skip = _header_rows(rows, platform)
    data = [row for row in rows[skip:] if any(cell.strip() for cell in row)]
    ids: list[str] = []
    if id_column is not None:
        index = _column_index(rows[:skip], id_column)
        ids = [row[index] for row in data if index < len(row)]
    return len(data), _secrets([cell for row in data for cell in row], ids)


def _column_index(headers: list[list[str]], name: str) -> int:
    """A column's position from its heading (or 'unnamed_<n>', the n-th column)."""
    unnamed = re.fullmatch(r"unnamed_(\d+)", name)
    if unnamed:
        return int(unnamed.group(1)) - 1
    return next(h.index(name) for h in headers if name in h)


def _secrets(cells: list[str], ids: list[str]) -> set[str]:
    found = {m for cell in cells for m in EMAIL.findall(cell)}
    found |= {m for cell in cells for m in IPV4.findall(cell)}
    return found | {i for i in ids if len(i) >= SHORTEST_ID}


def _curated_text(folder: Path) -> str:
    """Every file of a curated wave folder as text: Parquet cells, JSON, HTML."""
    parts: list[str] = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        if file.suffix == ".parquet":
            frame = pd.read_parquet(file)
            parts += [str(v) for v in frame.astype("string").fillna("").to_numpy().ravel()]
            parts += [str(c) for c in frame.columns]
        else:
            parts.append(file.read_text("utf-8", errors="replace"))
    return "\n".join(parts)


def _id_column(codebook: Codebook, wave: str) -> str | None:
    return codebook.waves[wave].respondent_id


@pytest.mark.e2e  # ingest and validation, end to end, for every real export
@pytest.mark.parametrize("path", CODEBOOKS, ids=_ids)
def test_the_export_ingests_reconciles_and_leaks_nothing(path: Path, tmp_path: Path) -> None:
    codebook = load_codebook(path)
    reference = load_reference(codebook, path.parent)
    codes = validation_codes(codebook, reference)
    for wave, spec in codebook.waves.items():
        staged = ingest_wave(
            codebook, path.parent, wave, salt="real-exports", curated_dir=tmp_path / "curated"
        )
        curated = curate_wave(staged, codes, tmp_path / "curated")
        reconciliation = {r["table_name"]: r for r in curated.reconciliation}
        assert all(r["reconciled"] for r in reconciliation.values()), reconciliation
        expected, secrets = 0, set()
        for name in spec.files:
            records, found = _records_and_secrets(
                (path.parent / name).resolve(), spec.platform, _id_column(codebook, wave)
            )
            expected += records
            secrets |= found
        assert reconciliation["respondent"]["rows_in"] == expected
        text = _curated_text(curated.folder)
        leaked = ValueScan(secrets).found_in(text)  # one pass for all values
        assert leaked == [], f"{len(leaked)} personal values reached curated data"
