"""The test oracles and the weighting's design effect against hand-worked values, statsmodels."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.proportion import proportion_confint

from tests.oracles import (
    TotalEstimate,
    kish_effective_n,
    stratified_total,
    weighted_share,
    wilson_interval,
)
from transforms.model.params import z_for
from transforms.model.weighting import kish_deff

Z95 = z_for(0.95)


def test_z_is_the_two_sided_normal_quantile() -> None:
    assert abs(Z95 - 1.959964) < 1e-6
    assert z_for(0.90) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ValueError, match="confidence"):
        z_for(1.0)


def test_wilson_interval_for_five_out_of_ten_is_the_textbook_value() -> None:
    # centre (0.5 + z²/20) / (1 + z²/10) = 0.5; half-width 1.96·sqrt(0.025 + z²/400) / (1 + z²/10)
    low, high = wilson_interval(0.5, 10, Z95)
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-4)


def test_wilson_interval_for_zero_out_of_ten_stays_above_zero_at_the_top() -> None:
    low, high = wilson_interval(0.0, 10, Z95)
    assert low == 0
    assert high == pytest.approx(0.2775, abs=1e-4)


@pytest.mark.parametrize(("count", "nobs"), [(0, 7), (3, 7), (7, 7), (12, 40), (2.7, 5.4)])
def test_wilson_interval_matches_statsmodels(count: float, nobs: float) -> None:
    expected = proportion_confint(count, nobs, alpha=0.05, method="wilson")
    assert wilson_interval(count / nobs, nobs, Z95) == pytest.approx(expected)


def test_kish_effective_n_and_design_effect_by_hand() -> None:
    weights = [1, 1, 2, 2]  # Σw = 6, Σw² = 10
    assert kish_effective_n(weights) == pytest.approx(36 / 10)
    assert kish_deff(weights) == pytest.approx(4 * 10 / 36)
    assert kish_deff([3, 3, 3]) == pytest.approx(1)
    with pytest.raises(ValueError, match="positive"):
        kish_deff([1, 0])


def test_weighted_share_uses_the_effective_n_for_the_interval() -> None:
    estimate = weighted_share([True, False, True, False], [1, 1, 2, 2], Z95)
    assert estimate.share == pytest.approx(0.5)
    assert estimate.n_eff == pytest.approx(3.6)
    expected = proportion_confint(1.8, 3.6, alpha=0.05, method="wilson")
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(expected)


def test_the_share_standard_error_is_the_linearised_one_by_hand() -> None:
    # One stratum, no FPC: u = w(y - 0.5)/6 = 1/12, -1/12, 2/12, -2/12 (mean 0), Σu² = 10/144.
    estimate = weighted_share([True, False, True, False], [1, 1, 2, 2], Z95)
    assert estimate.se == pytest.approx(math.sqrt(4 / 3 * 10 / 144))
    assert estimate.se != pytest.approx(math.sqrt(0.25 / 3.6))  # not Kish's approximation


def test_the_share_standard_error_uses_strata_and_the_finite_population_correction() -> None:
    # Stratum a: weights 10/3, y = 1, 0, 1, N = 10; stratum b: weights 20/3, y = 0, 1, N = 20.
    # p = 4/7, W = 70/3: u_a = 3/49, -4/49, 3/49 (Σ(u - ū)² = 2/147), u_b = -8/49, 6/49 (2/49).
    estimate = weighted_share(
        [True, False, True, False, True],
        [10 / 3] * 3 + [20 / 3] * 2,
        Z95,
        strata=["a", "a", "a", "b", "b"],
        stratum_population={"a": 10, "b": 20},
    )
    assert estimate.share == pytest.approx(4 / 7)
    variance = (1 - 3 / 10) * 3 / 2 * 2 / 147 + (1 - 2 / 20) * 2 / 1 * 2 / 49
    assert estimate.se == pytest.approx(math.sqrt(variance)) == pytest.approx(math.sqrt(43 / 490))


def test_stratified_total_with_finite_population_correction_by_hand() -> None:
    # Stratum 1: N = 100, y = 2, 4, 6 (mean 4, s² = 4); stratum 2: N = 50, y = 1, 3 (mean 2, s² = 2)
    estimate = stratified_total([2, 4, 6, 1, 3], ["1", "1", "1", "2", "2"], {"1": 100, "2": 50})
    assert estimate.total == pytest.approx(100 * 4 + 50 * 2)
    variance = 100**2 * (1 - 3 / 100) * 4 / 3 + 50**2 * (1 - 2 / 50) * 2 / 2
    assert estimate.se == pytest.approx(math.sqrt(variance))


def test_a_stratum_taken_whole_adds_no_variance() -> None:
    estimate = stratified_total([1, 5, 9], ["h", "h", "h"], {"h": 3})
    assert estimate == TotalEstimate(15.0, 0.0)


def test_a_single_respondent_stratum_adds_no_variance() -> None:
    estimate = stratified_total([4, 2, 6], ["a", "b", "b"], {"a": 10, "b": 4})
    assert estimate.total == pytest.approx(40 + 16)
    assert estimate.se == pytest.approx(math.sqrt(4**2 * (1 - 2 / 4) * 8 / 2))


def test_the_interval_of_a_total_is_clipped_at_zero() -> None:
    assert TotalEstimate(10.0, 8.0).ci(Z95) == pytest.approx((0.0, 10 + Z95 * 8))
    assert TotalEstimate(100.0, 10.0).ci(2.0) == pytest.approx((80.0, 120.0))
