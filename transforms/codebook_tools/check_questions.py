"""Codebook tools, check of the questions: codes against code lists and taxonomies, scales and
horizons, each problem naming the codebook field (`questions[<id>].value_map`).

`code_lists` reads the code lists a codebook's answers map onto (its codes section and the role
and skill taxonomies); `question_problems` checks one question against them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from transforms.codebook_tools.problems import Problem
from transforms.ingest.codebook import TARGET_CODE_LIST, Codebook, Question
from transforms.validate.codes import (
    ALLOWED_HORIZONS,
    DIFFICULTY_RANGE,
    IMPORTANCE_RANGE,
    SHORTAGE_RANGE,
)

SCALE_RANGES = {"difficulty": DIFFICULTY_RANGE, "importance": IMPORTANCE_RANGE}
SCALE_RANGES["shortage"] = SHORTAGE_RANGE
TAXONOMY_CODE_COLUMNS = {"role": "role_code", "skill": "skill_code"}
CodeLists = dict[str, frozenset[str]]


def code_lists(
    codebook: Codebook, survey_dir: Path, file: str, problems: list[Problem]
) -> CodeLists:
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


def question_problems(
    codebook: Codebook, question: Question, lists: CodeLists, file: str
) -> list[Problem]:
    """Every problem of one question: its code list, codes, scale values and horizon."""
    list_name = TARGET_CODE_LIST.get(question.target)
    allowed = lists.get(list_name) if list_name else None
    problems = _code_list_problems(codebook, question, list_name, allowed, file)
    if allowed is not None:
        problems += _code_problems(question, list_name, allowed, file)
    if question.type == "ordinal_grid":
        problems += _scale_problems(codebook, question, file)
    if question.target == "hiring_need.headcount":
        horizon = question.constants.get("horizon")
        if horizon not in ALLOWED_HORIZONS:
            message = f"constants.horizon must be one of {', '.join(ALLOWED_HORIZONS)}"
            problems.append(_error(file, message, f"{_field(question)}.constants", horizon))
    if question.type == "multi" and allowed is not None:
        problems += _other_problems(question, list_name, allowed, file)
    return problems


def _field(question: Question) -> str:
    return f"questions[{question.id}]"


def _error(file: str, message: str, column: str, value: object = None) -> Problem:
    shown = None if value is None else str(value)
    return Problem(severity="error", file=file, column=column, value=shown, message=message)


def _list(name: str | None) -> str:
    return f"the {name} taxonomy" if name in TAXONOMY_CODE_COLUMNS else f"codes.{name}"


def _code_list_problems(
    codebook: Codebook,
    question: Question,
    list_name: str | None,
    allowed: frozenset[str] | None,
    file: str,
) -> list[Problem]:
    """The code list the question's target maps onto is defined."""
    if list_name is None or allowed is not None:
        return []
    column = f"{_field(question)}.target"
    if list_name not in TAXONOMY_CODE_COLUMNS:
        return [
            _error(file, f"target {question.target} needs the code list codes.{list_name}", column)
        ]
    if getattr(codebook.taxonomies, list_name) is None:
        message = (
            f"target {question.target} needs {list_name} codes: a taxonomy file "
            f"(taxonomies.{list_name}) or an inline code list (codes.{list_name})"
        )
        return [_error(file, message, column)]
    return []


def _code_problems(
    question: Question, list_name: str | None, allowed: frozenset[str], file: str
) -> list[Problem]:
    """The codes of the value map and of the grid items are in the code list."""
    field = _field(question)
    problems: list[Problem] = []
    if question.type in ("single", "multi"):
        for text, code in question.value_map.items():
            if str(code) not in allowed:
                message = f"code {code!r} (for answer {text!r}) is not in {_list(list_name)}"
                problems.append(_error(file, message, f"{field}.value_map", code))
    if question.type in ("numeric_grid", "ordinal_grid", "multi"):
        for wave, source in question.waves.items():
            for code in source.items or {}:
                if code not in allowed:
                    message = f"item code {code!r} is not in {_list(list_name)}"
                    problems.append(_error(file, message, f"{field}.waves.{wave}.items", code))
    return problems


def _other_problems(
    question: Question, list_name: str | None, allowed: frozenset[str], file: str
) -> list[Problem]:
    """The code other_text answers of a multi-select get is in the code list."""
    uses_other = any(s.other_text for s in question.waves.values())
    other = next(
        (str(c) for t, c in question.value_map.items() if t.lower().startswith("other")),
        "other",
    )
    if not uses_other or other in allowed:
        return []
    message = f"other_text answers get code {other!r}, which is not in {_list(list_name)}"
    return [_error(file, message, f"{_field(question)}.value_map", other)]


def _scale_problems(codebook: Codebook, question: Question, file: str) -> list[Problem]:
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
                    column=f"{_field(question)}.value_map",
                    value=str(value),
                    message=f"answer {text!r} maps to {value!r}, not a value of {where}",
                )
            )
    return problems
