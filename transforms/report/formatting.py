"""Report step, formatting: numbers as readers see them (thousand separators, %, intervals)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from numbers import Real
from typing import SupportsFloat, cast

EN_DASH = "–"
LOW_PRECISION_MARK = "‡"  # after an estimate the marts flag low precision (tables, charts)


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA (anything that is not a finite or infinite number)."""
    if value is None:
        return True
    if isinstance(value, Real):
        return math.isnan(float(value))
    try:  # pandas.NA and numpy scalars
        return bool(value != value)
    except TypeError:
        return True


def _number(value: object) -> float:
    return float(cast(SupportsFloat, value))


def format_count(value: object, missing: str = EN_DASH) -> str:
    """A count or estimated total, rounded to a whole number: 1234.4 -> '1,234'."""
    if is_missing(value):
        return missing
    number = _number(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    return f"{round(number):,}"


def format_share(value: object, missing: str = EN_DASH, *, digits: int = 0) -> str:
    """A proportion (0-1) as a percentage: 0.624 -> '62%'; digits=1: 0.9951 -> '99.5%'."""
    if is_missing(value):
        return missing
    if digits:
        return f"{_number(value) * 100:.{digits}f}%"
    return f"{round(_number(value) * 100)}%"


def format_ratio(value: object, missing: str = EN_DASH) -> str:
    """A ratio with one decimal: 2.345 -> '2.3'; infinite -> '∞'."""
    if is_missing(value):
        return missing
    number = _number(value)
    if math.isinf(number):
        return "∞"
    return f"{number:,.1f}"


def format_decimal(value: object, digits: int = 2, missing: str = EN_DASH) -> str:
    """A plain decimal number: format_decimal(1.2345) -> '1.23'."""
    if is_missing(value):
        return missing
    return f"{_number(value):,.{digits}f}"


MINUS = "\u2212"


def format_signed_count(value: object, missing: str = EN_DASH) -> str:
    """A change in a count, with its sign: 112.4 -> '+112', -20 -> '\u221220', 0 -> '0'."""
    if is_missing(value):
        return missing
    number = round(_number(value))
    if number == 0:
        return "0"
    return f"+{number:,}" if number > 0 else f"{MINUS}{-number:,}"


def format_points(value: object, missing: str = EN_DASH) -> str:
    """A change in a share, in percentage points: 0.052 -> '+5 pp', -0.03 -> '\u22123 pp'."""
    if is_missing(value):
        return missing
    points = round(_number(value) * 100)
    if points == 0:
        return "0 pp"
    return f"+{points} pp" if points > 0 else f"{MINUS}{-points} pp"


def format_count_interval(low: object, high: object, missing: str = EN_DASH) -> str:
    """An interval of totals: '560–740'."""
    if is_missing(low) or is_missing(high):
        return missing
    return f"{format_count(low)}{EN_DASH}{format_count(high)}"


def format_share_interval(low: object, high: object, missing: str = EN_DASH) -> str:
    """An interval of shares: '48%–74%' (each bound a share, as in the report's tables)."""
    if is_missing(low) or is_missing(high):
        return missing
    return f"{format_share(low)}{EN_DASH}{format_share(high)}"


def format_confidence(level: float) -> str:
    """A confidence level as a label: 0.95 -> '95%'."""
    return f"{round(level * 100, 6):g}%"


# Suppressed cells, as the ONS marks confidential cells: never a number a reader could take
# for a value. [c]: rests on fewer than the minimum of organisations (primary suppression);
# [c2]: hidden so that no [c] cell can be worked out from a total (secondary suppression).
PRIMARY_MARK = "[c]"
SECONDARY_MARK = "[c2]"


def suppressed_label(min_cell_size: int) -> str:
    """The marker of a primarily suppressed cell ('[c]', whatever the minimum cell size)."""
    del min_cell_size  # the marker no longer quotes the minimum: "<5" read as a value
    return PRIMARY_MARK


def suppression_mark(row: Mapping[str, object]) -> str:
    """The marker of a suppressed mart row: [c2] when hidden to protect another cell."""
    return SECONDARY_MARK if row.get("suppression") == "secondary" else PRIMARY_MARK


def midsentence(label: str) -> str:
    """A codebook label as it reads inside a sentence: a label in sentence case ("Large
    pharmaceutical company", "Potency and purity assays") loses its capital, one whose other
    words are capitalised or which starts with an acronym or a name ("SME ATMP developer",
    "Good Manufacturing Practice (GMP)", "Pre-GMP to GMP process transfer") keeps it, and so
    does a one-word label, which may be a name ("Stockholm")."""
    outside = re.sub(r"\([^)]*\)", "", label).split()
    if len(outside) < 2 or not _capitalised(outside[0]):  # one word may be a name
        return label
    if any(_capitalised(word) for word in outside[1:]):
        return label
    return label[0].lower() + label[1:]


def _capitalised(word: str) -> bool:
    """A word with a capital and no other upper-case letter ("Large", "Götaland"), not an
    acronym ("GMP", "ATMPs") nor a lower-case word."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper() and not any(c.isupper() for c in letters[1:])
