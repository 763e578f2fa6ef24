"""Report step, sections: which topics a wave's report covers, and why the others are absent.

A survey need not ask everything the canonical model holds: an employee-side skills survey has
no hiring question, a survey without a population frame is not weighted. The report leaves
out the sections of topics the wave did not ask about (`ReportMeta.asked`, from the codebook)
and says so in plain words, instead of showing empty tables and charts. A topic that was
asked but has no publishable estimate keeps its section (it says that too few answered).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from transforms.report.values import ReportMeta

HIRING = "hiring_need.headcount"
DIFFICULTY = "recruitment_difficulty.difficulty"
SHORTAGE = "skill_need.shortage"
IMPORTANCE = "skill_need.importance"
TRAINING = "training_preference.format_code"
SECTOR = "respondent.org_sector"


@dataclass(frozen=True)
class Section:
    """One section of the report: anchor id, contents title, and whether it is shown."""

    id: str
    title: str
    shown: bool = True
    absent: str = ""  # for a section left out: the sentence saying why


def report_sections(meta: ReportMeta, frames: dict[str, pd.DataFrame]) -> dict[str, Section]:
    """The report's sections in order, keyed by id; the left-out ones say why."""
    hiring = meta.asks(HIRING)
    supply = hiring and not frames["demand_vs_supply"].empty
    if not hiring:
        no_supply = (
            "Without a hiring question there is no demand to set against training supply, so "
            "the report has no comparison of hires with training places and no skill-gap index."
        )
    else:
        no_supply = (
            "Expected hires cannot be set against training places for this wave (there is no "
            "skill taxonomy linking roles to skills, or no organisation answered the hiring "
            "question), so there is no skill-gap index."
        )
    sections = [
        Section("key-findings", "Key findings"),
        _topic(
            "hiring",
            "Hiring demand by role and horizon",
            hiring,
            "This survey did not ask about hiring plans, so the report has no estimates of "
            "expected hires.",
        ),
        _topic(
            "difficulty",
            "Recruitment difficulty by sector",
            meta.asks(DIFFICULTY),
            "This survey did not ask how difficult it is to recruit for each role.",
        ),
        _topic(
            "skills",
            "Skill shortages",
            meta.asks(SHORTAGE),
            "This survey did not ask about skill shortages.",
        ),
        _topic(
            "importance",
            "Skill importance",
            meta.asks(IMPORTANCE),
            "This survey did not ask how important each skill is.",
        ),
        _topic("supply", "Demand against training supply", supply, no_supply),
        _topic(
            "training",
            "Training preferences",
            meta.asks(TRAINING),
            "This survey did not ask which training formats organisations prefer.",
        ),
        Section("waves", "Change between waves"),
        Section("method", "Method"),
        Section("data-quality", "Data quality"),
    ]
    return {s.id: s for s in sections}


def _topic(section_id: str, title: str, asked: bool, absent: str) -> Section:
    return Section(section_id, title, asked, "" if asked else absent)


def by_sector(meta: ReportMeta) -> bool:
    """Whether the wave asked for the organisation's sector (else no sector breakdowns)."""
    return meta.asks(SECTOR)


def weighted(frames: dict[str, pd.DataFrame]) -> bool:
    """Whether the wave was weighted to a population frame (mart_weighting.method not none)."""
    methods = set(frames["weighting"].get("method", pd.Series(dtype="string")).dropna())
    return "none" not in methods
