"""Report step, wave tables: mart_wave_comparison rows → one table per measure, both waves.

A wave's report sets it beside the wave before it, never beside a later one: a report is fixed
once published, and a later wave must not change it. The first wave has nothing to compare
with; the trend report (transforms.report.trend) sets every wave beside the one before it.
Every number is a mart value: the two estimates with their intervals and the difference
(later − earlier) with its interval, and the codebook's notes where a question changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.rows import WAVE_KEY, Row, first, records
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import (
    Cell,
    Column,
    Kind,
    Table,
    interval_cell,
    label_cell,
    value_cell,
)

MART = "mart_wave_comparison"


@dataclass(frozen=True)
class Measure:
    code: str
    kind: Kind  # of the estimates
    change: Kind  # of the difference
    item: str  # header of the item column
    title: str  # "{title}, all sectors, {earlier} and {later}"
    sheet: str
    section: str  # the report section whose question the measure compares

    @property
    def table_id(self) -> str:
        return f"waves-{self.code.replace('_', '-')}"


MEASURES = (
    Measure(
        "hires_5y",
        "count",
        "signed",
        "Role",
        "Expected hires within five years",
        "Waves, hires 5y",
        "hiring",
    ),
    Measure(
        "hires_1y",
        "count",
        "signed",
        "Role",
        "Expected hires within one year",
        "Waves, hires 1y",
        "hiring",
    ),
    Measure(
        "recruitment_difficulty",
        "share",
        "points",
        "Role",
        "Share reporting recruitment difficulty",
        "Waves, difficulty",
        "difficulty",
    ),
    Measure(
        "skill_shortage",
        "share",
        "points",
        "Skill",
        "Share reporting a shortage",
        "Waves, shortage",
        "skills",
    ),
)


@dataclass(frozen=True)
class Pair:
    """The two waves a report compares: the report's own (the later) and the one before it."""

    wave: str
    compared: str
    earlier: str
    later: str


def _wave_order(wave: str) -> tuple[float, str]:
    year = re.search(r"\d{4}", wave)
    return (float(year.group(0)) if year else float("inf"), wave)


def comparison_pair(frame: pd.DataFrame, wave: str) -> Pair | None:
    """The wave before `wave` that comes last; None for the first wave (a report never
    compares with a later wave, so that it stays as published)."""
    rows = records(frame)
    others = sorted({str(r["compared_wave"]) for r in rows}, key=_wave_order)
    before = [w for w in others if _wave_order(w) < _wave_order(wave)]
    if not before:
        return None
    compared = before[-1]
    row = first(rows, compared_wave=compared)
    assert row is not None
    return Pair(wave, compared, str(row["earlier_wave"]), str(row["later_wave"]))


def side_row(row: Row, side: str) -> Row:
    """The row as seen from one wave: suppressed (primary or secondary) when that wave's
    estimate is."""
    hidden = bool(row[f"suppressed_{side}"])
    return {**row, "suppressed": hidden, "suppression": row.get(f"suppression_{side}")}


def _cells(tb: TableBuilder, row: Row, measure: Measure) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    for side in ("earlier", "later"):
        view = side_row(row, side)
        flag = f"low_precision_{side}"
        cells.append(
            value_cell(tb.value(view, f"estimate_{side}", measure.kind, MART, WAVE_KEY, flag=flag))
        )
        cells.append(
            interval_cell(
                tb.value(view, f"ci_low_{side}", measure.kind, MART, WAVE_KEY, secondary=True),
                tb.value(view, f"ci_high_{side}", measure.kind, MART, WAVE_KEY, secondary=True),
            )
        )
    cells.append(value_cell(tb.value(row, "difference", measure.change, MART, WAVE_KEY)))
    cells.append(
        interval_cell(
            tb.value(row, "difference_ci_low", measure.change, MART, WAVE_KEY, secondary=True),
            tb.value(row, "difference_ci_high", measure.change, MART, WAVE_KEY, secondary=True),
        )
    )
    return tuple(cells)


def _notes(rows: list[Row], tb: TableBuilder, measure: Measure) -> tuple[str, ...]:
    changed = sorted({str(r["question_note"]) for r in rows if r.get("question_note")})
    scope = sorted({str(r["scope_note"]) for r in rows if r.get("scope_note")})
    unit = "percentage points" if measure.change == "points" else "people"
    return (
        *(f"Question changed: {note}" for note in changed),
        *(f"Scope: {note}" for note in scope),
        f"Change: later wave minus earlier wave, in {unit}. Its interval treats the waves as "
        "independent samples; when the same organisations answer both waves, the true "
        "interval is somewhat narrower.",
        tb.suppression_note,
    )


def comparison_table(frame: pd.DataFrame, tb: TableBuilder, pair: Pair, measure: Measure) -> Table:
    """One measure in both waves, all sectors: each item, then the total ('all') last."""
    rows = records(frame, compared_wave=pair.compared, measure=measure.code, org_sector=ALL)
    ranked = sorted(
        rows,
        key=lambda r: (
            r["item_code"] == ALL,
            r.get("estimate_later") is None,
            -float(r.get("estimate_later") or 0.0),
            str(r["item_label"]),
        ),
    )
    body = tuple(
        (label_cell(str(r["item_label"]), strong=r["item_code"] == ALL), *_cells(tb, r, measure))
        for r in ranked
    )
    change = "Change (percentage points)" if measure.change == "points" else "Change"
    return Table(
        measure.table_id,
        f"{measure.title}, all sectors, {pair.earlier} and {pair.later}",
        measure.sheet,
        (
            Column(measure.item, "label"),
            Column(pair.earlier),
            Column(tb.ci, "interval"),
            Column(pair.later),
            Column(tb.ci, "interval"),
            Column(change),
            Column(tb.ci, "interval"),
        ),
        body,
        _notes(rows, tb, measure),
    )


def later_waves(frame: pd.DataFrame, wave: str) -> list[str]:
    """The waves after `wave` (the report says where their results are, never what they are)."""
    others = {str(r["compared_wave"]) for r in records(frame)}
    return sorted((w for w in others if _wave_order(w) > _wave_order(wave)), key=_wave_order)


def comparison_tables(
    frame: pd.DataFrame, tb: TableBuilder, pair: Pair | None, shown: set[str]
) -> list[Table]:
    """The tables of the measures whose question's section is shown (none without a pair)."""
    if pair is None:
        return []
    return [
        comparison_table(frame, tb, pair, measure)
        for measure in MEASURES
        if measure.section in shown
    ]
