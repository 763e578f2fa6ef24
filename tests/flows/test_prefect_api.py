"""The Prefect API of a run: a configured one is checked, a temporary one started and stopped."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from flows.environment import quiet_local_defaults
from flows.prefect_api import PrefectApi, PrefectApiError


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_configured_api_that_does_not_answer_is_one_clear_error() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = f"http://127.0.0.1:{_closed_port()}/api"
    with temporary_settings(updates={PREFECT_API_URL: url}):
        api = PrefectApi(timeout=5).start()
        with pytest.raises(PrefectApiError, match="does not answer") as caught, api.ready():
            pytest.fail("the block must not run")
    assert url in str(caught.value) and api.server is None


def test_a_temporary_api_that_cannot_start_in_time_is_retried_then_one_clear_error() -> None:
    api = PrefectApi(timeout=0.05).start()
    with pytest.raises(PrefectApiError) as caught, api.ready():
        pytest.fail("the block must not run")
    message = str(caught.value)
    assert "did not start in 2 tries" in message and "no answer within 0.05 s" in message
    assert "prefect server start" in message and "SKILLGAP_PREFECT_STARTUP_TIMEOUT" in message
    assert api.server is None


@pytest.mark.e2e
def test_a_flow_runs_on_the_temporary_api_which_is_stopped_afterwards() -> None:
    from prefect import flow, get_client

    @flow
    def ping() -> int:
        return 7

    api = PrefectApi(timeout=120).start()
    with api.ready() as url:
        server = api.server
        assert server is not None and url == server.api_url
        assert ping() == 7
        with get_client(sync_client=True) as client:
            assert str(client.api_url).rstrip("/") == url
            assert [run.name for run in client.read_flow_runs()]
    assert server.process.poll() is not None, "the temporary API must be stopped"


def test_the_project_prefect_home_is_only_a_default_when_the_user_configured_nothing(
    tmp_path: Path,
) -> None:
    home = tmp_path / "project" / ".prefect"
    assert quiet_local_defaults(home, {"HOME": str(tmp_path)})["PREFECT_HOME"] == str(home)
    team = {"HOME": str(tmp_path), "PREFECT_API_URL": "http://prefect.example:4200/api"}
    assert "PREFECT_HOME" not in quiet_local_defaults(home, team)
    profiles = tmp_path / ".prefect" / "profiles.toml"
    profiles.parent.mkdir()
    profiles.write_text(
        'active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://prefect.example:4200/api"\n'
    )
    assert "PREFECT_HOME" not in quiet_local_defaults(home, {"HOME": str(tmp_path)})
    profiles.write_text('active = "local"\n[profiles.local]\nPREFECT_LOGGING_LEVEL = "INFO"\n')
    assert quiet_local_defaults(home, {"HOME": str(tmp_path)})["PREFECT_HOME"] == str(home)
    isolated = quiet_local_defaults(home, dict(team), isolated=True)
    assert isolated["PREFECT_HOME"] == str(home) and "PREFECT_API_URL" not in isolated


def test_a_prefect_home_whose_folders_do_not_exist_yet_is_made(tmp_path: Path) -> None:
    # Prefect makes its home folder but not the folders above it, and its API then fails to
    # start with no word of why
    home = tmp_path / "new" / "nested" / "prefect"
    env = quiet_local_defaults(
        tmp_path / "unused", {"HOME": str(tmp_path), "PREFECT_HOME": str(home)}
    )
    assert env["PREFECT_HOME"] == str(home) and home.is_dir()
