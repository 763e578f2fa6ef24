"""Test helper: where the project, its sample, the test fixtures and the real exports lie."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "data" / "raw" / "atmp2030"
FIXTURES = PROJECT / "tests" / "fixtures"
REAL_EXPORTS = PROJECT.parent / "shared" / "real-exports"
