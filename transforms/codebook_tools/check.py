"""Codebook tools, check: every problem of a codebook against its exports, not only the first.

`check_codebook_file` reads survey.yaml (each schema error with its field, plus any draft
questions still under ``unmapped:``), then `check_codebook` checks the codebook itself (codes
against code lists and taxonomies, scales, horizons: `check_questions`; the population frame),
each wave's mapping (required fields, PII mapped as a question: `check_waves`) and, per wave
and export, the columns and answers (`check_export`). Errors would make ingest fail or
quarantine rows; warnings are worth a look.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from transforms.codebook_tools.check_export import check_export
from transforms.codebook_tools.check_questions import CodeLists, code_lists, question_problems
from transforms.codebook_tools.check_waves import wave_mapping_problems
from transforms.codebook_tools.problems import Problem
from transforms.core.errors import CodebookError, SkillgapError
from transforms.ingest.codebook import SKILL_SCHEME, Codebook
from transforms.ingest.codebook_file import outside_survey, read_codebook_yaml
from transforms.ingest.readers import read_export


def check_codebook_file(
    path: Path, *, waves: Sequence[str] | None = None, read_exports: bool = True
) -> list[Problem]:
    """Every problem of the codebook at ``path`` and of the exports it names.

    With ``read_exports=False`` (a run's check before it starts) the exports are only checked
    to exist and be readable files, which takes milliseconds at any size."""
    name = path.name
    try:
        raw = read_codebook_yaml(path)
    except CodebookError as exc:
        return [Problem(severity="error", file=str(path), message=exc.message, row=exc.row)]
    if not isinstance(raw, dict):
        return [Problem(severity="error", file=name, message="a codebook is a YAML mapping")]
    problems = _unmapped_drafts(raw, name)
    try:
        codebook = Codebook.model_validate(raw)
    except ValidationError as exc:
        return problems + _schema_problems(exc, raw, name) + _missing_files(raw, path.parent, name)
    return problems + check_codebook(
        codebook, path.parent, waves=waves, codebook_file=name, read_exports=read_exports
    )


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


def _missing_files(raw: dict[str, object], survey_dir: Path, name: str) -> list[Problem]:
    """Files a codebook with schema errors names that do not exist: the reference files and
    each wave's exports, read from the YAML as written, so that one schema error does not
    hide them."""
    named: list[tuple[str, str | None, object]] = []
    taxonomies = raw.get("taxonomies")
    if isinstance(taxonomies, dict):
        named += [(f"taxonomies.{key}", None, ref) for key, ref in taxonomies.items()]
    survey = raw.get("survey")
    if isinstance(survey, dict) and "population_frame" in survey:
        named.append(("survey.population_frame", None, survey["population_frame"]))
    waves = raw.get("waves")
    for wave, spec in waves.items() if isinstance(waves, dict) else ():
        files = spec.get("files") if isinstance(spec, dict) else None
        named += [
            (f"waves.{wave}.files", str(wave), f)
            for f in (files if isinstance(files, list) else [])
        ]
    problems = []
    for column, wave, ref in named:
        if isinstance(ref, str) and ref and not (survey_dir / ref).exists():
            problems.append(
                Problem(
                    severity="error",
                    file=name,
                    wave=wave,
                    column=column,
                    value=ref,
                    message=f"the file does not exist (paths are relative to {name})",
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
    read_exports: bool = True,
) -> list[Problem]:
    """Every problem of a loaded codebook and of the exports of ``waves`` (default: all)."""
    problems: list[Problem] = []
    lists = code_lists(codebook, survey_dir, codebook_file, problems)
    for question in codebook.questions:
        problems += question_problems(codebook, question, lists, codebook_file)
    problems += skill_synonym_problems(codebook, lists, codebook_file)
    problems += _frame_problems(codebook, survey_dir, codebook_file)
    selected = list(codebook.waves) if waves is None else list(waves)
    for wave in selected:
        if wave not in codebook.waves:
            message = f"no such wave in the codebook (known: {', '.join(codebook.waves)})"
            problems.append(
                Problem(severity="error", file=codebook_file, wave=wave, message=message)
            )
            continue
        problems += wave_mapping_problems(codebook, wave, codebook_file)
        for name in codebook.waves[wave].files:
            if read_exports:
                problems += _export_problems(codebook, wave, name, survey_dir, lists)
            else:
                problems += _unreadable_export(
                    wave, name, survey_dir, allowed=codebook.survey.exports_outside
                )
    return problems


def skill_synonym_problems(codebook: Codebook, lists: CodeLists, file: str) -> list[Problem]:
    """Codes of ``synonyms.skill`` that the skill taxonomy lacks (the codebook's own code lists
    are checked when it is loaded)."""
    known = lists.get(SKILL_SCHEME)
    if known is None:  # no readable skill taxonomy: reported already
        return []
    return [
        Problem(
            severity="error",
            file=file,
            column=f"synonyms.skill.{code}",
            value=code,
            message="synonyms.skill names a code that is not in the skill taxonomy",
        )
        for code in codebook.synonyms.get(SKILL_SCHEME, {})
        if code not in known
    ]


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


def _unreadable_export(
    wave: str, name: str, survey_dir: Path, *, allowed: bool = False
) -> list[Problem]:
    """The export is inside the survey folder (unless `allowed`), exists and is a readable
    file (not a folder, FIFO or dangling link)."""
    path = survey_dir / name
    outside = outside_survey(survey_dir, name, allowed=allowed)
    if outside is not None:
        message = outside
    elif not path.exists():
        message = "the export listed in files does not exist"
    elif not path.is_file():
        message = "the export listed in files is not a regular file"
    elif not os.access(path, os.R_OK):
        message = "the export listed in files cannot be read (permissions)"
    else:
        return []
    return [Problem(severity="error", file=name, wave=wave, message=message)]


def _export_problems(
    codebook: Codebook,
    wave: str,
    name: str,
    survey_dir: Path,
    lists: CodeLists,
) -> list[Problem]:
    path = survey_dir / name
    outside = outside_survey(survey_dir, name, allowed=codebook.survey.exports_outside)
    if outside is not None:
        return [Problem(severity="error", file=name, wave=wave, message=outside)]
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
    return check_export(export, codebook, wave, name, lists)
