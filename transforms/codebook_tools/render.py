"""Codebook tools, YAML: a nested mapping written as block YAML with comments, and the text of a
drafted codebook. The text is read back and compared with the data before it is returned, so a
quoting mistake can never produce a codebook that means something else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from transforms.codebook_tools.draft import GENERIC_TARGET, REFERENCE_DIR, CodebookDraft
from transforms.codebook_tools.questions import DraftQuestion, Source
from transforms.codebook_tools.text import comment_text, flow_list, key, scalar
from transforms.core.canonical import readable_code
from transforms.ingest.codebook import TARGETS

Path_ = tuple[str | int, ...]
Data = dict[str, object]
_FLOW_WIDTH = 100


@dataclass
class Notes:
    """Comments and layout for `dump_yaml`, by path (keys and list indexes from the root)."""

    trailing: dict[Path_, str] = field(default_factory=dict)  # after the value, same line
    before: dict[Path_, list[str]] = field(default_factory=dict)  # lines above the entry
    after: dict[Path_, list[str]] = field(default_factory=dict)  # lines below, one level in
    flow: set[Path_] = field(default_factory=set)  # mappings written on one line


def dump_yaml(data: Data, notes: Notes, header: list[str]) -> str:
    """Block YAML of ``data`` with ``notes``; top-level sections separated by a blank line."""
    lines = [f"# {line}".rstrip() for line in header]
    for name, value in data.items():
        lines.append("")
        lines.extend(_entry(name, value, 0, (name,), notes))
    text = "\n".join(lines).lstrip("\n") + "\n"
    if yaml.safe_load(text) != data:  # a bug here must never write a different codebook
        raise AssertionError("the YAML written does not read back as the data given")
    return text


def _comments(lines: list[str], indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}# {comment_text(line)}".rstrip() for line in lines]


def _entry(name: str | int, value: object, indent: int, path: Path_, notes: Notes) -> list[str]:
    pad = " " * indent
    tail = notes.trailing.get(path)
    comment = f"  # {comment_text(tail)}" if tail else ""
    out = _comments(notes.before.get(path, []), indent)
    head = f"{pad}{key(name)}:"
    if isinstance(value, dict) and value:
        if path in notes.flow and _flat(value.values()):
            one_line = f"{head} {_flow_mapping(value)}{comment}"
        else:
            one_line = ""
        if one_line and len(one_line) <= _FLOW_WIDTH:
            out.append(one_line)
        else:
            out.append(f"{head}{comment}")
            for child, child_value in value.items():
                out.extend(_entry(child, child_value, indent + 2, (*path, child), notes))
    elif isinstance(value, list) and value:
        commented = any((*path, i) in notes.trailing for i in range(len(value)))
        strings = all(isinstance(v, str) for v in value) and not commented
        one_line = f"{head} {flow_list([str(v) for v in value])}{comment}" if strings else ""
        if one_line and len(one_line) <= _FLOW_WIDTH:
            out.append(one_line)
        else:
            out.append(f"{head}{comment}")
            out.extend(_sequence(value, indent + 2, path, notes))
    else:
        out.append(f"{head} {_scalar(value)}{comment}")
    out.extend(_comments(notes.after.get(path, []), indent + 2))
    return out


def _sequence(values: list[object], indent: int, path: Path_, notes: Notes) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for index, value in enumerate(values):
        item_path = (*path, index)
        out.extend(_comments(notes.before.get(item_path, []), indent))
        if isinstance(value, dict) and value:
            lines: list[str] = []
            for child, child_value in value.items():
                lines.extend(_entry(child, child_value, indent + 2, (*item_path, child), notes))
            first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
            lines[first] = f"{pad}- {lines[first][indent + 2 :]}"
            out.extend(lines)
        else:
            tail = notes.trailing.get(item_path)
            comment = f"  # {comment_text(tail)}" if tail else ""
            out.append(f"{pad}- {_scalar(value)}{comment}")
    return out


def _flat(values: Iterable[object]) -> bool:
    """True when every value is a string, number, or a list of strings (one line can hold it)."""
    return all(
        isinstance(v, str | int) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
        for v in values
    )


def _scalar(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    if value is None or isinstance(value, str | int | bool):
        return scalar(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _flow_mapping(value: dict[str, object]) -> str:
    parts = []
    for name, item in value.items():
        if isinstance(item, list):
            rendered = flow_list([str(v) for v in item])
        elif isinstance(item, str | int | bool):
            rendered = scalar(item, flow=True)
        else:
            raise TypeError(f"cannot write {type(item).__name__} on one line")
        parts.append(f"{key(name)}: {rendered}")
    return "{" + ", ".join(parts) + "}"


# --- the drafted codebook ------------------------------------------------------------------

_CONVENTIONS = {
    "qualtrics": "Qualtrics: the ImportId of header row 3 (QID4_1, QID9_7_TEXT); metadata "
    "by export tag (ResponseId, Finished); legacy exports: the export tag (Q4_1)",
    "surveymonkey": 'SurveyMonkey: "question text | row-2 label" (the question text carried '
    "over its columns); metadata by its row-1 header (Respondent ID)",
    "limesurvey": "LimeSurvey: the question code (G01Q02, G01Q02[SQ003], G01Q02[other])",
    "google_forms": 'Google Forms: the column heading ("Question [Row]" for grid rows)',
    "microsoft_forms": "Microsoft Forms: the column heading",
    "spss": "SPSS: the variable name",
    "generic": "the column heading",
}


def render_draft(draft: CodebookDraft) -> str:
    """survey.yaml text of a draft, commented for the analyst who confirms it."""
    notes = Notes()
    data: Data = {
        "survey": _survey(draft, notes),
        "taxonomies": _taxonomies(draft, notes),
        "codes": draft.codes,
        "scales": draft.scales,
        "waves": {draft.wave: _wave(draft, notes)},
        "questions": [
            _question(q, i, ("questions",), draft.wave, notes)
            for i, q in enumerate(draft.questions)
        ],
    }
    notes.before[("codes",)] = [
        "Code lists (code: label) drafted from the value_maps below: rename codes to your",
        "conventions (and the value_maps with them); labels appear in reports.",
    ]
    if draft.scales:
        notes.before[("scales",)] = ["Ordinal scales (value: label) drafted from ordinal grids."]
    notes.before[("questions",)] = [
        "One entry per canonical field. Targets are SUGGESTIONS from the question text: confirm",
        "each (# suggested ...), fix item codes flagged below, delete what you do not need.",
    ]
    if draft.unmapped:
        data["unmapped"] = [
            _question(q, i, ("unmapped",), draft.wave, notes) for i, q in enumerate(draft.unmapped)
        ]
        notes.before[("unmapped",)] = _wrapped(
            "NOT YET PART OF THE CODEBOOK: questions whose target is unknown or doubtful. For "
            "each: set its target (one of " + ", ".join(sorted(TARGETS)) + ") and move it "
            "under questions:, or delete it. The codebook loads once this section is gone; "
            "`skillgap codebook check` lists what is left here."
        )
    return dump_yaml(data, notes, _header(draft))


def _header(draft: CodebookDraft) -> list[str]:
    convention = _CONVENTIONS.get(draft.platform, _CONVENTIONS["generic"])
    return [
        f"Codebook DRAFT written by `skillgap codebook init` from {draft.file_ref}",
        f"({draft.platform}, {draft.rows} rows, {draft.columns} columns). Every entry is a guess:",
        "  - targets are suggested from keywords in the question text (# suggested ...);",
        "  - value_map codes are slugs of the answers, ordinal scale values a guessed order;",
        "  - grid item codes must be codes of the taxonomies (roles.csv, skills.csv);",
        "  - pii_columns lists columns whose name or answers look like personal data.",
        "Confirm or fix them, then run `skillgap codebook check` on this file until it reports",
        "no errors. docs/CODEBOOK.md describes every field.",
        *_wrapped(f"Columns are named by a stable key, never a position. {convention}."),
        "Paths are relative to this file.",
    ]


def _survey(draft: CodebookDraft, notes: Notes) -> Data:
    notes.trailing[("survey", "id")] = "lowercase letters, digits and _"
    notes.trailing[("survey", "title")] = "shown on every report: write the real title"
    notes.trailing[("survey", "synthetic")] = "true marks demonstration data on every report"
    notes.after[("survey",)] = [
        "country: SE",
        f"population_frame: {REFERENCE_DIR}/{draft.survey_id}_population_frame.csv"
        "  # org_sector x org_size_band counts to weight to; without it: unweighted",
        "notice: text shown on the first page of every report",
        "publisher: the organisation that publishes the reports  # cover and citation",
        "source_name: the survey as 'Source:' lines under tables and charts name it",
        "contact: e-mail address or web page for questions about the figures",
        "licence: CC BY 4.0  # of the reports and tables",
        "url: where the reports are published",
    ]
    return {"id": draft.survey_id, "title": draft.title, "synthetic": False, "language": "en"}


def _taxonomies(draft: CodebookDraft, notes: Notes) -> Data:
    notes.before[("taxonomies",)] = [
        "Reference taxonomies (CSV, relative to this file): grid item codes must be their codes.",
        "Optional: without a file, list the codes inline (codes.skill, codes.role) or delete it.",
    ]
    notes.after[("taxonomies",)] = [f"training_offer: {REFERENCE_DIR}/training_offer.csv"]
    return dict(draft.taxonomies)


def _wave(draft: CodebookDraft, notes: Notes) -> Data:
    path: Path_ = ("waves", draft.wave)
    wave: Data = {"files": [draft.file_ref]}
    notes.trailing[(*path, "files")] = "relative to this file; several files are appended"

    if draft.platform_field is not None:
        wave["platform"] = draft.platform_field
        notes.trailing[(*path, "platform")] = "detected from the file"
    else:
        notes.before[(*path, "respondent_id")] = [
            f"platform: {draft.platform}  (detected; this codebook schema does not accept it yet,",
            "so the platform is detected from the file again at ingest)",
        ]
    wave["respondent_id"] = draft.respondent_id
    notes.trailing[(*path, "respondent_id")] = (
        f"{draft.respondent_id_note}; pseudonymised at ingest, never written"
        if draft.respondent_id is not None
        else draft.respondent_id_note
    )
    if draft.submitted_at is not None:
        wave["submitted_at"] = draft.submitted_at
    if draft.completed is not None:
        column, true_values = draft.completed
        wave["completed"] = {"column": column, "true_values": true_values}
        notes.flow.add((*path, "completed"))
    if draft.accept_statuses:
        wave["accept_statuses"] = list(draft.accept_statuses)
        notes.before[(*path, "accept_statuses")] = _wrapped(
            f"Every response in this export is a {' or '.join(draft.accept_statuses)} "
            "response, which validation would quarantine: they are kept as answers so that "
            "this draft runs. Delete this line for a real survey."
        )
    wave["pii_columns"] = [ref for ref, _ in draft.pii]
    for index, (_, why) in enumerate(draft.pii):
        notes.trailing[(*path, "pii_columns", index)] = why
    notes.before[(*path, "pii_columns")] = ["Dropped at ingest: nothing here reaches curated data."]
    review = [f"- {ref}  # {why}: add it here to drop it" for ref, why in draft.pii_review]
    if review:
        notes.after[(*path, "pii_columns")] = review
    notes.after[path] = [
        "published: 2026-03-01  # the date its report is published; without it, a draft",
        "version: '1.0'  # the edition of its report, cited with it",
    ]
    if draft.metadata:
        notes.after[path] += [
            "Platform metadata, neither mapped nor dropped (check does not warn about it):",
            *_wrapped(", ".join(draft.metadata)),
        ]
    return wave


def _wrapped(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _question(question: DraftQuestion, index: int, section: Path_, wave: str, notes: Notes) -> Data:
    path: Path_ = (*section, index)
    entry: Data = {"id": question.id, "text": question.text, "type": question.type}
    entry["target"] = question.target or "?"
    notes.before[path] = [*question.notes]
    if question.target_note:
        notes.trailing[(*path, "target")] = question.target_note
    if question.constants:
        entry["constants"] = dict(question.constants)
        notes.flow.add((*path, "constants"))
    if question.value_map:
        entry["value_map"] = dict(question.value_map)
    if question.missing_values:
        entry["missing_values"] = list(question.missing_values)
        notes.trailing[(*path, "missing_values")] = "answers that give no row"
    source = dict(question.source)
    if question.target in (GENERIC_TARGET, "free_text.text"):  # the report's generic chapters
        _generic_labels(question, source, entry, path, notes)
    entry["waves"] = {wave: source}
    source_path = (*path, "waves", wave)
    notes.flow.add(source_path)
    items = source.get("items")
    if isinstance(items, dict):
        for code, note in question.item_notes.items():
            notes.trailing[(*source_path, "items", code)] = note
    return entry


def _generic_labels(
    question: DraftQuestion, source: Source, entry: Data, path: Path_, notes: Notes
) -> None:
    """The report's text of a generic question: its items' labels where the code alone does
    not read as the export does, and its questionnaire section."""
    items = source.get("items")
    if isinstance(items, dict):
        labels = {
            code: label
            for code, label in question.item_labels.items()
            if code in items and _tells(label, code, question.text)
        }
        if labels:
            entry["item_labels"] = labels
            notes.before[(*path, "item_labels")] = ["item code -> text shown in the report"]
    if question.group:
        entry["group"] = question.group
        notes.trailing[(*path, "group")] = (
            "report chapter, guessed from the question codes: give the section's title"
        )


def _tells(label: str, code: str, question_text: str) -> bool:
    """Whether an item's label says more than its code made readable (not blank, not the code
    itself, not the question's own text)."""
    plain = label.strip()
    readable = readable_code(code)
    return (
        bool(plain)
        and plain.lower() not in (code.lower(), readable.lower())
        and (plain != question_text.strip())
    )
