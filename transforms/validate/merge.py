"""Validate step, adding up: the checks of a table's batches → the table's validation result.

Positions are mapped from each batch to the staged table, so the result (failing rows per
check, counts, examples, reasons) is the one a check of the whole table at once would give.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from transforms.validate.check import BatchCheck
from transforms.validate.reasons import EXAMPLES, CheckFailure, reasons_per_row

_TOP_VALUES = 5


@dataclass(frozen=True)
class TableCheck:
    """A whole table's checks: failures with positions in the staged table, in suite order."""

    rows: int
    success: bool
    summaries: list[dict[str, Any]]
    failures: list[CheckFailure]
    examples: dict[str, list[tuple[int, str | None, int | None]]]
    payloads: list[dict[str, Any]]

    def reasons_per_row(self) -> dict[int, str]:
        return reasons_per_row(self.failures)


def merge_checks(batches: list[tuple[BatchCheck, np.ndarray]]) -> TableCheck:
    """One table's result from its batches, each with the staged-table position of its rows."""
    if not batches:
        raise ValueError("a table is validated in at least one batch")
    failures = _merged_failures(batches)
    examples: dict[str, list[tuple[int, str | None, int | None]]] = {}
    for check, positions in batches:
        for name, found in check.examples.items():
            examples.setdefault(name, []).extend(
                (int(positions[p]), file, row) for p, file, row in found
            )
    examples = {name: sorted(found)[:EXAMPLES] for name, found in examples.items()}
    by_check = {f.check: f for f in failures}
    summaries = [
        _merged_summary([check.summaries[i] for check, _ in batches], by_check)
        for i in range(len(batches[0][0].summaries))
    ]
    return TableCheck(
        rows=sum(check.rows for check, _ in batches),
        success=all(check.success for check, _ in batches),
        summaries=summaries,
        failures=failures,
        examples=examples,
        payloads=[check.payload for check, _ in batches],
    )


def _merged_failures(batches: list[tuple[BatchCheck, np.ndarray]]) -> list[CheckFailure]:
    """Per failed check (in suite order): every batch's failing rows, in staged-table order."""
    order = [s["check"] for s in batches[0][0].summaries]
    parts: dict[str, list[CheckFailure]] = {}
    for check, positions in batches:
        for failure in check.failures:
            moved = [int(positions[p]) for p in failure.positions]
            parts.setdefault(failure.check, []).append(replace(failure, positions=moved))
    merged = []
    for name in order:
        if name not in parts:
            continue
        pieces = parts[name]
        rows = [
            (position, reason, value)
            for piece in pieces
            for position, reason, value in zip(
                piece.positions, piece.reasons, piece.values, strict=True
            )
        ]
        rows.sort(key=lambda item: item[0])
        merged.append(
            replace(
                pieces[0],
                positions=[r[0] for r in rows],
                reasons=[r[1] for r in rows],
                values=[r[2] for r in rows],
            )
        )
    return merged


def _merged_summary(
    parts: list[dict[str, Any]], failures: dict[str, CheckFailure]
) -> dict[str, Any]:
    """One expectation's summary over every batch: counts added, success only if every batch
    passed, and the most frequent failing values as examples."""
    summary = dict(parts[0])
    summary["success"] = all(part["success"] for part in parts)
    for key in ("element_count", "unexpected_count"):
        counts = [part.get(key) for part in parts]
        summary[key] = None if any(c is None for c in counts) else sum(counts)
    failure = failures.get(str(summary["check"]))
    summary["examples"] = []
    if failure is not None:
        top = sorted(Counter(failure.values).items(), key=lambda item: (-item[1], item[0]))
        summary["examples"] = [{"value": v, "count": c} for v, c in top[:_TOP_VALUES]]
    return summary
