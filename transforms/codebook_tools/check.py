"""Codebook tools, check: every problem of a codebook against its exports, not only the first.

`check_codebook_file` reads survey.yaml (each schema error with its field, plus any draft
questions still under ``unmapped:``), then `check_codebook` checks the codebook itself (codes
against code lists and taxonomies, scales, horizons, required mappings, PII mapped as a
question) and, per wave and export, the columns and answers (`transforms.codebook_tools.
check_export`). Errors would make ingest fail or quarantine rows; warnings are worth a look.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from transforms.codebook_tools.check_export import check_export
from transforms.codebook_tools.problems import Problem
from transforms.codebook_tools.suggest import SINGLE_USE_TARGETS
from transforms.core.errors import SkillgapError
from transforms.ingest.codebook import TARGET_CODE_LIST, Codebook, Question
from transforms.ingest.readers import read_export
from transforms.validate.codes import (
    ALLOWED_HORIZONS,
    DIFFICULTY_RANGE,
    IMPORTANCE_RANGE,
    SHORTAGE_RANGE,
)

# Respondent columns validation requires when the codebook defines their code list.
REQUIRED_RESPONDENT = ("org_sector", "org_size_band")
SCALE_RANGES = {"difficulty": DIFFICULTY_RANGE, "importance": IMPORTANCE_RANGE}
SCALE_RANGES["shortage"] = SHORTAGE_RANGE
TAXONOMY_CODE_COLUMNS = {"role": "role_code", "skill": "skill_code"}


def check_codebook_file(path: Path, *, waves: Sequence[str] | None = None) -> list[Problem]:
    """Every problem of the codebook at ``path`` and of the exports it names."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [Problem(severity="error", file=str(path), message="codebook not found")]
    except yaml.YAMLError as exc:
        return [Problem(severity="error", file=name, message=f"not valid YAML: {exc}")]
    if not isinstance(raw, dict):
        return [Problem(severity="error", file=name, message="a codebook is a YAML mapping")]
    problems = _unmapped_drafts(raw, name)
    try:
        codebook = Codebook.model_validate(raw)
    except ValidationError as exc:
        return problems + _schema_problems(exc, raw, name)
    return problems + check_codebook(codebook, path.parent, waves=waves, codebook_file=name)


def _unmapped_drafts(raw: dict[str, object], name: str) -> list[Problem]:
    """Draft questions `init` left under ``unmapped:`` (removed from ``raw``)."""
    drafts = raw.pop("unmapped", None) or []
    problems = []
    for index, entry in enumerate(drafts if isinstance(drafts, list) else [drafts]):
        ident = entry.get("id", index) if isinstance(entry, dict) else index
        problems.append(
            Problem(
                severity="error",
                file=name,
                column=f"unmapped[{ident}]",
                message="a draft question is still under unmapped: give it a target and move "
                "it under questions:, or delete it",
            )
        )
    return problems


def _schema_problems(exc: ValidationError, raw: dict[str, object], name: str) -> list[Problem]:
    problems = []
    for error in exc.errors():
        value = error.get("input")
        shown = None if isinstance(value, dict | list) or value is None else str(value)
        problems.append(
            Problem(
                severity="error",
                file=name,
                column=_field(error["loc"], raw),
                value=shown,
                message=f"schema: {error['msg']}",
            )
        )
    return problems


def _field(loc: tuple[int | str, ...], raw: dict[str, object]) -> str:
    """A pydantic error location as a codebook field: questions[hires_1y].waves.2022.items."""
    parts: list[str] = []
    node: object = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts[-1] = f"{parts[-1]}[{ident if ident is not None else step}]"
            node = item
            continue
        parts.append(str(step))
        node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def check_codebook(
    codebook: Codebook,
    survey_dir: Path,
    *,
    waves: Sequence[str] | None = None,
    codebook_file: str = "survey.yaml",
) -> list[Problem]:
    """Every problem of a loaded codebook and of the exports of ``waves`` (default: all)."""
    problems: list[Problem] = []
    code_lists = _code_lists(codebook, survey_dir, codebook_file, problems)
    for question in codebook.questions:
        problems += _question_problems(codebook, question, code_lists, codebook_file)
    problems += _frame_problems(codebook, survey_dir, codebook_file)
    selected = list(codebook.waves) if waves is None else list(waves)
    for wave in selected:
        if wave not in codebook.waves:
            message = f"no such wave in the codebook (known: {', '.join(codebook.waves)})"
            problems.append(
                Problem(severity="error", file=codebook_file, wave=wave, message=message)
            )
            continue
        problems += _wave_mapping_problems(codebook, wave, codebook_file)
        for name in codebook.waves[wave].files:
            problems += _export_problems(codebook, wave, name, survey_dir, code_lists)
    return problems


