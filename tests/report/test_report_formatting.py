"""Report step: numbers formatted for readers."""

from __future__ import annotations

import math

import pandas as pd

from transforms.report.formatting import (
    format_confidence,
    format_count,
    format_count_interval,
    format_decimal,
    format_points,
    format_ratio,
    format_share,
    format_share_interval,
    format_signed_count,
    is_missing,
    suppressed_label,
    suppression_mark,
)


def test_counts_are_rounded_and_get_thousand_separators() -> None:
    assert format_count(648.4) == "648"
    assert format_count(1234.5) == "1,234"  # round half to even, as Python does
    assert format_count(1235.5) == "1,236"
    assert format_count(12_345_678) == "12,345,678"
    assert format_count(0) == "0"


def test_shares_are_whole_percentages() -> None:
    assert format_share(0.624) == "62%"
    assert format_share(1.0) == "100%"
    assert format_share(0.004) == "0%"


def test_intervals_are_joined_with_an_en_dash() -> None:
    assert format_count_interval(560.2, 740.4) == "560–740"
    assert format_count_interval(1500, 2500) == "1,500–2,500"
    assert format_share_interval(0.48, 0.741) == "48%–74%"


def test_missing_values_are_a_dash_not_zero_or_nan() -> None:
    for missing in (None, math.nan, pd.NA):
        assert is_missing(missing)
        assert format_count(missing) == "–"
        assert format_share(missing) == "–"
        assert format_ratio(missing) == "–"
        assert format_decimal(missing) == "–"
    assert format_count_interval(None, 3) == "–"
    assert not is_missing(0)


def test_ratios_and_decimals_keep_a_fixed_number_of_digits() -> None:
    assert format_ratio(2.345) == "2.3"
    assert format_ratio(math.inf) == "∞"
    assert format_decimal(1.2345) == "1.23"
    assert format_decimal(1.2, digits=1) == "1.2"


def test_confidence_levels_and_suppression_labels_read_naturally() -> None:
    assert format_confidence(0.95) == "95%"
    assert format_confidence(0.9) == "90%"
    assert format_confidence(0.995) == "99.5%"
    assert suppressed_label(5) == suppressed_label(10) == "[c]"  # never read as a value
    assert suppression_mark({"suppression": "secondary"}) == "[c2]"
    assert suppression_mark({"suppression": "primary"}) == "[c]"


def test_changes_carry_their_sign_and_share_changes_are_percentage_points() -> None:
    assert format_signed_count(112.4) == "+112"
    assert format_signed_count(-1234.0) == "\u22121,234"
    assert format_signed_count(0.3) == "0"
    assert format_points(0.052) == "+5 pp"
    assert format_points(-0.03) == "\u22123 pp"
    assert format_signed_count(None) == format_points(math.nan) == "–"
