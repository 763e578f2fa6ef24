"""Codebook tools, target suggestions: which canonical field a question probably fills, from
keywords in its text (English, with a few Swedish words). Only a suggestion: `init` marks every
one for the analyst to confirm, and leaves a question unmapped when nothing matches."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Targets one wave may fill from one question only (a second would overwrite the first).
SINGLE_USE_TARGETS = frozenset(
    {
        "respondent.org_sector",
        "respondent.org_size_band",
        "respondent.region",
        "recruitment_difficulty.difficulty",
        "skill_need.importance",
        "skill_need.shortage",
        "training_preference.format_code",
    }
)
# Preferred question id per target.
TARGET_IDS = {
    "respondent.org_sector": "org_sector",
    "respondent.org_size_band": "org_size_band",
    "respondent.region": "region",
    "hiring_need.headcount": "hires",
    "recruitment_difficulty.difficulty": "recruitment_difficulty",
    "skill_need.importance": "skill_importance",
    "skill_need.shortage": "skill_shortage",
    "training_preference.format_code": "training_format",
}

_ORG = r"organi[sz]ation|company|employer|institution|business|firm|workplace|organisa"
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "recruitment_difficulty.difficulty",
        (
            r"(difficult|hard|challeng|easy|svart)\w*\W+(\w+\W+){0,8}?"
            r"(recruit|hire|hiring|find|fill|rekryter)",
            r"hard[- ]to[- ]fill",
        ),
    ),
    (
        "hiring_need.headcount",
        (
            r"(how many|number of|antal|hur manga)\W+(\w+\W+){0,12}?"
            r"(hire|hiring|recruit\w*|employ\b|rekryter\w*|anstalla\b|nyanstall\w*)",
            r"(hiring|recruitment) (need|demand|plan)",
        ),
    ),
    (
        "skill_need.shortage",
        (
            r"(skill|competenc|knowledge|expertise|kompetens)\w*\W+(\w+\W+){0,12}?"
            r"(shortage|lack|gap|missing|short of|scarc|brist)",
            r"(shortage|lack|gap|scarc|brist)\w*\W+(\w+\W+){0,8}?"
            r"(skill|competenc|knowledge|expertise|kompetens)",
        ),
    ),
    (
        "skill_need.importance",
        (
            r"(important|importance|priorit|relevan|need|viktig)\w*\W+(\w+\W+){0,12}?"
            r"(skill|competenc|knowledge|expertise|kompetens)",
            r"(skill|competenc|knowledge|expertise|kompetens)\w*\W+(\w+\W+){0,12}?"
            r"(important|importance|priorit|relevan|needed|viktig)",
        ),
    ),
    (
        "training_preference.format_code",
        (
            r"(training|course|learning|upskill|education|utbildning)\w*\W+(\w+\W+){0,6}?"
            r"(format|type|kind|mode|delivery|prefer)",
            r"(format|type|kind|mode|prefer)\w*\W+(\w+\W+){0,6}?"
            r"(training|course|learning|upskill|education|utbildning)",
        ),
    ),
    (
        "respondent.org_size_band",
        (
            r"\b(employees|staff|headcount|anstallda|medarbetare)\b",
            rf"\bsize of (your|the) ({_ORG})",
            rf"({_ORG}) size",
        ),
    ),
    (
        "respondent.org_sector",
        (
            r"\bsector\b|\bindustry\b|\bbransch",
            rf"(type|kind) of ({_ORG})",
            rf"({_ORG}) type",
            rf"best describes? (your|the) ({_ORG})",
            rf"which (type|kind) .*({_ORG})",
        ),
    ),
    (
        "respondent.region",
        (
            r"\bregion|\bcounty\b|\blocated\b|\blocation\b|\bbased\b|\bcountry\b|\bcity\b"
            r"|\bprovince\b|\bmunicipality\b|\blan\b|\bkommun",
        ),
    ),
)
_HORIZONS = (
    ("1y", r"\b(1|one) year|12 months|next year|within a year|this year|\bett ar\b|12 manader"),
    ("5y", r"\b(5|five) years|60 months|\bfem ar\b|5 ar\b"),
)


@dataclass(frozen=True)
class Suggestion:
    target: str
    because: str  # the words that matched
    constants: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # why the suggestion cannot be used as it stands


def plain(text: str) -> str:
    """Lowercase ASCII text for keyword matching ("Hur många anställda" -> "hur manga
    anstallda")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_text.lower().split())


def suggest_target(text: str) -> Suggestion | None:
    """The canonical target a question's text points to, or None."""
    words = plain(text)
    for target, patterns in _RULES:
        for pattern in patterns:
            match = re.search(pattern, words)
            if match is None:
                continue
            because = match.group(0).strip()
            if target != "hiring_need.headcount":
                return Suggestion(target, because)
            horizon = _horizon(words)
            if horizon is None:
                return Suggestion(
                    target,
                    because,
                    problem="no horizon found in the text: set constants.horizon to 1y or 5y",
                )
            return Suggestion(target, because, {"horizon": horizon})
    return None


def _horizon(words: str) -> str | None:
    """The hiring horizon the text names first ("within 5 years (including those within 12
    months)" is 5y)."""
    found = [(m.start(), h) for h, p in _HORIZONS if (m := re.search(p, words))]
    return min(found)[1] if found else None
