"""Report step, citation: the cover's imprint, the suggested citation and the Source lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from transforms.ingest.codebook import load_codebook
from transforms.report.citation import Citation, base_of, citation

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "raw" / "atmp2030" / "survey.yaml"


def _citation(**changes: object) -> Citation:
    values: dict[str, object] = {
        "title": "Skills survey",
        "edition": "report of wave 2024",
        "source_name": "Skills survey",
        "waves_label": "wave 2024",
    }
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def test_a_published_report_is_cited_by_publisher_year_title_edition_version_and_url() -> None:
    cited = _citation(
        publisher="Agency", published=date(2025, 2, 1), version="2.0", url="https://a.example/s"
    )
    assert cited.reference == (
        "Agency (2025). Skills survey: report of wave 2024, version 2.0. https://a.example/s"
    )
    assert cited.published_text == "1 February 2025"


def test_a_report_without_a_date_is_cited_as_a_draft_and_nothing_is_made_up() -> None:
    cited = _citation()
    assert (
        cited.reference
        == "Skills survey (draft, not yet published). Skills survey: report of wave 2024."
    )
    assert cited.published_text == "Not yet published (draft)"


def test_a_source_line_names_survey_wave_and_base_or_the_waves_a_table_compares() -> None:
    cited = _citation()
    assert cited.source("n = 12 organisations answering") == (
        "Source: Skills survey, wave 2024; n = 12 organisations answering."
    )
    assert cited.source(waves=("2022", "2024")) == "Source: Skills survey, waves 2022 and 2024."


def test_the_base_is_read_from_the_all_sector_rows_and_hidden_counts_are_left_out() -> None:
    rows = [
        {"org_sector": "all", "n_respondents": 140},
        {"org_sector": "all", "n_respondents": 120},
        {"org_sector": "all", "n_respondents": None},  # suppressed
        {"org_sector": "academia", "n_respondents": 3},
    ]
    assert base_of(rows) == "n = 120–140 organisations answering"
    assert base_of([{"org_sector": "all", "n_respondents": 1200.0}]) == (
        "n = 1,200 organisations answering"
    )
    assert base_of([{"n_respondents": None}]) == ""


def test_the_sample_codebook_gives_the_citation_of_each_wave_and_of_the_trend() -> None:
    codebook = load_codebook(SAMPLE)
    wave = citation(codebook, ["2022"])
    assert wave.publisher == codebook.survey.publisher and wave.publisher
    assert wave.source() == f"Source: {codebook.survey.source_name}, wave 2022."
    trend = citation(codebook, ["2022", "2024"], trend=True)
    assert trend.edition == "trend report, waves 2022 and 2024"
    assert trend.published == codebook.waves["2024"].published
