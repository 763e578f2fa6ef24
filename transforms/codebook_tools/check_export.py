"""Codebook tools, check of one export: the columns the codebook names exist, the columns it
does not name are accounted for, and every answer has a mapping (as `apply_codebook` reads it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from transforms.codebook_tools.platforms import is_metadata, reference
from transforms.codebook_tools.problems import Problem, Severity
from transforms.core.errors import MissingColumnError
from transforms.ingest.codebook import TARGET_CODE_LIST, Codebook, Question, Source
from transforms.ingest.multiselect import split_joined
from transforms.ingest.pii import suspected_pii
from transforms.ingest.readers.base import RawExport
from transforms.validate.codes import HEADCOUNT_RANGE


def check_export(
    export: RawExport,
    codebook: Codebook,
    wave: str,
    file: str,
    code_lists: dict[str, frozenset[str]],
) -> list[Problem]:
    """Missing and unmapped columns, PII mapped as a question, unmapped answers, numbers that
    ingest would quarantine, repeated respondent ids."""
    spec = codebook.waves[wave]
    checker = _ExportChecker(export, wave, file, codebook.survey.country)
    if spec.respondent_id is not None:
        checker.required(spec.respondent_id, "respondent_id")
    if spec.submitted_at is not None:
        checker.required(spec.submitted_at, "submitted_at")
    if spec.completed is not None:
        key = checker.required(spec.completed.column, "completed.column")
        if key is not None:
            checker.true_values(key, spec.completed.true_values)
    pii = {k for ref in spec.pii_columns if (k := checker.optional(ref, "pii_columns"))}
    if spec.respondent_id is not None:
        checker.respondent_ids(spec.respondent_id)
    for question in codebook.questions:
        source = question.waves.get(wave)
        if source is not None:
            checker.question(question, source, pii, set(spec.allow_columns), code_lists)
    checker.unmapped_columns(pii)
    return checker.problems


REPEATED_IDS_ERROR_ROWS = 10  # rows sharing ids (and 1% of the rows) that make it an error

# Respondent dimensions that validation requires: a blank answer quarantines the respondent.
DIMENSIONS = frozenset({"respondent.org_sector", "respondent.org_size_band"})  # weighting cells


class _ExportChecker:
    def __init__(self, export: RawExport, wave: str, file: str, country: str | None = None) -> None:
        self.export = export
        self.country = country  # the survey's, for phone numbers written without a code
        self.wave = wave
        self.file = file
        self.used: set[str] = set()
        self.problems: list[Problem] = []

    def add(
        self,
        severity: Severity,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        count: int | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                severity=severity,
                message=message,
                file=self.file,
                wave=self.wave,
                row=row,
                column=column,
                value=value,
                count=count,
            )
        )

    def resolve(self, ref: str) -> str | None:
        try:
            key = self.export.resolve(ref)
        except MissingColumnError:
            return None
        self.used.add(key)
        return key

    def required(self, ref: str, field: str) -> str | None:
        key = self.resolve(ref)
        if key is None:
            self.add("error", f"the wave's {field} column is not in the export", column=ref)
        return key

    def optional(self, ref: str, field: str) -> str | None:
        key = self.resolve(ref)
        if key is None:
            self.add("warning", f"a column listed in {field} is not in the export", column=ref)
        return key

    def true_values(self, key: str, true_values: tuple[str, ...]) -> None:
        seen = set(self.export.data[key].dropna().astype(str))
        if seen and not seen & set(true_values):
            shown = ", ".join(sorted(seen)[:5])
            self.add(
                "warning",
                f"no answer is one of completed.true_values; the column holds {shown}",
                column=reference(self.export, key),
            )

    def respondent_ids(self, ref: str) -> None:
        key = self.resolve(ref)
        if key is None:
            return
        ids = self.export.data[key]
        repeated = ids[ids.notna() & ids.duplicated(keep=False)]
        # A few double submissions are what quarantine is for; many rows sharing ids mean the
        # column is not an id (a first column, a timestamp kept to whole seconds).
        many = len(repeated) >= REPEATED_IDS_ERROR_ROWS and len(repeated) >= 0.01 * len(ids)
        for value, first_row, count in self._first_rows(repeated):
            self.add(
                "error" if many else "warning",
                f"respondent id occurs more than once ({len(repeated)} of {len(ids)} rows share "
                "an id): validation quarantines every copy; if the column is not an id, set "
                "respondent_id: null (each row is then one respondent, keyed by file and row)",
                row=first_row,
                column=ref,
                value=value,
                count=count,
            )

    def question(
        self,
        question: Question,
        source: Source,
        pii: set[str],
        allow: set[str],
        code_lists: dict[str, frozenset[str]],
    ) -> None:
        refs = [source.column, source.other_text, *(source.items or {}).values()]
        keys: dict[str, str] = {}
        for ref in refs:
            if ref is None:
                continue
            key = self.resolve(ref)
            if key is None:
                self.add(
                    "error", f"question {question.id!r} maps a column the export lacks", column=ref
                )
                continue
            keys[ref] = key
            if key in pii:
                self.add("error", f"question {question.id!r} maps a PII column", column=ref)
            elif ref not in allow:
                self._personal(question, ref, key)
        allowed = self._allowed(question, code_lists)
        if question.type == "single" and source.column in keys:
            self._choices(question, source.column, None, allowed)
            if question.target in DIMENSIONS and allowed:
                self._blank_dimension(question, source.column)
        elif question.type == "multi" and source.column in keys:
            self._choices(question, source.column, source.joined or ",", allowed)
        elif question.type == "ordinal_grid":
            for ref in (source.items or {}).values():
                if ref in keys:
                    self._scale(question, ref)
        elif question.type == "numeric_grid":
            for ref in (source.items or {}).values():
                if ref in keys:
                    self._numbers(question, ref)

    def _blank_dimension(self, question: Question, ref: str) -> None:
        """Respondents who left a coded dimension blank are quarantined at validation: say how
        many, so that it is never a silent loss."""
        raw = self.export.column(ref)
        blank = raw.isna() | raw.isin(question.missing_values)
        if not bool(blank.any()):
            return
        first = int(self.export.source_rows[blank].iloc[0])
        target = question.target.split(".")[1]
        self.add(
            "warning",
            f"{int(blank.sum())} of {len(raw)} respondents leave {target} blank (or answer a "
            "missing value): validation quarantines them, since it has a code list; map those "
            "answers to a code (for example not_stated) to keep them",
            row=first,
            column=ref,
            count=int(blank.sum()),
        )

    def _personal(self, question: Question, ref: str, key: str) -> None:
        """The ingest safety net: a mapped column that looks personal stops the run."""
        info = self.export.columns[key]
        kind = suspected_pii(info.tag, info.text, self.export.data[key], country=self.country)
        if kind is not None:
            self.add(
                "error",
                f"question {question.id!r} maps a column that looks like {kind}: ingest stops; "
                "list it in pii_columns to drop it, or in allow_columns if it is not personal",
                column=ref,
            )

    @staticmethod
    def _allowed(question: Question, code_lists: dict[str, frozenset[str]]) -> frozenset[str]:
        return code_lists.get(TARGET_CODE_LIST.get(question.target, ""), frozenset())

    def _answers(self, question: Question, ref: str) -> pd.Series:
        raw = self.export.column(ref)
        return raw[raw.notna() & ~raw.isin(question.missing_values)]

    def _choices(
        self, question: Question, ref: str, delimiter: str | None, allowed: frozenset[str]
    ) -> None:
        """Single or joined multi-select answers: each (choice) in the value_map, in
        missing_values, or a code itself."""
        mapped = set(question.value_map)
        answers = self._answers(question, ref)
        if delimiter is not None:
            choices = list(question.value_map)
            answers = answers.map(
                lambda cell: split_joined(str(cell), delimiter, choices)
            ).explode()
            answers = answers[answers.notna() & ~answers.isin(question.missing_values)]
        unknown = answers[~answers.isin(mapped) & ~answers.isin(allowed)]
        for value, first_row, count in self._first_rows(unknown):
            self.add(
                "error",
                f"answer not in the value_map or missing_values of question {question.id!r}",
                row=first_row,
                column=ref,
                value=value,
                count=count,
            )

    def _scale(self, question: Question, ref: str) -> None:
        """Ordinal answers: mapped by value_map, or a number on the mapped scale."""
        answers = self._answers(question, ref).astype("string").str.strip()
        mapping = {k: v for k, v in question.value_map.items() if isinstance(v, int)}
        numbers = pd.to_numeric(answers, errors="coerce")
        on_scale = answers.isin(list(mapping)) | numbers.isin(list(mapping.values()))
        for value, first_row, count in self._first_rows(answers[~on_scale]):
            self.add(
                "error",
                f"answer not on the scale of question {question.id!r} (value_map or "
                "missing_values): ingest quarantines it",
                row=first_row,
                column=ref,
                value=value,
                count=count,
            )

    def _numbers(self, question: Question, ref: str) -> None:
        """Numeric answers that ingest would quarantine (not whole numbers, out of range)."""
        answers = self._answers(question, ref).astype("string").str.strip()
        numbers = pd.to_numeric(answers, errors="coerce")
        if question.target == "answer.value":  # a generic question takes any number
            bad, expected = answers[numbers.isna()], "not a number"
        else:
            low, high = HEADCOUNT_RANGE
            whole = numbers.notna() & (numbers == numbers.round())
            bad = answers[~whole | (numbers < low) | (numbers > high)]
            expected = f"not a whole number in {low}..{high}"
        for value, first_row, count in self._first_rows(bad):
            self.add(
                "warning",
                f"{expected} (question {question.id!r}): ingest quarantines the answer",
                row=first_row,
                column=ref,
                value=value,
                count=count,
            )

    def _first_rows(self, values: pd.Series) -> Iterator[tuple[str, int, int]]:
        """(value, first source row, count) per distinct value, in file order."""
        rows = dict(zip(self.export.data.index, self.export.source_rows.to_numpy(), strict=True))
        firsts: dict[str, tuple[int, int]] = {}
        for index, value in values.items():
            text = str(value)
            row, count = firsts.get(text, (int(rows[index]), 0))
            firsts[text] = (row, count + 1)
        for text, (row, count) in firsts.items():
            yield text, row, count

    def unmapped_columns(self, pii: set[str]) -> None:
        for key, info in self.export.columns.items():
            if key in self.used or key in pii or is_metadata(self.export, info):
                continue
            self.add(
                "warning",
                "column is neither mapped, nor listed in pii_columns, nor platform metadata",
                column=reference(self.export, key),
            )
