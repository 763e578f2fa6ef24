"""Report step, comparison charts: the skill gap against zero, and one wave beside another.

Same rules as every chart (transforms.report.charts: greys and hatching only, values written
beside bars, suppressed cells drawn as a labelled gap, SVG byte-identical for the same input).
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from transforms.core.canonical import ALL
from transforms.report.charts.alt import alt_gap, alt_wave_hires
from transforms.report.charts.bars import count_label, grouped_barh
from transforms.report.charts.series import HIDDEN, Bar, any_marked, hidden, number
from transforms.report.charts.style import (
    DARK,
    GAP_HATCH,
    HATCH,
    INK,
    LIGHT,
    RC,
    SMALL,
    WIDTH_IN,
    Chart,
    row_positions,
    to_svg,
    whisker,
    wrap,
)
from transforms.report.formatting import (
    LOW_PRECISION_MARK,
    PRIMARY_MARK,
    SECONDARY_MARK,
    format_signed_count,
)
from transforms.report.rows import Row, records


def plot_skill_gap(
    skill_gap: pd.DataFrame, *, suppressed_label: str = PRIMARY_MARK, confidence_label: str = "95%"
) -> Chart:
    """Per skill: expected 5-year hires minus training places, with the interval, around zero.

    `skill_gap` holds mart_skill_gap rows; only role_family 'all' is drawn. Bars to the right
    (dark) are skills with more hires than places; to the left (light, hatched) more places.
    """
    rows = [r for r in records(skill_gap) if r.get("role_family", ALL) == ALL]
    bars = sorted(
        ((str(r["skill_label"]), _gap_bar(r)) for r in rows),
        key=lambda item: (math.isnan(item[1].value), -_finite(item[1].value), item[0]),
    )
    with mpl.rc_context(RC):
        fig = diverging(bars, suppressed_label, confidence_label)
        svg = to_svg(fig)
    return Chart(
        "skill_gap", svg, alt_gap(bars, confidence_label), any_marked([b for _, b in bars])
    )


def plot_wave_hires(
    comparison: pd.DataFrame,
    earlier: str,
    later: str,
    *,
    suppressed_label: str = PRIMARY_MARK,
    confidence_label: str = "95%",
) -> Chart:
    """Expected 5-year hires by role in two waves, with intervals (all sectors).

    `comparison` holds mart_wave_comparison rows of one pair of waves; measure hires_5y and
    org_sector 'all' are drawn, the role total ('all') left out.
    """
    rows = [
        r
        for r in records(comparison)
        if r["measure"] == "hires_5y" and r["org_sector"] == ALL and r["item_code"] != ALL
    ]
    rows.sort(
        key=lambda r: (r["estimate_later"] is None, -_finite(r["estimate_later"]), r["item_label"])
    )
    series = [
        (f"{name} ({wave})", [_side_bar(r, side) for r in rows])
        for name, wave, side in (
            ("Expected hires", later, "later"),
            ("Expected hires", earlier, "earlier"),
        )
    ]
    with mpl.rc_context(RC):
        fig = grouped_barh(
            [str(r["item_label"]) for r in rows],
            series,
            value_label=count_label,
            suppressed_label=suppressed_label,
            xlabel=f"Expected hires within five years (lines: {confidence_label} CI)",
        )
        svg = to_svg(fig)
    alt = alt_wave_hires(rows, earlier, later, confidence_label)
    return Chart("wave_hires", svg, alt, any_marked(*(bars for _, bars in series)))


def _finite(value: object) -> float:
    if value is None:
        return 0.0
    result = float(value)  # type: ignore[arg-type]
    return 0.0 if math.isnan(result) else result


def _gap_bar(row: Row) -> Bar:
    if row.get("suppressed"):
        return hidden(row)
    return Bar(
        number(row, "gap"),
        number(row, "gap_ci_low"),
        number(row, "gap_ci_high"),
        False,
        bool(row.get("low_precision")),  # the demand's flag: the gap's only uncertain term
    )


def _side_bar(row: Row, side: str) -> Bar:
    if row.get(f"suppressed_{side}"):
        return HIDDEN
    return Bar(
        number(row, f"estimate_{side}"),
        number(row, f"ci_low_{side}"),
        number(row, f"ci_high_{side}"),
        False,
        bool(row.get(f"low_precision_{side}")),
    )


def diverging(bars: list[tuple[str, Bar]], suppressed_label: str, confidence: str) -> Figure:
    """Horizontal bars around a zero line: right of it dark, left of it light and hatched."""
    ticks = [wrap(label, 28) for label, _ in bars]
    y, height = row_positions(ticks, 0.32)
    height += 1.1
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    ends = [v for _, b in bars for v in (b.low, b.high, b.value) if not math.isnan(v)]
    lowest, highest = min([0.0, *ends]), max([0.0, *ends])
    reach = (highest - lowest) or 1.0  # the span the data needs; offsets are shares of it
    for yi, (_, item) in zip(y.tolist(), bars, strict=True):
        _diverging_bar(ax, yi, item, reach, suppressed_label)
    ax.axvline(0, color=INK, linewidth=0.9, zorder=3)
    ax.set_xlim(lowest - reach * (0.16 if lowest < 0 else 0.02), highest + reach * 0.16)
    ax.set_yticks(y, ticks)
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    ax.set_xlabel(
        wrap(
            "Expected hires minus training places over five years "
            f"(right of 0: more hires than places; lines: {confidence} CI)",
            36,
        )
    )
    return fig


def _diverging_bar(ax: Any, yi: int, item: Bar, reach: float, suppressed_label: str) -> None:
    """One bar from zero with its interval and signed value, or its labelled gap."""
    if item.suppressed or math.isnan(item.value):
        marker = SECONDARY_MARK if item.secondary else suppressed_label
        text = f"{marker} not published" if item.suppressed else "no data"
        ax.text(reach * 0.02, yi, text, va="center", fontsize=SMALL, style="italic")
        ax.barh(yi, reach * 0.015, left=0, height=0.6, fill=False, hatch=GAP_HATCH, lw=0.4)
        return
    short = item.value > 0
    ax.barh(
        yi,
        item.value,
        height=0.6,
        color=DARK if short else LIGHT,
        hatch=None if short else HATCH,
        edgecolor=INK,
        linewidth=0.5,
        zorder=2,
    )
    if not math.isnan(item.low) and not math.isnan(item.high):
        whisker(ax, item.value, yi, item.value - item.low, item.high - item.value)
    edge = item.high if short else item.low
    edge = item.value if math.isnan(edge) else edge
    ax.text(
        edge + reach * (0.02 if short else -0.02),
        yi,
        format_signed_count(item.value) + (LOW_PRECISION_MARK if item.low_precision else ""),
        va="center",
        ha="left" if short else "right",
        fontsize=SMALL,
    )
