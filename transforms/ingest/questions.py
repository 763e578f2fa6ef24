"""Ingest step, mapping: each question type's answers in a slice of an export → canonical rows.

Every function works on whole columns: a grid is an (export rows x items) matrix of answers,
read row by row with ``np.nonzero``; a multi-select answer is split once per distinct answer
pattern; values are parsed once per distinct cell (`per_unique`). No function loops over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

from transforms.core.errors import CodebookError
from transforms.ingest.codebook import Question, Source
from transforms.ingest.multiselect import split_joined
from transforms.ingest.pii import redact_free_text
from transforms.ingest.rows import (
    Rows,
    dictionary,
    isin_per_unique,
    nullable_ints,
    per_unique,
    strings,
)

# Cells of a one-column-per-option multi-select that mean "not selected".
FALSE_SELECTIONS = frozenset({"0", "No", "N", "False", "false", "Not selected"})
STAGE_INGEST = "ingest"


@dataclass(frozen=True)
class Slice:
    """Rows [start, stop) of an export's data: columns by codebook reference."""

    column: Callable[[str], pd.Series]  # the string cells of the column a reference names
    n: int


def map_single(cells: Slice, question: Question, source: Source) -> pa.Array:
    """Codes of a single-choice question; an unmapped value stays as-is for validation."""
    assert source.column is not None
    raw = cells.column(source.column)
    missing = frozenset(question.missing_values)
    mapping = {key: str(code) for key, code in question.value_map.items()}

    def convert(values: pd.Series) -> pd.Series:
        kept = values.where(~values.isin(missing))
        return kept.map(lambda v: mapping.get(v, v), na_action="ignore").astype("string")

    return strings(per_unique(raw, convert))


def map_grid(cells: Slice, question: Question, source: Source) -> tuple[Rows, Rows]:
    """Numeric or ordinal grid: one row per export row x item answered, in export row order;
    answers that cannot be parsed are refused at ingest with a reason each."""
    table, value_column = question.target.split(".")
    code_column = (
        "role_code" if table in ("hiring_need", "recruitment_difficulty") else "skill_code"
    )
    items = source.items if source.items is not None else {}
    if not items:
        raise CodebookError(f"question {question.id!r} is a grid and needs 'items'")
    codes, refs = list(items), list(items.values())
    missing = frozenset(question.missing_values)
    answered = np.zeros((cells.n, len(refs)), dtype=bool)
    parsed = np.full((cells.n, len(refs)), np.nan)
    raws = []
    for k, ref in enumerate(refs):
        raw = cells.column(ref)
        raws.append(raw)
        at, uniques = pd.factorize(raw, use_na_sentinel=True)  # once per column
        if not len(uniques):
            continue
        distinct = pd.Series(uniques, dtype=raw.dtype)
        real = ~distinct.isin(missing).to_numpy(dtype=bool)  # not a 'no answer' value
        values = parse_values(distinct, question).astype("float64").to_numpy(na_value=np.nan)
        given = at >= 0
        at = np.where(given, at, 0)
        answered[:, k] = given & real[at]
        parsed[:, k] = np.where(given, values[at], np.nan)
    good = answered & ~np.isnan(parsed)
    rows, items_at = np.nonzero(good)
    constants = dict(question.constants)
    kept = Rows(
        rows.astype(np.int64),
        {
            code_column: dictionary(items_at, codes),
            value_column: _numbers(question, parsed[rows, items_at]),
            **constants,
        },
    )
    bad_rows, bad_items = np.nonzero(answered & np.isnan(parsed))
    expected = "on the answer scale" if question.type == "ordinal_grid" else "a whole number"
    expected = expected if _whole(question) or question.type == "ordinal_grid" else "a number"
    reasons = [
        f"{value_column} {raws[k].iloc[r]!r} is not {expected} "
        f"(question {question.id}, column {refs[k]!r})"
        for r, k in zip(bad_rows.tolist(), bad_items.tolist(), strict=True)
    ]
    refused = Rows(
        bad_rows.astype(np.int64),
        {
            code_column: dictionary(bad_items, codes),
            **constants,
            "stage": STAGE_INGEST,
            "reasons": pa.array(reasons, type=pa.string()),
        },
    )
    return kept, refused


def _numbers(question: Question, values: np.ndarray) -> pa.Array:
    """A grid's parsed answers as the value column: whole numbers, or any number (generic)."""
    return nullable_ints(values) if _whole(question) else pa.array(values, type=pa.float64())


def _whole(question: Question) -> bool:
    """Whether a numeric grid takes whole numbers only: the model's headcounts do; a generic
    question (answer.value) takes any number (years of experience 2.5, a share 12.5)."""
    return question.target != "answer.value"


