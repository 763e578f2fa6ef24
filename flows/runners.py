"""Orchestration, task runners: where a run's per-wave tasks execute, chosen by a setting.

`threads` (the default) runs them in a thread pool of the flow's process: no start-up cost,
which keeps the sample fast. `processes` uses Prefect's process pool (each worker imports the
pipeline and Great Expectations once). `dask` uses `prefect-dask` (the optional extra
``skillgap[dask]``): a local cluster of ``dask_workers`` worker processes, or the scheduler at
``dask_address``, whose workers must see the same survey, curated and report folders.

The runner is built from the run's settings inside the flow (`skillgap_run`), not fixed on the
decorator, so a deployment's parameters choose it as well as the command line does.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.settings import Settings
from transforms.core.errors import SkillgapError

NO_DASK = (
    "task_runner 'dask' needs the optional dependencies of skillgap[dask]: "
    "`uv sync --extra dask` (or `pip install 'skillgap[dask]'`)"
)


class TaskRunnerError(SkillgapError):
    """The task runner the settings ask for cannot be built here."""


def task_runner(settings: Settings) -> TaskRunner[Any]:
    """A new, not yet started, task runner for one run (enter it with ``with``)."""
    workers = settings.task_workers or None  # None: the runner's own default (cores)
    if settings.task_runner == "threads":
        return ThreadPoolTaskRunner(max_workers=workers)
    if settings.task_runner == "processes":
        return ProcessPoolTaskRunner(max_workers=workers)
    return dask_task_runner(settings)


def dask_task_runner(settings: Settings) -> TaskRunner[Any]:
    """prefect-dask's runner: the scheduler at ``dask_address``, else a local cluster of
    ``dask_workers`` single-threaded worker processes (Great Expectations' pandas engine and
    most of ingest hold the GIL, so a process per core is what runs in parallel)."""
    try:
        from prefect_dask.task_runners import DaskTaskRunner
    except ImportError as exc:
        raise TaskRunnerError(NO_DASK) from exc
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    cluster = {
        "n_workers": settings.dask_workers,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,  # no web dashboard (and no port) for a run's own cluster
    }
    return DaskTaskRunner(cluster_kwargs=cluster)


@contextmanager
def batch_pool(settings: Settings) -> Iterator[tuple[Executor | None, int]]:
    """Where the validate task checks a large wave's batches (`validate_staged`), and how many
    workers that is: on a Dask worker, the whole cluster (the task secedes from its worker's
    thread while it waits, so that worker checks batches too); elsewhere worker processes of
    the task's own (``settings.workers``)."""
    if settings.task_runner != "dask":  # not even an import of distributed
        yield None, settings.workers
        return
    try:
        from distributed import get_worker, worker_client

        get_worker()  # ValueError outside a Dask worker
    except (ImportError, ValueError):
        yield None, settings.workers
        return
    with worker_client() as client:
        workers = client.scheduler_info()["workers"].values()
        yield client.get_executor(), settings.workers or sum(w["nthreads"] for w in workers)
