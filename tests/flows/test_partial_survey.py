"""Partial surveys: no population frame, no sector question, canonical tables left empty.

tests/fixtures/partial_survey is an employee-side skills survey on Google Forms (region, a
skill-importance grid, a free-text question; skill codes inline, no taxonomy files). It runs
ingest → curate → model → publish here without Prefect, as the flow does. The SQL tests check
the estimators of an unweighted survey on rows built by hand.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import yaml
from pydantic import ValidationError
from pypdf import PdfReader

from tests import paths
from tests.model.warehouse_rows import (
    Respondent,
    build,
    canonical,
    hiring,
    one,
    respondent_tables,
    roles,
)
from tests.model.warehouse_rows import rows as model_rows
from transforms.codebook_tools.check import check_codebook_file
from transforms.ingest.codebook import Codebook, WeightingSpec, load_codebook
from transforms.ingest.reference import load_reference
from transforms.ingest.wave import ingest_wave
from transforms.model.build import ModelResult, build_model
from transforms.model.params import ModelParams
from transforms.model.weighting import compute_weights, unweighted, weighting_summary_table
from transforms.report.publish import publish_wave_report, report_meta
from transforms.report.render import ReportPaths
from transforms.validate.codes import survey_codes as validation_codes
from transforms.validate.curated import CuratedWave, read_curated
from transforms.validate.store import curate_wave

FIXTURE = paths.FIXTURES / "partial_survey"
ABSENT_TABLES = ("hiring_need", "recruitment_difficulty", "training_preference")
EMPTY_MARTS = (
    "mart_hiring_demand",
    "mart_recruitment_difficulty",
    "mart_skill_shortage",
    "mart_training_preference",
    "mart_demand_vs_supply",
    "mart_skill_gap",
    "mart_wave_comparison",
)


@dataclass(frozen=True)
class Run:
    codebook: Codebook
    curated: CuratedWave
    model: ModelResult
    report: ReportPaths
    html: str


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("partial")
    codebook = load_codebook(FIXTURE / "survey.yaml")
    reference = load_reference(codebook, FIXTURE)
    staged = ingest_wave(codebook, FIXTURE, "2025", salt="fixed", curated_dir=out / "curated")
    curated = curate_wave(staged, validation_codes(codebook, reference), out / "curated")
    model = build_model(
        codebook,
        reference,
        [curated],
        warehouse=out / "curated" / "warehouse.duckdb",
        marts_dir=out / "curated" / "marts",
        params=ModelParams(),
    )
    meta = report_meta(codebook, curated, min_cell=5, confidence=0.95)
    paths = publish_wave_report(model.warehouse, meta, curated, out / "reports")
    return Run(codebook, curated, model, paths, paths.html.read_text("utf-8"))


def test_the_codebook_checks_clean_without_frame_taxonomies_or_sector() -> None:
    problems = check_codebook_file(FIXTURE / "survey.yaml")
    assert [p for p in problems if p.severity == "error"] == []
    codebook = load_codebook(FIXTURE / "survey.yaml")
    assert codebook.weighting_method == "none"
    assert codebook.taxonomies.skill is None


@pytest.mark.e2e  # uses `run`: ingest to PDF report
def test_every_table_reconciles_and_the_absent_ones_are_empty(run: Run) -> None:
    reconciliation = {r["table_name"]: r for r in run.curated.reconciliation}
    assert all(r["reconciled"] for r in reconciliation.values())
    assert reconciliation["respondent"]["rows_in"] == 13
    assert reconciliation["respondent"]["rows_quarantined"] == 2  # the double submission
    for table in ABSENT_TABLES:
        assert reconciliation[table]["rows_in"] == 0
        assert read_curated(run.curated.folder, table).empty
    assert reconciliation["skill_need"]["rows_curated"] > 0
    assert reconciliation["free_text"]["rows_curated"] > 0


@pytest.mark.e2e  # uses `run`: ingest to PDF report
def test_every_curated_respondent_has_weight_one_and_the_wave_is_unweighted(run: Run) -> None:
    curated = read_curated(run.curated.folder, "respondent")
    assert run.model.internal is not None
    with duckdb.connect(str(run.model.internal), read_only=True) as con:
        weights = con.table("respondent_weight").df()
        weighting = con.table("mart_weighting").df()
        empty = {mart: len(con.table(mart)) for mart in EMPTY_MARTS}
        importance = con.table("mart_skill_importance").df()
        sample = con.table("mart_sample").df()
    assert len(weights) == len(curated) == 11
    assert set(weights["weight"]) == {1.0} and set(weights["stratum"]) == {"all"}
    assert weighting["method"].tolist() == ["none"]
    assert weighting["population"].isna().all()
    assert weighting["sum_weights"].tolist() == [11.0]
    assert run.model.weighting[0]["population"] is None
    assert empty == dict.fromkeys(EMPTY_MARTS, 0)
    assert set(importance["org_sector"]) == {"all"}  # no sector question: totals only
    assert importance["n_respondents"].notna().all() and importance["share"].between(0, 1).all()
    assert sample[["org_sector", "org_size_band"]].values.tolist() == [["all", "all"]]
    assert sample["population"].isna().all() and sample["n_respondents"].tolist() == [11]


@pytest.mark.e2e  # uses `run`: ingest to PDF report
def test_the_report_says_what_the_survey_did_not_ask_and_shows_what_it_did(run: Run) -> None:
    html = run.html
    assert 'id="not-covered"' in html
    assert "This survey did not ask about hiring plans" in html
    assert "did not ask how difficult it is to recruit" in html
    assert "did not ask about skill shortages" in html
    assert "did not ask which training formats" in html
    for section in ("hiring", "difficulty", "skills", "supply", "training"):
        assert f'<section id="{section}">' not in html
        assert f'href="#{section}"' not in html
    assert '<section id="importance">' in html and 'id="finding-importance"' in html
    assert "They are not weighted" in html and "No rows for this survey wave." not in html
    assert "could not be estimated" not in html
    assert "The responses are not weighted" in html  # the method says so
    assert 'data-mart="mart_skill_importance"' in html
    figures = sorted(p.name for p in run.report.figures)
    assert figures == ["skill_importance.svg"]


@pytest.mark.e2e  # uses `run`: ingest to PDF report
def test_the_pdf_renders_with_pages(run: Run) -> None:
    reader = PdfReader(run.report.pdf)
    assert len(reader.pages) >= 3
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "Not covered by this survey" in re.sub(r"\s+", " ", text)


# ------------------------------------------------------------------------------------------
# Weighting and the SQL estimators of an unweighted survey, on hand-made rows
# ------------------------------------------------------------------------------------------


def _respondents(sectors: list[str | None]) -> pd.DataFrame:
    return canonical(
        "respondent",
        [
            {"respondent_key": f"r{i}", "org_sector": s, "source_row": i + 2}
            for i, s in enumerate(sectors)
        ],
    )


def test_unweighted_gives_weight_one_in_one_stratum_and_says_so() -> None:
    respondents = _respondents([None, None, None])
    table, summary = unweighted(respondents)
    assert table["weight"].tolist() == [1.0, 1.0, 1.0]
    assert table["stratum"].tolist() == ["all"] * 3
    assert summary["method"] == "none" and summary["population"] is None
    assert summary["kish_deff"] == 1.0 and summary["sum_weights"] == 3.0
    same, _ = compute_weights(respondents, pd.DataFrame(), WeightingSpec(method="none"))
    pd.testing.assert_frame_equal(same, table)
    assert weighting_summary_table([summary])["method"].tolist() == ["none"]


def _unweighted_warehouse(
    sectors: dict[str, str | None], hires: list[tuple[str, str, str, int]]
) -> duckdb.DuckDBPyConnection:
    people = [Respondent(k, s or "", "", "all", 1.0) for k, s in sectors.items()]
    tables = respondent_tables(people)
    tables["respondent"]["org_sector"] = pd.Series(list(sectors.values()), dtype="string")
    tables["respondent"]["org_size_band"] = pd.Series([None] * len(people), dtype="string")
    tables["hiring_need"] = hiring(hires)
    tables["ref_role"] = roles("qc", "qa")
    tables["weighting_summary"] = pd.DataFrame(
        {"survey_id": ["demo"], "wave": ["2022"], "method": ["none"], "iterations": [None]}
    )
    return build(tables, ModelParams(min_cell=3))


HEADCOUNTS = {"a": 4, "b": 0, "c": 7, "d": 2, "e": 5}


def test_an_unweighted_total_is_the_sum_with_the_srs_with_replacement_standard_error() -> None:
    con = _unweighted_warehouse(
        dict.fromkeys(HEADCOUNTS), [(k, "qc", "5y", n) for k, n in HEADCOUNTS.items()]
    )
    row = one(con, "mart_hiring_demand", role_code="qc", horizon="5y", org_sector="all")
    values = list(HEADCOUNTS.values())
    n = len(values)
    assert row["total"] == pytest.approx(sum(values), rel=1e-12)
    # N_h unknown: each answerer counts once and there is no finite population correction
    expected = math.sqrt(n * statistics.variance(values))
    assert row["se"] == pytest.approx(expected, rel=1e-12)
    assert row["se"] > 0
    assert row["weighted_n"] == n
    # no sector question: every estimate has only its all-sector row
    assert {r["org_sector"] for r in model_rows(con, "mart_hiring_demand")} == {"all"}
    assert {r["org_sector"] for r in model_rows(con, "int_total_estimates")} == {"all"}


def test_respondents_without_a_sector_form_an_unknown_sector_when_others_have_one() -> None:
    sectors = {"a": "pharma", "b": "pharma", "c": None, "d": "sme", "e": None}
    con = _unweighted_warehouse(sectors, [(k, "qc", "5y", n) for k, n in HEADCOUNTS.items()])
    found = {
        r["org_sector"]: r["n_respondents"]
        for r in model_rows(con, "int_total_estimates", measure="hiring", item_code="qc")
    }
    assert found == {"pharma": 2, "sme": 1, "unknown": 2, "all": 5}


# ------------------------------------------------------------------------------------------
# Codebook: optional taxonomies, inline code lists, no id column
# ------------------------------------------------------------------------------------------


def _raw_codebook() -> dict[str, Any]:
    return yaml.safe_load((FIXTURE / "survey.yaml").read_text("utf-8"))


def test_inline_skill_codes_become_the_skill_taxonomy() -> None:
    codebook = load_codebook(FIXTURE / "survey.yaml")
    skills = load_reference(codebook, FIXTURE).skills
    assert skills["skill_code"].tolist() == ["data_analysis", "programming", "project_management"]
    assert skills["label"].tolist()[0] == "Data analysis"
    assert load_reference(codebook, FIXTURE).roles.empty


def test_a_taxonomy_file_and_an_inline_list_together_are_refused() -> None:
    raw = _raw_codebook()
    raw["taxonomies"] = {"skill": "skills.csv"}
    with pytest.raises(ValidationError, match=r"either in taxonomies\.skill"):
        Codebook.model_validate(raw)


def test_check_wants_skill_codes_for_a_skill_grid(tmp_path: Path) -> None:
    raw = _raw_codebook()
    del raw["codes"]["skill"]
    raw["waves"]["2025"]["files"] = [str(FIXTURE / "2025" / "skills_2025_google_forms.csv")]
    path = tmp_path / "survey.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    errors = [p.message for p in check_codebook_file(path) if p.severity == "error"]
    assert any("needs skill codes" in m for m in errors), errors


def test_without_a_respondent_id_every_row_is_a_respondent(tmp_path: Path) -> None:
    raw = _raw_codebook()
    del raw["waves"]["2025"]["respondent_id"]
    codebook = Codebook.model_validate(raw)
    staged = ingest_wave(codebook, FIXTURE, "2025", salt="fixed", curated_dir=tmp_path)
    keys = staged.frame("respondent")["respondent_key"]
    assert keys.notna().all() and keys.is_unique and len(keys) == 13  # the double row too
