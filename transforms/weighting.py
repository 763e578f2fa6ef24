"""Model step, weighting: post-stratify responding organisations to the population frame.

Post-strata are the frame's cells, org_sector × org_size_band; each respondent in cell h gets
weight N_h / n_h (organisations in the frame / respondents in the cell), so the weights of a
wave add up to the frame's population.

Collapsing rule: when a cell has organisations but no respondents, every size band of that
sector is merged into one stratum ``<sector>/all`` and its respondents get N_sector / n_sector.
Weighting stops with a WeightingError when a sector with organisations has no respondent at
all, when a respondent's sector × size band is not a frame cell, or when a cell has more
respondents than organisations.
"""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from transforms.errors import WeightingError
from transforms.stats import kish_deff

CELL = ["org_sector", "org_size_band"]
WEIGHT_COLUMNS = ["survey_id", "wave", "respondent_key", "stratum", "weight"]


class WeightingSummary(TypedDict):
    """What the report's method section and the flow's metadata show about one wave's weights."""

    survey_id: str
    wave: str
    n_respondents: int
    population: int
    sum_weights: float
    kish_deff: float  # n·Σw² / (Σw)²
    weighting_efficiency: float  # 1 / kish_deff
    collapsed_cells: list[str]  # "<sector>/<size band>" cells with organisations, no respondent


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


def _check_membership(respondents: pd.DataFrame, frame: pd.DataFrame) -> None:
    """Every respondent sits in a cell of the frame."""
    known = set(frame[CELL].itertuples(index=False, name=None))
    sectors = set(frame["org_sector"])
    for _, record in respondents.iterrows():
        sector, band = record["org_sector"], record["org_size_band"]
        if pd.isna(sector) or pd.isna(band) or (sector, band) not in known:
            raise WeightingError(
                f"respondent's cell org_sector={sector!s}, org_size_band={band!s} "
                "is not in the population frame",
                file=record.get("source_file"),
                row=_row(record.get("source_row")),
                column="org_size_band" if sector in sectors else "org_sector",
            )


def _cells(respondents: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Frame cells with n (respondents) beside organisations; no cell may have n > N."""
    counts = respondents.groupby(CELL).size().rename("n").reset_index()
    cells = frame[[*CELL, "organisations"]].merge(counts, on=CELL, how="left")
    cells = cells.fillna({"n": 0}).astype({"n": "int64", "organisations": "int64"})
    over = cells[cells["n"] > cells["organisations"]]
    if not over.empty:
        first = over.iloc[0]
        raise WeightingError(
            f"cell org_sector={first['org_sector']}, org_size_band={first['org_size_band']} has "
            f"{first['n']} respondents but only {first['organisations']} organisations in the "
            "population frame"
        )
    return cells


def _strata(cells: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Each frame cell's stratum and weight, the sector collapse applied; the collapsed cells."""
    by_sector = cells.groupby("org_sector")[["n", "organisations"]].sum()
    empty_sectors = by_sector[(by_sector["organisations"] > 0) & (by_sector["n"] == 0)]
    if not empty_sectors.empty:
        sector = str(empty_sectors.index[0])
        raise WeightingError(
            f"sector {sector!r} has {int(empty_sectors['organisations'].iloc[0])} organisations "
            "in the population frame but no respondents, so it cannot be weighted; merge it with "
            "another sector in the frame or report it as not covered",
            column="org_sector",
            value=sector,
        )
    empty = cells[(cells["organisations"] > 0) & (cells["n"] == 0)]
    collapsed = sorted(f"{s}/{b}" for s, b in empty[CELL].itertuples(index=False))
    collapse = cells["org_sector"].isin(set(empty["org_sector"]))
    strata = cells.assign(
        stratum=cells["org_sector"].astype(str)
        + "/"
        + cells["org_size_band"].astype(str).where(~collapse, "all")
    )
    totals = strata.groupby("stratum")[["n", "organisations"]].transform("sum")
    strata["weight"] = totals["organisations"] / totals["n"]
    return strata, collapsed


def post_stratify(
    respondents: pd.DataFrame, frame: pd.DataFrame
) -> tuple[pd.DataFrame, WeightingSummary]:
    """Weights for one survey wave's responding organisations, and a summary of them.

    ``respondents`` holds the canonical respondent columns (survey_id, wave, respondent_key,
    org_sector, org_size_band; source_file and source_row name a culprit in errors); the
    caller decides who is in (the curated respondents). ``frame`` holds org_sector,
    org_size_band, organisations. Returns (survey_id, wave, respondent_key, stratum, weight)
    in the respondents' order, and the WeightingSummary.
    """
    if frame.empty:
        raise WeightingError(
            "the population frame is empty: name a frame CSV in the codebook's "
            "survey.population_frame"
        )
    if respondents.empty:
        raise WeightingError("there are no respondents to weight")
    survey_id, wave = _check_one_wave(respondents)
    _check_membership(respondents, frame)
    strata, collapsed = _strata(_cells(respondents, frame))
    weights = respondents[["survey_id", "wave", "respondent_key", *CELL]].merge(
        strata[[*CELL, "stratum", "weight"]], on=CELL, how="left", validate="many_to_one"
    )[WEIGHT_COLUMNS]
    weights = weights.astype(
        {
            "survey_id": "string",
            "wave": "string",
            "respondent_key": "string",
            "stratum": "string",
            "weight": "float64",
        }
    )
    deff = kish_deff(weights["weight"].to_numpy())
    summary = WeightingSummary(
        survey_id=survey_id,
        wave=wave,
        n_respondents=len(weights),
        population=int(frame["organisations"].sum()),
        sum_weights=float(weights["weight"].sum()),
        kish_deff=deff,
        weighting_efficiency=1.0 / deff,
        collapsed_cells=collapsed,
    )
    return weights, summary