def _code_lists(
    codebook: Codebook, survey_dir: Path, file: str, problems: list[Problem]
) -> dict[str, frozenset[str]]:
    """Code list name -> codes: the codes section, and the role and skill taxonomies."""
    lists = {name: frozenset(codes) for name, codes in codebook.codes.items()}
    for name, code_column in TAXONOMY_CODE_COLUMNS.items():
        ref = getattr(codebook.taxonomies, name)
        if ref is None:  # the inline codes.<name> list, if any, is already in ``lists``
            continue
        path = survey_dir / ref
        where = {"file": file, "column": f"taxonomies.{name}", "value": ref}
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                if code_column not in (reader.fieldnames or []):
                    message = f"the {name} taxonomy has no column {code_column!r}"
                    problems.append(Problem(severity="error", message=message, **where))
                    continue
                lists[name] = frozenset(row[code_column] for row in reader if row[code_column])
        except FileNotFoundError:
            message = f"the {name} taxonomy file does not exist (paths are relative to {file})"
            problems.append(Problem(severity="error", message=message, **where))
    return lists


def _question_problems(
    codebook: Codebook, question: Question, code_lists: dict[str, frozenset[str]], file: str
) -> list[Problem]:
    problems: list[Problem] = []
    field = f"questions[{question.id}]"

    def error(message: str, column: str, value: object = None) -> None:
        shown = None if value is None else str(value)
        problems.append(
            Problem(severity="error", file=file, column=column, value=shown, message=message)
        )

    list_name = TARGET_CODE_LIST.get(question.target)
    allowed = code_lists.get(list_name) if list_name else None
    if list_name is not None and allowed is None:
        if list_name not in TAXONOMY_CODE_COLUMNS:
            error(
                f"target {question.target} needs the code list codes.{list_name}",
                f"{field}.target",
            )
        elif getattr(codebook.taxonomies, list_name) is None:
            error(
                f"target {question.target} needs {list_name} codes: a taxonomy file "
                f"(taxonomies.{list_name}) or an inline code list (codes.{list_name})",
                f"{field}.target",
            )
    if question.type in ("single", "multi") and allowed is not None:
        for text, code in question.value_map.items():
            if str(code) not in allowed:
                error(
                    f"code {code!r} (for answer {text!r}) is not in {_list(list_name)}",
                    f"{field}.value_map",
                    code,
                )
    if question.type in ("numeric_grid", "ordinal_grid", "multi") and allowed is not None:
        for wave, source in question.waves.items():
            for code in source.items or {}:
                if code not in allowed:
                    error(
                        f"item code {code!r} is not in {_list(list_name)}",
                        f"{field}.waves.{wave}.items",
                        code,
                    )
    if question.type == "ordinal_grid":
        problems += _scale_problems(codebook, question, field, file)
    if question.target == "hiring_need.headcount":
        horizon = question.constants.get("horizon")
        if horizon not in ALLOWED_HORIZONS:
            error(
                f"constants.horizon must be one of {', '.join(ALLOWED_HORIZONS)}",
                f"{field}.constants",
                horizon,
            )
    if question.type == "multi" and allowed is not None:
        uses_other = any(s.other_text for s in question.waves.values())
        other = next(
            (str(c) for t, c in question.value_map.items() if t.lower().startswith("other")),
            "other",
        )
        if uses_other and other not in allowed:
            error(
                f"other_text answers get code {other!r}, which is not in {_list(list_name)}",
                f"{field}.value_map",
                other,
            )
    return problems


def _list(name: str | None) -> str:
    return f"the {name} taxonomy" if name in TAXONOMY_CODE_COLUMNS else f"codes.{name}"


def _scale_problems(codebook: Codebook, question: Question, field: str, file: str) -> list[Problem]:
    scale_name = question.target.split(".")[1]
    scale = codebook.scales.get(scale_name)
    low, high = SCALE_RANGES.get(scale_name, (1, 10))
    allowed = set(scale) if scale else set(range(low, high + 1))
    where = f"the {scale_name} scale" if scale else f"{low}..{high}"
    problems = []
    for text, value in question.value_map.items():
        number = value if isinstance(value, int) else None
        if number is None or number not in allowed:
            problems.append(
                Problem(
                    severity="error",
                    file=file,
                    column=f"{field}.value_map",
                    value=str(value),
                    message=f"answer {text!r} maps to {value!r}, not a value of {where}",
                )
            )
    return problems


