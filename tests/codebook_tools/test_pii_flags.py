"""The draft's PII flags: organisation names, addresses, websites, places and tokens too."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms.codebook_tools.pii_columns import content_pii, pii_by_name
from transforms.ingest.readers.base import ColumnInfo


def _column(header: str) -> ColumnInfo:
    return ColumnInfo(key=header, tag=header, text=header, position=0)


@pytest.mark.parametrize(
    "header",
    [
        "Organisation name",
        "Name of your organization",
        "Company",
        "Postal address",
        "Website",
        "City",
        "Facility name",
        "Site",
        "ResponseToken",
        "Address",
    ],
)
def test_headers_naming_organisations_places_and_tokens_are_flagged(header: str) -> None:
    assert pii_by_name(_column(header)) is not None


@pytest.mark.parametrize(
    "header", ["How is training addressed in your organisation?", "Sector", "Q12_3", "Citation"]
)
def test_question_texts_that_merely_contain_such_words_are_not(header: str) -> None:
    assert pii_by_name(_column(header)) is None


def test_answers_that_are_websites_or_unique_tokens_are_flagged() -> None:
    sites = pd.Series(["https://example.se", "www.lab.org", "cellco.com/about", None])
    assert content_pii(sites).kind == "website"
    tokens = pd.Series([f"tok{n:04d}a9f3e2b7c1d5" for n in range(20)])
    assert content_pii(tokens).kind == "token"
    codes = pd.Series(["GMPQUALIFIED2024X"] * 20)  # one code everybody chose: an answer
    assert content_pii(codes).kind is None
    assert content_pii(pd.Series(["3.5", "Cell therapy", "12"])).kind is None
