"""Codebook tools, grouping: an export's answer columns gathered into questions.

One question per platform question id, with its items (grid rows, multi-select options):
- Qualtrics: ImportId or export tag stems (``QID4_1``..``QID4_12`` and Insights ``QID4-1`` ->
  ``QID4`` with items; ``QID9_7_TEXT`` -> the 'other' text of ``QID9``; ``QID10_TEXT`` -> the
  text answer of ``QID10``; side-by-side ``QID4#1_1`` -> ``QID4#1``; Loop & Merge ``1_QID4``);
- SurveyMonkey: the row-1 question text carried over its columns (key ``question | label``);
  ``Response``/``Open-Ended Response`` is the one answer column, ``Other (please specify)``
  the 'other' text;
- LimeSurvey: ``G01Q02[SQ003]`` -> ``G01Q02`` with item ``SQ003``; ``[other]`` and
  ``[SQ001comment]`` columns are 'other' texts;
- Google Forms: ``Question [Row]`` -> ``Question`` with item ``Row``;
- SPSS, Microsoft Forms, generic: one question per column, except neighbours whose labels share
  a ``set label - item`` prefix (SPSS multiple-response sets) or a ``Question [Row]`` form.
Item labels are what follows the question text (Qualtrics ``Question - QC analyst``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.codebook_tools.platforms import is_metadata
from transforms.ingest.readers.base import ColumnInfo, RawExport

_QUALTRICS_STEM = re.compile(r"(?P<stem>(?:\d+_)?[A-Za-z]+\d+(?:#\d+)?)(?:[_-](?P<item>.+))?")
_QUALTRICS_TEXT = re.compile(r"(?P<base>.+?)[_-]TEXT")
_LIMESURVEY_KEY = re.compile(r"(?P<stem>[^\[\]]+)\[(?P<item>[^\[\]]+)\](?:\[(?P<sub>[^\[\]]+)\])?")
_BRACKET_LABEL = re.compile(r"(?P<question>.*?)\s*\[(?P<label>[^\[\]]*)\]\s*")
_SINGLE_LABELS = frozenset({"", "Response", "Open-Ended Response"})
_LABEL_SEPARATORS = (" - ", "-", ": ", " ")


@dataclass(frozen=True)
class AnswerColumn:
    key: str
    item: str | None  # platform item id (QID4_1 -> "1"), None for a one-column question
    label: str  # item label as the export shows it, "" for a one-column question


@dataclass
class ColumnGroup:
    """The columns of one platform question."""

    stem: str  # platform question id (QID4, G01Q02) or the question text
    text: str
    answers: list[AnswerColumn] = field(default_factory=list)
    others: list[AnswerColumn] = field(default_factory=list)  # 'other, please specify' texts
    text_hint: bool = False  # the platform marks it as a text entry (_TEXT, Open-Ended Response)

    @property
    def itemised(self) -> bool:
        """True when the answers are items (grid rows or options), not one column."""
        return any(a.item is not None for a in self.answers)


@dataclass(frozen=True)
class _Part:
    stem: str
    item: str | None
    role: str  # "answer" | "other"
    label: str | None = None  # known from the header (SurveyMonkey, LimeSurvey, Google)
    question: str | None = None
    text_hint: bool = False


def group_columns(export: RawExport) -> tuple[list[ColumnGroup], list[str]]:
    """(questions, metadata keys): answer columns grouped per platform question, in file order."""
    groups: dict[str, ColumnGroup] = {}
    parts: dict[str, list[tuple[ColumnInfo, _Part]]] = {}
    metadata: list[str] = []
    for info in export.columns.values():
        if is_metadata(export, info):
            metadata.append(info.key)
            continue
        part = _part(export.platform, info)
        parts.setdefault(part.stem, []).append((info, part))
    if export.platform not in ("qualtrics", "surveymonkey", "limesurvey"):
        parts = _ungroup_singletons(parts)
    for stem, members in parts.items():
        groups[stem] = _group(stem, members)
    return list(groups.values()), metadata


def _part(platform: str, info: ColumnInfo) -> _Part:
    if platform == "qualtrics":
        return _qualtrics_part(info)
    if platform == "surveymonkey":
        return _surveymonkey_part(info)
    if platform == "limesurvey":
        return _limesurvey_part(info)
    return _bracket_or_dash_part(info)


def _qualtrics_part(info: ColumnInfo) -> _Part:
    key, text_entry = info.key, False
    match = _QUALTRICS_TEXT.fullmatch(key)
    if match is not None:
        key, text_entry = match.group("base"), True
    stem_match = _QUALTRICS_STEM.fullmatch(key)
    if stem_match is None:
        return _Part(info.key, None, "answer", text_hint=text_entry)
    stem, item = stem_match.group("stem"), stem_match.group("item")
    if text_entry and item is not None:
        return _Part(stem, item, "other", text_hint=True)
    return _Part(stem, item, "answer", text_hint=text_entry)


def _surveymonkey_part(info: ColumnInfo) -> _Part:
    question = info.tag
    prefix = f"{question} | "
    label = info.key[len(prefix) :] if info.key.startswith(prefix) else ""
    if "please specify" in label.lower():
        return _Part(question, label, "other", label, question, True)
    if label in _SINGLE_LABELS:
        return _Part(question, None, "answer", "", question, label == "Open-Ended Response")
    return _Part(question, label, "answer", label, question)


def _limesurvey_part(info: ColumnInfo) -> _Part:
    bracket = _BRACKET_LABEL.fullmatch(info.text)
    question = bracket.group("question") if bracket else info.text
    label = bracket.group("label") if bracket else None
    match = _LIMESURVEY_KEY.fullmatch(info.key)
    if match is None:
        return _Part(info.key, None, "answer", "", info.text)
    stem, item, sub = match.group("stem"), match.group("item"), match.group("sub")
    if item == "other" or item.endswith("comment"):
        return _Part(stem, item, "other", label or item, question, True)
    item_id = f"{item}_{sub}" if sub else item
    return _Part(stem, item_id, "answer", label or item_id, question)


def _bracket_or_dash_part(info: ColumnInfo) -> _Part:
    bracket = _BRACKET_LABEL.fullmatch(info.key)
    if bracket is not None and bracket.group("question"):
        question = bracket.group("question")
        return _Part(question, bracket.group("label"), "answer", bracket.group("label"), question)
    if " - " in info.text:
        question, _, label = info.text.partition(" - ")
        return _Part(question, label, "answer", label, question)
    return _Part(info.key, None, "answer", "", info.text or info.key)


def _ungroup_singletons(
    parts: dict[str, list[tuple[ColumnInfo, _Part]]],
) -> dict[str, list[tuple[ColumnInfo, _Part]]]:
    """A 'question - label' stem held by one column only is that column's own question."""
    out: dict[str, list[tuple[ColumnInfo, _Part]]] = {}
    for stem, members in parts.items():
        if len(members) == 1 and members[0][1].item is not None:
            info = members[0][0]
            out[info.key] = [(info, _Part(info.key, None, "answer", "", info.text or info.key))]
        else:
            out[stem] = members
    return out


