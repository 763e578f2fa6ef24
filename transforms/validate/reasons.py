"""Validate step, reasons: failed row-level expectations become one sentence per row and check."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from transforms.validate.suites import (
    CHECK,
    DESCRIPTION,
    LEVEL,
    REASON,
    ROW_LEVEL,
    VALUE_COLUMN,
)

MAX_VALUE_CHARS = 80
EXAMPLES = 3
_FIRST_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def format_value(value: Any) -> str:
    """A cell as it reads in a reason: strings quoted (and cut), missing values as null."""
    if isinstance(value, tuple):
        return "(" + ", ".join(format_value(v) for v in value) + ")"
    if value is None or (not isinstance(value, (list, dict)) and bool(pd.isna(value))):
        return "null"
    if isinstance(value, pd.Timestamp):
        return repr(value.isoformat())
    if isinstance(value, str):
        cut = value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"
        return repr(cut)
    if hasattr(value, "item"):  # numpy scalars -> Python
        return str(value.item())
    return str(value)


def plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, tuples to lists, nested containers walked."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


@dataclass(frozen=True)
class CheckFailure:
    """The rows one row-level expectation failed on, with the reason written for each."""

    check: str
    expectation_type: str
    columns: tuple[str, ...]
    label: str  # the reason without the value, e.g. "org_sector is not an allowed code"
    positions: list[int]  # row positions in the validated frame, ascending
    reasons: list[str]  # one per position
    values: list[str]  # formatted value per position


def expectation_columns(kwargs: dict[str, Any]) -> tuple[str, ...]:
    if "column" in kwargs:
        return (str(kwargs["column"]),)
    if "column_list" in kwargs:
        return tuple(str(c) for c in kwargs["column_list"])
    return ()


def _column_label(columns: tuple[str, ...]) -> str:
    return columns[0] if len(columns) == 1 else "(" + ", ".join(columns) + ")"


def collect_row_failures(
    frame: pd.DataFrame, expectations: list[Any], by_check: dict[str, Any]
) -> list[CheckFailure]:
    """Every failed row-level expectation, in suite order, with exact row positions."""
    failures = []
    for expectation in expectations:
        meta = expectation.meta or {}
        if meta.get(LEVEL) != ROW_LEVEL:
            continue
        outcome = by_check[meta[CHECK]]
        if outcome.success:
            continue
        positions = [int(i) for i in outcome.result.get("unexpected_index_list") or []]
        if len(positions) != int(outcome.result.get("unexpected_count", -1)):
            raise RuntimeError(
                f"Great Expectations returned {len(positions)} row positions for "
                f"{outcome.result.get('unexpected_count')} failures of {meta[CHECK]}"
            )
        positions.sort()
        columns = expectation_columns(expectation.configuration.kwargs)
        if VALUE_COLUMN in meta:  # a helper column was checked; quote the column it stands for
            columns = (str(meta[VALUE_COLUMN]),)
        column = _column_label(columns)
        if len(columns) == 1:
            at = np.asarray(positions, dtype=np.int64)
            cells: list[object] = list(frame[columns[0]].iloc[at])
        else:
            cells = list(frame[list(columns)].iloc[positions].itertuples(index=False, name=None))
        values = [format_value(cell) for cell in cells]
        template = str(meta[REASON])
        suffix = f" ({expectation.expectation_type})"
        failures.append(
            CheckFailure(
                check=str(meta[CHECK]),
                expectation_type=str(expectation.expectation_type),
                columns=columns,
                label=template.replace(" {value}", "").format(column=column),
                positions=positions,
                reasons=[template.format(column=column, value=v) + suffix for v in values],
                values=values,
            )
        )
    return failures


def reasons_per_row(failures: list[CheckFailure]) -> dict[int, str]:
    """Row position -> every reason of that row, ``; ``-joined in suite order."""
    per_row: dict[int, list[str]] = {}
    for failure in failures:
        for position, reason in zip(failure.positions, failure.reasons, strict=True):
            per_row.setdefault(position, []).append(reason)
    return {position: "; ".join(reasons) for position, reasons in sorted(per_row.items())}


def _example(frame: pd.DataFrame, position: int, reason: str) -> dict[str, Any]:
    row = frame.iloc[position]
    source_row = row.get("source_row")
    source_file = row.get("source_file")
    return {
        "source_file": None if pd.isna(source_file) else str(source_file),
        "source_row": None if pd.isna(source_row) else int(source_row),
        "reason": reason,
    }


def check_summary(expectation: Any, outcome: Any, failure: CheckFailure | None) -> dict[str, Any]:
    """One expectation in the JSON summary: what it checks, pass or fail, counts, examples."""
    meta = expectation.meta or {}
    result = outcome.result or {}
    summary: dict[str, Any] = {
        "check": meta.get(CHECK),
        "level": meta.get(LEVEL),
        "expectation_type": expectation.expectation_type,
        "columns": [meta[VALUE_COLUMN]]
        if VALUE_COLUMN in meta
        else list(expectation_columns(expectation.configuration.kwargs)),
        "description": meta.get(DESCRIPTION),
        "success": bool(outcome.success),
        "element_count": plain(result.get("element_count")),
        "unexpected_count": plain(result.get("unexpected_count")),
        "examples": [],
    }
    if "observed_value" in result:
        summary["observed_value"] = plain(result["observed_value"])
    if failure is not None:
        counts = Counter(failure.values)
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
        summary["examples"] = [{"value": value, "count": count} for value, count in top]
    return summary


def validate_reason_groups(
    frame: pd.DataFrame, failures: list[CheckFailure]
) -> list[dict[str, Any]]:
    """Quarantine reasons of the validate stage: rows per check, with the first examples."""
    return [
        {
            "stage": "validate",
            "check": failure.check,
            "reason": failure.label,
            "rows": len(failure.positions),
            "examples": [
                _example(frame, position, reason)
                for position, reason in zip(
                    failure.positions[:EXAMPLES], failure.reasons[:EXAMPLES], strict=True
                )
            ],
        }
        for failure in failures
    ]


def ingest_reason_groups(quarantine: pd.DataFrame) -> list[dict[str, Any]]:
    """Reasons already given at ingest, grouped with their first quoted value blanked."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for position, reasons in enumerate(quarantine["reasons"].fillna("").astype(str)):
        for reason in reasons.split("; ") if reasons else ["(no reason given)"]:
            label = _FIRST_QUOTED.sub("…", reason, count=1)
            groups.setdefault(label, []).append((position, reason))
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [
        {
            "stage": "ingest",
            "check": None,
            "reason": label,
            "rows": len(members),
            "examples": [_example(quarantine, p, r) for p, r in members[:EXAMPLES]],
        }
        for label, members in ordered
    ]
