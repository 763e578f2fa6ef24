"""Report step, skill-gap tables: mart_skill_gap rows → the index per skill and role family.

The index (docs/ARCHITECTURE.md, "Skill-gap index"): gap = expected 5-year hires needing the
skill − training places over the same years, and hires per place, each with the interval that
comes from the demand's (the supply is a count from the catalogue, taken as certain).
"""

from __future__ import annotations

import pandas as pd

from transforms.core.canonical import ALL, readable_code
from transforms.report.rows import GAP_KEY, Row, first, records
from transforms.report.tables.builder import TableBuilder, ordered
from transforms.report.values import Cell, Column, Kind, Table, label_cell, value_cell

MART = "mart_skill_gap"
# The mart's flag is the demand's (cv > max_cv). The demand is the index's only uncertain term,
# so the gap and hires per place, built on it, carry the flag too; hires per place has exactly
# the demand's coefficient of variation, the gap the demand's standard error.
FLAG = "low_precision"


def family_label(code: str) -> str:
    return "All role families" if code == ALL else readable_code(code)


def _estimate(
    tb: TableBuilder, row: Row, field: str, low: str, high: str, kind: Kind
) -> tuple[Cell, Cell]:
    """An estimate and its interval as two cells (the interval '–' when suppressed). Every
    estimate with an interval is built on the demand, whose low-precision flag it carries."""
    return tb.estimate(row, field, kind, MART, GAP_KEY, FLAG, interval=(low, high))


def _notes(tb: TableBuilder) -> tuple[str, ...]:
    return (
        "Gap: expected hires over five years into roles needing the skill minus the training "
        "places covering the skill over the same five years; above zero, more hires than "
        "places. Hires per place: expected hires divided by places (– when there are none). "
        "The intervals come from the interval of the expected hires; the places are counted "
        "from the training catalogue and taken as certain.",
        "A place in a programme covering several skills counts for each of them, so places "
        "are not added up over skills. Shortage-weighted gap: expected hires times the share "
        "of organisations reporting a shortage of the skill, minus the places.",
        tb.suppression_note,
    )


def skill_gap_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """The index per skill (all role families), largest gap first."""
    rows = records(frame, role_family=ALL)
    body = []
    for code, label in ordered(rows, "skill_code", "skill_label", "gap"):
        row = first(rows, skill_code=code)
        assert row is not None
        body.append(
            (
                label_cell(label),
                *_estimate(tb, row, "demand_hires_5y", "demand_ci_low", "demand_ci_high", "count"),
                value_cell(tb.value(row, "supply_places_5y", "count", MART, GAP_KEY, False)),
                *_estimate(tb, row, "gap", "gap_ci_low", "gap_ci_high", "signed"),
                *_estimate(tb, row, "gap_ratio", "gap_ratio_ci_low", "gap_ratio_ci_high", "ratio"),
                value_cell(
                    tb.value(row, "shortage_weighted_gap", "signed", MART, GAP_KEY, secondary=True)
                ),
            )
        )
    return Table(
        "skill-gap",
        "Skill-gap index: expected hires needing each skill against training places, five years",
        "Skill-gap index",
        (
            Column("Skill", "label"),
            Column("Expected hires"),
            Column(tb.ci, "interval"),
            Column("Training places"),
            Column("Gap"),
            Column(tb.ci, "interval"),
            Column("Hires per place"),
            Column(tb.ci, "interval"),
            Column("Shortage-weighted gap"),
        ),
        tuple(body),
        _notes(tb),
    )


def skill_gap_by_family_table(frame: pd.DataFrame, tb: TableBuilder) -> Table:
    """The index per skill and role family: which roles the demand for a skill comes from."""
    overall = records(frame, role_family=ALL)
    rows = [r for r in records(frame) if r["role_family"] != ALL]
    body = []
    for code, label in ordered(overall or rows, "skill_code", "skill_label", "gap"):
        families = sorted(
            (r for r in rows if r["skill_code"] == code),
            key=lambda r: (-float(r["demand_hires_5y"] or -1), family_label(str(r["role_family"]))),
        )
        for row in families:
            body.append(
                (
                    label_cell(label),
                    label_cell(family_label(str(row["role_family"]))),
                    *_estimate(
                        tb, row, "demand_hires_5y", "demand_ci_low", "demand_ci_high", "count"
                    ),
                    *_estimate(tb, row, "gap", "gap_ci_low", "gap_ci_high", "signed"),
                    value_cell(
                        tb.value(
                            row, "gap_ratio", "ratio", MART, GAP_KEY, secondary=True, flag=FLAG
                        )
                    ),
                )
            )
    return Table(
        "skill-gap-by-family",
        "Skill-gap index by role family: expected hires into each family's roles needing the "
        "skill against all training places for the skill, five years",
        "Skill gap by role family",
        (
            Column("Skill", "label"),
            Column("Role family", "label"),
            Column("Expected hires"),
            Column(tb.ci, "interval"),
            Column("Gap"),
            Column(tb.ci, "interval"),
            Column("Hires per place"),
        ),
        tuple(body),
        (
            "Training places are not earmarked for a role family: each row sets the family's "
            "hires against every place for the skill, so a gap above zero means the places "
            "would not cover even this family's hires. The families' hires add up to the "
            "skill's; their gaps do not.",
            tb.suppression_note,
        ),
    )
