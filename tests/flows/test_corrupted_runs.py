"""`skillgap run` itself on every corrupted survey of tests/corrupt.py that docs/BAD_INPUTS.md
says is refused, over the outputs of a good run of the same survey: the command exits 1 with
one `error:` line that names the file, no traceback, the raw files unchanged, and the good
run's curated data, warehouse and reports exactly as they were (nothing of the last good run
is lost to a bad delivery). tests/ingest/test_corrupted_inputs.py runs every case, the ones
that run included, through the stages in process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.cli import app
from tests.corrupt import FIXTURE, digests, documented_outcomes, make_case

REFUSED = sorted(name for name, outcome in documented_outcomes().items() if outcome == "refused")


def _run(survey: Path, curated: Path, reports: Path) -> int:
    """`skillgap run`'s exit code, as the command line gets it (its output goes to the file
    descriptors, which the tests capture: Prefect's log handlers keep the stream they got)."""
    arguments = ["run", "--survey-dir", str(survey), "--curated-dir", str(curated)]
    with pytest.raises(SystemExit) as exit_:
        app([*arguments, "--reports-dir", str(reports)], prog_name="skillgap")
    return int(exit_.value.code or 0)


def _outputs(root: Path) -> dict[str, bytes]:
    """Every file of the curated and report folders, but the run lock's own (empty) file,
    which stays between runs, what a failed run keeps in failed-run/ to explain itself, and
    the ingest it keeps for its retry to resume from (persisted result and staged tables)."""
    found = {f"curated/{k}": v for k, v in digests(root / "curated").items()}
    found |= {f"reports/{k}": v for k, v in digests(root / "reports").items()}
    return {
        k: v
        for k, v in found.items()
        if k != "curated/.skillgap.lock" and not k.startswith(_RUN_OWN)
    }


_RUN_OWN = ("curated/failed-run/", "curated/.prefect-results/", "curated/.staging/")


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from prefect.testing.utilities import prefect_test_harness

    root = tmp_path_factory.mktemp("good")
    shutil.copytree(FIXTURE, root / "raw", symlinks=True)
    with prefect_test_harness(server_startup_timeout=120):
        assert _run(root / "raw" / "tiny", root / "curated", root / "reports") == 0
        yield root


def test_the_document_says_which_cases_are_refused() -> None:
    assert len(REFUSED) >= 40  # most cases are refused; the others run, reconciled


@pytest.mark.e2e
@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_survey_exits_1_with_one_message_and_keeps_the_last_good_outputs(
    name: str, good_run: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(good_run / "curated", tmp_path / "curated", symlinks=True)
    shutil.copytree(good_run / "reports", tmp_path / "reports", symlinks=True)
    good = _outputs(tmp_path)
    survey = make_case(name, tmp_path / "raw")
    raw = digests(tmp_path / "raw")
    code = _run(survey, tmp_path / "curated", tmp_path / "reports")
    out, err = capfd.readouterr()
    said = err.splitlines()
    errors = [line for line in said if line.startswith("error:")]
    assert code == 1, (code, out, err)
    assert errors, said
    assert all("/" in line or ".yaml" in line for line in errors), said  # names its file
    assert "Traceback" not in out + err
    assert digests(tmp_path / "raw") == raw, "a raw file was changed"
    after = _outputs(tmp_path)
    changed = sorted(k for k in good.keys() | after.keys() if good.get(k) != after.get(k))
    assert not changed, f"the last good run's outputs changed: {changed}"
