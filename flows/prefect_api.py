"""Orchestration, the Prefect API a run talks to: the one a user configured, else a temporary one.

Left to itself, Prefect starts its temporary API on first use, inside the flow call, and gives up
after 20 s, which a busy machine exceeds. The entry point starts that same server (Prefect's own
`uvicorn --factory prefect.server.api.server:create_app`, as Prefect runs it) in the background
instead, while the heavy modules import and the inputs are checked, waits for it with a generous
limit (a setting), retries once, and points Prefect at it with `temporary_settings`. When a user
has a Prefect API configured (PREFECT_API_URL in the environment, a profile or prefect.toml), it
is used as it is. Failure is one `PrefectApiError` that says what to do, never a traceback.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from transforms.core.errors import SkillgapError

HOW_TO_SERVE = (
    "start a Prefect server yourself (`.venv/bin/prefect server start`) and set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api"
)


class PrefectApiError(SkillgapError):
    """The Prefect API could not be reached or started."""


@dataclass
class TemporaryServer:
    """One temporary Prefect API process on a free local port."""

    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @classmethod
    def spawn(cls, environment: dict[str, str]) -> TemporaryServer:
        import prefect

        port = _free_port()
        log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        command = [sys.executable, "-m", "uvicorn", "--app-dir"]
        command += [str(prefect.__module_path__.parent), "--factory"]
        command += ["prefect.server.api.server:create_app", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "error", "--lifespan", "on"]
        env = {**environment, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1"}
        env["PREFECT__SERVER_FINAL"] = "1"
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        return cls(process, port, log)

    def wait_healthy(self, timeout: float) -> str:
        """'' once /health answers; else why not (exited, or still silent at the deadline)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"it exited with code {self.process.returncode}{self._last_line()}"
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=5) as response:
                    if response.status == 200:
                        return ""
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        return f"no answer within {timeout:g} s"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def _last_line(self) -> str:
        self.log.seek(0)
        lines = [line for line in self.log.read().decode(errors="replace").splitlines() if line]
        return f": {lines[-1].strip()}" if lines else ""


@dataclass
class PrefectApi:
    """The API of one run. `start()` returns at once; `ready()` waits and raises what failed."""

    timeout: float
    tries: int = 2
    url: str = ""
    server: TemporaryServer | None = None
    _error: str = ""
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> PrefectApi:
        from prefect.settings import get_current_settings

        current = get_current_settings()
        configured = current.api.url
        if configured:
            self.url = configured
            return self
        environment = {**os.environ, **current.to_environment_variables(exclude_unset=True)}
        self._thread = threading.Thread(
            target=self._start_temporary, args=(environment,), name="prefect-api", daemon=True
        )
        self._thread.start()
        atexit.register(self.stop)
        return self

    @contextmanager
    def ready(self) -> Iterator[str]:
        """Wait for the API, point Prefect at it for the block, stop a temporary one after."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        if self._thread is None:
            _check_health(self.url)
            yield self.url
            return
        self._thread.join()
        if self._error:
            raise PrefectApiError(self._error)
        try:
            with temporary_settings(updates={PREFECT_API_URL: self.url}):
                try:
                    yield self.url
                finally:
                    _drain_to_api()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def _start_temporary(self, environment: dict[str, str]) -> None:
        why = ""
        for _ in range(self.tries):
            server = TemporaryServer.spawn(environment)
            why = server.wait_healthy(self.timeout)
            if not why:
                self.server, self.url = server, server.api_url
                return
            server.stop()
        self._error = (
            f"Prefect's temporary API did not start in {self.tries} tries ({why}); "
            f"{HOW_TO_SERVE}, or allow it more time with SKILLGAP_PREFECT_STARTUP_TIMEOUT "
            f"(now {self.timeout:g} s)"
        )


def _drain_to_api(timeout: float = 10) -> None:
    """Send the logs and events Prefect still holds before the temporary API stops, as
    Prefect's own test harness does; otherwise they retry against a closed port for minutes."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=timeout)
    EventsWorker.drain_all(timeout=timeout)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _check_health(url: str) -> None:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=30) as response:
            if response.status == 200:
                return
    except (OSError, urllib.error.URLError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PrefectApiError(
            f"the Prefect API at {url} (PREFECT_API_URL) does not answer ({reason}); start "
            "that server, or unset PREFECT_API_URL to run on a temporary local one"
        ) from None
    raise PrefectApiError(f"the Prefect API at {url} (PREFECT_API_URL) is not healthy")


def configured_server() -> str:
    """The URL of the Prefect server the user configured (PREFECT_API_URL, a profile), checked
    to answer; PrefectApiError when there is none, since a deployment on the temporary API
    would vanish with it."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        raise PrefectApiError(
            "no Prefect server is configured: set PREFECT_API_URL to its API, e.g. "
            "http://127.0.0.1:4200/api (docs/DEPLOY.md), then run again"
        )
    _check_health(url)
    return url
