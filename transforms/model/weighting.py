"""Model step, weighting: weight responding organisations to the population frame.

The codebook's ``weighting`` section (transforms.ingest.codebook.WeightingSpec) chooses the method;
``compute_weights`` dispatches. The cells are the frame's columns named there (default
org_sector × org_size_band); the frame is summed over any other column.

Post-stratification (default): every frame cell is a post-stratum h; each respondent in it
gets N_h / n_h (organisations in the frame / respondents in the cell), so the weights of a
wave add up to the frame's population. Collapsing rule: when a cell has organisations but
no respondents, every cell of that sector (the first cell column) is merged into one stratum
``<sector>/all`` and its respondents get N_sector / n_sector.

Raking (transforms.model.raking, by svy): iterative proportional fitting to the frame's margins,
the organisations summed over each cell column in turn, starting from equal weights. Every
respondent of a cell gets the same weight; cells are never collapsed (a cell without
respondents is listed in ``empty_cells``, its organisations spread over its sector's and
size band's other cells). The stratum is the respondent's cell, which the SQL models use as a
variance stratum with N_h = the cell's sum of raked weights (docs/ARCHITECTURE.md,
Statistics); a raked weight below 1 would make that N_h smaller than the cell's respondents,
so it stops weighting.

Unweighted (``method: none``, and always for a survey without a population frame): every
respondent gets weight 1 and all are one stratum ``all``. Nothing is known about the population,
so the summary's population is None and the SQL models estimate totals over the respondents
without a finite population correction (docs/ARCHITECTURE.md, Statistics).

Either weighting method stops with a WeightingError when a respondent's cell is not in the
frame, when a cell has more respondents than organisations, or when a sector
(post-stratification) or a margin level (raking) with organisations has no respondent at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
import numpy.typing as npt
import pandas as pd

from transforms.core.errors import WeightingError
from transforms.ingest.codebook import WeightingSpec
from transforms.model.raking import rake_to_margins


def _weights(weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    w = np.asarray(weights, dtype=np.float64)
    if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("weights must be a non-empty set of positive finite numbers")
    return w


def kish_deff(weights: npt.ArrayLike) -> float:
    """Kish's design effect due to unequal weighting, n·Σw² / (Σw)² (1 when all weights agree)."""
    w = _weights(weights)
    return float(w.size * np.square(w).sum() / w.sum() ** 2)


CELL: tuple[str, ...] = ("org_sector", "org_size_band")
WEIGHT_COLUMNS = ["survey_id", "wave", "respondent_key", "stratum", "weight"]


class WeightingSummary(TypedDict):
    """What the report's method section and the flow's metadata show about one wave's weights."""

    survey_id: str
    wave: str
    method: str  # poststratify | rake | none (unweighted: every weight 1)
    iterations: int | None  # raking sweeps to meet the tolerance; None for post-stratification
    n_respondents: int
    population: int | None  # organisations in the frame; None when unweighted (no frame)
    sum_weights: float
    kish_deff: float  # n·Σw² / (Σw)²
    weighting_efficiency: float  # 1 / kish_deff
    collapsed_cells: list[str]  # cells merged into "<sector>/all" (post-stratification only)
    empty_cells: list[str]  # "<sector>/<size band>" cells with organisations, no respondent


def _check_one_wave(respondents: pd.DataFrame) -> tuple[str, str]:
    waves = respondents[["survey_id", "wave"]].drop_duplicates()
    if len(waves) != 1:
        found = sorted(f"{s}/{w}" for s, w in waves.itertuples(index=False))
        raise WeightingError(f"weight one survey wave at a time; got {len(waves)}: {found}")
    survey_id, wave = waves.iloc[0]
    duplicated = respondents["respondent_key"].duplicated()
    if duplicated.any():
        first = respondents[duplicated].iloc[0]
        raise WeightingError(
            "a respondent appears twice in the wave",
            file=first.get("source_file"),
            row=_row(first.get("source_row")),
            column="respondent_key",
        )
    return str(survey_id), str(wave)


def _row(value: object) -> int | None:
    """A source_row for an error message (None when missing)."""
    try:
        return int(str(value))
    except ValueError:
        return None


def _frame_cells(frame: pd.DataFrame, cells: Sequence[str]) -> pd.DataFrame:
    """The frame's organisations per cell of ``cells``, summed over any other column."""
    if frame.empty:
        raise WeightingError(
            "the population frame is empty: name a frame CSV in the codebook's "
            "survey.population_frame"
        )
    missing = [c for c in (*cells, "organisations") if c not in frame.columns]
    if missing:
        raise WeightingError(f"the population frame lacks column {missing[0]}", column=missing[0])
    return frame.groupby(list(cells))["organisations"].sum().reset_index()


