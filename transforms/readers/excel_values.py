"""Ingest step, reading: spreadsheet cell values as the text a spreadsheet shows."""

from __future__ import annotations

import datetime as dt
import math

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
