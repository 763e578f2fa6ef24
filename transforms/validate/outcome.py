"""Validate step, output: what validating one table gives (imports no Great Expectations)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class TableValidation:
    """The JSON-ready validation result of one table of one wave.

    ``result`` holds ``rows_in == rows_curated + rows_quarantined``, the expectations with
    their counts, the quarantine reasons and Great Expectations' own result per batch.
    """

    table: str
    result: dict[str, Any]

    @property
    def rows_in(self) -> int:
        return int(self.result["rows_in"])

    @property
    def rows_curated(self) -> int:
        return int(self.result["rows_curated"])

    @property
    def rows_quarantined(self) -> int:
        return int(self.result["rows_quarantined"])

    @property
    def reconciled(self) -> bool:
        return self.rows_in == self.rows_curated + self.rows_quarantined


@dataclass(frozen=True)
class ValidationOutcome(TableValidation):
    """A table validated in memory: its result, the curated and the quarantined rows.

    ``curated`` has the canonical columns and dtypes in the staged row order. ``quarantined``
    has the canonical columns plus ``stage`` (``ingest`` or ``validate``) and ``reasons``
    (every failed expectation, ``; ``-joined).
    """

    curated: pd.DataFrame
    quarantined: pd.DataFrame
