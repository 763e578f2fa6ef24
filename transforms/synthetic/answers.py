"""Synthetic sample, answer model: what each organisation answers, in canonical codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from transforms.synthetic.population import Organisation, start_time
from transforms.synthetic.spec import ROLE_ITEMS, SKILL_ITEMS, TRAINING_FORMATS
from transforms.synthetic.texts import OTHER_FORMATS

OTHER_SKILLS_PENDING = "(to be drawn)"  # replaced by a text when the wave is assembled
NA = 0  # difficulty code for "Not applicable"
SHORTAGE_ASKED_FROM = 3  # importance value from which the shortage question is shown
BLOCKS = 8  # question pages: org, hires 1y, hires 5y, difficulty, importance, shortage, ...

# Expected five-year hires per organisation (all roles) by sector x size band.
_TOTAL_5Y: dict[tuple[str, str], float] = {
    ("large_pharma", "medium"): 4.0,
    ("large_pharma", "large"): 9.0,
    ("sme_developer", "small"): 3.5,
    ("sme_developer", "medium"): 7.0,
    ("cdmo", "small"): 3.0,
    ("cdmo", "medium"): 6.0,
    ("cdmo", "large"): 9.0,
    ("hospital_region", "medium"): 2.5,
    ("hospital_region", "large"): 3.2,
    ("academia", "small"): 0.5,
    ("academia", "medium"): 1.0,
    ("academia", "large"): 2.5,
    ("public_authority", "small"): 0.3,
    ("public_authority", "medium"): 0.8,
    ("public_authority", "large"): 1.5,
}
_WAVE_GROWTH: dict[str, float] = {"2022": 1.0, "2024": 1.15}
_SHARE_1Y: dict[str, float] = {"2022": 0.30, "2024": 0.33}

# Per sector: role -> (probability the organisation recruits it at all, share of its hires).
_P = tuple[float, float]
_ROLE_PROFILE: dict[str, dict[str, _P]] = {
    "large_pharma": {
        "qc_analyst": (0.9, 0.16), "qa_specialist": (0.9, 0.12), "qualified_person": (0.6, 0.04),
        "gmp_manufacturing": (0.8, 0.16), "process_development": (0.9, 0.16),
        "viral_vector": (0.6, 0.08), "regulatory_affairs": (0.9, 0.10),
        "data_bioinformatics": (0.8, 0.08), "clinical_research": (0.7, 0.06),
        "health_economics": (0.7, 0.04),
    },
    "sme_developer": {
        "qc_analyst": (0.7, 0.15), "qa_specialist": (0.7, 0.12), "qualified_person": (0.5, 0.05),
        "gmp_manufacturing": (0.6, 0.16), "process_development": (0.9, 0.20),
        "viral_vector": (0.5, 0.10), "regulatory_affairs": (0.7, 0.09),
        "data_bioinformatics": (0.5, 0.05), "clinical_research": (0.5, 0.05),
        "health_economics": (0.3, 0.03),
    },
    "cdmo": {
        "qc_analyst": (1.0, 0.24), "qa_specialist": (0.9, 0.16), "qualified_person": (0.8, 0.06),
        "gmp_manufacturing": (1.0, 0.28), "process_development": (0.8, 0.14),
        "viral_vector": (0.7, 0.09), "regulatory_affairs": (0.5, 0.03),
    },
    "hospital_region": {
        "qc_analyst": (0.5, 0.10), "qa_specialist": (0.5, 0.07), "qualified_person": (0.4, 0.04),
        "gmp_manufacturing": (0.5, 0.12), "atmp_nurse": (0.9, 0.30),
        "hospital_pharmacist": (0.8, 0.16), "clinical_research": (0.8, 0.16),
        "health_economics": (0.3, 0.02), "data_bioinformatics": (0.2, 0.03),
    },
    "academia": {
        "process_development": (0.7, 0.30), "viral_vector": (0.6, 0.22),
        "data_bioinformatics": (0.7, 0.22), "gmp_manufacturing": (0.3, 0.10),
        "qc_analyst": (0.3, 0.08), "clinical_research": (0.3, 0.08),
    },
    "public_authority": {
        "regulatory_affairs": (0.8, 0.45), "health_economics": (0.6, 0.30),
        "data_bioinformatics": (0.4, 0.15), "qa_specialist": (0.2, 0.10),
    },
}  # fmt: skip

# Recruitment difficulty: latent = sector + role effect + noise, cut into four levels.
_DIFF_SECTOR: dict[str, float] = {
    "large_pharma": -1.4, "sme_developer": 0.3, "cdmo": 0.3,
    "hospital_region": 0.4, "academia": 0.2, "public_authority": 0.6,
}  # fmt: skip
_DIFF_ROLE: dict[str, float] = {
    "qc_analyst": 0.7, "qa_specialist": 0.7, "qualified_person": 1.0, "gmp_manufacturing": 0.8,
    "process_development": 0.1, "viral_vector": 0.25, "regulatory_affairs": 0.1,
    "data_bioinformatics": -0.4, "atmp_nurse": -0.2, "hospital_pharmacist": -0.2,
    "clinical_research": -0.3, "health_economics": -0.1,
}  # fmt: skip
_DIFF_CUTS = np.array([-0.6, 0.35, 1.25])
_DIFF_WAVE: dict[str, float] = {"2022": 0.0, "2024": -0.05}

# Skill importance (1-5) and shortage (1-4): base mean per skill plus sector adjustments.
_IMPORTANCE: dict[str, float] = {
    "gmp": 4.2, "glp_gdp": 3.4, "qc_qa": 4.2, "jacie": 2.6, "sop_writing": 3.6,
    "gmp_transfer": 3.7, "closed_bioreactor": 3.0, "mrna_production": 2.6,
    "viral_vector_production": 3.0, "potency_purity_assays": 3.6, "cryo_logistics": 3.2,
    "clinical_administration": 2.8, "hospital_exemption": 2.4, "health_economics": 2.7,
    "regulatory_strategy": 3.6, "bioinformatics": 3.0,
}  # fmt: skip
_IMPORTANCE_SECTOR: dict[str, dict[str, float]] = {
    "hospital_region": {
        "jacie": 1.6, "clinical_administration": 1.8, "hospital_exemption": 1.8,
        "cryo_logistics": 0.8, "mrna_production": -0.8, "viral_vector_production": -0.6,
    },
    "academia": {
        "bioinformatics": 1.0, "gmp_transfer": 0.6, "mrna_production": 0.5,
        "viral_vector_production": 0.5, "health_economics": -0.8, "jacie": -0.5,
    },
    "sme_developer": {
        "gmp_transfer": 0.8, "regulatory_strategy": 0.9, "viral_vector_production": 0.3,
    },
    "cdmo": {
        "gmp": 0.6, "qc_qa": 0.6, "closed_bioreactor": 0.9, "viral_vector_production": 0.8,
        "clinical_administration": -1.2, "hospital_exemption": -1.4, "jacie": -0.8,
    },
    "large_pharma": {
        "regulatory_strategy": 0.6, "health_economics": 1.0, "bioinformatics": 0.5,
        "hospital_exemption": -1.2, "jacie": -0.6,
    },
    "public_authority": {
        "regulatory_strategy": 1.0, "health_economics": 1.2, "hospital_exemption": 1.0,
        "closed_bioreactor": -1.2, "mrna_production": -1.0, "viral_vector_production": -1.0,
    },
}  # fmt: skip
_SHORTAGE: dict[str, float] = {
    "gmp": 2.9, "glp_gdp": 2.2, "qc_qa": 3.0, "jacie": 2.2, "sop_writing": 1.9,
    "gmp_transfer": 2.8, "closed_bioreactor": 2.5, "mrna_production": 2.3,
    "viral_vector_production": 2.7, "potency_purity_assays": 2.5, "cryo_logistics": 2.1,
    "clinical_administration": 2.3, "hospital_exemption": 2.3, "health_economics": 2.3,
    "regulatory_strategy": 2.5, "bioinformatics": 1.9,
}  # fmt: skip
_SHORTAGE_SECTOR: dict[str, float] = {"large_pharma": -0.8, "academia": -0.1}

# Preferred training formats: base probability, and sector overrides.
_FORMAT_P: dict[str, float] = {
    "short_course": 0.55, "university_course": 0.30, "e_learning": 0.45, "on_the_job": 0.60,
    "research_school": 0.15, "gmp_placement": 0.30, "other": 0.05,
}  # fmt: skip
_FORMAT_SECTOR: dict[str, dict[str, float]] = {
    "academia": {"research_school": 0.55, "university_course": 0.50},
    "hospital_region": {"gmp_placement": 0.45, "e_learning": 0.60},
    "sme_developer": {"gmp_placement": 0.45},
}


@dataclass
class Response:
    """One organisation's answers in one wave, in canonical codes (None = left blank)."""

    wave: str
    org: Organisation
    sector_answer: str | None
    hires_1y: dict[str, int | str | None]
    hires_5y: dict[str, int | str | None]
    difficulty: dict[str, int | None]  # NA = "Not applicable"
    importance: dict[str, int | None]
    shortage: dict[str, int | None]
    formats: tuple[str, ...] | None
    format_other: str | None
    other_skills: str | None
    started: datetime
    duration_s: int
    blocks: int = BLOCKS  # question pages answered (BLOCKS = finished)
    preview: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    training_special: str | None = None  # drawn last, from a stream of its own (sample.py)

    @property
    def finished(self) -> bool:
        return self.blocks >= BLOCKS


