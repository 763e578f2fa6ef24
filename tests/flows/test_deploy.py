"""Deployed for real: a `prefect server start` on 127.0.0.1 (SQLite in a temporary PREFECT_HOME),
a process work pool, `skillgap deploy`, a `prefect worker start` running this checkout's code,
runs of the sample triggered on the server and waited for. A run without a shared salt stops
and writes nothing; with the salt in a Secret block it writes the reports and the warehouse
(pseudonyms from that salt: the committed snapshot's); a second run of the survey waits for
the writer slot, or stops after `writer_wait`. Everything started is stopped at the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests import paths
from tests.flows import snapshot

pytestmark = pytest.mark.e2e

POOL = "skillgap-test-pool"
DEPLOYMENT = "skillgap-run/sample"
OTHER = "skillgap-run/on-demand"  # another deployment of the same survey
SALT = "end-to-end-test-salt"  # the salt the committed snapshot was made with
SALT_BLOCK = "skillgap-salt"
WRITER_LIMIT = "skillgap-writer-atmp2030"
BIN = Path(sys.executable).parent


@dataclass
class Deployed:
    url: str
    env: dict[str, str]
    out: Path  # raw/, curated/, reports/ and the processes' logs

    @property
    def curated(self) -> Path:
        return self.out / "curated"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own process group (stopped with everything it started)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command, env=env, cwd=paths.PROJECT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # what the group started and left
        os.killpg(process.pid, signal.SIGKILL)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the Prefect server did not answer in 120 s: {log.read_text()[-2000:]}")


def _environment(home: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SKILLGAP_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=url,
        PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home}/prefect.db",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_WORKER_QUERY_SECONDS="1",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
        MPLBACKEND="Agg",
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, env=env, cwd=paths.PROJECT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    """Server, process work pool, `skillgap deploy` of the sample's copy, and a worker."""
    out = tmp_path_factory.mktemp("deployed")
    url = f"http://127.0.0.1:{_free_port()}/api"
    env = _environment(out / "prefect-home", url)
    started: list[subprocess.Popen[bytes]] = []
    try:
        server = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1"]
        server += ["--port", url.split(":")[2].split("/")[0], "--no-ui", "--no-scheduler"]
        started.append(_spawn(server, env, out / "server.log"))
        _wait_healthy(url, started[0], out / "server.log")
        _run([str(BIN / "prefect"), "work-pool", "create", "--type", "process", POOL], env)
        for folder in (paths.SAMPLE, paths.SAMPLE.parent / "reference"):  # the survey's inputs
            shutil.copytree(folder, out / "raw" / folder.name)
        command = [sys.executable, "-m", "flows.cli", "deploy", "--pool", POOL, "--name"]
        command += ["sample", "--cron", "0 6 * * 1", "--survey-dir", str(out / "raw" / "atmp2030")]
        command += ["--curated-dir", str(out / "curated"), "--reports-dir", str(out / "reports")]
        done = _run(command, env)
        assert f"deployed {DEPLOYMENT} (" in done.stdout and WRITER_LIMIT in done.stdout
        assert f"no Secret block {SALT_BLOCK!r}" in done.stderr
        worker = [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process"]
        started.append(_spawn(worker, env, out / "worker.log"))
        yield Deployed(url, env, out)
    finally:
        for process in reversed(started):
            _stop(process)


def _api(deployed: Deployed) -> Any:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    return temporary_settings(updates={PREFECT_API_URL: deployed.url})


def _trigger(deployed: Deployed, name: str, **settings: object) -> Any:
    """A run of the deployment ``name``, its settings changed by ``settings``; its id."""
    from prefect.client.orchestration import get_client

    with _api(deployed), get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(name)
        parameters = {"settings": {**deployment.parameters["settings"], **settings}}
        return client.create_flow_run_from_deployment(deployment.id, parameters=parameters).id


def _state(deployed: Deployed, run_id: Any) -> Any:
    from prefect.client.orchestration import get_client

    with _api(deployed), get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).state


