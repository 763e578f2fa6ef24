"""Synthetic sample, codebook: the report's chapters and the free-text coding sections."""

from __future__ import annotations

from transforms.synthetic.spec import (
    CODEBOOK_SKILL_SYNONYMS,
    QUOTE_REVIEWER,
    QUOTES,
    TRAINING_THEME_SYNONYMS,
)
from transforms.synthetic.yaml_text import q


def report_lines() -> list[str]:
    """The report's chapters: the four questions of the published ATMP2030 report."""
    return [
        "# The questions the report answers, one chapter each, with the report sections that",
        "# answer them (hiring, difficulty, skills, importance, supply, training, open-answers).",
        "report:",
        "  questions:",
        "    - id: recruitment-need",
        "      title: How large is the recruitment need?",
        "      sections: [hiring, difficulty]",
        "    - id: skills-asked-for",
        "      title: Which skills do the different actors ask for?",
        "      sections: [skills, importance]",
        "    - id: training-supply",
        "      title: What training exists or is planned?",
        "      sections: [supply]",
        "    - id: training-special",
        "      title: What is special about training in this field?",
        "      sections: [training, open-answers]",
        "",
    ]


def _terms(terms: tuple[str, ...]) -> str:
    return "[" + ", ".join(q(t, flow=True) for t in terms) + "]"


def text_coding_lines() -> list[str]:
    lines = [
        "",
        "# Free-text coding: each coded question's answers are matched (rapidfuzz, accents and",
        "# case ignored) against its scheme's terms: for 'skill' the taxonomy's labels, codes and",
        "# synonyms column; for a code list of `codes` its labels and codes; both plus the",
        "# synonyms below. An answer gets every code scoring at least min_score (0-100).",
        "text_coding:",
        "  other_skills: {scheme: skill, min_score: 90}",
        "  training_special: {scheme: training_theme, min_score: 92}",
        "",
        "# Further terms per scheme and code (extend the taxonomy without editing its file).",
        "synonyms:",
        "  skill:",
        *[f"    {code}: {_terms(terms)}" for code, terms in CODEBOOK_SKILL_SYNONYMS.items()],
        "  training_theme:",
        *[f"    {code}: {_terms(terms)}" for code, terms in TRAINING_THEME_SYNONYMS.items()],
        "",
        "# Reviewed quotes: the only free text a report prints (escaped), in its wave's report.",
        "quotes:",
    ]
    for qid, quotes in QUOTES.items():
        lines.append(f"  {qid}:")
        for wave, text in quotes:
            lines += [
                f'    - wave: "{wave}"',
                f"      text: {q(text)}",
                f"      reviewed_by: {q(QUOTE_REVIEWER)}",
            ]
    return lines
