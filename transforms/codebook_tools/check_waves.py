"""Codebook tools, check of each wave's mapping: the respondent fields validation and weighting
need are mapped, a single-use target is mapped once, and no PII or column is mapped twice.
"""

from __future__ import annotations

from collections import Counter

from transforms.codebook_tools.problems import Problem, Severity
from transforms.codebook_tools.suggest import SINGLE_USE_TARGETS
from transforms.ingest.codebook import Codebook, Question

# Respondent columns validation requires when the codebook defines their code list.
REQUIRED_RESPONDENT = ("org_sector", "org_size_band")


def wave_mapping_problems(codebook: Codebook, wave: str, file: str) -> list[Problem]:
    """Required respondent fields mapped once, single-use targets not mapped twice, no PII or
    column mapped twice."""
    mapped = [q for q in codebook.questions if wave in q.waves]
    problems = _target_problems(codebook, mapped, wave, file)
    problems += _column_problems(codebook, mapped, wave, file)
    accepted = codebook.waves[wave].accept_statuses
    if accepted:
        message = (
            f"{' and '.join(accepted)} responses are analysed as real answers in this wave "
            "(accept_statuses): fine for trying the pipeline, never for a published report"
        )
        problems.append(
            Problem(
                severity="warning",
                file=file,
                wave=wave,
                column=f"waves.{wave}.accept_statuses",
                message=message,
            )
        )
    return problems


def required_respondent_fields(codebook: Codebook) -> dict[str, str]:
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


def _problem(
    file: str, wave: str, column: str, message: str, severity: Severity = "error"
) -> Problem:
    return Problem(severity=severity, file=file, wave=wave, column=column, message=message)


def _target_problems(
    codebook: Codebook, mapped: list[Question], wave: str, file: str
) -> list[Problem]:
    """Every required respondent field is mapped; no single-use target is mapped twice."""
    targets = Counter(
        (q.target, q.constants.get("horizon", ""))
        for q in mapped
        if q.target in SINGLE_USE_TARGETS or q.target == "hiring_need.headcount"
    )
    problems = [
        _problem(
            file, wave, "questions", f"no question maps respondent.{column} in this wave: {why}"
        )
        for column, why in required_respondent_fields(codebook).items()
        if (f"respondent.{column}", "") not in targets
    ]
    for (target, horizon), count in targets.items():
        if count > 1:
            what = f"{target} ({horizon})" if horizon else target
            message = f"{count} questions map {what} in this wave; one may"
            problems.append(_problem(file, wave, "questions", message))
    return problems


def _column_problems(
    codebook: Codebook, mapped: list[Question], wave: str, file: str
) -> list[Problem]:
    """No question maps a PII column; no two questions map the same column."""
    pii = set(codebook.waves[wave].pii_columns)
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for question in mapped:
        source = question.waves[wave]
        for ref in [source.column, source.other_text, *(source.items or {}).values()]:
            if ref is None:
                continue
            if ref in pii:
                message = f"question {question.id!r} maps a column listed in pii_columns"
                problems.append(_problem(file, wave, ref, message))
            if ref in seen and seen[ref] != question.id:
                message = f"questions {seen[ref]!r} and {question.id!r} map the same column"
                problems.append(_problem(file, wave, ref, message, "warning"))
            seen.setdefault(ref, question.id)
    return problems
