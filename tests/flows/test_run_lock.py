"""One writer at a time and nothing half-written left behind, tested with real processes: a
second run stops with the first one named, a run killed with SIGKILL leaves a stale lock that
the next run detects, and the next run removes the temporary files the killed one left and
produces what a clean run produces."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests import paths
from tests.flows import snapshot
from transforms.core.atomic import TEMP_MARK, write_text
from transforms.core.runlock import HOLDER_NAME, RunLocked, check_unlocked, run_lock

PROJECT = paths.PROJECT
HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from transforms.core.runlock import run_lock
    with run_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(60)
    """
)


def _holder(curated: Path) -> subprocess.Popen[str]:
    """Another process that takes the lock and keeps it (until killed)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(curated)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def test_a_second_writer_stops_at_once_naming_the_run_that_holds_the_lock(tmp_path: Path) -> None:
    process = _holder(tmp_path)
    try:
        started = time.perf_counter()
        with pytest.raises(RunLocked) as error, run_lock(tmp_path):
            pass
        assert time.perf_counter() - started < 5
        message = str(error.value)
        assert "another run is writing this curated folder since 20" in message
        assert f"process {process.pid} on " in message and str(tmp_path) in message
        with pytest.raises(RunLocked):
            check_unlocked(tmp_path)
    finally:
        _stop(process)


def test_a_writer_that_was_killed_leaves_a_stale_lock_and_its_leftovers_are_removed(
    tmp_path: Path,
) -> None:
    curated, reports = tmp_path / "curated", tmp_path / "reports" / "s"
    process = _holder(curated)
    os.kill(process.pid, signal.SIGKILL)  # the OS lock goes with the process, the record stays
    _stop(process)
    assert (curated / HOLDER_NAME).exists()
    leftovers = [
        curated / f".warehouse.duckdb{TEMP_MARK}a1b2c3d4",
        curated / f".warehouse.duckdb{TEMP_MARK}a1b2c3d4.wal",
        curated / "s" / "2024" / f".respondent.parquet{TEMP_MARK}x9y8z7w6",
        reports / f".2024{TEMP_MARK}report-q1w2e3r4" / "report.html",
        reports / "2024" / f".figures{TEMP_MARK}old" / "a.svg",
    ]
    kept = [curated / ".salt", curated / "s" / "2024" / "respondent.parquet", reports / "x.html"]
    for path in leftovers + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    with run_lock(curated, [reports]) as held:
        assert held.stale is not None and held.stale["pid"] == process.pid
        assert {p.name for p in held.removed} >= {leftovers[0].name, leftovers[2].name}
        assert (curated / HOLDER_NAME).exists()  # this run's own record
    assert not (curated / HOLDER_NAME).exists()  # a run that finishes leaves none
    assert all(not p.exists() for p in leftovers)
    assert not [p for p in tmp_path.rglob(f"*{TEMP_MARK}*")]
    assert all(p.read_text() == "x" for p in kept)
    with run_lock(curated) as held:  # the run after a clean one finds nothing stale
        assert held.stale is None and held.removed == ()


def test_atomic_writes_name_their_temporary_files_with_the_mark(tmp_path: Path) -> None:
    from transforms.core import atomic

    seen: list[str] = []
    real = atomic.tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        handle, name = real(*args, **kwargs)  # type: ignore[call-overload]
        seen.append(Path(name).name)
        return handle, name

    atomic.tempfile.mkstemp = spy  # type: ignore[assignment]
    try:
        write_text(tmp_path / "out.txt", "x")
    finally:
        atomic.tempfile.mkstemp = real  # type: ignore[assignment]
    assert seen and seen[0].startswith(f".out.txt{TEMP_MARK}")


def _skillgap_run(curated: Path, reports: Path, home: Path) -> subprocess.Popen[bytes]:
    """`skillgap run` on the sample in its own process group, its output in home/run.log."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "SKILLGAP_SALT": "end-to-end-test-salt",  # the snapshot's salt
        "MPLBACKEND": "Agg",
    }
    with (home / "run.log").open("ab") as log:  # the child keeps its own handle
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flows.cli",
                "run",
                "--survey-dir",
                str(paths.SAMPLE),
                "--curated-dir",
                str(curated),
                "--reports-dir",
                str(reports),
            ],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


# where each stage's temporary output appears while the stage runs
STAGE_TEMPORARIES = {
    "ingest": (".staging/atmp2030", f".*{TEMP_MARK}*"),  # the staged tables of a wave
    "validate": ("atmp2030", f".*{TEMP_MARK}*"),  # a curated wave folder, before its swap
    "model": (".", f".warehouse.duckdb{TEMP_MARK}*"),  # the warehouse, before its rename
    "report": ("../reports/atmp2030", f".*{TEMP_MARK}report-*"),  # a report being rendered
}


@pytest.mark.e2e
@pytest.mark.parametrize("stage", list(STAGE_TEMPORARIES))
def test_a_run_killed_inside_a_stage_is_cleaned_up_by_the_next_run(
    tmp_path: Path, stage: str
) -> None:
    """SIGKILL while a stage writes its output (its temporary file or folder exists), then a
    second run: it detects the stale lock, removes what the killed run left half-written and
    ends with the curated tables and marts of a clean run (the committed snapshot)."""
    curated, reports, home = tmp_path / "curated", tmp_path / "reports", tmp_path / "prefect"
    folder, pattern = STAGE_TEMPORARIES[stage]
    first = _skillgap_run(curated, reports, home)
    deadline = time.monotonic() + 600
    staging: list[Path] = []
    while time.monotonic() < deadline and first.poll() is None and not staging:
        staging = list((curated / folder).glob(pattern))
        time.sleep(0.02)
    assert staging, f"the first run was not seen inside its {stage} stage"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert (curated / HOLDER_NAME).exists()  # a stale lock record

    second = _skillgap_run(curated, reports, home)
    second.wait(timeout=900)
    output = (home / "run.log").read_text("utf-8", errors="replace")
    assert second.returncode == 0, output[-3000:]
    assert "the last run was interrupted" in output
    assert not list(tmp_path.rglob(f"*{TEMP_MARK}*")), "temporary files were left"
    assert not (curated / HOLDER_NAME).exists()
    problems = snapshot.run_differences(curated, "atmp2030")
    assert not problems, problems
    for wave in ("2022", "2024", "trend"):
        assert (reports / "atmp2030" / wave / "report.pdf").stat().st_size > 10_000


def test_a_second_skillgap_run_stops_before_prefect_starts(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    process = _holder(curated)
    try:
        started = time.perf_counter()
        run = _skillgap_run(curated, tmp_path / "reports", tmp_path / "prefect")
        run.wait(timeout=120)
        output = (tmp_path / "prefect" / "run.log").read_text("utf-8")
        assert run.returncode == 1, output
        assert "another run is writing this curated folder since" in output
        assert "Traceback" not in output
        assert time.perf_counter() - started < 60
    finally:
        _stop(process)