def parse_values(raw: pd.Series, question: Question) -> pd.Series:
    """Whole numbers (the model's numeric grids), finite numbers (generic numeric grids) or
    scale values (ordinal grids); NA where not parseable."""
    text = raw.astype("string").str.strip()
    if question.type == "ordinal_grid":
        mapping = {key: int(code) for key, code in question.value_map.items()}
        mapped = text.map(mapping.get, na_action="ignore")
        numeric = pd.to_numeric(text, errors="coerce")
        scale_values = set(mapping.values())
        numeric = numeric.where(numeric.isin(scale_values))
        return pd.to_numeric(mapped, errors="coerce").fillna(numeric)
    numeric = pd.to_numeric(text, errors="coerce")
    if not _whole(question):
        return numeric.where(numeric.notna() & np.isfinite(numeric.astype("float64")))
    return numeric.where(numeric.notna() & (numeric == numeric.round()))


def map_multi(cells: Slice, question: Question, source: Source, codes: list[str]) -> Rows:
    """Multi-select: one row per answering respondent x option (``codes`` first, then any other
    option chosen, sorted), selected true or false; in export row order."""
    code_column = question.target.split(".")[1]
    mapping = {key: str(code) for key, code in question.value_map.items()}
    pattern, chosen = _chosen_patterns(cells, question, source, mapping)
    if source.other_text is not None:
        other = cells.column(source.other_text).notna().to_numpy(dtype=bool)
        other_code = next(
            (c for text, c in mapping.items() if text.lower().startswith("other")), "other"
        )
        pattern, chosen = _with_other(pattern, chosen, other, other_code)
    options = [
        [*codes, *sorted(set(picked) - set(codes))] if picked is not None else []
        for picked in chosen
    ]
    lengths = np.array([len(o) for o in options], dtype=np.int64)
    per_row = lengths[pattern]
    rows = np.repeat(np.arange(cells.n, dtype=np.int64), per_row)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    flat = np.repeat(starts[pattern], per_row) + offsets
    labels = list(dict.fromkeys(code for option in options for code in option))
    index = {code: i for i, code in enumerate(labels)}
    flat_codes = np.array([index[c] for option in options for c in option], dtype=np.int32)
    flat_selected = np.array(
        [
            c in set(picked or ())
            for picked, option in zip(chosen, options, strict=True)
            for c in option
        ],
        dtype=np.bool_,
    )
    return Rows(
        rows,
        {
            code_column: dictionary(flat_codes[flat], labels),
            "selected": pa.array(flat_selected[flat]),
        },
    )


def _chosen_patterns(
    cells: Slice, question: Question, source: Source, mapping: dict[str, str]
) -> tuple[np.ndarray, list[list[str] | None]]:
    """(pattern per export row, options chosen per pattern); None where not answered."""
    if source.column is not None:
        raw = cells.column(source.column)
        missing = set(question.missing_values)  # whole answers or single choices: no answer
        raw = raw.where(~pd.Series(isin_per_unique(raw, frozenset(missing)), index=raw.index))
        delimiter = source.joined or ","
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        chosen: list[list[str] | None] = [
            [
                mapping.get(c, c)
                for c in split_joined(str(cell), delimiter, list(mapping))
                if c not in missing
            ]
            or None
            for cell in uniques
        ]
        chosen.append(None)  # the pattern of a missing cell
        return np.where(codes < 0, len(chosen) - 1, codes), chosen
    assert source.items is not None
    item_codes = list(source.items)
    if not item_codes:
        return np.zeros(cells.n, dtype=np.int64), [None]
    # Per option: answered = a cell that is not blank and not a missing value ("Don't know");
    # selected = answered and not a "no" (FALSE_SELECTIONS). A respondent who answered some
    # option answered the question, even with "no" to every option: selected false for each.
    blank = frozenset(question.missing_values)
    answered, selected = [], []
    for ref in source.items.values():
        column = cells.column(ref)
        given = column.notna().to_numpy(dtype=bool) & ~isin_per_unique(column, blank)
        answered.append(given)
        selected.append(given & ~isin_per_unique(column, FALSE_SELECTIONS))
    flags = np.column_stack([*selected, np.logical_or.reduce(answered)])
    distinct, pattern = np.unique(flags, axis=0, return_inverse=True)
    chosen = [
        [c for c, f in zip(item_codes, row[:-1], strict=True) if f] if row[-1] else None
        for row in distinct
    ]
    return pattern.reshape(-1), chosen


def _with_other(
    pattern: np.ndarray, chosen: list[list[str] | None], other: np.ndarray, other_code: str
) -> tuple[np.ndarray, list[list[str] | None]]:
    """Respondents who wrote an 'other' answer selected 'other', even if they did not tick it."""
    extended = list(chosen)
    for picked in chosen:
        added = list(picked) if picked else []
        if other_code not in added:
            added.append(other_code)
        extended.append(added)
    return np.where(other, pattern + len(chosen), pattern), extended


def map_text(cells: Slice, ref: str, question_id: str, country: str | None = None) -> Rows:
    """Free-text answers that are not blank, stripped, with personal data redacted (phone
    numbers as written in `country`, the survey's, or in international form)."""
    raw = cells.column(ref).astype("string").str.strip()
    answered = (raw.notna() & (raw != "")).to_numpy(dtype=bool)
    rows = np.flatnonzero(answered).astype(np.int64)
    texts = redact_free_text(raw[answered], country=country)
    return Rows(rows, {"question_id": question_id, "text": strings(texts)})
