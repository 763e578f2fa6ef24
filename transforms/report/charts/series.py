"""Report step, chart data: mart rows → the bars a chart draws, in reading order.

A bar carries its estimate, interval, whether it is suppressed (drawn as a labelled gap, never
dropped) and the mart's low-precision flag ("‡" after its value).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from transforms.core.canonical import readable_code
from transforms.report.formatting import format_count
from transforms.report.rows import Row, first


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart (value NaN when there is nothing to draw)."""

    value: float
    low: float
    high: float
    suppressed: bool
    low_precision: bool = False  # the mart flags the estimate low precision
    secondary: bool = False  # suppressed to protect another cell ([c2], not [c])


HIDDEN = Bar(math.nan, math.nan, math.nan, True)  # a suppressed estimate
SECONDARY = Bar(math.nan, math.nan, math.nan, True, secondary=True)  # hidden for another cell
MISSING = Bar(math.nan, math.nan, math.nan, False)  # no row: nothing to draw


def any_marked(*bars: list[Bar]) -> bool:
    """Whether some bar of the series is marked low precision (the caption needs the key)."""
    return any(b.low_precision for series in bars for b in series)


def codebook_order(codes: list[str], labels: Mapping[str, str] | None) -> list[str]:
    """Codes in the order the codebook lists them; unknown codes after, by label."""
    known = list(labels or {})
    return sorted(
        codes,
        key=lambda c: (known.index(c) if c in known else len(known), code_label(labels, c), c),
    )


def code_label(labels: Mapping[str, str] | None, code: str) -> str:
    """The code's label, or the code with underscores as spaces."""
    if labels and code in labels:
        return labels[code]
    return readable_code(code)


def is_suppressed(row: Row) -> bool:
    return bool(row.get("suppressed"))


def hidden(row: Row) -> Bar:
    """The gap of a suppressed row: primary or secondary, as its mart says."""
    return SECONDARY if row.get("suppression") == "secondary" else HIDDEN


def ordered_labels(
    rows: list[Row], code: str, label: str, value: str, **where: str
) -> list[tuple[str, str]]:
    """(code, label) pairs, largest estimate first; suppressed or missing last, by label."""
    known = {
        str(r[code]): float(r[value])
        for r in rows
        if all(r.get(k) == v for k, v in where.items())
        and not is_suppressed(r)
        and r.get(value) is not None
    }
    labels = {str(r[code]): str(r[label]) for r in rows}
    return sorted(
        labels.items(),
        key=lambda item: (item[0] not in known, -known.get(item[0], 0.0), item[1], item[0]),
    )


def number(row: Row, column: str | None) -> float:
    """A row's value as a float, NaN when missing (or no column)."""
    raw = None if column is None else row.get(column)
    return math.nan if raw is None else float(raw)


def bar(
    rows: list[Row],
    value: str,
    low: str | None = "ci_low",
    high: str | None = "ci_high",
    *,
    check_suppressed: bool = True,
    flag: str | None = "low_precision",
    **key: str,
) -> Bar:
    """The bar of the row with `key`: its value, interval and low-precision flag."""
    row = first(rows, **key)
    if row is None:
        return MISSING
    if check_suppressed and is_suppressed(row):
        return hidden(row)
    marked = flag is not None and bool(row.get(flag))
    return Bar(number(row, value), number(row, low), number(row, high), False, marked)


def base_text(rows: list[Row]) -> str:
    """'; n = 120' when every row has the same base (n_base), else ''."""
    bases = {int(r["n_base"]) for r in rows if r.get("n_base") is not None}
    return f"; n = {format_count(next(iter(bases)))}" if len(bases) == 1 else ""
