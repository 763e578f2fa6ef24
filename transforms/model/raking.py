"""Model step, weighting: raking (iterative proportional fitting) to population margins, by svy.

svy's ``Sample.weighting.rake`` does the fitting (a Rust kernel); this module checks the
margins first, so that a problem is named in the survey's own terms, and counts the sweeps:
svy does not report how many it used, so the count is the smallest ``max_iter`` at which svy
meets every margin within the tolerance (a few milliseconds a call at survey sizes). Raking
that does not converge within ``max_iterations`` sweeps stops with a WeightingError giving
the sweeps and the largest margin gap; it is never silent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from transforms.core.errors import WeightingError

if TYPE_CHECKING:
    from svy import Sample

Margins = Mapping[str, Mapping[str, float]]  # column -> {level: population total}
_START = "start_weight"
_RAKED = "raked_weight"
_AGREE = 1e-9  # relative difference at which two margins' totals still agree


@dataclass(frozen=True)
class MarginGap:
    """How far a margin level's sum of weights is from its target."""

    column: str
    level: str
    achieved: float
    target: float

    @property
    def relative(self) -> float:
        return abs(self.achieved - self.target) / self.target

    def describe(self) -> str:
        return (
            f"{self.column}={self.level}: weights sum to {self.achieved:.6g}, the margin is "
            f"{self.target:.6g} (relative gap {self.relative:.3g})"
        )


def largest_margin_gap(levels: pd.DataFrame, weights: npt.ArrayLike, margins: Margins) -> MarginGap:
    """The margin level whose weighted sum is relatively furthest from its target."""
    w = pd.Series(np.asarray(weights, dtype=np.float64), index=levels.index)
    gaps = [
        MarginGap(column, str(level), float(w[levels[column] == level].sum()), float(target))
        for column, targets in margins.items()
        for level, target in targets.items()
        if target > 0
    ]
    return max(gaps, key=lambda gap: gap.relative)


def _check_margins(levels: pd.DataFrame, margins: Margins) -> dict[str, dict[str, float]]:
    """The margins svy gets: totals that agree, every level with respondents, none without."""
    if not margins:
        raise WeightingError("raking needs at least one margin")
    totals = {column: math.fsum(targets.values()) for column, targets in margins.items()}
    first, reference = next(iter(totals.items()))
    for column, total in totals.items():
        if not math.isclose(total, reference, rel_tol=_AGREE):
            raise WeightingError(
                f"the margins disagree on the population: {first} sums to {reference:g}, "
                f"{column} to {total:g}; raking needs margins of one population",
                column=column,
            )
    controls: dict[str, dict[str, float]] = {}
    for column, targets in margins.items():
        if column not in levels.columns:
            raise WeightingError(f"respondents lack the margin column {column}", column=column)
        present = set(levels[column].astype(str))
        for level, target in targets.items():
            if not (math.isfinite(target) and target >= 0):
                raise WeightingError(
                    f"margin {column}={level} is {target}, not a count", column=column, value=level
                )
            if target > 0 and level not in present:
                raise WeightingError(
                    f"margin {column}={level} has {target:g} organisations but no respondent, so "
                    "raking cannot reach it; merge the level with another in the frame",
                    column=column,
                    value=level,
                )
        unknown = sorted(level for level in present if targets.get(level, 0) <= 0)
        if unknown:
            raise WeightingError(
                f"respondents have {column}={unknown[0]}, a level with no organisations in the "
                "margin",
                column=column,
                value=unknown[0],
            )
        controls[column] = {level: float(t) for level, t in targets.items() if t > 0}
    return controls


def _weights(sample: Sample) -> npt.NDArray[np.float64]:
    """The raked weight column of an svy Sample."""
    import polars as pl

    data = sample.data
    frame = data.collect() if isinstance(data, pl.LazyFrame) else data
    return frame[_RAKED].to_numpy().astype(np.float64)


def rake_to_margins(
    levels: pd.DataFrame,
    margins: Margins,
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> tuple[npt.NDArray[np.float64], int]:
    """Weights that meet every margin within ``tolerance``, and the sweeps svy took.

    ``levels`` holds one row per respondent with a column per margin (its level, as text);
    ``margins`` maps each column to {level: population total}; every margin must add up to
    the same population. The tolerance bounds |achieved - target| / target at every level.
    Raking starts from equal weights. Returns the weights in the rows' order.
    """
    import polars as pl  # imported here: svy and polars take seconds to import
    import svy
    from svy.core.types import ControlsType
    from svy.errors import SvyError

    checked = _check_margins(levels, margins)
    controls: ControlsType = {c: {k: v for k, v in t.items()} for c, t in checked.items()}
    columns = list(checked)
    population = math.fsum(checked[columns[0]].values())
    data = pl.DataFrame({c: levels[c].astype(str).tolist() for c in columns}).with_columns(
        pl.lit(population / len(levels), dtype=pl.Float64).alias(_START)
    )
    sample = svy.Sample(data, svy.Design(wgt=_START))
    for sweeps in range(1, max_iterations + 1):
        try:
            raked = sample.weighting.rake(
                controls=controls, tol=tolerance, max_iter=sweeps, wgt_name=_RAKED
            )
        except SvyError as exc:
            if exc.code == "CONVERGENCE_FAILED":
                continue
            raise WeightingError(f"svy could not rake the weights: {exc.title}") from exc
        return _weights(raked), sweeps
    last = sample.weighting.rake(
        controls=controls,
        tol=tolerance,
        max_iter=max_iterations,
        wgt_name=_RAKED,
        on_nonconvergence="ignore",
    )
    gap = largest_margin_gap(levels, _weights(last), checked)
    raise WeightingError(
        f"raking did not converge in {max_iterations} iterations (tolerance {tolerance:g}): "
        f"the largest margin gap is {gap.describe()}; the sample's empty cells may rule out "
        "any weights that meet every margin: use method poststratify, or merge levels",
        column=gap.column,
        value=gap.level,
    )
