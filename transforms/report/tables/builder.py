"""Report step, table builder: mart cells as the report shows them, and the order of rows.

`TableBuilder` turns mart cells into `Value`s and `Cell`s with one report's suppression
label, confidence label and code labels; every table module (transforms.report.tables.*)
builds its rows with it, and the key findings their numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from transforms.core.canonical import ALL
from transforms.report.formatting import PRIMARY_MARK, SECONDARY_MARK, suppression_mark
from transforms.report.rows import Row, publishable
from transforms.report.values import (
    Cell,
    Kind,
    ReportMeta,
    Value,
    interval_cell,
    make_value,
    value_cell,
)


class TableBuilder:
    """Formats mart rows for one report: suppression label and code labels from `meta`."""

    def __init__(self, meta: ReportMeta, confidence: str) -> None:
        self.meta = meta
        self.ci = f"{confidence} CI"
        self.suppressed = PRIMARY_MARK
        self.suppression_note = (
            f"{PRIMARY_MARK}: not published, because it rests on fewer than "
            f"{meta.min_cell_size} organisations; {SECONDARY_MARK}: not published, because it "
            f"would let a {PRIMARY_MARK} figure be worked out from a total; –: no estimate."
        )
        self.low_precision_note = meta.low_precision_note  # under a table with a marked cell

    def value(
        self,
        row: Row,
        field: str,
        kind: Kind,
        mart: str,
        key: Sequence[str],
        check: bool = True,
        *,
        secondary: bool = False,
        flag: str | None = None,
    ) -> Value:
        """A mart cell; when suppressed, its marker, [c] or [c2] (a secondary statistic such as
        an interval bound or a mean shows "–", so each suppressed row reads its marker once). `flag`
        names the row's low-precision column when the cell is an estimate that has one."""
        return make_value(
            row,
            field,
            kind,
            mart=mart,
            key=key,
            suppressed_text="–" if secondary else suppression_mark(row),
            check_suppressed=check,
            flag=flag,
        )

    def estimate(
        self,
        row: Row | None,
        field: str,
        kind: Kind,
        mart: str,
        key: Sequence[str],
        flag: str = "low_precision",
        *,
        interval: tuple[str, str] | None = None,
    ) -> tuple[Cell, Cell]:
        """An estimate (carrying the row's low-precision flag) and its interval as two cells;
        the interval's columns are `interval`, by default those of `ci_columns(field)`."""
        if row is None:
            missing = Value("–", kind=kind)  # no row: an empty numeric cell in tables.xlsx
            return value_cell(missing), interval_cell(missing, missing)
        low, high = interval or ci_columns(field)
        return (
            value_cell(self.value(row, field, kind, mart, key, flag=flag)),
            interval_cell(
                self.value(row, low, kind, mart, key, secondary=True),
                self.value(row, high, kind, mart, key, secondary=True),
            ),
        )

    def count(self, row: Row | None, field: str, mart: str, key: Sequence[str]) -> Cell:
        """A respondent count: shown unless the mart hides it (under the minimum, or it would
        give a hidden count away), then the suppression label."""
        if row is None:
            return value_cell(Value("–", kind="count"))
        if row.get(field) is None:  # hidden: under the minimum, or it would give one away
            hidden = {**row, "suppressed": True}
            if not row.get("suppressed"):
                hidden["suppression"] = "secondary"
            return value_cell(self.value(hidden, field, "count", mart, key))
        return value_cell(self.value(row, field, "count", mart, key, check=False))

    def sector(self, code: str) -> str:
        return "All sectors" if code == ALL else self.meta.label("org_sector", code)

    def size_band(self, code: str) -> str:
        return "All sizes" if code == ALL else self.meta.label("org_size_band", code)


def ci_columns(field: str) -> tuple[str, str]:
    """The interval columns of an estimate (mart_demand_vs_supply prefixes them with demand_)."""
    return (
        ("demand_ci_low", "demand_ci_high") if field.startswith("demand") else ("ci_low", "ci_high")
    )


def ordered(
    rows: Sequence[Row], code: str, label: str, value: str, **where: str
) -> list[tuple[str, str]]:
    """(code, label) pairs: largest estimate first, then suppressed/missing by label, 'all' last."""
    ranked = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    known = {str(r[code]): float(r[value]) for r in ranked if publishable(r, value)}
    labels = {str(r[code]): str(r[label]) for r in rows}
    return sorted(
        labels.items(),
        key=lambda item: (
            item[0] == ALL,
            item[0] not in known,
            -known.get(item[0], 0.0),
            item[1],
            item[0],
        ),
    )


def sectors(rows: Sequence[Row], meta: ReportMeta, *, all_first: bool = False) -> list[str]:
    """Sector codes of the rows in codebook order, the 'all' total last (or first)."""
    codes = sorted(
        {str(r["org_sector"]) for r in rows if r["org_sector"] != ALL},
        key=lambda code: meta.order("org_sector", code),
    )
    if any(r["org_sector"] == ALL for r in rows):
        return [ALL, *codes] if all_first else [*codes, ALL]
    return codes
