"""Base-table rows for SQL model tests: a few respondents in two strata, built in one line each.

``Respondent`` rows give the respondent and respondent_weight tables; ``build`` loads base
tables into a fresh in-memory DuckDB and runs every model of the manifest. ``TWO_STRATA`` and
``TWO_STRATA_HIRES`` are the six respondents and hires that several mart tests share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from transforms.core.canonical import TABLES
from transforms.model.params import ModelParams
from transforms.model.warehouse import load_base_tables, run_models

SURVEY = "demo"
WAVE = "2022"


@dataclass(frozen=True)
class Respondent:
    key: str
    sector: str
    size: str
    stratum: str
    weight: float
    wave: str = WAVE


# Six respondents in two post-strata, wave 2022: A = pharma/large (N = 10) holds a1, a2, a3
# with weight 10/3; B = sme/small (N = 20) holds b1, b2, b3 with weight 20/3.
A, B = "pharma/large", "sme/small"
WA, WB = 10 / 3, 20 / 3
TWO_STRATA = [
    Respondent("a1", "pharma", "large", A, WA),
    Respondent("a2", "pharma", "large", A, WA),
    Respondent("a3", "pharma", "large", A, WA),
    Respondent("b1", "sme", "small", B, WB),
    Respondent("b2", "sme", "small", B, WB),
    Respondent("b3", "sme", "small", B, WB),
]
# Their hires (respondent, role, horizon, headcount). 5-year qc: a1 4, a2 2, b1 1, b2 0, b3 3;
# a3 answered only the 1-year grid (so counts 0 for 5 years). 5-year gmp: a1 1, b1 2.
TWO_STRATA_HIRES = [
    ("a1", "qc", "5y", 4),
    ("a2", "qc", "5y", 2),
    ("b1", "qc", "5y", 1),
    ("b2", "qc", "5y", 0),
    ("b3", "qc", "5y", 3),
    ("a1", "gmp", "5y", 1),
    ("b1", "gmp", "5y", 2),
    ("a3", "gmp", "1y", 1),
]


def canonical(name: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    """A canonical table with every column; unnamed columns are NULL, survey defaults to SURVEY."""
    columns = TABLES[name].all_columns
    filled = [{"survey_id": SURVEY, "wave": WAVE, **row} for row in rows]
    frame = pd.DataFrame(filled, columns=list(columns))
    return frame.astype(columns)


def respondent_tables(respondents: list[Respondent]) -> dict[str, pd.DataFrame]:
    respondent = canonical(
        "respondent",
        [
            {
                "wave": r.wave,
                "respondent_key": r.key,
                "org_sector": r.sector,
                "org_size_band": r.size,
                "completed": True,
                "source_row": i + 4,
            }
            for i, r in enumerate(respondents)
        ],
    )
    weights = pd.DataFrame(
        {
            "survey_id": SURVEY,
            "wave": [r.wave for r in respondents],
            "respondent_key": [r.key for r in respondents],
            "stratum": [r.stratum for r in respondents],
            "weight": [r.weight for r in respondents],
        }
    )
    return {"respondent": respondent, "respondent_weight": weights}


def hiring(rows: list[tuple[str, str, str, int]], wave: str = WAVE) -> pd.DataFrame:
    """(respondent_key, role_code, horizon, headcount) rows as a hiring_need table."""
    return canonical(
        "hiring_need",
        [
            {"wave": wave, "respondent_key": k, "role_code": r, "horizon": h, "headcount": n}
            for k, r, h, n in rows
        ],
    )


def roles(*codes: str) -> pd.DataFrame:
    """A ref_role table: label is the code in capitals."""
    labels = [c.upper() for c in codes]
    return pd.DataFrame(
        {"role_code": codes, "label": labels, "role_family": None, "isco_code": None}
    )


def skills(*codes: str) -> pd.DataFrame:
    """A ref_skill table: label is the code in title case."""
    labels = [c.title() for c in codes]
    return pd.DataFrame(
        {"skill_code": codes, "label": labels, "skill_family": None, "esco_uri": None}
    )


def build(
    tables: dict[str, pd.DataFrame], params: ModelParams | None = None
) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory warehouse with the given base tables and every model built."""
    con = duckdb.connect()
    load_base_tables(con, tables)
    run_models(con, params or ModelParams())
    return con


def rows(con: duckdb.DuckDBPyConnection, model: str, **where: object) -> list[dict[str, object]]:
    """A model's rows matching column = value filters (wave WAVE unless given), as dicts."""
    frame = con.table(model).df()
    if "wave" in frame.columns:
        where.setdefault("wave", WAVE)
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return [{str(k): v for k, v in record.items()} for record in frame.to_dict(orient="records")]


def one(con: duckdb.DuckDBPyConnection, model: str, **where: object) -> dict[str, Any]:
    """The one row of a model matching the filters (wave WAVE unless given)."""
    found = rows(con, model, **where)
    assert len(found) == 1, f"expected one row of {model} where {where}, got {len(found)}"
    return found[0]
