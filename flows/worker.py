"""Orchestration, a run of a deployment on a worker: the salt every worker shares, and the one
writer slot of its survey.

A run on a worker (``Settings.on_worker``, set by `skillgap deploy`) takes its salt from the
worker's SKILLGAP_SALT or a Prefect Secret block and refuses to start without one; and before it
takes its curated folder's lock it takes the survey's writer slot, a Prefect global concurrency
limit of one slot (`skillgap deploy` creates it), so that a second run of the same survey, from
any deployment, work pool or worker, waits for the first (up to ``writer_wait`` seconds) instead
of stopping at the lock. A local run (`skillgap run`) keeps curated/.salt and the lock alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from prefect import get_run_logger

from flows.settings import Settings
from transforms.core.errors import SkillgapError
from transforms.core.salt import SALT_VARIABLE, pseudonym_salt, shared_salt

WRITER_LIMIT = "skillgap-writer-{survey}"


class WriterBusy(SkillgapError):
    """Another run of the survey held its writer slot for longer than the run would wait."""


def writer_limit_name(survey_id: str) -> str:
    """The global concurrency limit that lets one run of ``survey_id`` write at a time."""
    return WRITER_LIMIT.format(survey=survey_id)


def run_salt(settings: Settings) -> str:
    """The salt given in the settings; else, on a worker, the shared one (or SaltError);
    else, on one machine, curated/.salt (made once)."""
    if settings.salt is not None:
        return settings.salt.get_secret_value()
    if not settings.on_worker:
        return pseudonym_salt(settings.curated_dir)
    # Read here, not through Settings: a flow parameter is validated from the deployment's
    # values, and the worker's own environment is not one of them.
    environment = os.environ.get(SALT_VARIABLE)
    return shared_salt(environment, secret_value(settings.salt_block), block=settings.salt_block)


def secret_value(name: str) -> str | None:
    """The value of the Prefect Secret block ``name``, or None when the server has none."""
    from prefect.blocks.system import Secret

    try:
        block = Secret.load(name)
    except ValueError:  # "Unable to find block document named …"
        return None
    value = block.get()  # type: ignore[union-attr]  # sync here; typed as maybe a coroutine
    return str(value) if value is not None else None


@contextmanager
def worker_run(settings: Settings, survey_id: str) -> Iterator[None]:
    """On a worker, what a run needs before it writes: the shared salt (SaltError without one),
    then its survey's writer slot, held for the body, waiting for another run of the survey
    to release it (WriterBusy after ``writer_wait`` s). Elsewhere, nothing."""
    if not settings.on_worker:
        yield
        return
    run_salt(settings)  # refuse before waiting or writing anything
    from prefect.concurrency.asyncio import ConcurrencySlotAcquisitionError
    from prefect.concurrency.sync import concurrency

    name = writer_limit_name(survey_id)
    logger = get_run_logger()
    if _busy(name):
        logger.info(
            "another run of survey %s is writing (concurrency limit %s): waiting up to %g s",
            survey_id,
            name,
            settings.writer_wait,
        )
    with ExitStack() as stack:
        try:
            stack.enter_context(
                concurrency(name, occupy=1, timeout_seconds=settings.writer_wait, strict=True)
            )
        except TimeoutError as exc:
            raise WriterBusy(
                f"another run of survey {survey_id} kept its writer slot (Prefect concurrency "
                f"limit {name}) for more than {settings.writer_wait:g} s; nothing was written: "
                "run again when it has finished, or allow a longer wait (setting writer_wait)"
            ) from exc
        except ConcurrencySlotAcquisitionError as exc:
            raise WriterBusy(
                f"the Prefect server has no concurrency limit {name}, which lets one run of "
                f"survey {survey_id} write at a time; create it with `skillgap deploy` or "
                f"`prefect gcl create {name} --limit 1`"
            ) from exc
        logger.info("took the writer slot of survey %s (%s)", survey_id, name)
        yield


def _busy(name: str) -> bool:
    """Whether the limit's slot is taken now (only to say that the run will wait)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            limit = client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            return False
    return limit.active_slots >= limit.limit
