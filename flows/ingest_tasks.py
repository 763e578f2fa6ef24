"""Orchestration, ingest tasks: a wave staged whole, or its export files side by side and joined.

A wave of one export is one `ingest` task. A wave of several is one `ingest file` task per
export, submitted together to the run's task runner, and a `join` task that puts their staged
tables together in export order (the same rows and batches as one `ingest`). The wave's result
is persisted under ``ingest-<fingerprint>`` either way (`flows.resume`), so a retried run whose
staged wave is still kept submits the whole-wave `ingest`, which Prefect answers from that
record (state Cached) without reading a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner

from flows.resume import RETRY, ingest_key, kept_staging, with_results
from flows.settings import Settings
from transforms.ingest.codebook import Codebook
from transforms.ingest.readers.limits import ReadLimits
from transforms.ingest.staging import StagedWave
from transforms.ingest.wave import ingest_export, ingest_wave, join_wave
from transforms.validate.curated import WavePlan


def _log_staged(staged: StagedWave) -> StagedWave:
    counts = ", ".join(f"{name} {rows}" for name, rows in staged.rows.items())
    logger = get_run_logger()
    logger.info("wave %s: %d raw rows in → staged %s", staged.wave, staged.raw_rows, counts)
    for warning in staged.warnings:
        logger.warning("wave %s: %s", staged.wave, warning)
    return staged


@task(name="ingest", task_run_name="ingest {wave}", cache_key_fn=ingest_key, **RETRY)
def ingest(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    salt: str,
    curated_dir: Path,
    limits: ReadLimits,
    fingerprint: str,
) -> StagedWave:
    return _log_staged(
        ingest_wave(
            codebook,
            survey_dir,
            wave,
            salt=salt,
            curated_dir=curated_dir,
            limits=limits,
            fingerprint=fingerprint,
        )
    )


@task(
    name="ingest file", task_run_name="ingest {wave} file {index}", cache_policy=NO_CACHE, **RETRY
)
def ingest_file(
    codebook: Codebook,
    survey_dir: Path,
    wave: str,
    index: int,
    salt: str,
    curated_dir: Path,
    limits: ReadLimits,
) -> StagedWave:
    return ingest_export(
        codebook, survey_dir, wave, index, salt=salt, curated_dir=curated_dir, limits=limits
    )


@task(name="join", task_run_name="join {wave}", cache_key_fn=ingest_key, **RETRY)
def join(
    parts: list[StagedWave], survey_dir: Path, curated_dir: Path, wave: str, fingerprint: str
) -> StagedWave:
    return _log_staged(join_wave(parts, survey_dir, curated_dir, fingerprint))


def submit_ingest(
    runner: TaskRunner[Any],
    settings: Settings,
    survey_dir: Path,
    codebook: Codebook,
    salt: str,
    planned: WavePlan,
) -> PrefectFuture[StagedWave]:
    """The wave's staging, submitted: whole when it has one export or is kept from an earlier
    run (then answered from its persisted result), else per export file and joined."""
    wave, fingerprint = planned.wave, planned.fingerprint
    refresh = settings.force or not kept_staging(settings, codebook.survey.id, wave, fingerprint)
    files = codebook.waves[wave].files
    common = {"survey_dir": survey_dir, "curated_dir": settings.curated_dir, "wave": wave}
    read = {"codebook": codebook, "salt": salt, "limits": settings.read_limits()}
    if len(files) == 1 or not refresh:
        whole = {**common, **read, "fingerprint": fingerprint}
        staged: PrefectFuture[StagedWave] = runner.submit(
            with_results(ingest, settings, refresh), whole
        )
        return staged
    parts = [runner.submit(ingest_file, {**common, **read, "index": i}) for i in range(len(files))]
    joined = {**common, "parts": parts, "fingerprint": fingerprint}
    staged = runner.submit(with_results(join, settings, refresh), joined)
    return staged