def _group(stem: str, members: list[tuple[ColumnInfo, _Part]]) -> ColumnGroup:
    answers = [(info, part) for info, part in members if part.role == "answer"]
    others = [(info, part) for info, part in members if part.role == "other"]
    known_question = next((p.question for _, p in members if p.question), None)
    if answers and all(p.label is not None for _, p in answers) and known_question is not None:
        question = known_question
        labels = [p.label or "" for _, p in answers]
    else:
        question, labels = split_labels([info.text for info, _ in answers or others])
        if not answers:
            labels = []
    group = ColumnGroup(stem=stem, text=question or stem)
    for (info, part), label in zip(answers, labels, strict=False):
        item_label = label if part.item is not None else ""
        group.answers.append(AnswerColumn(info.key, part.item, item_label or (part.item or "")))
    for info, part in others:
        group.others.append(AnswerColumn(info.key, part.item, part.label or info.text))
    group.text_hint = any(p.text_hint for _, p in answers)
    if not answers:  # only text entries (a text matrix): each is an answer of its own
        group.answers = [AnswerColumn(o.key, o.item, o.label) for o in group.others]
        group.others = []
        group.text_hint = True
    return group


def split_labels(texts: list[str]) -> tuple[str, list[str]]:
    """(question text, item labels) of columns whose texts read 'question<sep>label'."""
    if not texts:
        return "", []
    if len(texts) == 1:
        question, sep, label = texts[0].partition(" - ")
        return (question, [label]) if sep else (texts[0], [""])
    prefix = _common_prefix(texts)
    for sep in _LABEL_SEPARATORS:
        cut = prefix.rfind(sep)
        if cut > 0:
            labels = [text[cut + len(sep) :].strip() for text in texts]
            if all(labels):
                return prefix[:cut].strip(), labels
    return prefix.strip() or texts[0], texts


def _common_prefix(texts: list[str]) -> str:
    """The longest string every text starts with."""
    first, last = min(texts), max(texts)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


_SECTION_STEM = re.compile(r"(?P<limesurvey>G\d+)Q\d+|(?P<letters>[A-Za-z]+)\d")


def sections(stems: list[str]) -> dict[str, str]:
    """Questionnaire sections guessed from the platform's question codes, by stem: LimeSurvey
    ``G01Q02`` -> ``Section G01``; codes that share a stem before their number (``edu1``,
    ``edu2`` -> ``Section edu``). Only when the codes give at least two sections: a survey
    numbered Q1, Q2, ... (Qualtrics) has none to tell."""
    found: dict[str, str] = {}
    for stem in stems:
        match = _SECTION_STEM.match(stem)
        if match is not None:
            found[stem] = f"Section {match.group('limesurvey') or match.group('letters')}"
    return found if len(set(found.values())) >= 2 else {}
