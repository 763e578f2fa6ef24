"""Validate step, one batch: a table's Great Expectations suite on one batch of its rows.

A table is validated a batch at a time (`transforms.validate.stream`): every row-level check
is about one row, except uniqueness of the natural key, and the batching puts every row whose
key occurs twice into one batch, so checking batch by batch fails exactly the rows a check of
the whole table would. `check_batch` runs the suite on one batch and returns what failed,
with row positions within the batch; `transforms.validate.merge` adds the batches up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
from pandas.api.types import pandas_dtype

from transforms.core.canonical import TABLES
from transforms.core.errors import ValidationStopError
from transforms.validate._gx import run_suite
from transforms.validate.codes import ValidationCodes
from transforms.validate.reasons import (
    EXAMPLES,
    CheckFailure,
    check_summary,
    collect_row_failures,
    expectation_columns,
)
from transforms.validate.suites import (
    CHECK,
    CURATED_FLAG,
    DESCRIPTION,
    LEVEL,
    TABLE_LEVEL,
    build_suite,
    prepare_batch,
)

# Keys of a GX result that list every failing row or change with every run.
_ROW_LISTS = ("unexpected_list", "unexpected_index_list", "unexpected_index_query")


@dataclass(frozen=True)
class BatchCheck:
    """What one batch's validation found; positions are rows of the batch (0-based).

    ``summaries`` are per expectation, in suite order, without examples; ``examples`` give the
    source file and row of the first failing rows of each check (for the data-quality page).
    """

    rows: int
    success: bool
    summaries: list[dict[str, Any]]
    failures: list[CheckFailure]
    examples: dict[str, list[tuple[int, str | None, int | None]]]  # check -> (position, ...)
    payload: dict[str, Any]


def conform_staged(name: str, staged: pd.DataFrame) -> pd.DataFrame:
    """Staged rows with a RangeIndex and canonical dtypes on the canonical columns present.

    String columns read from staged Parquet arrive as pandas categoricals of strings (what
    makes a million-row batch cheap for GX) and are kept so. Missing and unexpected columns
    are left for the suite to report.
    """
    frame = staged.reset_index(drop=True)
    for column, dtype in TABLES[name].all_columns.items():
        if column not in frame.columns:
            continue
        if dtype == "string" and isinstance(frame[column].dtype, pd.CategoricalDtype):
            continue
        try:
            frame[column] = frame[column].astype(pandas_dtype(dtype))
        except (TypeError, ValueError) as exc:
            raise ValidationStopError(
                f"{name}: column {column} cannot be read as {dtype} ({exc})",
                file=source_files(staged),
                column=column,
            ) from exc
    return frame


def source_files(frame: pd.DataFrame) -> str | None:
    if "source_file" not in frame.columns:
        return None
    files = sorted({str(f) for f in frame["source_file"].dropna().unique()})
    return ", ".join(files) if files else None


@cache
def suite_for(name: str, codes: ValidationCodes) -> Any:
    """The table's suite, built once per process for the same codes."""
    return build_suite(name, codes)


def check_batch(
    name: str,
    frame: pd.DataFrame,
    codes: ValidationCodes,
    curated: pd.Series | None = None,
) -> BatchCheck:
    """Run the table's suite on one batch (conformed with `conform_staged`).

    Raises ValidationStopError (naming the file and column) when a table-level expectation
    fails (a missing or unexpected column) or an expectation cannot be evaluated. ``curated``:
    the children's curated-respondent flag, when worked out already (see `prepare_batch`).
    """
    suite = suite_for(name, codes.for_worker())
    gx_result = run_suite(prepare_batch(name, frame, codes, curated), suite)
    expectations = list(suite.expectations)
    by_check = {str(r.expectation_config.meta[CHECK]): r for r in gx_result.results}
    _stop_on_table_failure(name, frame, expectations, by_check)
    failures = collect_row_failures(frame, expectations, by_check)
    summaries = [check_summary(e, by_check[e.meta[CHECK]], None) for e in expectations]
    examples = {
        failure.check: [
            (position, *_source(frame, position)) for position in failure.positions[:EXAMPLES]
        ]
        for failure in failures
    }
    return BatchCheck(
        rows=len(frame),
        success=bool(gx_result.success),
        summaries=summaries,
        failures=failures,
        examples=examples,
        payload=_gx_payload(gx_result, expectations),  # drops GX's row lists: it comes last
    )


