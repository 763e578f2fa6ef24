"""Raking to the frame's margins (svy), the codebook's weighting section, and compute_weights."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from transforms.core.errors import WeightingError
from transforms.ingest.codebook import WeightingSpec
from transforms.model.raking import largest_margin_gap, rake_to_margins
from transforms.model.weighting import compute_weights, post_stratify, rake, weighting_summary_table

# Margins: pharma 32, sme 33; large 15, small 50. The cells do not factor into their margins,
# so raking and post-stratification give different weights.
FRAME = pd.DataFrame(
    {
        "org_sector": ["pharma", "pharma", "sme", "sme"],
        "org_size_band": ["large", "small", "small", "large"],
        "organisations": [12, 20, 30, 3],
    }
)
SAMPLE = {("pharma", "large"): 4, ("pharma", "small"): 5, ("sme", "small"): 6, ("sme", "large"): 1}


def _respondents(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    keyed = [(s, b) for (s, b), n in cells.items() for _ in range(n)]
    return pd.DataFrame(
        {
            "survey_id": "demo",
            "wave": "2024",
            "respondent_key": [f"r{i}" for i in range(len(keyed))],
            "org_sector": [s for s, _ in keyed],
            "org_size_band": [b for _, b in keyed],
        }
    )


def _frame(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    return pd.DataFrame(
        [(s, b, n) for (s, b), n in cells.items()],
        columns=["org_sector", "org_size_band", "organisations"],
    )


def _margin_sums(weights: pd.DataFrame, respondents: pd.DataFrame, column: str) -> dict[str, float]:
    return weights.groupby(respondents[column].to_numpy())["weight"].sum().to_dict()


def test_raked_weights_meet_both_margins_of_the_frame_within_the_tolerance() -> None:
    respondents = _respondents(SAMPLE)
    weights, summary = rake(respondents, FRAME, tolerance=1e-9)
    by_sector = _margin_sums(weights, respondents, "org_sector")
    by_size = _margin_sums(weights, respondents, "org_size_band")
    assert by_sector == pytest.approx({"pharma": 32, "sme": 33}, rel=1e-9)
    assert by_size == pytest.approx({"large": 15, "small": 50}, rel=1e-9)
    assert summary["sum_weights"] == pytest.approx(65)
    assert (summary["method"], summary["population"]) == ("rake", 65)


def test_every_respondent_of_a_cell_gets_the_same_weight_and_the_cell_as_stratum() -> None:
    weights, _ = rake(_respondents(SAMPLE), FRAME)
    per_cell = weights.groupby("stratum")["weight"].agg(["min", "max", "size"])
    assert list(per_cell.index) == ["pharma/large", "pharma/small", "sme/large", "sme/small"]
    assert list(per_cell["size"]) == [4, 5, 1, 6]
    assert list(per_cell["min"]) == pytest.approx(list(per_cell["max"]), rel=1e-12)
    post, _ = post_stratify(_respondents(SAMPLE), FRAME)
    assert list(weights["weight"]) != pytest.approx(list(post["weight"]), rel=1e-3)


def test_raking_equals_post_stratification_when_both_tables_factor_into_their_margins() -> None:
    # Frame N_ij = r_i c_j / N and sample n_ij = r'_i c'_j / n: then N_ij / n_ij = a_i b_j,
    # which is what raking fits, so its weights are the post-stratification weights.
    frame = _frame({("a", "x"): 8, ("a", "y"): 24, ("b", "x"): 4, ("b", "y"): 12})
    respondents = _respondents({("a", "x"): 2, ("a", "y"): 2, ("b", "x"): 1, ("b", "y"): 1})
    raked, summary = rake(respondents, frame, tolerance=1e-10)
    post, _ = post_stratify(respondents, frame)
    assert list(raked["weight"]) == pytest.approx(list(post["weight"]), rel=1e-9)
    assert list(raked["stratum"]) == list(post["stratum"])
    assert summary["iterations"] is not None and summary["iterations"] <= 2


def test_iterations_are_the_fewest_sweeps_that_meet_the_tolerance() -> None:
    respondents = _respondents(SAMPLE)
    _, summary = rake(respondents, FRAME, tolerance=1e-8)
    sweeps = summary["iterations"]
    assert sweeps is not None and sweeps > 1
    with pytest.raises(WeightingError, match=f"did not converge in {sweeps - 1} iterations"):
        rake(respondents, FRAME, tolerance=1e-8, max_iterations=sweeps - 1)


def test_raking_that_cannot_converge_names_the_iterations_and_the_largest_margin_gap() -> None:
    # Respondents only in a/x and b/y: the a respondents must sum to 10 (sector a) and, being
    # all of size x, to 15 (size x). No weights do both.
    frame = _frame({("a", "x"): 5, ("a", "y"): 5, ("b", "x"): 10, ("b", "y"): 10})
    respondents = _respondents({("a", "x"): 2, ("b", "y"): 2})
    with pytest.raises(WeightingError) as caught:
        rake(respondents, frame, max_iterations=20)
    message = str(caught.value)
    assert "raking did not converge in 20 iterations (tolerance 1e-06)" in message
    assert "the largest margin gap is org_sector=a: weights sum to 15, the margin is 10" in message
    assert (caught.value.column, caught.value.value) == ("org_sector", "a")


def test_margins_whose_totals_disagree_stop_raking() -> None:
    levels = _respondents(SAMPLE)[["org_sector", "org_size_band"]]
    margins = {"org_sector": {"pharma": 32, "sme": 33}, "org_size_band": {"large": 15, "small": 45}}
    with pytest.raises(WeightingError, match="margins disagree on the population: org_sector sums"):
        rake_to_margins(levels, margins)


def test_a_margin_level_with_organisations_but_no_respondent_stops_raking() -> None:
    respondents = _respondents({("pharma", "small"): 2, ("sme", "small"): 3})
    with pytest.raises(WeightingError, match="margin org_size_band=large has 15 organisations"):
        rake(respondents, FRAME)


def test_a_frame_cell_without_respondents_is_listed_not_collapsed_when_raking() -> None:
    respondents = _respondents({**SAMPLE, ("sme", "large"): 0})
    weights, summary = rake(respondents, FRAME)
    assert summary["empty_cells"] == ["sme/large"]
    assert summary["collapsed_cells"] == []
    assert set(weights["stratum"]) == {"pharma/large", "pharma/small", "sme/small"}
    by_size = _margin_sums(weights, respondents, "org_size_band")
    assert by_size == pytest.approx({"large": 15, "small": 50}, rel=1e-6)


def test_a_raked_weight_below_one_stops_weighting() -> None:
    frame = _frame({("a", "x"): 10, ("a", "y"): 2, ("b", "x"): 2, ("b", "y"): 10})
    respondents = _respondents({("a", "x"): 10, ("a", "y"): 1, ("b", "x"): 1, ("b", "y"): 1})
    with pytest.raises(WeightingError, match=r"cell a/x a weight of 0\.912, below 1"):
        rake(respondents, frame)


def test_raking_keeps_the_shared_checks_of_post_stratification() -> None:
    outside = _respondents({**SAMPLE, ("cdmo", "large"): 1})
    with pytest.raises(WeightingError, match="org_sector=cdmo, org_size_band=large"):
        rake(outside, FRAME)
    crowded = _respondents({**SAMPLE, ("sme", "large"): 4})
    with pytest.raises(WeightingError, match="has 4 respondents but only 3 organisations"):
        rake(crowded, FRAME)


def test_the_largest_margin_gap_is_relative_to_its_target() -> None:
    levels = pd.DataFrame({"size": ["x", "x", "y"]})
    gap = largest_margin_gap(levels, [1.0, 1.0, 1.0], {"size": {"x": 4.0, "y": 1.5}})
    assert (gap.level, gap.achieved, gap.target) == ("x", 2.0, 4.0)
    assert gap.relative == pytest.approx(0.5)


def test_the_codebook_weighting_section_defaults_to_post_stratification_on_sector_and_size() -> (
    None
):
    spec = WeightingSpec()
    assert (spec.method, spec.cells) == ("poststratify", ("org_sector", "org_size_band"))
    assert (spec.max_iterations, spec.tolerance) == (100, 1e-6)
    assert WeightingSpec.model_validate({"method": "rake", "tolerance": 1e-8}).method == "rake"


@pytest.mark.parametrize(
    "section",
    [
        {"method": "calibrate"},
        {"cells": ["org_sector", "org_sector"]},
        {"cells": []},
        {"cells": ["region"]},
        {"tolerance": 0},
        {"max_iterations": 0},
        {"iterations": 5},
    ],
)
def test_the_codebook_weighting_section_rejects_what_it_cannot_do(
    section: dict[str, object],
) -> None:
    with pytest.raises(ValidationError):
        WeightingSpec.model_validate(section)


def test_compute_weights_dispatches_on_the_method() -> None:
    respondents = _respondents(SAMPLE)
    default, summary = compute_weights(respondents, FRAME, WeightingSpec())
    post, _ = post_stratify(respondents, FRAME)
    pd.testing.assert_frame_equal(default, post)
    assert summary["method"] == "poststratify"
    raked, summary = compute_weights(respondents, FRAME, WeightingSpec(method="rake"))
    assert summary["method"] == "rake"
    assert raked["weight"].sum() == pytest.approx(65)


def test_the_weighting_summary_table_has_one_row_per_wave_with_nullable_iterations() -> None:
    _, raked = rake(_respondents(SAMPLE), FRAME)
    _, post = post_stratify(_respondents(SAMPLE).assign(wave="2022"), FRAME)
    table = weighting_summary_table([post, raked])
    assert list(table.columns) == ["survey_id", "wave", "method", "iterations"]
    assert list(table["method"]) == ["poststratify", "rake"]
    assert (
        pd.isna(table["iterations"].iloc[0]) and table["iterations"].iloc[1] == raked["iterations"]
    )