def _check_membership(respondents: pd.DataFrame, frame: pd.DataFrame, cells: list[str]) -> None:
    """Every respondent sits in a cell of the frame (the first one outside is named)."""
    known = frame[cells].drop_duplicates().assign(_in_frame=True)
    found = respondents[cells].merge(known, on=cells, how="left")["_in_frame"]
    incomplete = respondents[cells].isna().any(axis=1).to_numpy()
    outside = np.flatnonzero(incomplete | found.isna().to_numpy())
    if not len(outside):
        return
    record = respondents.iloc[int(outside[0])]
    values = {c: set(frame[c]) for c in cells}
    cell = tuple(record[c] for c in cells)
    culprit = next((c for c in cells if record[c] not in values[c]), cells[-1])
    where = ", ".join(f"{c}={v!s}" for c, v in zip(cells, cell, strict=True))
    raise WeightingError(
        f"respondent's cell {where} is not in the population frame",
        file=record.get("source_file"),
        row=_row(record.get("source_row")),
        column=culprit,
    )


def _cells(respondents: pd.DataFrame, frame: pd.DataFrame, cells: list[str]) -> pd.DataFrame:
    """Frame cells with n (respondents) beside organisations; no cell may have n > N."""
    counts = respondents.groupby(cells).size().rename("n").reset_index()
    table = frame[[*cells, "organisations"]].merge(counts, on=cells, how="left")
    table = table.fillna({"n": 0}).astype({"n": "int64", "organisations": "int64"})
    over = table[table["n"] > table["organisations"]]
    if not over.empty:
        first = over.iloc[0]
        where = ", ".join(f"{c}={first[c]}" for c in cells)
        raise WeightingError(
            f"cell {where} has {first['n']} respondents but only {first['organisations']} "
            "organisations in the population frame"
        )
    return table


def _label(table: pd.DataFrame, cells: list[str]) -> pd.Series:
    """Each cell's name, its values joined by '/' (pharma/large)."""
    label = table[cells[0]].astype(str)
    for column in cells[1:]:
        label = label + "/" + table[column].astype(str)
    return label


def _empty_cells(table: pd.DataFrame, cells: list[str]) -> list[str]:
    empty = table[(table["organisations"] > 0) & (table["n"] == 0)]
    return sorted(_label(empty, cells))


def _strata(table: pd.DataFrame, cells: list[str]) -> pd.DataFrame:
    """Each frame cell's stratum and weight, the sector collapse applied."""
    sector = cells[0]
    by_sector = table.groupby(sector)[["n", "organisations"]].sum()
    empty_sectors = by_sector[(by_sector["organisations"] > 0) & (by_sector["n"] == 0)]
    if not empty_sectors.empty:
        name = str(empty_sectors.index[0])
        raise WeightingError(
            f"{sector} {name!r} has {int(empty_sectors['organisations'].iloc[0])} organisations "
            "in the population frame but no respondents, so it cannot be weighted; merge it with "
            "another in the frame or report it as not covered",
            column=sector,
            value=name,
        )
    empty = table[(table["organisations"] > 0) & (table["n"] == 0)]
    collapse = table[sector].isin(set(empty[sector]))
    stratum = _label(table, cells)
    strata = table.assign(stratum=stratum.where(~collapse, table[sector].astype(str) + "/all"))
    totals = strata.groupby("stratum")[["n", "organisations"]].transform("sum")
    return strata.assign(weight=totals["organisations"] / totals["n"])


def _prepare(
    respondents: pd.DataFrame, frame: pd.DataFrame, cells: Sequence[str]
) -> tuple[str, str, list[str], pd.DataFrame]:
    """Checks shared by both methods: (survey_id, wave, cells, frame cells with n and N)."""
    columns = list(cells)
    framed = _frame_cells(frame, columns)
    if respondents.empty:
        raise WeightingError("there are no respondents to weight")
    survey_id, wave = _check_one_wave(respondents)
    _check_membership(respondents, framed, columns)
    return survey_id, wave, columns, _cells(respondents, framed, columns)


def _finish(
    respondents: pd.DataFrame,
    strata: pd.Series,
    weights: pd.Series,
    about: WeightingSummary,
) -> tuple[pd.DataFrame, WeightingSummary]:
    """The weight table in the respondents' order, and ``about`` with the weight diagnostics."""
    table = pd.DataFrame(
        {
            "survey_id": respondents["survey_id"].to_numpy(),
            "wave": respondents["wave"].to_numpy(),
            "respondent_key": respondents["respondent_key"].to_numpy(),
            "stratum": strata.to_numpy(),
            "weight": weights.to_numpy(),
        }
    )[WEIGHT_COLUMNS].astype(
        {
            "survey_id": "string",
            "wave": "string",
            "respondent_key": "string",
            "stratum": "string",
            "weight": "float64",
        }
    )
    deff = kish_deff(table["weight"].to_numpy())
    summary = WeightingSummary(
        **{
            **about,
            "n_respondents": len(table),
            "sum_weights": float(table["weight"].sum()),
            "kish_deff": deff,
            "weighting_efficiency": 1.0 / deff,
        }
    )
    return table, summary