def answer(rng: np.random.Generator, org: Organisation, wave: str) -> Response:
    """Every answer of ``org`` in ``wave`` (a complete response)."""
    relevant, h1, h5 = _hires(rng, org, wave)
    importance = _importance(rng, org.sector)
    formats, other = _formats(rng, org.sector)
    return Response(
        wave=wave,
        org=org,
        sector_answer=org.sector,
        hires_1y=h1,
        hires_5y=h5,
        difficulty=_difficulty(rng, org.sector, relevant, wave),
        importance=importance,
        shortage=_shortage(rng, org.sector, importance),
        formats=formats,
        format_other=other,
        other_skills=OTHER_SKILLS_PENDING if rng.random() < 0.18 else None,
        started=start_time(rng, wave),
        duration_s=int(rng.lognormal(np.log(640), 0.45)),
    )


def _hires(
    rng: np.random.Generator, org: Organisation, wave: str
) -> tuple[set[str], dict[str, int | str | None], dict[str, int | str | None]]:
    """Roles the organisation recruits, and hires within 1 and 5 years (cumulative)."""
    expected = _TOTAL_5Y[(org.sector, org.size)] * org.growth * _WAVE_GROWTH[wave]
    blanks_for_zero = rng.random() < 0.15  # some respondents leave zeros blank
    relevant: set[str] = set()
    h1: dict[str, int | str | None] = {}
    h5: dict[str, int | str | None] = {}
    for role in ROLE_ITEMS:
        p, share = _ROLE_PROFILE[org.sector].get(role, (0.0, 0.0))
        five = 0
        if rng.random() < p:
            relevant.add(role)
            five = int(rng.poisson(expected * share / p))
        one = int(rng.binomial(five, _SHARE_1Y[wave]))
        blank = blanks_for_zero and five == 0
        h1[role] = None if blank else one
        h5[role] = None if blank else five
    return relevant, h1, h5


