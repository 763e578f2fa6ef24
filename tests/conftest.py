"""Test setup: a quiet, local Prefect in a temporary home; no analytics anywhere."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from flows.environment import quiet_local_defaults
from tests.paths import PROJECT, REAL_EXPORTS

quiet_local_defaults(Path(tempfile.mkdtemp(prefix="skillgap-prefect-")), isolated=True)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def real_exports() -> Path:
    if not REAL_EXPORTS.is_dir():
        pytest.skip("../shared/real-exports is absent")
    return REAL_EXPORTS


# The slowest test files, slowest first (CPU seconds from `--durations=0`, December 2026).
# pytest-xdist's loadfile scheduling hands whole files to workers in turn; in its default order
# (by number of tests) a few-test, long file came last and one worker ran it while the other
# had finished. Slowest first, the two workers end together. Other files follow, as collected.
SLOWEST_FIRST = (
    "flows/test_deploy.py",  # e2e, about 130 s: a Prefect server, a worker and five runs
    "flows/test_end_to_end.py",  # e2e, about 60 s: the whole flow
    "ingest/test_real_exports_ingest.py",  # mostly e2e, 45 s
    "validate/test_stream.py",  # 23 s: worker processes
    "report/test_report_render.py",  # e2e, 15 s
    "flows/test_partial_survey.py",
    "codebook_tools/test_codebook_init.py",
    "model/test_disclosure.py",
    "report/test_charts.py",
    "validate/test_curate.py",
    "report/test_report_precision.py",
    "model/test_sql_shares.py",
)


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: keep the order below
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest files first (a stable sort: tests keep their order within a file)."""
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    tests = PROJECT / "tests"

    def position(item: pytest.Item) -> int:
        name = item.path.relative_to(tests).as_posix() if item.path.is_relative_to(tests) else ""
        return rank.get(name, len(rank))

    items.sort(key=position)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="rewrite tests/snapshots/ from this run instead of comparing with it",
    )


@pytest.fixture(scope="session")
def snapshot_update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--snapshot-update"))
