"""Ingest step, reading: spreadsheet cell values as the text a spreadsheet shows."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from operator import methodcaller
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

_EXACT_INTEGER_LIMIT = 2**53


def cell_text(value: object) -> str | None:
    """One cell value as text: integral floats without ".0", datetimes as ISO strings,
    booleans as TRUE/FALSE, empty as None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str | None:
    if math.isnan(value):
        return None
    if value.is_integer() and abs(value) < _EXACT_INTEGER_LIMIT:
        return str(int(value))
    return repr(value)


def column_texts(values: Sequence[object]) -> pa.Array:
    """cell_text of every value of one column, as a large_string array (null for None), without
    a Python call per cell: all-text columns (the usual case) go to Arrow at once, other columns
    are converted per value type with NumPy and C-level maps."""
    try:
        texts = pa.array(values, pa.large_string())  # refuses anything but str and None
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array(_mixed_texts(values), pa.large_string())
    return pc.if_else(pc.equal(texts, ""), None, texts)


def _mixed_texts(values: Sequence[object]) -> np.ndarray:
    """cell_text of each value as an object array, one vectorised conversion per exact type
    (subclasses and types a workbook reader does not return go through cell_text)."""
    objects = np.fromiter(values, dtype=object, count=len(values))
    kinds = np.fromiter(map(type, values), dtype=object, count=len(values))
    texts = np.full(len(values), None, dtype=object)
    for kind in set(kinds.tolist()):
        chosen = kinds == kind
        texts[chosen] = _texts_of_kind(kind, objects[chosen])
    return texts


_ISO_DATETIME = methodcaller("isoformat", sep=" ", timespec="seconds")
_ISO = methodcaller("isoformat")
_BOOL_TEXT = {True: "TRUE", False: "FALSE"}
_BY_KIND: dict[type, Callable[[Any], str | None]] = {
    int: str,
    bool: _BOOL_TEXT.__getitem__,
    dt.datetime: _ISO_DATETIME,
    dt.date: _ISO,
    dt.time: _ISO,
}


def _texts_of_kind(kind: type, values: np.ndarray) -> np.ndarray | list[str | None]:
    """cell_text of values that all have exactly the type kind."""
    if kind is str:
        texts = values.copy()
        texts[values == ""] = None
        return texts
    if kind is float:
        return _float_texts(values.astype(np.float64))
    if kind is type(None):
        return values
    return list(map(_BY_KIND.get(kind, cell_text), values.tolist()))


def _float_texts(numbers: np.ndarray) -> np.ndarray:
    """_float_text of each number: None for NaN, integral numbers below 2**53 as integers,
    the rest as repr (the shortest text that reads back as the same float)."""
    texts = np.full(len(numbers), None, dtype=object)
    with np.errstate(invalid="ignore"):
        integral = (np.abs(numbers) < _EXACT_INTEGER_LIMIT) & (np.floor(numbers) == numbers)
    other = ~integral & ~np.isnan(numbers)
    texts[integral] = list(map(str, numbers[integral].astype(np.int64).tolist()))
    texts[other] = list(map(repr, numbers[other].tolist()))
    return texts
