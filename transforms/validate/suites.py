"""Validate step, rules: one Great Expectations suite per canonical table.

Every expectation carries ``meta`` that the rest of the step reads:

- ``skillgap_check``: a stable id, unique within the suite (``org_sector.allowed_code``);
- ``skillgap_level``: ``table`` (a failure stops the run) or ``row`` (failing rows are
  quarantined);
- ``skillgap_reason``: the reason written for a failing row, a template with ``{column}`` and
  ``{value}``;
- ``skillgap_description``: what the expectation checks, in words, for the report;
- ``skillgap_value_column`` (optional): the column whose value the reason quotes, when the
  expectation runs on a helper column.

Children are checked against the curated respondents through a helper column,
``_respondent_curated`` (see `prepare_batch`): a value set of thousands of keys inside the
expectation would be copied on every one of the ~100 times GX reads its configuration, which
makes validation time grow with rows x respondents.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from transforms.core.canonical import KEY_COLUMNS, PROVENANCE_COLUMNS, TABLES
from transforms.validate._gx import Column, gx, gxe
from transforms.validate.codes import (
    ALLOWED_HORIZONS,
    DIFFICULTY_RANGE,
    HEADCOUNT_RANGE,
    IMPORTANCE_RANGE,
    SHORTAGE_RANGE,
    ValidationCodes,
)

CHECK = "skillgap_check"
LEVEL = "skillgap_level"
REASON = "skillgap_reason"
DESCRIPTION = "skillgap_description"
VALUE_COLUMN = "skillgap_value_column"
TABLE_LEVEL = "table"
ROW_LEVEL = "row"

RESPONDENT_QUARANTINED = "respondent quarantined"
CURATED_FLAG = "_respondent_curated"  # helper column, only in the batch GX validates

# Columns each table needs on every row beside the key and provenance columns.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "respondent": ("org_sector", "org_size_band", "platform_status"),  # weighting cells
    "hiring_need": ("role_code", "horizon", "headcount"),
    "recruitment_difficulty": ("role_code", "difficulty"),
    "skill_need": ("skill_code",),
    "training_preference": ("format_code", "selected"),
    "free_text": ("question_id", "text"),
    "answer": ("question_id", "item_code", "option_code"),
}


def _meta(check: str, level: str, description: str, reason: str = "") -> dict[str, str]:
    meta = {CHECK: check, LEVEL: level, DESCRIPTION: description}
    if reason:
        meta[REASON] = reason
    return meta


def build_suite(table: str, codes: ValidationCodes) -> gx.ExpectationSuite:
    """The expectation suite for canonical ``table`` (table-level first, then row-level).

    Run it on `prepare_batch` output. Column dtypes are not expectations: validate_table casts
    every column to its canonical dtype first and stops, naming the column, where one does not
    fit.
    """
    if table not in TABLES:
        raise KeyError(f"unknown canonical table {table!r}; known: {sorted(TABLES)}")
    expectations = [
        *_table_level(table, codes),
        *_required(table, codes),
        *_table_rules(table, codes),
        *_keys(table, codes),
    ]
    # Built in one go: add_expectation would look for a current GX project to save into.
    suite = gx.ExpectationSuite(name=f"skillgap.{table}", expectations=expectations)
    if len(suite.expectations) != len(expectations):  # GX logs and drops invalid ones
        raise RuntimeError(f"the {table} suite lost expectations; see the GX log")
    return suite


def checks_curated_respondents(table: str, codes: ValidationCodes) -> bool:
    return table != "respondent" and codes.checks_respondents


def prepare_batch(
    table: str, frame: pd.DataFrame, codes: ValidationCodes, curated: pd.Series | None = None
) -> pd.DataFrame:
    """The frame GX validates: canonical rows, made fast for GX's pandas engine.

    - Int64 columns become float64 (NA -> NaN): GX checks ranges on nullable integers one
      Python call per value, on float64 in one vectorised step. ``frame`` already holds the
      canonical dtypes (validate_table casts first and stops on a column that does not fit).
    - Children get ``_respondent_curated``: true where respondent_key is a curated respondent,
      null where respondent_key is null (the not-null check reports those). ``curated`` gives
      that column already worked out (a worker process has the count of curated respondents,
      not their keys).
    """
    batch = frame.assign(
        **{
            column: frame[column].astype("float64")
            for column, dtype in TABLES[table].all_columns.items()
            if dtype == "Int64" and column in frame.columns
        }
    )
    if checks_curated_respondents(table, codes) and "respondent_key" in frame.columns:
        if curated is None:
            keys = frame["respondent_key"]
            curated = keys.isin(codes.respondent_keys or frozenset()).astype("boolean")
            curated = curated.mask(keys.isna())
        batch[CURATED_FLAG] = pd.Series(curated.astype("boolean").array, index=batch.index)
    return batch


def _table_level(table: str, codes: ValidationCodes) -> list[Any]:
    columns = TABLES[table].all_columns
    batch_columns = list(columns)
    if checks_curated_respondents(table, codes):
        batch_columns.append(CURATED_FLAG)
    expectations: list[Any] = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=batch_columns,
            exact_match=True,
            meta=_meta(
                "columns.match_canonical",
                TABLE_LEVEL,
                f"the columns are exactly the {len(columns)} canonical columns of {table}",
            ),
        )
    ]
    return expectations


def _not_null(column: str) -> Any:
    return gxe.ExpectColumnValuesToNotBeNull(
        column=column,
        meta=_meta(f"{column}.not_null", ROW_LEVEL, f"{column} is present", "{column} is missing"),
    )


def _in_set(column: str, values: frozenset[str] | tuple[str, ...], what: str) -> Any:
    allowed = sorted(values)
    return gxe.ExpectColumnValuesToBeInSet(
        column=column,
        value_set=allowed,
        meta=_meta(
            f"{column}.allowed_{what.replace(' ', '_')}",
            ROW_LEVEL,
            f"{column} is an allowed {what} ({len(allowed)} allowed)",
            f"{{column}} {{value}} is not an allowed {what}",
        ),
    )


def _between(column: str, bounds: tuple[int, int]) -> Any:
    low, high = bounds
    return gxe.ExpectColumnValuesToBeBetween(
        column=column,
        min_value=low,
        max_value=high,
        meta=_meta(
            f"{column}.in_range",
            ROW_LEVEL,
            f"{column} is a whole number from {low} to {high}",
            f"{{column}} {{value}} is outside {low}..{high}",
        ),
    )


def _required(table: str, codes: ValidationCodes) -> list[Any]:
    required = _REQUIRED[table]
    if table == "respondent":  # a survey without sector or size questions has no such cells
        required = tuple(c for c in required if c == "platform_status" or getattr(codes, c))
    columns = (*KEY_COLUMNS, *required, *PROVENANCE_COLUMNS)
    return [_not_null(column) for column in columns]


def _table_rules(table: str, codes: ValidationCodes) -> list[Any]:
    if table == "respondent":
        statuses = ", ".join(codes.platform_statuses)
        return [
            _in_set("org_sector", codes.org_sector, "code"),
            _in_set("org_size_band", codes.org_size_band, "code"),
            _in_set("region", codes.region, "code"),
            gxe.ExpectColumnValuesToBeInSet(
                column="platform_status",
                value_set=list(codes.platform_statuses),
                meta=_meta(
                    "platform_status.accepted",
                    ROW_LEVEL,
                    f"platform_status is a real answer ({statuses})",
                    f"{{column}} {{value}} is not a real answer ({statuses})",
                ),
            ),
        ]
    if table == "hiring_need":
        return [
            _in_set("role_code", codes.role, "code"),
            _in_set("horizon", ALLOWED_HORIZONS, "horizon"),
            _between("headcount", HEADCOUNT_RANGE),
        ]
    if table == "recruitment_difficulty":
        return [_in_set("role_code", codes.role, "code"), _between("difficulty", DIFFICULTY_RANGE)]
    if table == "skill_need":
        return [
            _in_set("skill_code", codes.skill, "code"),
            _between("importance", IMPORTANCE_RANGE),
            _between("shortage", SHORTAGE_RANGE),
            gxe.ExpectColumnValuesToNotBeNull(
                column="importance",
                row_condition=Column("shortage").is_null(),
                meta=_meta(
                    "importance_or_shortage.present",
                    ROW_LEVEL,
                    "importance or shortage (at least one) is present",
                    "importance and shortage are both missing",
                ),
            ),
        ]
    if table == "training_preference":
        return [_in_set("format_code", codes.training_format, "code")]
    if table == "answer":  # no code lists: a generic question's options are its own
        return []
    # free_text
    return [
        gxe.ExpectColumnValuesToMatchRegex(
            column="text",
            regex=r"\S",
            meta=_meta(
                "text.not_blank", ROW_LEVEL, "text is not blank", "{column} {value} is blank"
            ),
        )
    ]


def _keys(table: str, codes: ValidationCodes) -> list[Any]:
    key = list(TABLES[table].natural_key)
    expectations: list[Any] = [
        gxe.ExpectColumnValuesToBeBetween(
            column="source_row",
            min_value=1,
            meta=_meta(
                "source_row.positive",
                ROW_LEVEL,
                "source_row is a row number (1 or more)",
                "{column} {value} is not a row number",
            ),
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=key,
            meta=_meta(
                "natural_key.unique",
                ROW_LEVEL,
                f"({', '.join(key)}) is unique",
                "{column} {value} occurs more than once",
            ),
        ),
    ]
    if checks_curated_respondents(table, codes):
        expectations.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=CURATED_FLAG,
                value_set=[True],
                meta={
                    **_meta(
                        "respondent_key.curated",
                        ROW_LEVEL,
                        f"respondent_key is one of the {codes.curated_respondents or 0} "
                        f"curated respondents ({CURATED_FLAG} is true)",
                        RESPONDENT_QUARANTINED + ": {column} {value} is not a curated respondent",
                    ),
                    VALUE_COLUMN: "respondent_key",
                },
            )
        )
    return expectations
