"""The whole-pipeline benchmark's generator (benchmarks/pipeline.py): deterministic, readable by
the project's reader, with a population frame that covers every respondent."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests import paths
from tests.bench import benchmark_pipeline

N = 300
SEED = 11


_pipeline = benchmark_pipeline


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    bench = _pipeline()
    first = bench.generate_survey(tmp_path_factory.mktemp("a"), N, seed=SEED)
    second = bench.generate_survey(tmp_path_factory.mktemp("b"), N, seed=SEED)
    return first, second


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_respondents_and_seed_give_identical_bytes(generated: tuple[Any, Any]) -> None:
    first, second = generated
    files = _files(first.root)
    assert {"atmp2030/survey.yaml", "atmp2030/2022/bench_qualtrics.csv"} <= set(files)
    assert files == _files(second.root)
    other = _pipeline().generate_survey(first.root.parent / "c", N, seed=SEED + 1)
    assert other.export.read_bytes() != files["atmp2030/2022/bench_qualtrics.csv"]


def test_the_export_keeps_the_sample_header_and_has_n_distinct_respondents(
    generated: tuple[Any, Any],
) -> None:
    export = generated[0].export
    sample = paths.SAMPLE / "2022" / "atmp2030_2022_qualtrics_SYNTHETIC.csv"
    head = sample.read_text("utf-8").split("\n")[:3]
    assert export.read_text("utf-8").split("\n")[:3] == head
    with export.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    tags, data = rows[0], rows[3:]
    assert len(data) == N
    assert all(len(row) == len(tags) for row in data)
    ids = [row[tags.index("ResponseId")] for row in data]
    assert len(set(ids)) == N and all(len(i) == 17 and i.startswith("R_") for i in ids)
    emails = [e for row in data if (e := row[tags.index("RecipientEmail")])]
    assert len(set(emails)) == len(emails) > N // 2


def test_the_projects_reader_reads_n_rows(generated: tuple[Any, Any]) -> None:
    readers = pytest.importorskip("transforms.ingest.readers")
    export = readers.read_export(generated[0].export)
    assert len(export.data) == N
    assert export.platform == "qualtrics"


def test_the_codebook_loads_with_only_the_generated_wave(
    generated: tuple[Any, Any],
) -> None:
    codebook = pytest.importorskip("transforms.ingest.codebook")
    book = codebook.load_codebook(generated[0].survey_dir / "survey.yaml")
    assert list(book.waves) == ["2022"]
    assert list(book.waves["2022"].files) == ["2022/bench_qualtrics.csv"]


def test_the_frame_has_at_least_the_respondents_of_every_cell(
    generated: tuple[Any, Any],
) -> None:
    survey = generated[0]
    with survey.frame.open(encoding="utf-8") as handle:
        frame = {
            (r["org_sector"], r["org_size_band"]): int(r["organisations"])
            for r in csv.DictReader(handle)
        }
    cells = survey.cells
    assert sum(cells.values()) == N
    assert set(frame) == set(cells)
    for cell, respondents in cells.items():
        assert frame[cell] >= respondents
        assert frame[cell] == -(-respondents * 5 // 3)  # ceil(respondents / 0.6)
