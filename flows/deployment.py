"""Orchestration, schedules: the run flow as a Prefect deployment on a cron schedule, served on
this machine (`skillgap serve`) or deployed to a Prefect server's work pool (`skillgap deploy`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from flows.pipeline import skillgap_run
from flows.settings import Settings
from flows.worker import secret_value, writer_limit_name
from transforms.core.errors import SkillgapError

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

PROJECT = Path(__file__).resolve().parents[1]
ENTRYPOINT = "flows/pipeline.py:skillgap_run"  # relative to the project folder


class DeployError(SkillgapError):
    """The deployment could not be made on the Prefect server."""


@dataclass(frozen=True)
class Deployed:
    """What `deploy_to_pool` made on the server."""

    deployment_id: UUID
    name: str  # "<flow>/<deployment>", as `prefect deployment run` takes it
    writer_limit: str
    salt_secret: bool  # whether the server holds the Secret block of the salt


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
    """A deployment of `skillgap_run` on ``cron``, served by `skillgap serve` on this machine;
    one run at a time, so runs never overlap."""
    deployment: RunnerDeployment = skillgap_run.to_deployment(  # type: ignore[assignment]
        name=name,
        cron=cron,
        parameters=schedule_parameters(settings),
        description=f"skillgap run of survey {settings.survey} on a schedule",
        tags=["skillgap", settings.survey],
        concurrency_limit=1,
    )  # synchronous here; Prefect types it as possibly a coroutine
    return deployment


def worker_deployment(
    settings: Settings, *, pool: str, cron: str | None, name: str, code_dir: Path = PROJECT
) -> RunnerDeployment:
    """A deployment of `skillgap_run` to the work pool ``pool``: a worker runs it from
    ``code_dir`` (a pull step sets the working directory), as a run on a worker (shared salt,
    writer slot); runs of this deployment queue one behind the other."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import RunnerDeployment
    from prefect.runner.storage import LocalStorage

    on_worker = settings.model_copy(update={"on_worker": True})
    deployment: RunnerDeployment = RunnerDeployment.from_storage(  # type: ignore[assignment]
        storage=LocalStorage(str(code_dir)),
        entrypoint=ENTRYPOINT,
        name=name,
        cron=cron,
        parameters=schedule_parameters(on_worker),
        description=f"skillgap run of survey {settings.survey} on work pool {pool}",
        tags=["skillgap", settings.survey],
        concurrency_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE
        ),
        work_pool_name=pool,
    )  # synchronous here; Prefect types it as possibly a coroutine
    return deployment


def deploy_to_pool(
    settings: Settings, survey_id: str, *, pool: str, cron: str | None, name: str
) -> Deployed:
    """Deploy the run to ``pool`` on the configured Prefect server, and create (or set to one
    slot) the survey's writer limit. The work pool must exist: DeployError says how to make it."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    limit = writer_limit_name(survey_id)
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            raise DeployError(
                f"the Prefect server has no work pool {pool!r}; create it with "
                f"`prefect work-pool create --type process {pool}` and start a worker with "
                f"`prefect worker start --pool {pool}`"
            ) from None
        client.upsert_global_concurrency_limit_by_name(limit, 1)
    deployment = worker_deployment(settings, pool=pool, cron=cron, name=name)
    deployment_id: UUID = deployment.apply()  # type: ignore[assignment]  # sync here
    return Deployed(
        deployment_id,
        f"{skillgap_run.name}/{name}",
        limit,
        salt_secret=secret_value(settings.salt_block) is not None,
    )
