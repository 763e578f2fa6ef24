"""Validate step: staged canonical tables in; curated rows, quarantined rows with reasons out.

`validate_table` and `validate_wave` validate frames held in memory (tests, tools, small
surveys) as one batch each; `transforms.validate.stream` validates staged Parquet files a
batch at a time with the same checks and gives the same rows and reasons.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype

from transforms.core.canonical import QUARANTINE_COLUMNS, TABLES
from transforms.validate.check import check_batch, conform_staged
from transforms.validate.codes import ValidationCodes
from transforms.validate.merge import TableCheck, merge_checks
from transforms.validate.outcome import ValidationOutcome
from transforms.validate.reasons import ingest_reason_groups

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
        staged.get("respondent", empty("respondent")),
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
                name, staged.get(name, empty(name)), child_codes, ingest_quarantine.get(name)
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
    frame = conform_staged(name, staged)
    checked = merge_checks([(check_batch(name, frame, codes), np.arange(len(frame)))])
    curated, rejected = split(name, frame, checked.reasons_per_row())
    earlier = conform_quarantine(name, ingest_quarantine)
    parts = [part for part in (earlier, rejected) if len(part)]
    quarantined = conform(pd.concat(parts, ignore_index=True) if parts else earlier, name, True)
    result = table_result(name, checked, ingest_reason_groups(earlier), len(earlier))
    return ValidationOutcome(table=name, curated=curated, quarantined=quarantined, result=result)


def table_result(
    name: str, checked: TableCheck, ingest_groups: list[dict[str, Any]], ingest_rows: int
) -> dict[str, Any]:
    """The JSON-ready validation result of one table (see ValidationOutcome)."""
    failed = {row for failure in checked.failures for row in failure.positions}
    result: dict[str, Any] = {
        "table": name,
        "rows_in": checked.rows + ingest_rows,
        "rows_staged": checked.rows,
        "rows_ingest_quarantined": ingest_rows,
        "rows_curated": checked.rows - len(failed),
        "rows_quarantined": ingest_rows + len(failed),
        "success": checked.success,
        "expectations": checked.summaries,
        "quarantine_reasons": [*ingest_groups, *validate_reason_groups(checked)],
        "great_expectations": checked.payloads,  # one GX result per batch
    }
    result["reconciled"] = result["rows_in"] == result["rows_curated"] + result["rows_quarantined"]
    return result


def validate_reason_groups(checked: TableCheck) -> list[dict[str, Any]]:
    """Quarantine reasons of the validate stage: rows per check, with the first examples."""
    return [
        {
            "stage": STAGE_VALIDATE,
            "check": failure.check,
            "reason": failure.label,
            "rows": len(failure.positions),
            "examples": [
                {"source_file": file, "source_row": row, "reason": reason}
                for (_, file, row), reason in zip(
                    checked.examples.get(failure.check, []), failure.reasons, strict=False
                )
            ],
        }
        for failure in checked.failures
    ]


def split(
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


def empty(name: str) -> pd.DataFrame:
    return conform(pd.DataFrame(), name)


def conform(frame: pd.DataFrame, name: str, quarantine: bool = False) -> pd.DataFrame:
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


def conform_quarantine(name: str, quarantine: pd.DataFrame | None) -> pd.DataFrame:
    if quarantine is None or quarantine.empty:
        return conform(pd.DataFrame(), name, True)
    frame = quarantine.reset_index(drop=True)
    if "stage" not in frame.columns:
        frame = frame.assign(stage=STAGE_INGEST)
    frame = frame.assign(stage=frame["stage"].fillna(STAGE_INGEST))
    return conform(frame, name, True)
