"""The reference tests' rows: three waves of one survey, weighted as the flow weights them.

Wave 2022: sixteen respondents in four frame cells, post-stratified; t1 is alone in sme/large
(a single-respondent stratum) and p5 skipped the hiring question. Wave 2023: two equal cells
with equal weights, half of each stratum rating qc recruitment difficult. Wave 2024: the
respondents of 2022, raked to the frame's margins, all of them answering the hiring question.
tests/model/test_reference_estimates.py checks the marts built from them against svy,
statsmodels and a published example; tests/model/test_dictionary.py reads the built tables.
"""

from __future__ import annotations

import pandas as pd

from tests.model.warehouse_rows import (
    Respondent,
    canonical,
    hiring,
    respondent_tables,
    roles,
    skills,
)
from transforms.model.params import ModelParams
from transforms.model.weighting import post_stratify, rake

NORMAL = ModelParams.for_confidence(0.95, min_cell=1)  # 95% normal intervals, nothing hidden
KEYS = ("survey_id", "wave", "respondent_key")
FRAME = pd.DataFrame(
    {
        "org_sector": ["pharma", "pharma", "sme", "sme"],
        "org_size_band": ["large", "small", "small", "large"],
        "organisations": [12, 20, 30, 3],
    }
)
CELLS = {  # respondents per frame cell; t1 alone in sme/large (a single-respondent stratum)
    ("pharma", "large"): ["a1", "a2", "a3", "a4"],
    ("pharma", "small"): ["p1", "p2", "p3", "p4", "p5"],
    ("sme", "small"): ["s1", "s2", "s3", "s4", "s5", "s6"],
    ("sme", "large"): ["t1"],
}
HIRES = [  # (respondent, role, horizon, headcount); p5 skipped the hiring question
    *[("a1", "qc", "5y", 4), ("a1", "qc", "1y", 1), ("a2", "qc", "5y", 2), ("a3", "gmp", "5y", 3)],
    *[("a4", "qc", "1y", 0), ("p1", "qc", "5y", 6), ("p2", "gmp", "5y", 1), ("p3", "qc", "5y", 0)],
    *[("p4", "qc", "5y", 3), ("p4", "gmp", "1y", 2), ("s1", "qc", "5y", 1), ("s2", "qc", "5y", 2)],
    *[("s3", "gmp", "5y", 5), ("s4", "qc", "1y", 1), ("s5", "qc", "5y", 0), ("s6", "gmp", "5y", 2)],
    ("t1", "qc", "5y", 7),
]
DIFFICULTY = {  # respondent -> {role: difficulty 1-4}
    **{"a1": {"qc": 4, "gmp": 2}, "a2": {"qc": 1}, "a3": {"qc": 3, "gmp": 3}, "p1": {"qc": 2}},
    **{"p2": {"qc": 4, "gmp": 1}, "p4": {"qc": 3}, "s1": {"qc": 1, "gmp": 4}, "s2": {"qc": 2}},
    **{"s3": {"qc": 3}, "s5": {"gmp": 2}, "s6": {"qc": 4, "gmp": 3}, "t1": {"qc": 1}},
}
SHORTAGE = {"a1": 3, "a2": 1, "a4": 4, "p1": 2, "p3": 3, "s2": 1, "s4": 4, "s6": 2, "t1": 3}
TRAINING = {"a1": {"short_course"}, "a3": set(), "p2": {"short_course", "e_learning"}}
TRAINING |= {"s1": {"e_learning"}, "s3": {"short_course"}, "t1": {"e_learning"}}
# Wave 2023: equal weights, f_h = 1/n_h, the same share in every stratum (Kish = Taylor).
EQUAL = {("a", "x"): ["e1", "e2", "e3", "e4"], ("b", "x"): ["e5", "e6", "e7", "e8"]}
EQUAL_FRAME = pd.DataFrame({"org_sector": ["a", "b"], "org_size_band": "x", "organisations": 16})
EQUAL_DIFFICULT = {"e1", "e2", "e5", "e6"}


def respondents(cells: dict[tuple[str, str], list[str]], wave: str) -> pd.DataFrame:
    """A wave's respondent table: each key in its frame cell (sector, size band)."""
    keys = [(k, s, b) for (s, b), ks in cells.items() for k in ks]
    return canonical(
        "respondent",
        [
            {"wave": wave, "respondent_key": k, "org_sector": s, "org_size_band": b}
            for k, s, b in keys
        ],
    )


def _weighted(people: pd.DataFrame, weights: pd.DataFrame) -> list[Respondent]:
    joined = people.merge(weights, on=[*KEYS])
    return [
        Respondent(r.respondent_key, r.org_sector, r.org_size_band, r.stratum, r.weight, r.wave)
        for r in joined.itertuples()
    ]


WEIGHTS = {
    "2022": post_stratify(respondents(CELLS, "2022"), FRAME)[0],
    "2023": post_stratify(respondents(EQUAL, "2023"), EQUAL_FRAME)[0],
    "2024": rake(respondents(CELLS, "2024"), FRAME, tolerance=1e-12)[0],
}


def equal_flags() -> dict[str, bool]:
    """Wave 2023's raters: half of each stratum finds qc recruitment difficult."""
    return {k: k in EQUAL_DIFFICULT for keys in EQUAL.values() for k in keys}


def reference_tables() -> dict[str, pd.DataFrame]:
    """Base tables of the three waves, fresh on each call."""
    people = [
        *_weighted(respondents(CELLS, "2022"), WEIGHTS["2022"]),
        *_weighted(respondents(EQUAL, "2023"), WEIGHTS["2023"]),
        *_weighted(respondents(CELLS, "2024"), WEIGHTS["2024"]),
    ]
    tables = respondent_tables(people)
    # Wave 2024: everyone answered the hiring question (p5 too), so the weights are the raked ones.
    everyone = [*HIRES, ("p5", "qc", "1y", 0)]
    tables["hiring_need"] = pd.concat([hiring(HIRES, "2022"), hiring(everyone, "2024")])
    ratings = [
        {"wave": "2022", "respondent_key": k, "role_code": r, "difficulty": d}
        for k, by_role in DIFFICULTY.items()
        for r, d in by_role.items()
    ]
    ratings += [
        {"wave": "2023", "respondent_key": k, "role_code": "qc", "difficulty": 1 + 3 * hard}
        for k, hard in equal_flags().items()
    ]
    tables["recruitment_difficulty"] = canonical("recruitment_difficulty", ratings)
    tables["skill_need"] = canonical(
        "skill_need",
        [{"respondent_key": k, "skill_code": "assay", "shortage": v} for k, v in SHORTAGE.items()],
    )
    tables["training_preference"] = canonical(
        "training_preference",
        [
            {"respondent_key": k, "format_code": f, "selected": f in chosen}
            for k, chosen in TRAINING.items()
            for f in ("short_course", "e_learning")
        ],
    )
    tables["ref_role"] = roles("qc", "gmp")
    tables["ref_skill"] = skills("assay")
    return tables
