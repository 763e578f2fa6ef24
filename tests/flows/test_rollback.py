"""A run that fails leaves the last good outputs as they were (transforms.core.rollback): files
replaced or removed come back, files it added go, the lock and salt are left alone, and the
file its error names is kept in failed-run/ and named there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corrupt import digests
from transforms.core import atomic
from transforms.core.errors import WeightingError
from transforms.core.rollback import FAILED, SNAPSHOT, last_good_kept


def _outputs(folder: Path) -> None:
    (folder / "wave" / "quarantine").mkdir(parents=True)
    (folder / "wave" / "respondent.parquet").write_bytes(b"good rows")
    (folder / "wave" / "quarantine" / "respondent.parquet").write_bytes(b"good reasons")
    (folder / "wave" / "data_quality.html").write_text("good page")
    (folder / "warehouse.duckdb").write_bytes(b"good warehouse")
    (folder / "published.json").write_text("{}")
    (folder / "latest").symlink_to("wave")


def _a_failed_run(folder: Path) -> None:
    with atomic.atomic_dir(folder / "wave") as tmp:  # a wave curated again, swapped in
        (tmp / "respondent.parquet").write_bytes(b"new rows")
        (tmp / "data_quality.html").write_text("new page: every row quarantined")
    atomic.write_bytes(folder / "warehouse.duckdb", b"new warehouse")
    (folder / "published.json").unlink()
    atomic.write_bytes(folder / "new.parquet", b"added")


def test_a_failed_run_puts_every_last_good_output_back(tmp_path: Path) -> None:
    curated, reports = tmp_path / "curated", tmp_path / "reports"
    _outputs(curated)
    (reports / "2023").mkdir(parents=True)
    (reports / "2023" / "report.html").write_text("good report")
    (curated / ".salt").write_text("salt")
    before = digests(tmp_path)
    with pytest.raises(RuntimeError, match="model failed"), last_good_kept([curated, reports]):
        _a_failed_run(curated)
        atomic.write_text(reports / "2023" / "report.html", "new report")
        (curated / ".salt").write_text("salt made in the run")  # left alone, as it was made
        raise RuntimeError("model failed")
    after = digests(tmp_path)
    assert after.pop("curated/.salt") == b"salt made in the run"
    before.pop("curated/.salt")
    assert after == before
    assert not (curated / SNAPSHOT).exists() and not (reports / SNAPSHOT).exists()


def test_the_file_the_error_names_is_kept_in_failed_run_and_named_there(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    _outputs(curated)
    named = curated / "wave/data_quality.html"
    failing = pytest.raises(WeightingError, match=f"this run's file is in {FAILED}/")
    with failing as error, last_good_kept([curated]):
        _a_failed_run(curated)
        raise WeightingError("no respondent is left", file=named)
    kept = curated / FAILED / "wave" / "data_quality.html"
    assert error.value.file == str(kept.absolute())
    assert kept.read_text() == "new page: every row quarantined"
    assert (curated / "wave" / "data_quality.html").read_text() == "good page"


def test_an_error_naming_a_file_of_the_last_good_run_is_left_as_it_was(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    _outputs(curated)
    named = curated / "wave" / "data_quality.html"
    with pytest.raises(WeightingError) as error, last_good_kept([curated]):
        raise WeightingError("bad margins", file=named)
    assert error.value.file == str(named) and not (curated / FAILED).exists()


def test_a_run_that_succeeds_keeps_its_outputs_and_drops_the_snapshot(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    _outputs(curated)
    (curated / FAILED).mkdir()
    (curated / FAILED / "old.html").write_text("a failure of the past")
    with last_good_kept([curated]):
        _a_failed_run(curated)  # here the run goes on to the end
    assert (curated / "warehouse.duckdb").read_bytes() == b"new warehouse"
    assert not (curated / "published.json").exists()
    assert not (curated / SNAPSHOT).exists() and not (curated / FAILED).exists()


def test_a_first_run_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    with pytest.raises(KeyboardInterrupt), last_good_kept([curated]):
        _a_failed_run_from_nothing(curated)
        raise KeyboardInterrupt
    assert digests(curated) == {}


def _a_failed_run_from_nothing(folder: Path) -> None:
    with atomic.atomic_dir(folder / "wave") as tmp:
        (tmp / "respondent.parquet").write_bytes(b"new rows")
    atomic.write_bytes(folder / "warehouse.duckdb", b"new warehouse")
