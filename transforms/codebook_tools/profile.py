"""Codebook tools, answer profiles: what kind of question a group of columns holds, from its
answers (never from its position), and the choice list a value_map is drafted from.

- split multi-select: every item column holds one 'selected' mark (1, Y, Yes, the option's
  own text) or a 'not selected' one (0, No);
- numeric grid: nine in ten answers are numbers;
- ordinal grid: a few text answers repeated across the items (a rating scale);
- joined multi-select (one column): choices joined by ";", "|" or "," that recur across rows;
- single: few distinct answers, each given by several respondents;
- text: many distinct or long answers, or a column the platform marks as text entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from transforms.codebook_tools.groups import ColumnGroup

SELECTED_MARKS = frozenset(
    {"1", "Y", "Yes", "yes", "x", "X", "Selected", "Checked", "True", "true"}
)
NOT_SELECTED = frozenset({"0", "No", "N", "False", "false", "Not selected"})  # as apply_codebook
MISSING_ANSWERS = (
    "not applicable",
    "n/a",
    "na",
    "don't know",
    "dont know",
    "do not know",
    "don’t know",
    "prefer not to say",
    "prefer not to answer",
    "no basis for evaluation",
    "no opinion",
    "can't say",
    "cannot say",
    "unsure",
    "not sure",
    "vet ej",
    "ej aktuellt",
)
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_MULTI_WORDS = re.compile(r"select all|all that apply|check all|as many as|tick all|multiple")
_TEXT_WORDS = re.compile(
    r"please (specify|describe|explain|list)|comment|\bwhy\b|anything else|tell us|"
    r"suggestion|free text|in your own words|other \(|enter your"
)
_COUNT_WORDS = re.compile(r"how many|number of|how much|hours|years|months|percent|%|\bage\b")
_RATING_WORDS = re.compile(r"importan|difficult|shortage|agree|satisf|rate|likely|often|extent")
_DELIMITERS = (";", "|", ",")
_MAX_CHOICES = 40
_MAX_SCALE = 15
_NUMERIC_SHARE = 0.9


@dataclass
class Profile:
    """What the answers of one question look like."""

    type: str  # single | multi | numeric_grid | ordinal_grid | text | numeric | empty
    choices: list[str] = field(default_factory=list)  # distinct answers, most frequent first
    joined: str | None = None  # delimiter of a joined multi-select column
    missing: list[str] = field(default_factory=list)  # answers meaning 'no answer'
    numeric_scale: bool = False  # ordinal answers are numeric recodes
    answers: int = 0
    note: str = ""


def answers_of(series: pd.Series) -> list[str]:
    """Non-empty answers, whitespace stripped."""
    return [s for s in (str(v).strip() for v in series.dropna()) if s]


def is_number(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value))


def is_missing_answer(value: str) -> bool:
    return value.strip().lower().rstrip(".") in MISSING_ANSWERS


def _by_frequency(values: list[str]) -> list[str]:
    counts = Counter(values)
    first = {v: i for i, v in reversed(list(enumerate(values)))}
    return sorted(counts, key=lambda v: (-counts[v], first[v]))


def profile_group(group: ColumnGroup, data: pd.DataFrame, *, expect_multi: bool = False) -> Profile:
    """The profile of a group: itemised (grid or split multi-select) or one column.
    ``expect_multi``: the text asks for several answers, so one joined cell is enough."""
    text = group.text.lower()
    if group.itemised:
        return _profile_items(group, data, text)
    values = answers_of(data[group.answers[0].key])
    return _profile_column(values, text, group.text_hint, expect_multi)


def _profile_items(group: ColumnGroup, data: pd.DataFrame, text: str) -> Profile:
    per_item = {a.key: answers_of(data[a.key]) for a in group.answers}
    values = [v for answers in per_item.values() for v in answers]
    if not values:
        return Profile("empty", note="no answers in this export")
    if not group.text_hint and _is_split_multi(group, per_item, text):
        return Profile("multi", answers=len(values), note="one column per option")
    missing = _by_frequency([v for v in values if is_missing_answer(v)])
    rated = [v for v in values if not is_missing_answer(v)]
    if rated and len([v for v in rated if is_number(v)]) / len(rated) >= _NUMERIC_SHARE:
        distinct = {float(v.replace(",", ".")) for v in rated if is_number(v)}
        small_ints = all(d.is_integer() and 0 <= d <= 10 for d in distinct)
        if (
            small_ints
            and len(distinct) <= 11
            and _RATING_WORDS.search(text)
            and not _COUNT_WORDS.search(text)
        ):
            # the scale's end points are often labelled: "0 - Not at all", "10 - Completely"
            labelled = {v for v in rated if not is_number(v) and _number_label(v) is not None}
            points = {v for v in rated if is_number(v)} | labelled
            choices = sorted(points, key=lambda v: float(_number_label(v) or v))
            return Profile("ordinal_grid", choices, None, missing, True, len(values), "numeric")
        others = len(rated) - len([v for v in rated if is_number(v)])
        note = f"{others} answer(s) are not numbers" if others > 0 else ""
        return Profile("numeric_grid", [], None, missing, answers=len(values), note=note)
    distinct_text = _by_frequency(rated)
    if group.text_hint or len(distinct_text) > _MAX_SCALE or _long(rated):
        return Profile("text", answers=len(values), note="many distinct answers per item")
    return Profile("ordinal_grid", distinct_text, None, missing, answers=len(values))


def _is_split_multi(group: ColumnGroup, per_item: dict[str, list[str]], text: str) -> bool:
    labels = {a.key: a.label for a in group.answers}
    all_values: set[str] = set()
    for key, answers in per_item.items():
        chosen = {v for v in answers if v not in NOT_SELECTED}
        if len(chosen) > 1:
            return False
        if chosen and not chosen <= SELECTED_MARKS | {labels[key]}:
            return False
        all_values |= set(answers)
    if all_values <= {"0", "1"} and "0" in all_values and _COUNT_WORDS.search(text):
        return False  # a headcount grid answered with 0 and 1 only
    return bool(all_values)


def _long(values: list[str]) -> bool:
    return bool(values) and sum(len(v) for v in values) / len(values) > 60


def _profile_column(values: list[str], text: str, text_hint: bool, expect_multi: bool) -> Profile:
    if not values:
        return Profile("empty", note="no answers in this export")
    if text_hint:
        return Profile("text", answers=len(values), note="the platform marks it as text entry")
    missing = _by_frequency([v for v in values if is_missing_answer(v)])
    rated = [v for v in values if not is_missing_answer(v)]
    numbers = [v for v in rated if is_number(v)]
    if rated and len(numbers) / len(rated) >= _NUMERIC_SHARE:
        distinct = _by_frequency(numbers)
        codes = all(float(v.replace(",", ".")).is_integer() for v in distinct)
        if not _COUNT_WORDS.search(text) and codes and len(distinct) <= 10:
            note = "answers are numeric codes: the platform's recode values"
            return Profile("single", distinct, None, missing, answers=len(values), note=note)
        return Profile("numeric", answers=len(values), note="answers are numbers")
    joined = _joined(rated, expect_multi or bool(_MULTI_WORDS.search(text)))
    if joined is not None:
        delimiter, choices = joined
        return Profile("multi", choices, delimiter, missing, answers=len(values), note="joined")
    distinct = _by_frequency(rated)
    clearly_choices = len(rated) >= 10 and len(distinct) <= min(30, len(rated) / 3)
    few = len(distinct) <= 30 and (len(distinct) <= len(rated) / 2 or len(rated) < 10)
    if not clearly_choices and (_TEXT_WORDS.search(text) or _long(rated) or not few):
        return Profile("text", answers=len(values), note="many distinct or long answers")
    return Profile("single", distinct, None, missing, answers=len(values))


def _joined(values: list[str], asked_multi: bool) -> tuple[str, list[str]] | None:
    """(delimiter, choices) when the answers are choices joined by a delimiter, else None."""
    for delimiter in _DELIMITERS:
        cells = [v for v in values if delimiter in v]
        if not cells or (len(cells) < 2 and not asked_multi):
            continue
        split = [split_choices(v, delimiter) for v in values]
        pieces = [p for cell in split for p in cell]
        distinct = set(pieces)
        several = sum(len(cell) > 1 for cell in split)
        if not distinct or len(distinct) > _MAX_CHOICES or several == 0:
            continue
        recurring = len(pieces) / len(distinct) >= 1.5
        if (asked_multi or (several >= 2 and recurring)) and not _long(pieces):
            return (delimiter if delimiter != "," else _comma_style(values)), _by_frequency(pieces)
    return None


def _comma_style(values: list[str]) -> str:
    """Qualtrics joins with "," (no space); Google Forms with ", "."""
    return "," if any(re.search(r",\S", v) for v in values) else ", "


def split_choices(cell: str, delimiter: str) -> list[str]:
    """A joined cell split into choices. A piece that starts with a space (after a bare ",") or
    a lowercase letter continues the previous choice ("On-the-job training, mentoring")."""
    pieces = cell.split(delimiter)
    bare_comma = delimiter == "," and bool(re.search(r",\S", cell))
    out: list[str] = []
    for piece in pieces:
        continues = out and (
            (bare_comma and piece.startswith(" "))
            or (delimiter == "," and piece.strip()[:1].islower())
        )
        if continues:
            out[-1] = f"{out[-1]},{piece}"
        else:
            out.append(piece)
    return [p.strip() for p in out if p.strip()]


_SCALE_WORDS: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (rank, re.compile(pattern))
    for rank, pattern in (
        (0.5, r"strongly disagree|not at all|never|none\b"),
        (5.0, r"extremely|critical|essential|always|strongly agree|very high|excellent"),
        (3.0, r"neither|neutral"),
        (3.5, r"somewhat agree|slightly agree|mostly agree"),
        (1.0, r"^(not|no)\b|disagree|very low|poor"),
        (4.0, r"^very\b|severe|major|large|high|often|agree|great"),
        (3.0, r"moderate|medium|neutral|neither|average|fair|sometimes"),
        (2.0, r"slight|minor|somewhat|a little|low|rarely|small|some\b"),
    )
)
_LEADING_NUMBER = re.compile(r"\s*(\d+)\s*[-–.:)]?\s*")


def scale_values(choices: list[str]) -> dict[str, int]:
    """A guessed order of rating answers, as scale values 1..n (lowest first): a leading number
    ("1 - Not important") wins; else words (not/no < slight/minor < moderate < very/severe <
    extremely/critical); answers without a known word sit mid-scale; ties keep their order.
    When every answer is a number or a labelled number ("0 - Not at all"), the number is the
    value."""
    numeric = [c for c in choices if is_number(c)]
    if numeric and len(numeric) == len(choices):
        return {c: int(float(c)) for c in choices}
    numbers = {c: c if is_number(c) else _number_label(c) for c in choices}
    if numeric and all(n is not None for n in numbers.values()):
        return {c: int(float(str(n))) for c, n in numbers.items()}
    ranked: list[tuple[float, int, str]] = []
    for order, choice in enumerate(choices):
        ranked.append((_rank(choice), order, choice))
    ranked.sort()
    return {choice: value for value, (_, _, choice) in enumerate(ranked, start=1)}


_NUMBER_LABEL = re.compile(r"\s*(\d+)\s*[-–.:=)]\s*\S")


def _number_label(choice: str) -> str | None:
    """The number of a labelled scale point ("10 - Completely satisfied" -> "10"), or None."""
    match = _NUMBER_LABEL.match(choice)
    return match.group(1) if match else None


def _rank(choice: str) -> float:
    number = _LEADING_NUMBER.match(choice)
    if number is not None and number.group(1):
        return float(number.group(1))
    lowered = choice.lower()
    for rank, pattern in _SCALE_WORDS:
        if pattern.search(lowered):
            return rank
    return 2.5  # an unknown word ("Important") sits mid-scale
