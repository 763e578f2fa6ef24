"""Codebook tools, question drafts: one codebook question entry per grouped export question,
with its type, value_map, items and suggested target."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from transforms.codebook_tools.groups import AnswerColumn, ColumnGroup
from transforms.codebook_tools.profile import Profile, scale_values
from transforms.codebook_tools.suggest import TARGET_IDS, Suggestion
from transforms.codebook_tools.text import normalised_name, slugify, unique_slug
from transforms.ingest.codebook import TARGET_CODE_LIST, TARGETS

Source = dict[str, str | dict[str, str]]
_CODE_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_#\[\]-]{0,24}")
TAXONOMY_FILES = {"role": "roles.csv", "skill": "skills.csv"}


@dataclass
class DraftQuestion:
    """A codebook question entry, with the comments `init` writes beside it."""

    id: str
    text: str
    type: str
    target: str | None  # None: unmapped, the analyst decides
    source: Source
    value_map: dict[str, str | int] = field(default_factory=dict)
    missing_values: list[str] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # comment lines before the entry
    target_note: str = ""  # comment beside `target:`
    item_notes: dict[str, str] = field(default_factory=dict)  # item code -> comment
    labels: dict[str, str] = field(default_factory=dict)  # value_map code -> answer text
    item_labels: dict[str, str] = field(default_factory=dict)  # item code -> item label
    group: str | None = None  # questionnaire section (the report chapter of a generic question)
    confirmed: bool = True  # False: written under `unmapped:`


@dataclass(frozen=True)
class Taxonomy:
    """Codes and labels of a reference taxonomy (roles.csv or skills.csv), when one exists."""

    name: str
    file: str
    codes: frozenset[str]
    by_label: dict[str, str]  # normalised label -> code

    @classmethod
    def read(cls, name: str, path: Path) -> Taxonomy | None:
        if not path.is_file():
            return None
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        code_column = f"{name}_code"
        codes = frozenset(r[code_column] for r in rows if r.get(code_column))
        labels = {normalised_name(r.get("label") or ""): r[code_column] for r in rows}
        labels.pop("", None)
        return cls(name, path.name, codes, labels)

    def code_for(self, label: str) -> str | None:
        found = self.by_label.get(normalised_name(label))
        if found is not None:
            return found
        slug = slugify(label)
        return slug if slug in self.codes else None


def question_id(group: ColumnGroup, target: str | None, constants: dict[str, str]) -> str:
    """A readable id: the target's (hires_5y), the platform's question code (qid10, g01q02),
    or a slug of the text."""
    if target in TARGET_IDS:
        base = TARGET_IDS[target]
        return f"{base}_{constants['horizon']}" if "horizon" in constants else base
    if _CODE_LIKE.fullmatch(group.stem) and group.stem != group.text:
        return slugify(group.stem)
    return slugify(group.text, fallback="question", max_length=32)


def code_of(choice: str, taken: set[str]) -> str:
    """A code for an answer text: its slug ("Large pharmaceutical company" ->
    "large_pharmaceutical_company"); numeric answers become "code_1"."""
    slug = slugify(choice)
    if slug[:1].isdigit():
        slug = f"code_{slug}"
    return unique_slug(slug, taken)


def draft_question(
    group: ColumnGroup,
    profile: Profile,
    suggestion: Suggestion | None,
    *,
    ref: dict[str, str],
    taxonomies: dict[str, Taxonomy | None],
) -> DraftQuestion:
    """The question entry of one group; unconfirmed (for `unmapped:`) when the target is unknown
    or does not fit the answers."""
    qtype = _codebook_type(profile)
    target, note, confirmed = _choose_target(profile, qtype, suggestion)
    constants = dict(suggestion.constants) if suggestion and target == suggestion.target else {}
    draft = DraftQuestion(
        id=question_id(group, target, constants),
        text=group.text or group.stem,
        type=qtype,
        target=target,
        source={},
        constants=constants,
        target_note=note,
        confirmed=confirmed,
    )
    if profile.note:
        draft.notes.append(f"detected {profile.type}: {profile.note}")
    _fill_answers(draft, group, profile, ref, taxonomies)
    return draft


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else f"{text[: width - 3].rsplit(' ', 1)[0]} ..."


def _codebook_type(profile: Profile) -> str:
    if profile.type == "numeric":
        return "numeric_grid"
    if profile.type == "empty":
        return "single"
    return profile.type


def _choose_target(
    profile: Profile, qtype: str, suggestion: Suggestion | None
) -> tuple[str | None, str, bool]:
    """(target, comment, confirmed)."""
    if suggestion is not None and qtype in TARGETS[suggestion.target]:
        because = f'suggested from "{_short(suggestion.because)}": confirm'
        if suggestion.problem is not None:
            return suggestion.target, f"{because}; {suggestion.problem}", False
        if profile.type == "numeric":
            return suggestion.target, f"{because}; one column: give its role code", False
        if profile.type == "empty":
            return suggestion.target, f"{because}; no answers to draft from", False
        return suggestion.target, because, True
    if qtype == "text":
        return "free_text.text", "free text (redacted at ingest); delete if not needed", True
    if suggestion is not None:
        allowed = ", ".join(TARGETS[suggestion.target])
        return (
            None,
            f'the text suggests {suggestion.target} ("{suggestion.because}"), which takes '
            f"{allowed}, but the answers look like {qtype}",
            False,
        )
    fits = ", ".join(t for t, types in TARGETS.items() if qtype in types)
    return None, f"no target guessed; type {qtype} can fill: {fits}", False


def _fill_answers(
    draft: DraftQuestion,
    group: ColumnGroup,
    profile: Profile,
    ref: dict[str, str],
    taxonomies: dict[str, Taxonomy | None],
) -> None:
    if profile.type in ("single", "empty", "text") or (profile.type == "multi" and profile.joined):
        draft.source["column"] = ref[group.answers[0].key]
        if profile.joined:
            draft.source["joined"] = profile.joined
        _fill_choices(draft, profile)
        return
    if profile.type == "numeric" and not group.itemised:
        item = AnswerColumn(group.answers[0].key, "all", group.text)
        draft.source["items"] = _items(draft, [item], ref, taxonomies, single_column=True)
        return
    draft.source["items"] = _items(draft, group.answers, ref, taxonomies)
    if profile.type == "ordinal_grid":
        _fill_scale(draft, profile)


def _fill_choices(draft: DraftQuestion, profile: Profile) -> None:
    taken: set[str] = set()
    for choice in profile.choices:
        if choice in profile.missing:
            continue
        code = "other" if choice.lower().startswith("other") and "other" not in taken else None
        code = code or code_of(choice, taken)
        taken.add(code)
        draft.value_map[choice] = code
        draft.labels.setdefault(code, choice)
    draft.missing_values = list(profile.missing)
    if draft.value_map:
        draft.notes.append("value_map: answer text -> code (a slug: rename codes freely)")


def _fill_scale(draft: DraftQuestion, profile: Profile) -> None:
    rated = [c for c in profile.choices if c not in profile.missing]
    values = scale_values(rated)
    draft.value_map = dict(sorted(values.items(), key=lambda kv: kv[1]))
    draft.missing_values = list(profile.missing)
    if not profile.numeric_scale:
        draft.notes.append("value_map: answer text -> scale value; the order is guessed: check")


def _items(
    draft: DraftQuestion,
    answers: list[AnswerColumn],
    ref: dict[str, str],
    taxonomies: dict[str, Taxonomy | None],
    *,
    single_column: bool = False,
) -> dict[str, str]:
    list_name = TARGET_CODE_LIST.get(draft.target or "")
    taxonomy = taxonomies.get(list_name or "")
    items: dict[str, str] = {}
    taken: set[str] = set()
    for answer in answers:
        label = answer.label or answer.item or answer.key
        code = taxonomy.code_for(label) if taxonomy is not None else None
        if code is None or code in taken:
            code = unique_slug(label, taken)
            if single_column:
                draft.item_notes[code] = "one column for the whole question: give the code"
            elif taxonomy is not None:
                draft.item_notes[code] = f"{label!r} is not in {taxonomy.file}: give its code"
            elif list_name in TAXONOMY_FILES:
                draft.item_notes[code] = label if label != code else ""
        else:
            taken.add(code)
        items[code] = ref[answer.key]
        draft.item_labels.setdefault(code, label)
    draft.item_notes = {k: v for k, v in draft.item_notes.items() if v}
    return items
