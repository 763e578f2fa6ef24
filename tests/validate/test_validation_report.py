"""Validation results: a self-contained, escaped HTML page and byte-stable JSON files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.validate.validation_frames import CODES, frame
from transforms.core.canonical import TABLES
from transforms.validate.outcome import ValidationOutcome
from transforms.validate.report import render_validation_html, write_validation_results
from transforms.validate.run import validate_wave

SCRIPT = "<script>alert(1)</script>"


def _outcomes() -> dict[str, ValidationOutcome]:
    staged = {
        "respondent": frame("respondent", {}, {"respondent_key": "r2", "org_sector": SCRIPT}),
        "hiring_need": frame("hiring_need", {}, {"respondent_key": "r2"}),
        "free_text": frame("free_text", {"text": f"We need {SCRIPT} skills"}),
    }
    return validate_wave(staged, {}, CODES)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, ValidationOutcome]:
    return _outcomes()


def test_the_html_escapes_markup_in_values_reasons_and_the_title(
    outcomes: dict[str, ValidationOutcome],
) -> None:
    html = render_validation_html(outcomes, title=f"Data quality {SCRIPT}")
    assert "<script" not in html
    assert "&lt;script&gt;alert(" in html
    assert "org_sector &#39;&lt;script&gt;" in html


def test_the_html_is_self_contained(outcomes: dict[str, ValidationOutcome]) -> None:
    html = render_validation_html(outcomes, title="Data quality")
    assert "<style>" in html
    assert not re.search(r"<link|<script|<img|<iframe|src=|url\(|@import|https?://", html)


def test_the_html_shows_rows_and_expectations_and_quarantine_reasons_per_table(
    outcomes: dict[str, ValidationOutcome],
) -> None:
    html = render_validation_html(outcomes, title="Data quality")
    for name in TABLES:
        assert f'id="{name}"' in html
    assert "2 rows in: 1 curated,\n1 quarantined" in html
    assert "expect_column_values_to_be_in_set" in html
    assert "respondent quarantined: respondent_key is not a curated respondent" in html
    assert "2022/export.csv, row 3" in html


def test_validation_results_are_written_per_table_with_a_reconciliation(
    outcomes: dict[str, ValidationOutcome], tmp_path: Path
) -> None:
    written = write_validation_results(outcomes, tmp_path)
    assert sorted(p.name for p in written) == sorted(
        [f"{name}.json" for name in TABLES] + ["reconciliation.json"]
    )
    reconciliation = json.loads((tmp_path / "reconciliation.json").read_text(encoding="utf-8"))
    assert reconciliation["reconciled"] is True
    assert reconciliation["tables"]["respondent"] == {
        "reconciled": True,
        "rows_curated": 1,
        "rows_in": 2,
        "rows_ingest_quarantined": 0,
        "rows_quarantined": 1,
        "rows_staged": 2,
    }
    respondent = json.loads((tmp_path / "respondent.json").read_text(encoding="utf-8"))
    assert respondent["table"] == "respondent"
    assert list(respondent) == sorted(respondent)


def test_validating_and_writing_again_gives_identical_bytes(
    outcomes: dict[str, ValidationOutcome], tmp_path: Path
) -> None:
    write_validation_results(outcomes, tmp_path / "first")
    write_validation_results(_outcomes(), tmp_path / "second")
    first = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "second").iterdir()}
    assert first == second
