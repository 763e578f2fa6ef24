"""Every corrupted survey of tests/corrupt.py through the pipeline's stages: the run's check,
ingest, validation and the warehouse. Each ends with one clear error that names its file (the
run's exit 1), or succeeds with every table reconciled (rows in = curated + quarantined); never
a traceback or a hang, and the raw files are never changed."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType

import pytest

from tests.corrupt import CASES, DOC, digests, documented_outcomes, make_case, run_stages

LIMIT_SECONDS = 120  # a case still running then is a hang


def _timeout(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"still running after {LIMIT_SECONDS} s: a hang")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_corrupted_survey_ends_in_one_clear_error_or_reconciles(
    name: str, tmp_path: Path
) -> None:
    survey = make_case(name, tmp_path / "raw")
    before = digests(tmp_path / "raw")
    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(LIMIT_SECONDS)
    try:
        errors, reconciled = run_stages(survey, tmp_path / "curated")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert digests(tmp_path / "raw") == before, "a raw file was changed"
    documented = documented_outcomes().get(name)
    assert documented == ("refused" if errors else "runs"), f"{DOC} says {documented}: {errors}"
    if errors:
        assert all(message.strip() for message in errors)
        assert not any("Traceback" in message for message in errors)
    else:
        assert reconciled
        for row in reconciled:
            assert row["rows_in"] == row["rows_curated"] + row["rows_quarantined"], row


def test_the_generator_has_at_least_sixty_cases_and_the_doc_lists_each() -> None:
    assert len(CASES) >= 60
    listed = DOC.read_text("utf-8")
    missing = [name for name in CASES if f"| `{name}` |" not in listed]
    assert not missing, f"run `.venv/bin/python -m tests.corrupt` to update {DOC}: {missing}"