def _difficulty(
    rng: np.random.Generator, sector: str, relevant: set[str], wave: str
) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for role in ROLE_ITEMS:
        if role not in relevant:
            out[role] = NA if rng.random() < 0.85 else None
            continue
        latent = _DIFF_SECTOR[sector] + _DIFF_ROLE[role] + _DIFF_WAVE[wave] + rng.normal(0, 0.75)
        level = int(np.searchsorted(_DIFF_CUTS, latent)) + 1
        out[role] = None if rng.random() < 0.04 else level
    return out


def _importance(rng: np.random.Generator, sector: str) -> dict[str, int | None]:
    boost = _IMPORTANCE_SECTOR.get(sector, {})
    out: dict[str, int | None] = {}
    for skill in SKILL_ITEMS:
        mean = _IMPORTANCE[skill] + boost.get(skill, 0.0)
        value = int(np.clip(np.rint(mean + rng.normal(0, 0.8)), 1, 5))
        out[skill] = None if rng.random() < 0.03 else value
    return out


def _shortage(
    rng: np.random.Generator, sector: str, importance: dict[str, int | None]
) -> dict[str, int | None]:
    """Shortage, asked (display logic) only for skills rated at least moderately important."""
    out: dict[str, int | None] = {}
    for skill in SKILL_ITEMS:
        imp = importance[skill]
        if imp is None or imp < SHORTAGE_ASKED_FROM:
            out[skill] = None
            continue
        mean = _SHORTAGE[skill] + _SHORTAGE_SECTOR.get(sector, 0.1) + 0.25 * (imp - 3)
        value = int(np.clip(np.rint(mean + rng.normal(0, 0.7)), 1, 4))
        out[skill] = None if rng.random() < 0.04 else value
    return out


def _formats(rng: np.random.Generator, sector: str) -> tuple[tuple[str, ...] | None, str | None]:
    """Chosen training formats (None: question skipped) and the 'other' text."""
    if rng.random() < 0.05:
        return None, None
    probs = {**_FORMAT_P, **_FORMAT_SECTOR.get(sector, {})}
    chosen = [code for code in TRAINING_FORMATS if rng.random() < probs[code]]
    if not chosen:
        chosen = ["short_course"]
    other = str(rng.choice(OTHER_FORMATS)) if "other" in chosen else None
    return tuple(chosen), other