def _frame_problems(codebook: Codebook, survey_dir: Path, file: str) -> list[Problem]:
    """The population frame exists and its cells use the codebook's codes."""
    ref = codebook.survey.population_frame
    if ref is None:
        weighting = codebook.weighting
        if "weighting" in codebook.model_fields_set and weighting.method != "none":
            message = (
                f"weighting.method {weighting.method!r} is ignored: without "
                "survey.population_frame the survey is unweighted (method none)"
            )
            return [
                Problem(severity="warning", file=file, column="weighting.method", message=message)
            ]
        return []
    path = survey_dir / ref
    problems: list[Problem] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        message = f"the population frame does not exist (paths are relative to {file})"
        return [
            Problem(
                severity="error",
                file=file,
                column="survey.population_frame",
                value=ref,
                message=message,
            )
        ]
    for column in codebook.weighting.cells:
        codes = codebook.codes.get(column)
        if codes is None:
            continue
        seen: set[str] = set()
        for number, row in enumerate(rows, start=2):
            value = (row.get(column) or "").strip()
            if value and value not in codes and value not in seen:
                seen.add(value)
                problems.append(
                    Problem(
                        severity="error",
                        file=ref,
                        row=number,
                        column=column,
                        value=value,
                        message=f"population frame cell is not a code of codes.{column}",
                    )
                )
    return problems


def _required_respondent_fields(codebook: Codebook) -> dict[str, str]:
    """Respondent columns every wave must map, and why: validation refuses respondents without
    a sector or size band when the codebook defines that code list; weighting needs its cells
    when the survey has a population frame."""
    required: dict[str, str] = {}
    for column in REQUIRED_RESPONDENT:
        if column in codebook.codes:
            required[column] = (
                f"codes.{column} is defined, so validation refuses respondents without it"
            )
    if codebook.survey.population_frame is not None:
        for column in codebook.weighting.cells:
            required.setdefault(column, "weighting to the population frame needs it")
    return required


def _wave_mapping_problems(codebook: Codebook, wave: str, file: str) -> list[Problem]:
    """Required respondent fields mapped once, single-use targets not mapped twice, no PII or
    column mapped twice."""
    spec = codebook.waves[wave]
    mapped = [q for q in codebook.questions if wave in q.waves]
    problems: list[Problem] = []
    targets = Counter(
        (q.target, q.constants.get("horizon", ""))
        for q in mapped
        if q.target in SINGLE_USE_TARGETS or q.target == "hiring_need.headcount"
    )
    for column, why in _required_respondent_fields(codebook).items():
        if (f"respondent.{column}", "") not in targets:
            problems.append(
                Problem(
                    severity="error",
                    file=file,
                    wave=wave,
                    column="questions",
                    message=f"no question maps respondent.{column} in this wave: {why}",
                )
            )
    for (target, horizon), count in targets.items():
        if count > 1:
            what = f"{target} ({horizon})" if horizon else target
            problems.append(
                Problem(
                    severity="error",
                    file=file,
                    wave=wave,
                    column="questions",
                    message=f"{count} questions map {what} in this wave; one may",
                )
            )
    pii = set(spec.pii_columns)
    seen: dict[str, str] = {}
    for question in mapped:
        source = question.waves[wave]
        for ref in [source.column, source.other_text, *(source.items or {}).values()]:
            if ref is None:
                continue
            if ref in pii:
                problems.append(
                    Problem(
                        severity="error",
                        file=file,
                        wave=wave,
                        column=ref,
                        message=f"question {question.id!r} maps a column listed in pii_columns",
                    )
                )
            if ref in seen and seen[ref] != question.id:
                problems.append(
                    Problem(
                        severity="warning",
                        file=file,
                        wave=wave,
                        column=ref,
                        message=f"questions {seen[ref]!r} and {question.id!r} map the same column",
                    )
                )
            seen.setdefault(ref, question.id)
    return problems


def _export_problems(
    codebook: Codebook,
    wave: str,
    name: str,
    survey_dir: Path,
    code_lists: dict[str, frozenset[str]],
) -> list[Problem]:
    path = survey_dir / name
    if not path.exists():
        return [
            Problem(
                severity="error",
                file=name,
                wave=wave,
                message="the export listed in files does not exist",
            )
        ]
    try:
        export = read_export(path, platform=codebook.waves[wave].platform)
    except SkillgapError as exc:
        return [Problem(severity="error", file=name, wave=wave, message=f"cannot be read: {exc}")]
    return check_export(export, codebook, wave, name, code_lists)
