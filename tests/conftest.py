"""Test setup: a quiet, local Prefect in a temporary home; no analytics anywhere."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from flows.environment import quiet_local_defaults
from tests.paths import PROJECT, REAL_EXPORTS

quiet_local_defaults(Path(tempfile.mkdtemp(prefix="skillgap-prefect-")))


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def real_exports() -> Path:
    if not REAL_EXPORTS.is_dir():
        pytest.skip("../shared/real-exports is absent")
    return REAL_EXPORTS


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="rewrite tests/snapshots/ from this run instead of comparing with it",
    )


@pytest.fixture(scope="session")
def snapshot_update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--snapshot-update"))
