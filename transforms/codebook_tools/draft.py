"""Codebook tools, init: a draft codebook from one export, for an analyst to confirm.

`draft_codebook` groups the export's columns into questions, detects each question's type and
choice list, suggests a canonical target from its text, flags personal data and guesses the
respondent id, submission time and completion columns. Questions whose target is unknown or
does not fit are analysed as generic answers (target ``answer.value``, `as_generic`): the draft
is a valid codebook that runs as it is.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from transforms.codebook_tools.groups import AnswerColumn, ColumnGroup, group_columns, sections
from transforms.codebook_tools.pii_columns import content_pii, pii_by_name
from transforms.codebook_tools.platforms import (
    completed_guess,
    reference,
    respondent_id_guess,
    submitted_at_guess,
)
from transforms.codebook_tools.profile import Profile, profile_group
from transforms.codebook_tools.questions import (
    TAXONOMY_FILES,
    DraftQuestion,
    Taxonomy,
    draft_question,
)
from transforms.codebook_tools.suggest import SINGLE_USE_TARGETS, suggest_target
from transforms.codebook_tools.text import slugify
from transforms.ingest.codebook import TARGET_CODE_LIST, TARGETS, Wave
from transforms.ingest.pii import suspected_pii
from transforms.ingest.readers.base import RawExport

GENERIC_TARGET = "answer.value"  # questions outside the competence-needs model
REFERENCE_DIR = "../reference"  # taxonomies relative to survey.yaml, as in data/raw/<survey>/
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


@dataclass
class CodebookDraft:
    """Everything `init` writes, before it becomes YAML text."""

    survey_id: str
    title: str
    wave: str
    file_ref: str  # the export, relative to survey.yaml
    platform: str
    rows: int
    columns: int
    platform_field: str | None  # written as the wave's platform (None: the schema lacks it)
    respondent_id: str | None  # None: rows keyed by file and row
    respondent_id_note: str
    submitted_at: str | None
    completed: tuple[str, list[str]] | None
    accept_statuses: list[str] = field(default_factory=list)  # an export of test responses only
    pii: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)
    pii_review: list[tuple[str, str]] = field(default_factory=list)  # free text to look at
    metadata: list[str] = field(default_factory=list)
    questions: list[DraftQuestion] = field(default_factory=list)
    unmapped: list[DraftQuestion] = field(default_factory=list)
    taxonomies: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    scales: dict[str, dict[int, str]] = field(default_factory=dict)


def schema_platforms() -> tuple[str, ...]:
    """The platforms the codebook schema accepts for ``waves.<w>.platform``."""
    found: list[str] = []

    def walk(annotation: object) -> None:
        if typing.get_origin(annotation) is typing.Literal:
            found.extend(str(a) for a in typing.get_args(annotation))
        else:
            for arg in typing.get_args(annotation):
                walk(arg)

    walk(Wave.model_fields["platform"].annotation)
    return tuple(found)


def wave_name(path: Path, this_year: int | None = None) -> str:
    """A wave name: the export's folder when it is a year (2022/...), else the first year in
    the file name that is not in the future (atmp2030_2022.csv -> 2022), else "1"."""
    if _YEAR.fullmatch(path.parent.name):
        return path.parent.name
    latest = (this_year or date.today().year) + 1
    years = [m.group(0) for m in _YEAR.finditer(path.stem)]
    past = [y for y in years if int(y) <= latest]
    return (past or years or ["1"])[0]


def draft_codebook(
    export: RawExport,
    *,
    file_ref: str,
    wave: str | None = None,
    survey_id: str | None = None,
    reference_dir: Path | None = None,
) -> CodebookDraft:
    """A draft codebook for ``export``; ``file_ref`` is its path relative to survey.yaml and
    ``reference_dir`` the folder the taxonomy placeholders point to, read when it exists."""
    respondent_key, id_note = respondent_id_guess(export)
    completed = completed_guess(export)
    submitted = submitted_at_guess(export)
    draft = CodebookDraft(
        survey_id=survey_id or slugify(export.path.stem, fallback="survey"),
        title=export.path.stem,
        wave=wave or wave_name(export.path),
        file_ref=file_ref,
        platform=export.platform,
        rows=len(export.data),
        columns=len(export.columns),
        platform_field=export.platform if export.platform in schema_platforms() else None,
        respondent_id=reference(export, respondent_key) if respondent_key else None,
        respondent_id_note=id_note,
        submitted_at=reference(export, submitted) if submitted else None,
        completed=(reference(export, completed[0]), completed[1]) if completed else None,
        taxonomies={  # only the reference files that exist: the draft must load as it is
            name: f"{REFERENCE_DIR}/{file}"
            for name, file in (*TAXONOMY_FILES.items(), ("role_skill", "role_skill.csv"))
            if reference_dir is not None and (reference_dir / file).is_file()
        },
    )
    taxonomies = {
        name: Taxonomy.read(name, reference_dir / file) if reference_dir else None
        for name, file in TAXONOMY_FILES.items()
    }
    draft.accept_statuses = only_test_statuses(export)
    groups, metadata = group_columns(export)
    used = {respondent_key, submitted, completed[0] if completed else None}
    pii_keys = _flag_pii(draft, export, used, set(metadata))
    draft.metadata = [reference(export, k) for k in metadata if k not in pii_keys | used]
    ref = {key: reference(export, key) for key in export.columns}
    kept = _without(groups, pii_keys)
    section_of = sections([group.stem for group in kept])
    for group in kept:
        for question in _drafts(group, export, ref, taxonomies):
            question.group = section_of.get(group.stem)
            draft.questions.append(question if question.confirmed else as_generic(question))
    _demote_repeated_targets(draft)
    _unique_ids(draft)
    _review_free_text(draft, export)
    draft.codes, draft.scales = _code_lists(draft.questions)
    return draft


def _flag_pii(
    draft: CodebookDraft, export: RawExport, used: set[str | None], metadata: set[str]
) -> set[str]:
    """Columns whose name or answers look like personal data: e-mail, IP address, phone, names,
    geolocation, external references, tokens; and answer columns that ingest's PII safety net
    would refuse to map."""
    keys: set[str] = set()
    for info in export.columns.values():
        if info.key in used:
            continue
        why = pii_by_name(info)
        if why is None:
            kind = content_pii(export.data[info.key]).kind
            why = f"most answers are {kind} addresses" if kind in ("e-mail", "IP") else None
            why = why or (f"most answers are {kind} numbers" if kind == "phone" else None)
            why = why or (f"most answers are {kind}s" if kind in ("website", "token") else None)
        if why is None and info.key not in metadata:  # ingest's safety net would refuse it
            why = suspected_pii(info.tag, info.text, export.data[info.key])
        if why is not None:
            keys.add(info.key)
            draft.pii.append((reference(export, info.key), why))
    return keys


def _without(groups: list[ColumnGroup], keys: set[str]) -> list[ColumnGroup]:
    out = []
    for group in groups:
        group.answers = [a for a in group.answers if a.key not in keys]
        group.others = [o for o in group.others if o.key not in keys]
        if group.answers:
            out.append(group)
    return out


def _drafts(
    group: ColumnGroup,
    export: RawExport,
    ref: dict[str, str],
    taxonomies: dict[str, Taxonomy | None],
) -> list[DraftQuestion]:
    """The question entries of one group: the question itself, then one free-text entry per
    'other' text it cannot carry (only a multi-select keeps one as ``other_text``)."""
    suggestion = suggest_target(group.text)
    expect_multi = suggestion is not None and "multi" in TARGETS[suggestion.target]
    profile = profile_group(group, export.data, expect_multi=expect_multi)
    if profile.type == "text" and group.itemised and len(group.answers) > 1:
        return [_text_of(group, answer, export, ref, taxonomies) for answer in group.answers]
    question = draft_question(group, profile, suggestion, ref=ref, taxonomies=taxonomies)
    out = [question]
    others = list(group.others)
    if question.type == "multi" and others:
        question.source["other_text"] = ref[others.pop(0).key]
        if "other" not in question.value_map.values() and "other" not in question.item_labels:
            question.labels.setdefault("other", "Other")
    for other in others:
        out.append(_text_of(group, other, export, ref, taxonomies, suffix="_other"))
    return out


def _text_of(
    group: ColumnGroup,
    answer: AnswerColumn,
    export: RawExport,
    ref: dict[str, str],
    taxonomies: dict[str, Taxonomy | None],
    *,
    suffix: str = "",
) -> DraftQuestion:
    label = f" - {answer.label}" if answer.label else ""
    single = ColumnGroup(stem=f"{group.stem}_{answer.item or ''}{suffix}", text=group.text + label)
    single.answers = [AnswerColumn(answer.key, None, "")]
    single.text_hint = True
    profile = Profile("text", note="a text entry")
    question = draft_question(single, profile, None, ref=ref, taxonomies=taxonomies)
    question.notes = [f"text entry of {group.stem}{label}"]
    return question


def _demote_repeated_targets(draft: CodebookDraft) -> None:
    """A single-use target (respondent.org_sector, ...) or a headcount horizon stays with the
    first question suggested for it; later ones go to `unmapped:`."""
    seen: dict[tuple[str, str], str] = {}
    kept = []
    for question in draft.questions:
        target = question.target or ""
        slot = (target, question.constants.get("horizon", ""))
        if (target in SINGLE_USE_TARGETS or target == "hiring_need.headcount") and slot in seen:
            question.target_note = (
                f"{question.target_note}; {seen[slot]} already fills {target}: pick one"
            )
            kept.append(as_generic(question))
            continue
        seen[slot] = question.id
        kept.append(question)
    draft.questions = kept


def only_test_statuses(export: RawExport) -> list[str]:
    """The statuses of an export none of whose responses is a real answer, when they are all
    test or preview responses (a platform's sample export): the draft keeps them, so that it
    runs on the file it was drafted from; [] otherwise."""
    statuses = {str(s) for s in export.status.dropna().unique()}
    only_tests = bool(statuses) and statuses <= {"test", "preview"}
    if only_tests and int(export.status.isna().sum()) == 0:
        return sorted(statuses)
    return []


def as_generic(question: DraftQuestion) -> DraftQuestion:
    """A question whose model target is unknown or doubtful, analysed as a generic answer
    (target answer.value) so that the draft runs as it is; its note says what to promote it
    to. Its constants belonged to the model target and are dropped."""
    doubt = question.target_note or "no target guessed"
    if question.target:
        doubt = f"{question.target}? {doubt}"
    question.target = GENERIC_TARGET
    question.constants = {}
    question.confirmed = True
    question.target_note = (
        f"generic answer, outside the competence-needs model ({doubt}); set the target to "
        "promote it"
    )
    return question


def _unique_ids(draft: CodebookDraft) -> None:
    taken: set[str] = set()
    for question in [*draft.questions, *draft.unmapped]:
        base, n = question.id, 1
        while question.id in taken:
            n += 1
            question.id = f"{base}_{n}"
        taken.add(question.id)


def _review_free_text(draft: CodebookDraft, export: RawExport) -> None:
    """Free-text columns some of whose answers hold e-mail addresses or phone numbers."""
    for question in [*draft.questions, *draft.unmapped]:
        column = question.source.get("column")
        if question.type != "text" or not isinstance(column, str):
            continue
        found = content_pii(export.column(column))
        if found.mentions:
            draft.pii_review.append(
                (column, f"free text: {found.mentions} answer(s) hold an e-mail, IP or phone")
            )
        question.target_note = question.target_note or "free text"


def _code_lists(
    questions: list[DraftQuestion],
) -> tuple[dict[str, dict[str, str]], dict[str, dict[int, str]]]:
    """``codes:`` lists from the value_maps (and split multi-select options) of confirmed
    questions, and ``scales:`` from their ordinal value_maps."""
    codes: dict[str, dict[str, str]] = {}
    scales: dict[str, dict[int, str]] = {}
    for question in questions:
        target = question.target or ""
        list_name = TARGET_CODE_LIST.get(target)
        if question.type == "ordinal_grid":
            scale = scales.setdefault(target.split(".")[1], {})
            for text, value in question.value_map.items():
                scale.setdefault(int(value), text)
        if list_name is None or list_name in TAXONOMY_FILES:
            continue
        entries = codes.setdefault(list_name, {})
        labels = question.item_labels if "items" in question.source else {}
        for code, label in {**question.labels, **labels}.items():
            entries.setdefault(code, label)
    return codes, scales
