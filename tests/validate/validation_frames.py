"""Tiny canonical frames and code lists for the validation tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from transforms.core.canonical import TABLES
from transforms.validate.codes import ValidationCodes

CODES = ValidationCodes.from_lists(
    org_sector=["large_pharma", "sme_biotech"],
    org_size_band=["1-49", "250+"],
    region=["north", "south"],
    role=["qc_analyst", "process_engineer"],
    skill=["gmp", "bioinformatics"],
    training_format=["short_course", "degree"],
)

SHA = "a" * 64
_COMMON: dict[str, Any] = {
    "survey_id": "demo",
    "wave": "2022",
    "respondent_key": "r1",
    "source_file": "2022/export.csv",
    "source_sha256": SHA,
}
GOOD: dict[str, dict[str, Any]] = {
    "respondent": {
        "org_sector": "large_pharma",
        "org_size_band": "250+",
        "region": "north",
        "completed": True,
        "platform_status": "normal",
        "submitted_at": pd.Timestamp("2022-03-01 10:00"),
    },
    "hiring_need": {"role_code": "qc_analyst", "horizon": "5y", "headcount": 3},
    "recruitment_difficulty": {"role_code": "qc_analyst", "difficulty": 2},
    "skill_need": {"skill_code": "gmp", "importance": 4, "shortage": 2},
    "training_preference": {"format_code": "short_course", "selected": True},
    "free_text": {"question_id": "other_skills", "text": "Aseptic processing"},
    "answer": {"question_id": "channels", "item_code": "", "option_code": "web", "value": 1.0},
}
# A second, distinct natural key per table (so two default rows do not collide).
SECOND: dict[str, dict[str, Any]] = {
    "respondent": {"respondent_key": "r2"},
    "hiring_need": {"horizon": "1y"},
    "recruitment_difficulty": {"role_code": "process_engineer"},
    "skill_need": {"skill_code": "bioinformatics"},
    "training_preference": {"format_code": "degree"},
    "free_text": {"respondent_key": "r2"},
    "answer": {"option_code": "fair", "value": 0.0},
}


def frame(table: str, *rows: dict[str, Any]) -> pd.DataFrame:
    """Rows of ``table`` with good defaults, canonical column order and dtypes.

    ``source_row`` defaults to the row's position + 2 (header on row 1).
    """
    records = [{**_COMMON, **GOOD[table], "source_row": i + 2, **row} for i, row in enumerate(rows)]
    dtypes = TABLES[table].all_columns
    data = pd.DataFrame(records, columns=list(dtypes))
    return data.astype(dtypes)


def good_frame(table: str) -> pd.DataFrame:
    """Two good rows of ``table``."""
    return frame(table, {}, SECOND[table])