def _final_state(deployed: Deployed, run_id: Any, timeout: float = 180) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _state(deployed, run_id)
        if state is not None and state.is_final():
            return state
        time.sleep(1)
    worker_log = (deployed.out / "worker.log").read_text()[-3000:]
    pytest.fail(f"the run did not end in {timeout:g} s; worker log: {worker_log}")


def _logs(deployed: Deployed, run_id: Any) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    with _api(deployed), get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return "\n".join(log.message for log in logs)


def _second_deployment(deployed: Deployed) -> None:
    """Another deployment of the same survey (as a team's on-demand one beside the weekly)."""
    from flows.deployment import worker_deployment
    from flows.settings import Settings

    out = deployed.out
    settings = Settings(
        survey_dir=out / "raw" / "atmp2030",
        curated_dir=out / "curated",
        reports_dir=out / "reports",
    )
    with _api(deployed):
        worker_deployment(settings, pool=POOL, cron=None, name="on-demand").apply()


@pytest.fixture(scope="module")
def first_runs(deployed: Deployed) -> dict[str, Any]:
    """At once: a run of the sample with the salt in the Secret block, and a run of the other
    deployment (into folders of its own) whose worker has no salt (its block does not exist)."""
    from prefect.blocks.system import Secret

    _second_deployment(deployed)
    with _api(deployed):
        Secret(value=SALT).save(SALT_BLOCK, overwrite=True)
    unsalted = deployed.out / "unsalted"
    runs = {
        "salted": _trigger(deployed, DEPLOYMENT),
        "unsalted": _trigger(
            deployed,
            OTHER,
            salt_block="no-such-secret",
            curated_dir=str(unsalted / "curated"),
            reports_dir=str(unsalted / "reports"),
        ),
    }
    return {name: _final_state(deployed, run) for name, run in runs.items()}


def test_a_run_on_a_worker_without_a_shared_salt_stops_and_writes_nothing(
    deployed: Deployed, first_runs: dict[str, Any]
) -> None:
    state = first_runs["unsalted"]
    assert state.is_failed(), state
    assert "no pseudonymisation salt on this worker" in str(state.message)
    assert "Secret block named 'no-such-secret'" in str(state.message)
    assert not (deployed.out / "unsalted").exists()


def test_a_deployed_run_of_the_sample_writes_the_reports_and_the_warehouse(
    deployed: Deployed, first_runs: dict[str, Any]
) -> None:
    assert first_runs["salted"].is_completed(), first_runs["salted"]
    for wave in ("2022", "2024"):
        folder = deployed.out / "reports" / "atmp2030" / wave
        for name in ("report.html", "report.pdf", "tables.xlsx", "data_quality.html"):
            assert (folder / name).stat().st_size > 0, name
    with duckdb.connect(str(deployed.curated / "warehouse.duckdb"), read_only=True) as con:
        waves = con.execute("select distinct wave from mart_weighting order by 1").fetchall()
    assert waves == [("2022",), ("2024",)]
    # The salt came from the Secret block (the snapshot's salt), not from a file made here.
    assert not (deployed.curated / ".salt").exists()
    assert snapshot.run_differences(deployed.curated, "atmp2030") == {}


def test_a_second_run_of_the_survey_waits_for_the_writer_slot_or_stops_after_writer_wait(
    deployed: Deployed, first_runs: dict[str, Any]
) -> None:
    from prefect.concurrency.sync import concurrency

    with _api(deployed), concurrency(WRITER_LIMIT, occupy=1, strict=True):  # another writer
        waiting = _trigger(deployed, DEPLOYMENT)
        impatient = _final_state(deployed, _trigger(deployed, OTHER, writer_wait=2))
        assert impatient.is_failed(), impatient
        assert "kept its writer slot (Prefect concurrency limit" in str(impatient.message)
        assert "for more than 2 s; nothing was written" in str(impatient.message)
        deadline = time.monotonic() + 120
        while "waiting up to 3600 s" not in _logs(deployed, waiting):
            assert time.monotonic() < deadline, "the run never said it was waiting"
            time.sleep(1)
        time.sleep(2)
        assert not _state(deployed, waiting).is_final(), "it ran while the slot was held"
    state = _final_state(deployed, waiting)
    assert state.is_completed(), state
    assert "took the writer slot of survey atmp2030" in _logs(deployed, waiting)
