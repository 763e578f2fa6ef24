"""Model step, parameters: the values the SQL models take, one home for their defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


def z_for(confidence: float = 0.95) -> float:
    """The two-sided standard-normal quantile for a confidence level (0.95 -> 1.959964)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence}")
    from scipy.stats import norm  # imported here: scipy.stats takes seconds to import

    return float(norm.ppf(0.5 + confidence / 2.0))


@dataclass(frozen=True)
class ModelParams:
    """The values the SQL models take as parameters.

    The precision thresholds flag an estimate as low precision (``low_precision``), they never
    hide it. Totals: the coefficient of variation se / total is above ``max_cv``. Shares: the
    NCHS Data Presentation Standards for Proportions (Parker et al. 2017, Vital Health Stat
    2(175)): effective sample size under ``min_n_eff``, or an interval at least
    ``max_ci_width`` wide, or one wider than ``relative_ci_width_floor`` and than
    ``max_relative_ci_width`` times the share.
    """

    z: float = 1.959964  # standard-normal quantile of the intervals (95 %)
    min_cell: int = 5  # fewest respondents (and contributors to a total) a published cell has
    horizon_years: int = 5  # years of training supply set against 5-year hiring demand
    max_cv: float = 0.30  # totals: low precision above this coefficient of variation
    min_n_eff: float = 30.0  # shares: low precision under this Kish effective sample size
    max_ci_width: float = 0.30  # shares: low precision from this absolute interval width
    max_relative_ci_width: float = 1.30  # shares: ... or above this width / share ...
    relative_ci_width_floor: float = 0.05  # ... when the interval is wider than this
    # count the training catalogue's illustrative (invented) offers in the supply; they are
    # always listed, flagged, in mart_training_offer and the report
    include_illustrative_offers: bool = False

    def __post_init__(self) -> None:
        if self.z <= 0 or self.min_cell < 1 or self.horizon_years < 1:
            raise ValueError(f"invalid model parameters: {self}")
        thresholds = (self.max_cv, self.min_n_eff, self.max_ci_width, self.max_relative_ci_width)
        if min(thresholds) <= 0 or self.relative_ci_width_floor < 0:
            raise ValueError(f"invalid precision thresholds: {self}")

    @classmethod
    def for_confidence(cls, confidence: float = 0.95, **overrides: Any) -> ModelParams:
        """The parameters for intervals at ``confidence``; other fields as given, else the
        defaults above."""
        return cls(z=z_for(confidence), **overrides)

    def as_dict(self) -> dict[str, object]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


CONFIDENCE = 0.95  # the default confidence level of every interval (DEFAULTS.z is its quantile)
DEFAULTS = ModelParams()