def _about(
    survey_id: str,
    wave: str,
    method: str,
    iterations: int | None,
    table: pd.DataFrame,
    *,
    collapsed: list[str],
    empty: list[str],
) -> WeightingSummary:
    """A summary whose weight diagnostics ``_finish`` fills in."""
    return WeightingSummary(
        survey_id=survey_id,
        wave=wave,
        method=method,
        iterations=iterations,
        n_respondents=0,
        population=int(table["organisations"].sum()),
        sum_weights=0.0,
        kish_deff=1.0,
        weighting_efficiency=1.0,
        collapsed_cells=collapsed,
        empty_cells=empty,
    )


def post_stratify(
    respondents: pd.DataFrame, frame: pd.DataFrame, cells: Sequence[str] = CELL
) -> tuple[pd.DataFrame, WeightingSummary]:
    """Post-stratification weights for one survey wave's responding organisations.

    ``respondents`` holds the canonical respondent columns (survey_id, wave, respondent_key,
    the cell columns; source_file and source_row name a culprit in errors); the caller
    decides who is in (the curated respondents). ``frame`` holds the cell columns and
    organisations. Returns (survey_id, wave, respondent_key, stratum, weight) in the
    respondents' order, and the WeightingSummary.
    """
    survey_id, wave, columns, table = _prepare(respondents, frame, cells)
    strata = _strata(table, columns)
    placed = respondents[columns].merge(
        strata[[*columns, "stratum", "weight"]], on=columns, how="left", validate="many_to_one"
    )
    empty = _empty_cells(table, columns)
    about = _about(survey_id, wave, "poststratify", None, table, collapsed=empty, empty=empty)
    return _finish(respondents, placed["stratum"], placed["weight"], about)


def rake(
    respondents: pd.DataFrame,
    frame: pd.DataFrame,
    cells: Sequence[str] = CELL,
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> tuple[pd.DataFrame, WeightingSummary]:
    """Raking weights for one survey wave's responding organisations (see the module notes).

    The margins are the frame's organisations summed over each column of ``cells``. Same
    arguments and result as ``post_stratify``; the summary's ``iterations`` is the number of
    sweeps raking needed to meet every margin within ``tolerance``.
    """
    survey_id, wave, columns, table = _prepare(respondents, frame, cells)
    margins = {
        column: {str(k): float(v) for k, v in table.groupby(column)["organisations"].sum().items()}
        for column in columns
    }
    levels = respondents[columns].astype(str).reset_index(drop=True)
    weights, sweeps = rake_to_margins(
        levels, margins, max_iterations=max_iterations, tolerance=tolerance
    )
    strata = _label(respondents[columns].reset_index(drop=True), columns)
    below = weights < 1.0 - tolerance
    if below.any():
        first = int(below.argmax())
        raise WeightingError(
            f"raking gives the respondents of cell {strata.iloc[first]} a weight of "
            f"{weights[first]:.3g}, below 1: an organisation cannot stand for less than itself; "
            "use method poststratify",
            value=strata.iloc[first],
        )
    empty = _empty_cells(table, columns)
    about = _about(survey_id, wave, "rake", sweeps, table, collapsed=[], empty=empty)
    return _finish(respondents, strata, pd.Series(weights), about)


UNWEIGHTED_STRATUM = "all"


def unweighted(respondents: pd.DataFrame) -> tuple[pd.DataFrame, WeightingSummary]:
    """Weight 1 for every respondent of one survey wave, all in the one stratum ``all``.

    For a survey without a population frame: the estimates describe the respondents (a total
    is their sum), and the summary's population is None.
    """
    if respondents.empty:
        raise WeightingError("there are no respondents to weight")
    survey_id, wave = _check_one_wave(respondents)
    about = WeightingSummary(
        survey_id=survey_id,
        wave=wave,
        method="none",
        iterations=None,
        n_respondents=0,
        population=None,
        sum_weights=0.0,
        kish_deff=1.0,
        weighting_efficiency=1.0,
        collapsed_cells=[],
        empty_cells=[],
    )
    index = pd.RangeIndex(len(respondents))
    return _finish(
        respondents,
        pd.Series(UNWEIGHTED_STRATUM, index=index),
        pd.Series(1.0, index=index),
        about,
    )


def compute_weights(
    respondents: pd.DataFrame, frame: pd.DataFrame, spec: WeightingSpec
) -> tuple[pd.DataFrame, WeightingSummary]:
    """One wave's weights by the codebook's method (post-stratification unless it says rake;
    ``none``: unweighted, the frame is not used)."""
    if spec.method == "none":
        return unweighted(respondents)
    if spec.method == "rake":
        return rake(
            respondents,
            frame,
            spec.cells,
            max_iterations=spec.max_iterations,
            tolerance=spec.tolerance,
        )
    return post_stratify(respondents, frame, spec.cells)


def weighting_summary_table(summaries: Sequence[WeightingSummary]) -> pd.DataFrame:
    """The warehouse's weighting_summary base table: one row per wave, how it was weighted."""
    table = pd.DataFrame(
        {
            "survey_id": [s["survey_id"] for s in summaries],
            "wave": [s["wave"] for s in summaries],
            "method": [s["method"] for s in summaries],
            "iterations": [s["iterations"] for s in summaries],
        }
    )
    return table.astype(
        {"survey_id": "string", "wave": "string", "method": "string", "iterations": "Int64"}
    )
