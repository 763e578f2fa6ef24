"""Report step, model: the values, tables and metadata one report template renders.

Every number a reader sees is a `Value` that remembers where it came from (mart, column and
the row's key), so the HTML can carry it as `data-mart`/`data-field`/`data-key`/`data-value`
attributes and a test can compare it with the mart row. An estimate also carries its mart's
`low_precision` flag, which the report shows as "‡" (docs/ARCHITECTURE.md, "Low precision").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, TypedDict, cast

from transforms.core.canonical import ALL, readable_code
from transforms.model.params import CONFIDENCE, DEFAULTS
from transforms.report.citation import Citation
from transforms.report.formatting import (
    LOW_PRECISION_MARK,
    format_count,
    format_decimal,
    format_points,
    format_ratio,
    format_share,
    format_signed_count,
    is_missing,
)

# How a number is shown: count '1,234'; share '62%'; share1 '99.5%'; ratio '2.3'; decimal '1.28';
# signed '+112' (a change in a count); points '+5 pp' (a change in a share).
Kind = Literal["count", "share", "share1", "ratio", "decimal", "signed", "points", "text"]

DEFAULT_SYNTHETIC_NOTICE = (
    "This report is generated from synthetic demonstration data. "
    "No figure describes real organisations."
)


class DataQualityRow(TypedDict):
    """Rows in, curated and quarantined for one canonical table (in = curated + quarantined)."""

    table: str
    rows_in: int
    curated: int
    quarantined: int


class QuarantineReasonRow(TypedDict):
    """One quarantine reason and how many rows of a table it sent to quarantine."""

    table: str
    reason: str
    count: int


@dataclass(frozen=True)
class ReportQuestion:
    """A question the report answers (the codebook's `report.questions`): one chapter."""

    id: str  # the chapter's anchor
    title: str  # the question as the report asks it
    sections: tuple[str, ...]  # report sections (topics) the chapter shows, in order


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself; everything else comes from the marts."""

    survey_title: str
    wave: str
    synthetic: bool = False
    notice: str | None = None  # first-page notice; a default is used when synthetic
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    min_cell_size: int = DEFAULTS.min_cell
    confidence_level: float = CONFIDENCE
    # low-precision thresholds the marts were built with (transforms.model.params.ModelParams)
    max_cv: float = DEFAULTS.max_cv  # totals: low precision above this coefficient of variation
    min_n_eff: float = DEFAULTS.min_n_eff  # shares: low precision under this effective n
    max_ci_width: float = DEFAULTS.max_ci_width  # shares: ... or an interval this wide
    max_relative_ci_width: float = DEFAULTS.max_relative_ci_width  # ... or wider than this × p
    relative_ci_width_floor: float = DEFAULTS.relative_ci_width_floor  # ... and than this
    scope_notes: tuple[str, ...] = ()  # scope and wording notes for this wave, shown in Method
    hires_description: str = "people in the surveyed roles"  # "Organisations expect to hire …"
    code_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # org_sector, …
    data_quality: Sequence[DataQualityRow] = ()
    quarantine_reasons: Sequence[QuarantineReasonRow] = ()
    # canonical targets the wave's questions fill (respondent.org_sector, hiring_need.headcount,
    # ...): the report leaves out what the survey did not ask. None: every target (all asked).
    asked: frozenset[str] | None = None
    citation: Citation | None = None  # publisher, date, licence, suggested citation, Source
    include_illustrative_offers: bool = False  # the supply counts invented catalogue entries
    questions: tuple[ReportQuestion, ...] = ()  # the chapters; none: one per section
    # free-text question id -> the reviewed quotes the codebook lists for this wave: the only
    # free text a report prints (escaped)
    quotes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def asks(self, *targets: str) -> bool:
        """Whether the wave asked a question filling any of ``targets``."""
        return self.asked is None or any(t in self.asked for t in targets)

    @property
    def precision_rule(self) -> dict[str, str]:
        """The low-precision thresholds as the Method section states them: percentages and
        percentage points without a unit, the relative width as a factor."""
        return {
            "max_cv": _number(self.max_cv * 100),
            "min_n_eff": _number(self.min_n_eff),
            "max_ci_width": _number(self.max_ci_width * 100),
            "max_relative_ci_width": _number(self.max_relative_ci_width),
            "relative_ci_width_floor": _number(self.relative_ci_width_floor * 100),
        }

    @property
    def low_precision_note(self) -> str:
        """The key to the low-precision mark, with the thresholds the marts were built with."""
        return (
            f"{LOW_PRECISION_MARK} Low precision: interpret with caution (coefficient of "
            f"variation above {_number(self.max_cv * 100)}%; for shares, fewer than "
            f"{_number(self.min_n_eff)} effective respondents or a wide interval)."
        )

    @property
    def notice_text(self) -> str | None:
        """The first-page notice: the codebook's text, or the default when synthetic."""
        if self.notice:
            return self.notice
        return DEFAULT_SYNTHETIC_NOTICE if self.synthetic else None

    def order(self, code_list: str, code: str) -> tuple[int, int, str]:
        """Sort key: codebook order first, then unknown codes by label, the 'all' total last."""
        codes = list(self.code_labels.get(code_list, {}))
        position = codes.index(code) if code in codes else len(codes)
        return (code == ALL, position, self.label(code_list, code))

    def label(self, code_list: str, code: str) -> str:
        """Reader-facing label of a code (falls back to the code, underscores as spaces)."""
        labels = self.code_labels.get(code_list, {})
        if code in labels:
            return labels[code]
        if code == ALL:
            return "All"
        return readable_code(code)


@dataclass(frozen=True)
class Source:
    """Where a number comes from: mart table, column and the row's key (`col=value;…`)."""

    mart: str
    field: str
    key: str


@dataclass(frozen=True)
class Value:
    """One number or label as the reader sees it, with its raw value and its source."""

    text: str
    raw: float | int | str | None = None  # None when suppressed or missing
    kind: Kind = "text"
    suppressed: bool = False
    source: Source | None = None
    # the mart's low_precision flag of this estimate: None when it has none (not an estimate,
    # or suppressed or missing: a hidden cell never carries a flag)
    low_precision: bool | None = None

    @property
    def data_value(self) -> str:
        """The raw value as written into `data-value` ('' when suppressed or missing)."""
        return "" if self.raw is None else repr(self.raw)


@dataclass(frozen=True)
class Cell:
    """A table cell: one value, or two for an interval shown as 'low–high'."""

    values: tuple[Value, ...]
    interval: bool = False
    stacked: bool = False  # an estimate with its interval below it: values (estimate, low, high)
    strong: bool = False
    separator: str = "–"  # between an interval's bounds; " to " when they carry a sign

    @property
    def text(self) -> str:
        """The cell as one string; an interval of a suppressed or missing estimate is '–'."""
        if self.stacked:
            estimate, low, high = self.values
            if low.raw is None or high.raw is None:
                return estimate.text
            return f"{estimate.text} ({low.text}{self.separator}{high.text})"
        if not self.interval:
            return self.values[0].text
        low, high = self.values
        if low.raw is None or high.raw is None:
            return "–"
        return f"{low.text}{self.separator}{high.text}"


@dataclass(frozen=True)
class Column:
    header: str
    # estimate: a stacked cell (estimate over its interval; three columns in tables.xlsx)
    kind: Literal["label", "number", "interval", "estimate"] = "number"


@dataclass(frozen=True)
class Table:
    """One report table; the same object is written to HTML, PDF and a sheet of tables.xlsx."""

    id: str
    title: str
    sheet: str  # Excel sheet name (≤ 31 characters, unique)
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    number: int = 0
    base: str = ""  # "n = 150 organisations answering", when the builder knows it
    source: str = ""  # the "Source: …" line under the table

    @property
    def has_suppressed(self) -> bool:
        return any(v.suppressed for row in self.rows for cell in row for v in cell.values)

    @property
    def has_low_precision(self) -> bool:
        """Whether any estimate of the table is marked low precision."""
        return any(v.low_precision for row in self.rows for cell in row for v in cell.values)


FORMATTERS: dict[Kind, Callable[[object], str]] = {
    "count": format_count,
    "share": format_share,
    "share1": lambda value: format_share(value, digits=1),
    "ratio": format_ratio,
    "decimal": format_decimal,
    "signed": format_signed_count,
    "points": format_points,
    "text": str,
}


def row_key(row: Mapping[str, object], columns: Sequence[str]) -> str:
    """The key of a mart row as written into `data-key`: 'role_code=qc;horizon=5y'."""
    return ";".join(f"{c}={row[c]}" for c in columns)


def make_value(
    row: Mapping[str, object],
    field_name: str,
    kind: Kind,
    *,
    mart: str,
    key: Sequence[str],
    suppressed_text: str,
    check_suppressed: bool = True,
    flag: str | None = None,
) -> Value:
    """A mart cell as a `Value`: suppressed cells become the suppression label, never a number.

    `flag`: the row's low-precision column for this estimate (low_precision, or
    low_precision_earlier/_later); a suppressed or missing value never carries it."""
    source = Source(mart, field_name, row_key(row, key))
    suppressed = check_suppressed and bool(row.get("suppressed")) is True
    raw = row.get(field_name)
    if suppressed:
        return Value(suppressed_text, None, kind, True, source)
    if is_missing(raw):
        return Value("–", None, kind, False, source)
    if hasattr(raw, "item"):  # numpy scalar -> Python scalar
        raw = raw.item()
    if isinstance(raw, Decimal):  # DuckDB DECIMAL columns
        raw = float(raw)
    number: float | int | str = int(raw) if isinstance(raw, bool) else cast(float | int | str, raw)
    marked = None if flag is None else row.get(flag)
    low_precision = None if marked is None or is_missing(marked) else bool(marked)
    return Value(FORMATTERS[kind](number), number, kind, False, source, low_precision)


def _number(value: float) -> str:
    """A threshold as a reader sees it: 30.0 -> '30', 0.3 * 100 -> '30', 12.5 -> '12.5'."""
    return f"{round(value, 6):g}"


def text_value(text: object) -> Value:
    return Value(str(text), str(text), "text")


def label_cell(text: object, *, strong: bool = False) -> Cell:
    return Cell((text_value(text),), strong=strong)


def value_cell(value: Value, *, strong: bool = False) -> Cell:
    return Cell((value,), strong=strong)


def stacked_cell(estimate: Value, low: Value, high: Value) -> Cell:
    """An estimate with its interval, in one cell (cross-tabulations)."""
    return Cell((estimate, low, high), stacked=True)


def interval_cell(low: Value, high: Value, *, strong: bool = False) -> Cell:
    signed = low.kind in ("signed", "points")
    return Cell((low, high), interval=True, strong=strong, separator=" to " if signed else "–")
