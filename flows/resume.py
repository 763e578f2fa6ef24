"""Orchestration, resuming: persisted task results that let a retried run skip finished work,
and which failures are retried.

What each expensive stage leaves for the next run:
- ingest: its `StagedWave` is persisted (pickled) by Prefect in ``curated/.prefect-results``
  under the key ``ingest-<fingerprint of the wave's inputs>`` (exports, codebook, reference
  files, code, salt: `plan_wave`), and its staged tables are kept under that fingerprint
  (`staged_folder`) until validation consumes them. A run that failed or was killed after a
  wave's ingest resumes at its validation; a changed input changes the key, so a stale result
  is never reused. Where the staged folder is gone, the result is refreshed (ingest runs).
- validate: its curated wave and ``curation.json`` (`plan_wave` reuses them);
- model and report: the published state (`transforms.report.reuse`).

A failure retries only when it is transient: an OSError (a shared mount or object store
hiccup) that is not one of the pipeline's own errors, which name a file to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ParamSpec, TypedDict, TypeVar

from prefect import Task
from prefect.client.schemas.objects import State, TaskRun
from prefect.context import TaskRunContext

from flows.settings import Settings
from transforms.core.errors import SkillgapError
from transforms.core.rollback import RESULTS  # under the curated folder; never a leftover
from transforms.ingest.staging import staged_folder

P = ParamSpec("P")
R = TypeVar("R")


def result_folder(curated_dir: Path) -> Path:
    return curated_dir / RESULTS


def ingest_key(context: TaskRunContext, parameters: dict[str, Any]) -> str | None:
    """The persisted ingest result's key: the fingerprint of the wave's inputs."""
    del context
    fingerprint = parameters.get("fingerprint")
    return f"ingest-{fingerprint}" if fingerprint else None


def transient(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry an OSError that is not the pipeline's own; never a problem of the inputs."""
    del task, task_run
    try:
        state.result()
    except SkillgapError:
        return False
    except OSError:
        return True
    except Exception:
        return False
    return False


class RetryOptions(TypedDict):
    retries: int
    retry_delay_seconds: list[float]
    retry_condition_fn: Any


def kept_staging(settings: Settings, survey_id: str, wave: str, fingerprint: str) -> bool:
    """Whether the wave's staged tables for these inputs are kept from an earlier run."""
    return staged_folder(settings.curated_dir, survey_id, wave, fingerprint).is_dir()


def with_results(task: Task[P, R], settings: Settings, refresh: bool) -> Task[P, R]:
    """The task with its result persisted under the curated folder; ``refresh``: run it and
    overwrite its record (with --force, or where the staged folder it would point to is gone)."""
    storage = result_folder(settings.curated_dir).resolve()  # a path: Prefect's local storage
    return task.with_options(persist_result=True, result_storage=storage, refresh_cache=refresh)


# Every task that does a stage's work: two retries, 2 and 10 s later, of transient failures.
RETRY = RetryOptions(retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=transient)
