"""Errors shared by every step: each names the file, row, column and value that broke."""

from __future__ import annotations

from pathlib import Path


class SkillgapError(Exception):
    """Base class: a problem an analyst can act on, described in one sentence."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = value
        parts = [message]
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {value!r}")
        if where:
            parts.append("(" + ", ".join(where) + ")")
        super().__init__(" ".join(parts))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole (file, row, column and value kept), e.g. from a worker process."""
        where = {"file": self.file, "row": self.row, "column": self.column, "value": self.value}
        return (_rebuild, (type(self), self.message, where))


def _rebuild(cls: type[SkillgapError], message: str, where: dict[str, object]) -> SkillgapError:
    return cls(message, **where)  # type: ignore[arg-type]


class ExportReadError(SkillgapError):
    """An export file cannot be read at all (empty, binary, wrong platform, broken header)."""


class MissingColumnError(SkillgapError):
    """A column the codebook needs is not in the export."""


class CodebookError(SkillgapError):
    """The codebook (survey.yaml) is invalid or does not match the export."""


class ValidationStopError(SkillgapError):
    """A table-level expectation failed: the run stops instead of quarantining rows."""


class WeightingError(SkillgapError):
    """Weights cannot be computed (empty cells, inconsistent margins, no convergence)."""


class ReferenceDataError(SkillgapError):
    """A reference file (taxonomy, training offer, population frame) is missing or malformed."""


class WarehouseError(SkillgapError):
    """A SQL model failed, or a model's declared test or column list does not hold."""
