"""Codebook tools, check results: one Problem per thing an analyst has to fix or look at."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One problem found by `check_codebook`: where it is and what is wrong.

    ``file`` is the codebook or an export (relative to the survey folder), ``row`` the 1-based
    row as a spreadsheet shows it, ``column`` an export column reference or a codebook field
    (``questions[org_sector].value_map``), ``count`` how many rows share the problem."""

    severity: Severity
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    wave: str | None = None
    count: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self) -> str:
        """'2022/export.csv row 5, column 'QID1', value 'Foo' (3 rows)'."""
        parts = []
        if self.wave is not None:
            parts.append(f"wave {self.wave}")
        if self.file is not None:
            parts.append(self.file + (f" row {self.row}" if self.row is not None else ""))
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        if self.count is not None and self.count > 1:
            parts.append(f"{self.count} rows")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summary(problems: Iterable[Problem]) -> str:
    """'2 errors, 5 warnings'."""
    counts = Counter(p.severity for p in problems)
    errors, warnings = counts["error"], counts["warning"]
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def format_report(problems: list[Problem]) -> str:
    """Plain-text report: errors, then warnings, one line each, then the counts."""
    lines = []
    for severity in ("error", "warning"):
        for problem in (p for p in problems if p.severity == severity):
            where = problem.where()
            lines.append(
                f"{severity}: {where}: {problem.message}"
                if where
                else f"{severity}: {problem.message}"
            )
    lines.append(summary(problems) if problems else "no problems found")
    return "\n".join(lines)
