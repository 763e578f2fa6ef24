"""Orchestration, schedules: the run flow as a Prefect deployment on a cron schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flows.pipeline import skillgap_run
from flows.settings import Settings

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment


def schedule_parameters(settings: Settings) -> dict[str, object]:
    """Flow parameters for a scheduled run: absolute paths, and never the salt in clear text."""
    absolute = settings.model_copy(
        update={
            "survey_dir": settings.resolved_survey_dir,
            "raw_dir": settings.raw_dir.resolve(),
            "curated_dir": settings.curated_dir.resolve(),
            "reports_dir": settings.reports_dir.resolve(),
        }
    )
    return {"settings": absolute.model_dump(mode="json", exclude={"salt"})}


def scheduled_deployment(settings: Settings, *, cron: str, name: str) -> RunnerDeployment:
    """A deployment of `skillgap_run` on ``cron``; one run at a time, so runs never overlap.

    Served locally by `skillgap serve`; the same object can be deployed to a Prefect server
    and work pool with ``.deploy`` / `prefect deploy` when a team outgrows one machine.
    """
    deployment: RunnerDeployment = skillgap_run.to_deployment(  # type: ignore[assignment]
        name=name,
        cron=cron,
        parameters=schedule_parameters(settings),
        description=f"skillgap run of survey {settings.survey} on a schedule",
        tags=["skillgap", settings.survey],
        concurrency_limit=1,
    )  # synchronous here; Prefect types it as possibly a coroutine
    return deployment
