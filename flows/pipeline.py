"""Orchestration, the flow: ingest → validate → model → report, one Prefect task per stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import TaskRunner

from flows.ingest_tasks import submit_ingest
from flows.resume import RETRY
from flows.runners import batch_pool, task_runner
from flows.settings import Settings
from flows.summary import RunSummary, StageClock, WaveRun, run_summary
from flows.worker import run_salt, worker_run
from transforms.core.rollback import last_good_kept
from transforms.core.runlock import run_lock
from transforms.ingest.codebook import Codebook, load_codebook
from transforms.ingest.reference import Reference, load_reference
from transforms.ingest.staging import StagedWave
from transforms.model.build import ModelResult, build_model
from transforms.report.publish import publish_wave_report, report_meta, trend_report_meta
from transforms.report.render import ReportPaths
from transforms.report.reuse import published_fingerprint, record_published, reuse_published
from transforms.report.trend import publish_trend_report
from transforms.validate.codes import ValidationCodes, survey_codes, wave_codes
from transforms.validate.curated import CuratedWave, WavePlan, other_curated_waves, plan_wave
from transforms.validate.store import curate_wave


@task(name="load codebook and reference", cache_policy=NO_CACHE)
def load_inputs(survey_dir: Path) -> tuple[Codebook, Reference]:
    codebook = load_codebook(survey_dir / "survey.yaml")
    reference = load_reference(codebook, survey_dir)
    get_run_logger().info(
        "codebook %s: %d waves, %d questions; %d roles, %d skills, %d training offers",
        codebook.survey.id,
        len(codebook.waves),
        len(codebook.questions),
        len(reference.roles),
        len(reference.skills),
        len(reference.training_offer),
    )
    return codebook, reference


@task(name="plan", task_run_name="plan {wave}", cache_policy=NO_CACHE)
def plan(
    codebook: Codebook, survey_dir: Path, wave: str, salt: str, settings: Settings
) -> WavePlan:
    planned = plan_wave(
        codebook,
        survey_dir,
        wave,
        salt=salt,
        curated_dir=settings.curated_dir,
        force=settings.force,
        limits=settings.read_limits(),
    )
    if planned.reused is not None:
        get_run_logger().info(
            "wave %s: inputs unchanged (fingerprint %s…), reusing its curated data",
            wave,
            planned.fingerprint[:12],
        )
    return planned


@task(name="salt", cache_policy=NO_CACHE)
def salt_of(settings: Settings) -> str:
    return run_salt(settings)


@task(name="validate", task_run_name="validate {staged.wave}", cache_policy=NO_CACHE, **RETRY)
def validate(
    staged: StagedWave, codes: ValidationCodes, settings: Settings, fingerprint: str
) -> CuratedWave:
    with batch_pool(settings) as (pool, workers):
        if pool is not None:
            get_run_logger().info(
                "wave %s: batches of at least %d staged rows are checked by the cluster's "
                "%d workers",
                staged.wave,
                settings.pool_min_rows,
                workers,
            )
        curated = curate_wave(
            staged,
            codes,
            settings.curated_dir,
            fingerprint=fingerprint,
            workers=workers,
            pool=pool,
            pool_min_rows=settings.pool_min_rows,
        )
    logger = get_run_logger()
    for row in curated.reconciliation:
        logger.info(
            "wave %s %s: %d in → %d curated, %d quarantined",
            staged.wave,
            row["table_name"],
            row["rows_in"],
            row["rows_curated"],
            row["rows_quarantined"],
        )
    return curated


@task(name="model", cache_policy=NO_CACHE, **RETRY)
def model(
    codebook: Codebook, reference: Reference, waves: list[CuratedWave], settings: Settings
) -> ModelResult:
    result = build_model(
        codebook,
        reference,
        waves,
        warehouse=settings.warehouse_path,
        marts_dir=settings.curated_dir / "marts",
        params=settings.model_params(),
        internal=settings.internal_warehouse_path,
    )
    get_run_logger().info(
        "warehouse %s: %s",
        result.warehouse,
        ", ".join(f"{name} {rows}" for name, rows in result.rows_per_model.items()),
    )
    return result


@task(name="report", task_run_name="report {curated.wave}", cache_policy=NO_CACHE, **RETRY)
def report(
    codebook: Codebook, curated: CuratedWave, warehouse: Path, settings: Settings
) -> ReportPaths:
    meta = report_meta(
        codebook,
        curated,
        min_cell=settings.min_cell,
        confidence=settings.confidence,
        params=settings.model_params(),
    )
    paths = publish_wave_report(warehouse, meta, curated, settings.reports_dir)
    get_run_logger().info(
        "wave %s report: %s, %s, %s", curated.wave, paths.html, paths.pdf, paths.xlsx
    )
    return paths


@task(name="trend report", cache_policy=NO_CACHE, **RETRY)
def trend(
    codebook: Codebook, waves: list[CuratedWave], warehouse: Path, settings: Settings
) -> ReportPaths:
    """Every wave beside the one before it (the waves' own reports never look ahead)."""
    meta = trend_report_meta(
        codebook,
        waves,
        min_cell=settings.min_cell,
        confidence=settings.confidence,
        params=settings.model_params(),
    )
    names = [w.wave for w in waves]
    paths = publish_trend_report(warehouse, codebook.survey.id, names, meta, settings.reports_dir)
    get_run_logger().info("trend report: %s, %s, %s", paths.html, paths.pdf, paths.xlsx)
    return paths


def published_state(waves: list[CuratedWave], reported: list[str], settings: Settings) -> str:
    return published_fingerprint(
        waves,
        reported,
        settings.model_params(),
        warehouse=settings.warehouse_path,
        reports_dir=settings.reports_dir,
    )


@task(name="check outputs", cache_policy=NO_CACHE)
def unchanged_outputs(
    settings: Settings, state: str
) -> tuple[ModelResult, list[ReportPaths]] | None:
    kept = reuse_published(settings.curated_dir, "" if settings.force else state)
    if kept is not None:
        get_run_logger().info(
            "every wave and setting unchanged: keeping the warehouse and reports (--force rebuilds)"
        )
    return kept


@task(name="record outputs", cache_policy=NO_CACHE)
def record_outputs(
    settings: Settings, state: str, built: ModelResult, reports: list[ReportPaths]
) -> None:
    record_published(settings.curated_dir, state, built, reports)


@flow(name="skillgap-run", log_prints=False, validate_parameters=True)
def skillgap_run(settings: Settings) -> RunSummary:
    """Ingest, validate, model and report every wave of one survey.

    The run holds its curated folder's lock from the first write to the last (a second run
    stops with "another run is writing … since …"); taking it, it removes what an interrupted
    run left half-written in the curated folder and the survey's report folder. A run that
    fails leaves the last good curated data, warehouse and reports as they were. A run on a
    worker first checks its shared salt and takes its survey's writer slot, waiting for
    another run of the survey (flows/worker.py)."""
    clock = StageClock()
    survey_dir = settings.resolved_survey_dir
    with clock.stage("prepare"):
        codebook, reference = load_inputs(survey_dir)
    survey_reports = settings.reports_dir / codebook.survey.id
    with (
        worker_run(settings, codebook.survey.id),
        run_lock(settings.curated_dir, [survey_reports]) as held,
    ):
        if held.stale is not None or held.removed:
            get_run_logger().warning(
                "the last run was interrupted; removed %d temporary file(s) it left",
                len(held.removed),
            )
        with last_good_kept([settings.curated_dir, survey_reports]):
            summary = _run_locked(settings, survey_dir, codebook, reference, clock)
    create_markdown_artifact(summary.markdown(), key="skillgap-run-summary")
    return summary


def _run_locked(
    settings: Settings,
    survey_dir: Path,
    codebook: Codebook,
    reference: Reference,
    clock: StageClock,
) -> RunSummary:
    """The run's stages, under its lock."""
    with clock.stage("prepare"):
        salt = salt_of(settings)
        waves = list(settings.waves or codebook.waves)
        plans = [plan(codebook, survey_dir, wave, salt, settings) for wave in waves]
    runs = _curate_waves(settings, survey_dir, codebook, reference, salt, plans, clock)
    with clock.stage("model"):
        others = other_curated_waves(settings.curated_dir, codebook, waves)
        every = sorted([*(run.curated for run in runs), *others], key=lambda c: c.wave)
        state = published_state(every, waves, settings)
        kept = unchanged_outputs(settings, state)
        built = kept[0] if kept else model(codebook, reference, every, settings)
    with clock.stage("report"):
        if kept:
            reports = kept[1]
        else:
            reports = [report(codebook, run.curated, built.warehouse, settings) for run in runs]
            if len(every) > 1:
                reports.append(trend(codebook, every, built.warehouse, settings))
            record_outputs(settings, state, built, reports)
    return run_summary(codebook.survey.id, runs, built, reports, clock)


def _curate_waves(
    settings: Settings,
    survey_dir: Path,
    codebook: Codebook,
    reference: Reference,
    salt: str,
    plans: list[WavePlan],
    clock: StageClock,
) -> list[WaveRun]:
    """Ingest and validate every wave whose inputs changed, the waves side by side on the
    run's task runner (each wave's validation starts when its own ingest ends); in plan order.

    The clock's "ingest" spans from submitting to the last ingest's end, "validate" from there
    to the last validation's end."""
    todo = [planned for planned in plans if planned.reused is None]
    if not todo:  # nothing to ingest: no runner (nor Dask cluster) to start
        return [WaveRun(planned.reused, planned.files, []) for planned in plans if planned.reused]
    codes = survey_codes(codebook, reference)
    with task_runner(settings) as runner:
        with clock.stage("ingest"):
            futures = {
                p.wave: _submit_wave(runner, settings, survey_dir, codebook, codes, salt, p)
                for p in todo
            }
            wait([staged for staged, _ in futures.values()])
        with clock.stage("validate"):
            wait([curated for _, curated in futures.values()])
        runs = []
        for planned in plans:
            if planned.reused is not None:
                runs.append(WaveRun(planned.reused, planned.files, []))
                continue
            staged, curated = futures[planned.wave]
            done = staged.result()
            if staged.state.is_completed() and staged.state.name == "Cached":
                get_run_logger().info(
                    "wave %s: resumed from the ingest an earlier run finished (fingerprint %s…)",
                    planned.wave,
                    planned.fingerprint[:12],
                )
            runs.append(WaveRun(curated.result(), done.files, done.warnings))
    return runs


def _submit_wave(
    runner: TaskRunner[Any],
    settings: Settings,
    survey_dir: Path,
    codebook: Codebook,
    codes: ValidationCodes,
    salt: str,
    planned: WavePlan,
) -> tuple[PrefectFuture[StagedWave], PrefectFuture[CuratedWave]]:
    """One wave's ingest and, waiting on it, its validation, submitted to the runner."""
    staged = submit_ingest(runner, settings, survey_dir, codebook, salt, planned)
    curated = runner.submit(
        validate,
        {
            "staged": staged,
            "codes": wave_codes(codes, codebook, planned.wave),
            "settings": settings,
            "fingerprint": planned.fingerprint,
        },
    )
    return staged, curated
