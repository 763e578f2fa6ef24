"""Parallel and resumable runs (#12 item 2): the flow on a Dask cluster gives the same bytes as on
the default runner, and a run that failed after ingest resumes from its persisted ingest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.settings import Settings
from tests import paths
from tests.bench import benchmark_pipeline
from tests.flows import snapshot
from transforms.core.errors import SkillgapError

pytestmark = pytest.mark.e2e

BENCH_RESPONDENTS = 5_000  # the benchmark's generated wave, cut down for CI time


def _settings(survey_dir: Path, out: Path, **more: Any) -> Settings:
    return Settings(
        survey_dir=survey_dir,
        curated_dir=out / "curated",
        reports_dir=out / "reports",
        salt=more.pop("salt", "parallel-test-salt"),
        **more,
    )


def _published(curated_dir: Path) -> dict[str, bytes]:
    """Every curated and quarantined table and every mart, by its path in the curated folder."""
    return {
        path.relative_to(curated_dir).as_posix(): path.read_bytes()
        for path in sorted(curated_dir.rglob("*.parquet"))
        if ".staging" not in path.parts
    }


class _Watched:
    """A task runner, and on a Dask one the names of every kind of task its cluster ran
    (the scheduler's task prefixes, read as the run leaves the runner)."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.prefixes: list[str] = []

    def __enter__(self) -> Any:
        return self.runner.__enter__()

    def __exit__(self, *exc: object) -> Any:
        if getattr(self.runner, "_client", None) is not None:
            self.prefixes = self.runner._client.run_on_scheduler(
                lambda dask_scheduler: sorted(dask_scheduler.task_prefixes)
            )
        return self.runner.__exit__(*exc)


def _watched_runners(monkeypatch: pytest.MonkeyPatch) -> list[_Watched]:
    """Every task runner the flow builds, watched."""
    import flows.pipeline

    runners: list[_Watched] = []
    real = flows.pipeline.task_runner

    def task_runner(settings: Settings) -> Any:
        runners.append(_Watched(real(settings)))
        return runners[-1]

    monkeypatch.setattr(flows.pipeline, "task_runner", task_runner)
    return runners


def test_the_benchmark_wave_on_a_two_worker_dask_cluster_gives_the_default_runners_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's generated wave (cut down), run with the default runner and on a local
    Dask cluster of two worker processes, its validation batches spread over the cluster: the
    same bytes in every curated, quarantined and mart Parquet file."""
    from prefect.testing.utilities import prefect_test_harness
    from prefect_dask.task_runners import DaskTaskRunner

    from flows.pipeline import skillgap_run

    runners = _watched_runners(monkeypatch)
    generated = benchmark_pipeline().generate_survey(tmp_path / "survey", BENCH_RESPONDENTS, seed=8)
    threads = _settings(generated.survey_dir, tmp_path / "threads")
    dask = _settings(
        generated.survey_dir,
        tmp_path / "dask",
        task_runner="dask",
        dask_workers=2,
        pool_min_rows=0,  # every validation batch a task of the cluster's, not of the wave's
    )
    with prefect_test_harness(server_startup_timeout=120):
        skillgap_run(settings=threads)
        skillgap_run(settings=dask)
    dask_runner = runners[1].runner
    assert isinstance(dask_runner, DaskTaskRunner)
    assert dask_runner.cluster_kwargs["n_workers"] == 2 and dask_runner.cluster_kwargs["processes"]
    # the cluster ran the Prefect tasks and the validation batches
    assert {"ingest", "validate", "check_spec"} <= set(runners[1].prefixes), runners[1].prefixes
    first, second = _published(threads.curated_dir), _published(dask.curated_dir)
    assert len(first) > 25 and any(name.startswith("marts/") for name in first)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, different


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every wave the flow's ingest task really ingests."""
    import flows.ingest_tasks

    calls: list[str] = []
    real = flows.ingest_tasks.ingest_wave

    def ingest_wave(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(flows.ingest_tasks, "ingest_wave", ingest_wave)
    return calls


def _failing_validation(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    import flows.pipeline

    def curate_wave(*args: Any, **kwargs: Any) -> Any:
        raise SkillgapError("validation stopped by the test")

    real = flows.pipeline.curate_wave
    monkeypatch.setattr(flows.pipeline, "curate_wave", curate_wave)
    return lambda: monkeypatch.setattr(flows.pipeline, "curate_wave", real)


def test_a_run_that_failed_after_ingest_resumes_from_its_persisted_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose validation fails keeps each wave's ingest (result and staged tables); a run
    with another salt (a changed input) ingests again, a retry with the same inputs does not,
    and ends with the committed snapshot's curated tables and marts."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.pipeline import skillgap_run

    calls = _counting(monkeypatch)
    restore = _failing_validation(monkeypatch)
    other_salt = _settings(paths.SAMPLE, tmp_path, salt="another-salt")
    settings = _settings(paths.SAMPLE, tmp_path, salt="end-to-end-test-salt")
    with prefect_test_harness(server_startup_timeout=120):
        for failing in (other_salt, settings):
            with pytest.raises(SkillgapError, match="stopped by the test"):
                skillgap_run(settings=failing)
        assert calls == ["2022", "2024", "2022", "2024"]  # the other salt's ingest not reused
        assert len(list((settings.curated_dir / ".prefect-results").glob("ingest-*"))) == 4
        restore()
        summary = skillgap_run(settings=settings)
    assert calls == ["2022", "2024", "2022", "2024"]  # resumed: not ingested a third time
    assert {row["wave"] for row in summary.reconciliation} == {"2022", "2024"}
    assert not list((settings.curated_dir / ".staging").rglob("*.parquet"))  # consumed
    problems = snapshot.run_differences(settings.curated_dir, "atmp2030")
    assert not problems, problems


def test_the_settings_pool_threshold_is_the_measured_one_of_validation() -> None:
    from transforms.validate.stream import POOL_MIN_ROWS

    assert Settings().pool_min_rows == POOL_MIN_ROWS


def test_a_wave_of_two_exports_is_staged_per_file_side_by_side_and_joined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample with its 2022 export cut in two files: one `ingest file` task per export
    (2022), one whole-wave `ingest` (2024), and every 2022 row reconciled."""
    from prefect.testing.utilities import prefect_test_harness

    import flows.ingest_tasks
    from flows.pipeline import skillgap_run
    from tests.ingest.test_export_parts import _two_file_survey

    parts: list[tuple[str, int]] = []
    real = flows.ingest_tasks.ingest_export

    def ingest_export(*args: Any, **kwargs: Any) -> Any:
        parts.append((args[2], args[3]))
        return real(*args, **kwargs)

    monkeypatch.setattr(flows.ingest_tasks, "ingest_export", ingest_export)
    calls = _counting(monkeypatch)
    settings = _settings(_two_file_survey(tmp_path / "survey"), tmp_path)
    with prefect_test_harness(server_startup_timeout=120):
        summary = skillgap_run(settings=settings)
    assert sorted(parts) == [("2022", 0), ("2022", 1)] and calls == ["2024"]
    assert [f["file"] for f in summary.files if "2022" in str(f["file"])] == [
        "2022/first.csv",
        "2022/second.csv",
    ]
    respondents = {r["wave"]: r for r in summary.reconciliation if r["table_name"] == "respondent"}
    assert respondents["2022"]["rows_in"] == 151 and respondents["2022"]["reconciled"]
