"""Post-stratification: weights N_h / n_h, the sector collapse, and every WeightingError."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from transforms.core.errors import WeightingError
from transforms.model.weighting import post_stratify

FRAME = pd.DataFrame(
    {
        "org_sector": ["pharma", "pharma", "sme", "sme", "hospital"],
        "org_size_band": ["large", "small", "large", "small", "large"],
        "organisations": [10, 4, 6, 30, 0],
    }
)


def _respondents(*cells: tuple[str | None, str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "survey_id": "demo",
            "wave": "2022",
            "respondent_key": [f"r{i}" for i in range(len(cells))],
            "org_sector": [s for s, _ in cells],
            "org_size_band": [b for _, b in cells],
            "source_file": "2022/export.csv",
            "source_row": [i + 4 for i in range(len(cells))],
        }
    )


FULL = [
    ("pharma", "large"),
    ("pharma", "large"),
    ("pharma", "small"),
    ("sme", "large"),
    ("sme", "small"),
    ("sme", "small"),
    ("sme", "small"),
]


def test_each_respondent_weighs_organisations_over_respondents_in_its_cell() -> None:
    weights, _ = post_stratify(_respondents(*FULL), FRAME)
    assert list(weights.columns) == ["survey_id", "wave", "respondent_key", "stratum", "weight"]
    assert list(weights["weight"]) == pytest.approx([5, 5, 4, 6, 10, 10, 10])
    assert list(weights["stratum"])[:3] == ["pharma/large", "pharma/large", "pharma/small"]


def test_the_summary_gives_population_and_kish_design_effect() -> None:
    _, summary = post_stratify(_respondents(*FULL), FRAME)
    w = [5, 5, 4, 6, 10, 10, 10]
    deff = 7 * sum(x * x for x in w) / sum(w) ** 2
    assert summary["n_respondents"] == 7
    assert summary["population"] == 50
    assert summary["sum_weights"] == pytest.approx(50)
    assert summary["kish_deff"] == pytest.approx(deff)
    assert summary["weighting_efficiency"] == pytest.approx(1 / deff)
    assert summary["collapsed_cells"] == []
    assert (summary["survey_id"], summary["wave"]) == ("demo", "2022")


def test_a_cell_without_respondents_is_collapsed_with_its_sectors_other_size_bands() -> None:
    cells = [c for c in FULL if c != ("sme", "large")]
    weights, summary = post_stratify(_respondents(*cells), FRAME)
    sme = weights[weights["stratum"] == "sme/all"]
    assert len(sme) == 3
    assert list(sme["weight"]) == pytest.approx([36 / 3] * 3)
    assert set(weights[weights["stratum"] != "sme/all"]["stratum"]) == {
        "pharma/large",
        "pharma/small",
    }
    assert summary["collapsed_cells"] == ["sme/large"]
    assert summary["sum_weights"] == pytest.approx(50)


def test_a_sector_with_organisations_but_no_respondents_stops_weighting() -> None:
    cells = [c for c in FULL if c[0] != "sme"]
    with pytest.raises(WeightingError, match="sector 'sme' has 36 organisations") as caught:
        post_stratify(_respondents(*cells), FRAME)
    assert caught.value.value == "sme"


def test_a_sector_without_organisations_or_respondents_is_fine() -> None:
    _, summary = post_stratify(_respondents(*FULL), FRAME)  # hospital: 0 organisations
    assert summary["population"] == 50


def test_a_respondent_outside_the_frame_is_named_with_its_source_row() -> None:
    with pytest.raises(WeightingError, match="org_sector=cdmo, org_size_band=large") as caught:
        post_stratify(_respondents(*FULL, ("cdmo", "large")), FRAME)
    assert caught.value.row == 11
    assert caught.value.file == "2022/export.csv"
    assert caught.value.column == "org_sector"


def test_a_respondent_without_a_size_band_cannot_be_weighted() -> None:
    with pytest.raises(WeightingError, match="org_size_band=None") as caught:
        post_stratify(_respondents(*FULL, ("sme", None)), FRAME)
    assert caught.value.column == "org_size_band"


def test_more_respondents_than_organisations_in_a_cell_stops_weighting() -> None:
    with pytest.raises(WeightingError, match="has 1 respondents but only 0 organisations"):
        post_stratify(_respondents(*FULL, ("hospital", "large")), FRAME)


def test_an_empty_frame_or_no_respondents_stops_weighting() -> None:
    with pytest.raises(WeightingError, match="population frame is empty"):
        post_stratify(_respondents(*FULL), FRAME.iloc[0:0])
    with pytest.raises(WeightingError, match="no respondents"):
        post_stratify(_respondents(), FRAME)


def test_weighting_takes_one_wave_at_a_time() -> None:
    respondents = _respondents(*FULL)
    respondents.loc[0, "wave"] = "2024"
    with pytest.raises(WeightingError, match="one survey wave at a time"):
        post_stratify(respondents, FRAME)


def test_a_respondent_listed_twice_stops_weighting() -> None:
    respondents = _respondents(*FULL)
    respondents.loc[1, "respondent_key"] = "r0"
    with pytest.raises(WeightingError, match="appears twice") as caught:
        post_stratify(respondents, FRAME)
    assert caught.value.row == 5


def test_post_stratification_weights_equal_svys_poststratify_to_the_cell_totals() -> None:
    import polars as pl
    import svy

    respondents = _respondents(*FULL)
    weights, _ = post_stratify(respondents, FRAME)
    cells = respondents["org_sector"] + "/" + respondents["org_size_band"]
    totals = FRAME.assign(cell=FRAME["org_sector"] + "/" + FRAME["org_size_band"])
    controls = {
        c: float(n) for c, n in zip(totals["cell"], totals["organisations"], strict=True) if n > 0
    }
    sample = svy.Sample(pl.DataFrame({"cell": cells.tolist(), "w": 1.0}), svy.Design(wgt="w"))
    adjusted = sample.weighting.poststratify(controls, cells="cell")
    assert adjusted.data["ps_wgt"].to_list() == pytest.approx(list(weights["weight"]), rel=1e-12)


def test_weights_with_sector_cells_only_post_stratify_by_sector() -> None:
    weights, summary = post_stratify(_respondents(*FULL), FRAME, cells=["org_sector"])
    assert list(weights["stratum"]) == ["pharma"] * 3 + ["sme"] * 4
    assert list(weights["weight"]) == pytest.approx([14 / 3] * 3 + [36 / 4] * 4)
    assert (summary["method"], summary["iterations"]) == ("poststratify", None)


def test_a_wave_whose_every_respondent_was_quarantined_is_one_clear_error(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from transforms.core.canonical import arrow_schema
    from transforms.ingest.codebook import WeightingSpec
    from transforms.model.build import weight_wave
    from transforms.validate.curated import CuratedWave

    pq.write_table(arrow_schema("respondent").empty_table(), tmp_path / "respondent.parquet")
    curated = CuratedWave(
        survey_id="demo",
        wave="2020",
        folder=tmp_path,
        reconciliation=[
            {"table_name": "respondent", "rows_in": 10, "rows_curated": 0, "rows_quarantined": 10}
        ],
        quarantine_reasons=[
            {
                "table_name": "respondent",
                "reason": "platform_status … is not a real answer",
                "rows": 10,
            }
        ],
    )
    with pytest.raises(WeightingError) as caught:
        weight_wave(curated, None, WeightingSpec(method="none"))  # type: ignore[arg-type]
    message = str(caught.value)
    assert "wave 2020: no respondent is left after validation (10 in, all quarantined" in message
    assert "platform_status … is not a real answer (10 rows)" in message
    assert "data_quality.html" in message
