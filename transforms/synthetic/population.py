"""Synthetic sample, population: the organisations in the frame and who responds in each wave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import numpy as np

from transforms.synthetic.spec import FIELDWORK, FRAME, REGIONS, RESPONDENTS

# Where organisations of each kind sit (probabilities over REGIONS, in its order).
_REGION_WEIGHTS: dict[str, tuple[float, ...]] = {
    "default": (0.30, 0.13, 0.18, 0.16, 0.06, 0.07, 0.10),
    "hospital_region": (0.14, 0.10, 0.16, 0.16, 0.10, 0.10, 0.24),
    "public_authority": (0.55, 0.20, 0.07, 0.07, 0.03, 0.03, 0.05),
}
_GROWTH_SIGMA = 0.35  # spread of an organisation's hiring appetite (log scale, mean 1)


@dataclass(frozen=True)
class Organisation:
    """One organisation in the population frame (the same one may answer both waves)."""

    org_id: int
    sector: str
    size: str
    region: str
    growth: float  # multiplier on expected hires, stable across waves


def build_population(rng: np.random.Generator) -> list[Organisation]:
    """Every organisation of the frame, with a region and a hiring appetite."""
    orgs: list[Organisation] = []
    for (sector, size), count in FRAME.items():
        weights = np.array(_REGION_WEIGHTS.get(sector, _REGION_WEIGHTS["default"]))
        regions = rng.choice(list(REGIONS), size=count, p=weights / weights.sum())
        growth = rng.lognormal(-(_GROWTH_SIGMA**2) / 2, _GROWTH_SIGMA, size=count)
        for region, g in zip(regions, growth, strict=True):
            orgs.append(Organisation(len(orgs) + 1, sector, size, str(region), float(g)))
    return orgs


def draw_respondents(
    rng: np.random.Generator, orgs: list[Organisation], wave: str
) -> list[Organisation]:
    """The organisations answering ``wave``: a fixed number drawn from each frame cell."""
    chosen: list[Organisation] = []
    for cell, n in RESPONDENTS[wave].items():
        members = [o for o in orgs if (o.sector, o.size) == cell]
        picks = rng.choice(len(members), size=n, replace=False)
        chosen.extend(members[int(i)] for i in sorted(picks))
    return chosen


def non_respondent(
    rng: np.random.Generator,
    orgs: list[Organisation],
    taken: list[Organisation],
    cell: tuple[str, str],
) -> Organisation:
    """An organisation of ``cell`` that is not among ``taken``."""
    ids = {o.org_id for o in taken}
    free = [o for o in orgs if (o.sector, o.size) == cell and o.org_id not in ids]
    return free[int(rng.integers(len(free)))]


def start_time(rng: np.random.Generator, wave: str) -> datetime:
    """When a respondent opened the survey: most soon after the invitation or the reminder."""
    first, last = FIELDWORK[wave]
    days = (last - first).days
    offsets = np.arange(days + 1)
    weights = np.exp(-offsets / 6.0) + 0.8 * np.exp(-np.abs(offsets - 21) / 3.0) + 0.05
    day = first + timedelta(days=int(rng.choice(offsets, p=weights / weights.sum())))
    hour = int(rng.choice(np.arange(7, 19), p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum()))
    clock = time(hour, int(rng.integers(60)), int(rng.integers(60)))
    return datetime.combine(day, clock)


_HOUR_WEIGHTS = np.array([1, 4, 6, 6, 4, 2, 4, 5, 5, 3, 2, 1], dtype=float)
