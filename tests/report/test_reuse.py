"""Re-runs keep the warehouse and reports only when everything they are built from is unchanged."""

from __future__ import annotations

from pathlib import Path

from transforms.model.build import ModelResult
from transforms.model.params import ModelParams
from transforms.report.render import ReportPaths
from transforms.report.reuse import (
    STATE,
    published_fingerprint,
    record_published,
    reuse_published,
)
from transforms.validate.curated import CuratedWave


def _wave(wave: str, fingerprint: str = "f") -> CuratedWave:
    return CuratedWave("demo", wave, Path(wave), [], [], fingerprint=fingerprint + wave)


def _outputs(root: Path) -> tuple[ModelResult, list[ReportPaths]]:
    for name in ("warehouse.duckdb", "marts/mart_x.parquet", "r/report.html", "r/report.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "r" / "tables.xlsx").write_text("x")
    built = ModelResult(
        warehouse=root / "warehouse.duckdb",
        rows_per_model={"mart_x": 3},
        marts={"mart_x": root / "marts" / "mart_x.parquet"},
        weighting=[],
    )
    report = ReportPaths(
        root / "r", root / "r/report.html", root / "r/report.pdf", root / "r/tables.xlsx", ()
    )
    return built, [report]


def _state(tmp_path: Path, waves: list[CuratedWave], params: ModelParams | None = None) -> str:
    return published_fingerprint(
        waves,
        [w.wave for w in waves],
        params or ModelParams(),
        warehouse=tmp_path / "warehouse.duckdb",
        reports_dir=tmp_path / "r",
    )


def test_unchanged_inputs_and_settings_keep_the_published_outputs(tmp_path: Path) -> None:
    built, reports = _outputs(tmp_path)
    state = _state(tmp_path, [_wave("2022"), _wave("2024")])
    record_published(tmp_path, state, built, reports)
    kept = reuse_published(tmp_path, _state(tmp_path, [_wave("2022"), _wave("2024")]))
    assert kept is not None
    assert kept[0] == built and kept[1] == reports


def test_a_changed_wave_setting_or_missing_file_rebuilds_and_forgets_the_record(
    tmp_path: Path,
) -> None:
    built, reports = _outputs(tmp_path)
    state = _state(tmp_path, [_wave("2022")])
    record_published(tmp_path, state, built, reports)
    assert reuse_published(tmp_path, _state(tmp_path, [_wave("2022", "g")])) is None
    assert not (tmp_path / STATE).exists()  # until new outputs are recorded
    record_published(tmp_path, state, built, reports)
    assert (
        reuse_published(tmp_path, _state(tmp_path, [_wave("2022")], ModelParams(min_cell=7)))
        is None
    )
    record_published(tmp_path, state, built, reports)
    (tmp_path / "r" / "report.pdf").unlink()
    assert reuse_published(tmp_path, state) is None


def test_a_wave_curated_without_a_fingerprint_is_never_reused(tmp_path: Path) -> None:
    unknown = CuratedWave("demo", "2022", Path("2022"), [], [])  # curated before fingerprints
    state = _state(tmp_path, [unknown])
    assert state == ""
    built, reports = _outputs(tmp_path)
    record_published(tmp_path, state, built, reports)
    assert reuse_published(tmp_path, state) is None
