"""Test oracles: the estimators the SQL marts compute, written again in Python.

The marts (transforms/model/sql/int_share_estimates.sql, int_total_estimates.sql) implement these
formulas in SQL; the model tests compare the two on small hand-worked examples, and
tests/model/test_reference_estimates.py compares the marts with svy, statsmodels and a
textbook example. Only tests use them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from transforms.model.weighting import _weights


def kish_effective_n(weights: npt.ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw²: the n of an equally precise unweighted sample."""
    w = _weights(weights)
    return float(w.sum() ** 2 / np.square(w).sum())


def wilson_interval(share: float, n_eff: float, z: float) -> tuple[float, float]:
    """Wilson score interval for a share, with Kish's effective n in place of the sample size.

    centre = (p + z²/2n) / (1 + z²/n), half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
    """
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must lie in [0, 1], not {share}")
    if n_eff <= 0:
        raise ValueError(f"effective n must be positive, not {n_eff}")
    z2n = z * z / n_eff
    centre = (share + z2n / 2.0) / (1.0 + z2n)
    half = z * math.sqrt(share * (1.0 - share) / n_eff + z2n / (4.0 * n_eff)) / (1.0 + z2n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ShareEstimate:
    """A weighted share with Kish's effective n, its standard error and Wilson interval."""

    share: float
    weighted_n: float
    n_eff: float
    se: float
    ci_low: float
    ci_high: float


def weighted_share(
    flags: Sequence[bool],
    weights: npt.ArrayLike,
    z: float,
    strata: Sequence[str] | None = None,
    stratum_population: Mapping[str, float] | None = None,
) -> ShareEstimate:
    """Σw·flag / Σw with its design-based standard error and Wilson interval (as the share marts).

    The share is a ratio estimator; its variance is the Taylor linearisation over the strata
    (one stratum when ``strata`` is None) with the finite population correction from
    ``stratum_population`` (none when it is None): with u_i = w_i (y_i - p) / Σw,
    Var = Σ_h (1 - n_h/N_h) · n_h/(n_h - 1) · Σ_{i in h} (u_i - ū_h)², a one-unit stratum adding
    nothing. The interval is Wilson's with Kish's effective n in place of n.
    """
    w = _weights(weights)
    y = np.asarray(flags, dtype=np.float64)
    if y.shape != w.shape:
        raise ValueError("flags and weights must have the same length")
    labels = np.asarray(["all"] * y.size if strata is None else strata, dtype=object)
    if labels.shape != y.shape:
        raise ValueError("flags and strata must have the same length")
    share = float((w * y).sum() / w.sum())
    n_eff = kish_effective_n(w)
    low, high = wilson_interval(share, n_eff, z)
    u = w * (y - share) / w.sum()
    variance = 0.0
    for stratum in sorted(set(labels.tolist())):
        u_h = u[labels == stratum]
        n_h = u_h.size
        if n_h < 2:
            continue
        fpc = 1.0 if stratum_population is None else 1.0 - n_h / stratum_population[stratum]
        variance += fpc * n_h / (n_h - 1) * float(((u_h - u_h.mean()) ** 2).sum())
    return ShareEstimate(share, float(w.sum()), n_eff, math.sqrt(variance), low, high)


@dataclass(frozen=True)
class TotalEstimate:
    """A stratified total and its standard error."""

    total: float
    se: float

    def ci(self, z: float) -> tuple[float, float]:
        """total ± z·se, the lower bound clipped at 0 (counts of hires cannot be negative)."""
        return max(0.0, self.total - z * self.se), self.total + z * self.se


def stratified_total(
    values: Sequence[float],
    strata: Sequence[str],
    stratum_population: Mapping[str, float],
) -> TotalEstimate:
    """Post-stratified total Σ_h N_h·ȳ_h with its variance under stratified simple random sampling.

    ``values`` holds one number per sampled unit, 0 for units outside the domain estimated
    (domain estimation via zeros), ``strata`` the unit's stratum, ``stratum_population`` N_h.
    Var = Σ_h N_h² (1 - n_h/N_h) s_h² / n_h, with s_h² the sample variance (n_h - 1 divisor)
    of the values in stratum h. A stratum with a single unit contributes no variance (s_h² is
    not estimable there); the SQL marts do the same.
    """
    y = np.asarray(values, dtype=np.float64)
    labels = np.asarray(strata, dtype=object)
    if y.shape != labels.shape:
        raise ValueError("values and strata must have the same length")
    total = 0.0
    variance = 0.0
    for stratum in sorted(set(labels.tolist())):
        in_h = y[labels == stratum]
        n_h = in_h.size
        pop_h = float(stratum_population[stratum])
        if n_h > pop_h:
            raise ValueError(f"stratum {stratum!r} has {n_h} units but a population of {pop_h}")
        total += pop_h * float(in_h.mean())
        s2_h = float(in_h.var(ddof=1)) if n_h > 1 else 0.0
        variance += pop_h**2 * (1.0 - n_h / pop_h) * s2_h / n_h
    return TotalEstimate(total, math.sqrt(variance))
