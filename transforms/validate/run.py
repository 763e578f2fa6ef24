"""Validate step: staged canonical tables in; curated rows, quarantined rows with reasons out."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype

from transforms.core.canonical import QUARANTINE_COLUMNS, TABLES
from transforms.core.errors import ValidationStopError
from transforms.validate._gx import run_suite
from transforms.validate.codes import ValidationCodes
from transforms.validate.outcome import ValidationOutcome
from transforms.validate.reasons import (
    CheckFailure,
    check_summary,
    collect_row_failures,
    expectation_columns,
    ingest_reason_groups,
    reasons_per_row,
    validate_reason_groups,
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

STAGE_INGEST = "ingest"
STAGE_VALIDATE = "validate"


def validate_wave(
    staged: dict[str, pd.DataFrame],
    ingest_quarantine: dict[str, pd.DataFrame],
    codes: ValidationCodes,
) -> dict[str, ValidationOutcome]:
    """Validate respondent first, then every child table against the curated respondents.

    A table absent from ``staged`` is validated as empty (0 rows in, 0 out).
    """
    outcomes: dict[str, ValidationOutcome] = {}
    respondent = validate_table(
        "respondent",
        staged.get("respondent", _empty("respondent")),
        codes,
        ingest_quarantine.get("respondent"),
    )
    outcomes["respondent"] = respondent
    child_codes = codes.with_respondents(
        respondent.curated["respondent_key"].dropna().astype(str).unique()
    )
    for name in TABLES:
        if name != "respondent":
            outcomes[name] = validate_table(
                name, staged.get(name, _empty(name)), child_codes, ingest_quarantine.get(name)
            )
    return outcomes


def validate_table(
    name: str,
    staged: pd.DataFrame,
    codes: ValidationCodes,
    ingest_quarantine: pd.DataFrame | None = None,
) -> ValidationOutcome:
    """Run the table's suite; rows failing any row-level expectation go to quarantine.

    Raises ValidationStopError (naming the file and column) when a column cannot take its
    canonical dtype, or a table-level expectation fails (a missing or unexpected column).
    """
    if name not in TABLES:
        raise KeyError(f"unknown canonical table {name!r}; known: {sorted(TABLES)}")
    frame = _conform_staged(name, staged)
    suite = build_suite(name, codes)
    gx_result = run_suite(prepare_batch(name, frame, codes), suite)
    expectations = list(suite.expectations)
    by_check = {str(r.expectation_config.meta[CHECK]): r for r in gx_result.results}
    _stop_on_table_failure(name, frame, expectations, by_check)

    failures = collect_row_failures(frame, expectations, by_check)
    curated, rejected = _split(name, frame, reasons_per_row(failures))
    earlier = _conform_quarantine(name, ingest_quarantine)
    parts = [part for part in (earlier, rejected) if len(part)]
    quarantined = _conform(pd.concat(parts, ignore_index=True) if parts else earlier, name, True)
    summaries = _expectation_summaries(expectations, by_check, failures)
    payload = _gx_payload(gx_result, expectations)  # drops GX's row lists, so it comes last

    result: dict[str, Any] = {
        "table": name,
        "rows_in": len(frame) + len(earlier),
        "rows_staged": len(frame),
        "rows_ingest_quarantined": len(earlier),
        "rows_curated": len(curated),
        "rows_quarantined": len(quarantined),
        "success": bool(gx_result.success),
        "expectations": summaries,
        "quarantine_reasons": [
            *ingest_reason_groups(earlier),
            *validate_reason_groups(frame, failures),
        ],
        "great_expectations": payload,
    }
    result["reconciled"] = result["rows_in"] == result["rows_curated"] + result["rows_quarantined"]
    return ValidationOutcome(table=name, curated=curated, quarantined=quarantined, result=result)


def _split(
    name: str, frame: pd.DataFrame, reasons: dict[int, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Curated rows and rows failing validation (with stage and reasons), each in row order."""
    failed = np.zeros(len(frame), dtype=bool)
    failed[list(reasons)] = True
    columns = list(TABLES[name].all_columns)
    curated = frame.loc[~failed, columns].reset_index(drop=True)
    rejected = frame.loc[failed, columns].reset_index(drop=True)
    rejected["stage"] = pd.array([STAGE_VALIDATE] * len(rejected), dtype="string")
    rejected["reasons"] = pd.array(list(reasons.values()), dtype="string")
    return curated, rejected


def _empty(name: str) -> pd.DataFrame:
    return _conform(pd.DataFrame(), name)


def _conform(frame: pd.DataFrame, name: str, quarantine: bool = False) -> pd.DataFrame:
    """Exactly the canonical (+ quarantine) columns with their dtypes; missing ones as nulls."""
    dtypes = dict(TABLES[name].all_columns)
    if quarantine:
        dtypes.update(QUARANTINE_COLUMNS)
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    for column, dtype in dtypes.items():
        if column in frame.columns:
            out[column] = frame[column].astype(pandas_dtype(dtype))
        else:
            out[column] = pd.Series(pd.NA, index=frame.index, dtype=dtype)
    return out


def _source_files(frame: pd.DataFrame) -> str | None:
    if "source_file" not in frame.columns:
        return None
    files = sorted({str(f) for f in frame["source_file"].dropna().unique()})
    return ", ".join(files) if files else None


def _conform_staged(name: str, staged: pd.DataFrame) -> pd.DataFrame:
    """Staged rows with a RangeIndex and canonical dtypes on the canonical columns present.

    Missing and unexpected columns are left for the suite to report.
    """
    frame = staged.reset_index(drop=True)
    for column, dtype in TABLES[name].all_columns.items():
        if column not in frame.columns:
            continue
        try:
            frame[column] = frame[column].astype(pandas_dtype(dtype))
        except (TypeError, ValueError) as exc:
            raise ValidationStopError(
                f"{name}: column {column} cannot be read as {dtype} ({exc})",
                file=_source_files(staged),
                column=column,
            ) from exc
    return frame


def _conform_quarantine(name: str, quarantine: pd.DataFrame | None) -> pd.DataFrame:
    if quarantine is None or quarantine.empty:
        return _conform(pd.DataFrame(), name, True)
    frame = quarantine.reset_index(drop=True)
    if "stage" not in frame.columns:
        frame = frame.assign(stage=STAGE_INGEST)
    frame = frame.assign(stage=frame["stage"].fillna(STAGE_INGEST))
    return _conform(frame, name, True)


def _stop_on_table_failure(
    name: str, frame: pd.DataFrame, expectations: list[Any], by_check: dict[str, Any]
) -> None:
    """Raise on the first failed table-level expectation, or any that could not run."""
    file = _source_files(frame)
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


def _expectation_summaries(
    expectations: list[Any], by_check: dict[str, Any], failures: list[CheckFailure]
) -> list[dict[str, Any]]:
    failed = {f.check: f for f in failures}
    return [
        check_summary(e, by_check[e.meta[CHECK]], failed.get(e.meta[CHECK])) for e in expectations
    ]


# Keys of a GX result that list every failing row or change with every run.
_ROW_LISTS = ("unexpected_list", "unexpected_index_list", "unexpected_index_query")


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