def _source(frame: pd.DataFrame, position: int) -> tuple[str | None, int | None]:
    row = frame.iloc[position]
    source_row = row.get("source_row")
    source_file = row.get("source_file")
    return (
        None if pd.isna(source_file) else str(source_file),
        None if pd.isna(source_row) else int(source_row),
    )


def _stop_on_table_failure(
    name: str, frame: pd.DataFrame, expectations: list[Any], by_check: dict[str, Any]
) -> None:
    """Raise on the first failed table-level expectation, or any that could not run."""
    file = source_files(frame)
    columns_check = by_check["columns.match_canonical"]
    if not columns_check.success:
        mismatch = (columns_check.result.get("details") or {}).get("mismatched") or {}
        missing = sorted(set(mismatch.get("missing") or []) - {CURATED_FLAG})
        unexpected = sorted(mismatch.get("unexpected") or [])
        parts = [f"missing {missing}"] if missing else []
        parts += [f"unexpected {unexpected}"] if unexpected else []
        raise ValidationStopError(
            f"{name} does not have the canonical columns: {'; '.join(parts)} "
            "(expect_table_columns_to_match_set)",
            file=file,
            column=(missing or unexpected or [None])[0],
        )
    for expectation in expectations:
        meta = expectation.meta or {}
        outcome = by_check[meta[CHECK]]
        column = next(iter(expectation_columns(expectation.configuration.kwargs)), None)
        if outcome.exception_info.get("raised_exception") or _raised(outcome.exception_info):
            message = _exception_message(outcome.exception_info)
            raise ValidationStopError(
                f"{name}: {expectation.expectation_type} could not be evaluated: {message}",
                file=file,
                column=column,
            )
        if meta.get(LEVEL) == TABLE_LEVEL and not outcome.success:
            observed = outcome.result.get("observed_value")
            raise ValidationStopError(
                f"{name}: {meta.get(DESCRIPTION)} is false "
                f"(observed {observed!r}; {expectation.expectation_type})",
                file=file,
                column=column,
            )


def _raised(exception_info: dict[str, Any]) -> bool:
    """GX nests exception info per metric when a metric fails to resolve."""
    return any(
        isinstance(info, dict) and info.get("raised_exception") for info in exception_info.values()
    )


def _exception_message(exception_info: dict[str, Any]) -> str:
    if exception_info.get("exception_message"):
        return str(exception_info["exception_message"])
    for info in exception_info.values():
        if isinstance(info, dict) and info.get("exception_message"):
            return str(info["exception_message"])
    return "unknown error"


def _gx_payload(gx_result: Any, expectations: list[Any]) -> dict[str, Any]:
    """GX's own result, made deterministic and bounded (drops the row lists from it).

    Drops the batch markers (load time) and the full per-row lists (they are the quarantine
    file); results in suite order.
    """
    for outcome in gx_result.results:  # before serialising: a million-row list is slow
        for key in _ROW_LISTS:
            (outcome.result or {}).pop(key, None)
    payload: dict[str, Any] = gx_result.to_json_dict()
    meta = payload.get("meta") or {}
    for key in ("batch_markers", "run_id", "validation_time"):
        meta.pop(key, None)
    order = {str(e.meta[CHECK]): i for i, e in enumerate(expectations)}
    results = payload.get("results") or []
    results.sort(key=lambda item: order[item["expectation_config"]["meta"][CHECK]])
    return payload
