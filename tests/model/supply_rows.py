"""Base tables for mart_demand_vs_supply, mart_sample and mart_weighting, built by hand.

The six respondents of ``TWO_STRATA`` (tests/model/warehouse_rows.py) in wave 2022 with their
hires and two gmp_skill shortage ratings; roles qc and gmp, skills assay, gmp_skill and unused;
four training offers; a frame with an empty cell pharma/small (N = 0). Read by
tests/model/test_sql_supply_and_sample.py and, through the ``supply_tables`` fixture
(tests/model/conftest.py), by tests/model/test_warehouse.py.
"""

from __future__ import annotations

import pandas as pd

from tests.model.warehouse_rows import (
    SURVEY,
    TWO_STRATA,
    TWO_STRATA_HIRES,
    canonical,
    hiring,
    respondent_tables,
    roles,
    skills,
)
from transforms.model.params import ModelParams

FRAME = pd.DataFrame(
    {
        "survey_id": SURVEY,
        "org_sector": ["pharma", "pharma", "sme"],
        "org_size_band": ["large", "small", "small"],
        "organisations": [10, 0, 20],
    }
)
OFFERS = pd.DataFrame(
    {
        "offer_id": ["o1", "o2", "o3", "o4"],
        "provider": "P",
        "programme": "Course",
        "level": None,
        "credits": None,
        "places_per_year": [10, 5, 100, 7],
        "first_year": [2020, 2025, 2030, 2015],
        "last_year": [2023, None, 2031, 2018],
        "skills": ["gmp_skill; assay", "gmp_skill", "assay", "unused"],
        "source": None,
        "illustrative": False,
    }
)
PARAMS = ModelParams(min_cell=1)


def supply_tables() -> dict[str, pd.DataFrame]:
    """The base tables, fresh on each call."""
    tables = respondent_tables(TWO_STRATA)
    tables["hiring_need"] = hiring(TWO_STRATA_HIRES)
    tables["skill_need"] = canonical(
        "skill_need",
        [
            {"respondent_key": "a1", "skill_code": "gmp_skill", "shortage": 3},
            {"respondent_key": "b1", "skill_code": "gmp_skill", "shortage": 1},
        ],
    )
    tables["ref_role"] = roles("qc", "gmp")
    tables["ref_skill"] = skills("assay", "gmp_skill", "unused")
    tables["ref_role_skill"] = pd.DataFrame(
        {"role_code": ["qc", "qc", "gmp"], "skill_code": ["assay", "gmp_skill", "gmp_skill"]}
    )
    tables["ref_training_offer"] = OFFERS
    tables["ref_population_frame"] = FRAME
    return tables
