"""Report step, bar charts: hires, recruitment difficulty, skill importance, demand against
supply and training preferences, as horizontal bars with their intervals.

One group of bars per item, one bar per series (dark solid, then light hatched), values
written beside every bar, "‡" after a value the mart flags low precision, and a suppressed
estimate drawn as a labelled gap ("[c] not published", "[c2]" when hidden for another cell).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from transforms.core.canonical import ALL
from transforms.report.charts.alt import alt_demand_supply, alt_hiring, alt_shares
from transforms.report.charts.series import (
    Bar,
    any_marked,
    bar,
    base_text,
    code_label,
    is_suppressed,
    ordered_labels,
)
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
    row_height_in,
    row_positions,
    to_svg,
    whisker,
    wrap,
)
from transforms.report.formatting import (
    LOW_PRECISION_MARK,
    PRIMARY_MARK,
    SECONDARY_MARK,
    format_count,
    format_share,
)
from transforms.report.rows import first, records

HORIZONS: tuple[tuple[str, str], ...] = (("5y", "Within 5 years"), ("1y", "Within 1 year"))
Series = list[tuple[str, list[Bar]]]  # (legend name, one bar per label)
ValueLabel = Callable[[Bar], str]
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}
# the two series' looks: dark solid, light hatched
STYLES: tuple[dict[str, Any], ...] = (
    {"color": DARK, "edgecolor": INK, "hatch": None},
    {"color": LIGHT, "edgecolor": INK, "hatch": HATCH},
)


def count_label(item: Bar) -> str:
    return format_count(item.value)


def share_label(item: Bar) -> str:
    return format_share(item.value)


def plot_hiring_demand_by_role(
    demand: pd.DataFrame, *, suppressed_label: str = PRIMARY_MARK, confidence_label: str = "95%"
) -> Chart:
    """Expected hires per role within 5 and 1 years (all sectors), with CI error bars.

    `demand` holds mart_hiring_demand rows; rows for org_sector != 'all' and the role total
    (role_code 'all') are ignored.
    """
    rows = [r for r in records(demand) if r.get("org_sector", ALL) == ALL and r["role_code"] != ALL]
    roles = ordered_labels(rows, "role_code", "role_label", "total", horizon="5y")
    series = [
        (name, [bar(rows, "total", role_code=code, horizon=horizon) for code, _ in roles])
        for horizon, name in HORIZONS
    ]
    with mpl.rc_context(RC):
        fig = grouped_barh(
            [label for _, label in roles],
            series,
            value_label=count_label,
            suppressed_label=suppressed_label,
            xlabel=f"Expected hires (weighted estimate; lines: {confidence_label} CI)",
        )
        svg = to_svg(fig)
    return Chart(
        "hiring_demand_by_role",
        svg,
        alt_hiring(roles, series, confidence_label),
        any_marked(*(bars for _, bars in series)),
    )


def plot_difficulty_by_sector(
    difficulty: pd.DataFrame,
    sector_labels: Mapping[str, str] | None = None,
    *,
    suppressed_label: str = PRIMARY_MARK,
    confidence_label: str = "95%",
) -> Chart:
    """Share of organisations reporting recruitment difficulty per sector (any role), with CI.

    `difficulty` holds mart_recruitment_difficulty rows; only role_code 'all' (any role) is
    drawn and the org_sector 'all' row becomes a dashed reference line.
    """
    rows = [r for r in records(difficulty) if r.get("role_code", ALL) == ALL]
    overall = first(rows, org_sector=ALL)
    rows = [
        {**r, "sector_label": code_label(sector_labels, str(r["org_sector"]))}
        for r in rows
        if r["org_sector"] != ALL
    ]
    sectors = ordered_labels(rows, "org_sector", "sector_label", "share")
    bars = [bar(rows, "share", org_sector=code) for code, _ in sectors]
    reference = None
    if overall is not None and not is_suppressed(overall) and overall["share"] is not None:
        reference = float(overall["share"])
    with mpl.rc_context(RC):
        fig = grouped_barh(
            [label for _, label in sectors],
            [("Share reporting difficulty", bars)],
            value_label=share_label,
            suppressed_label=suppressed_label,
            xlabel="Share of organisations reporting difficulty recruiting for at least one "
            f"role (lines: {confidence_label} CI)",
            share_axis=True,
            reference=reference,
        )
        svg = to_svg(fig)
    alt = alt_shares(
        "Bar chart of the share of organisations reporting recruitment difficulty by sector",
        sectors,
        bars,
        confidence_label,
        "sector",
    )
    return Chart("difficulty_by_sector", svg, alt, any_marked(bars))


def plot_skill_importance(
    importance: pd.DataFrame, *, suppressed_label: str = PRIMARY_MARK, confidence_label: str = "95%"
) -> Chart:
    """Share of organisations rating each skill very or extremely important (all sectors),
    with CI. `importance` holds mart_skill_importance rows; sector rows are ignored."""
    rows = [r for r in records(importance) if r.get("org_sector", ALL) == ALL]
    skills = ordered_labels(rows, "skill_code", "skill_label", "share")
    bars = [bar(rows, "share", skill_code=code) for code, _ in skills]
    with mpl.rc_context(RC):
        fig = grouped_barh(
            [label for _, label in skills],
            [("Share rating the skill important", bars)],
            value_label=share_label,
            suppressed_label=suppressed_label,
            xlabel="Share rating the skill very or extremely important "
            f"(lines: {confidence_label} CI)",
            share_axis=True,
        )
        svg = to_svg(fig)
    alt = alt_shares(
        "Bar chart of the share of organisations rating each skill very or extremely important",
        skills,
        bars,
        confidence_label,
        "skill",
    )
    return Chart("skill_importance", svg, alt, any_marked(bars))


def plot_demand_vs_supply(
    demand_supply: pd.DataFrame,
    *,
    suppressed_label: str = PRIMARY_MARK,
    confidence_label: str = "95%",
) -> Chart:
    """Per skill: expected hires needing the skill over 5 years against training places."""
    rows = [r for r in records(demand_supply) if r["skill_code"] != ALL]
    skills = ordered_labels(rows, "skill_code", "skill_label", "demand_hires_5y")
    demand = [
        bar(rows, "demand_hires_5y", "demand_ci_low", "demand_ci_high", skill_code=code)
        for code, _ in skills
    ]
    supply = [
        bar(
            rows, "supply_places_5y", None, None, check_suppressed=False, flag=None, skill_code=code
        )
        for code, _ in skills
    ]
    with mpl.rc_context(RC):
        fig = grouped_barh(
            [label for _, label in skills],
            [("Expected hires, 5 years", demand), ("Training places, 5 years", supply)],
            value_label=count_label,
            suppressed_label=suppressed_label,
            xlabel="People over five years "
            f"(hires: weighted estimate; lines: {confidence_label} CI)",
        )
        svg = to_svg(fig)
    return Chart(
        "demand_vs_supply", svg, alt_demand_supply(skills, demand, supply), any_marked(demand)
    )


def plot_training_preferences(
    preferences: pd.DataFrame,
    *,
    suppressed_label: str = PRIMARY_MARK,
    confidence_label: str = "95%",
) -> Chart:
    """Share of answering organisations choosing each training format, with CI."""
    rows = [r for r in records(preferences) if r["format_code"] != ALL]
    formats = ordered_labels(rows, "format_code", "format_label", "pct_cases")
    bars = [bar(rows, "pct_cases", format_code=code) for code, _ in formats]
    with mpl.rc_context(RC):
        fig = grouped_barh(
            [label for _, label in formats],
            [("Share choosing the format", bars)],
            value_label=share_label,
            suppressed_label=suppressed_label,
            xlabel=f"% of organisations answering the question{base_text(rows)} "
            f"(lines: {confidence_label} CI)",
            share_axis=True,
        )
        svg = to_svg(fig)
    alt = alt_shares(
        "Bar chart of preferred training formats", formats, bars, confidence_label, "format"
    )
    return Chart("training_preferences", svg, alt, any_marked(bars))


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


def grouped_barh(
    labels: list[str],
    series: Series,
    *,
    value_label: ValueLabel,
    suppressed_label: str,
    xlabel: str,
    share_axis: bool = False,
    reference: float | None = None,
) -> Figure:
    """Horizontal bars, one group per label, one bar per series, values written at the end."""
    n_series = len(series)
    ticks = [wrap(lbl) for lbl in labels]
    y_base, rows_in = row_positions(ticks, 0.15 + 0.17 * n_series)
    axis_label = wrap(xlabel, 36)  # centred under the axes: wider would pass the figure edge
    # around the rows: the x axis and its label, the legend, the reference line's label
    rows_in += 0.55 + row_height_in([axis_label], 0) + 0.25 * (n_series > 1)
    rows_in += 0.2 * (reference is not None)
    fig = Figure(figsize=(WIDTH_IN, rows_in), layout="constrained")
    ax = fig.add_subplot()
    highs = [
        b.high if not math.isnan(b.high) else b.value
        for _, bars in series
        for b in bars
        if not math.isnan(b.value)
    ]
    top = max([h for h in highs if not math.isnan(h)], default=1.0) or 1.0
    x_max = 1.0 if share_axis else top
    _draw_series(ax, y_base, series, value_label, suppressed_label, pad=x_max * 0.012)
    ax.set_yticks(y_base, ticks)
    ax.invert_yaxis()
    ax.set_xlim(0, x_max * 1.2 if not share_axis else 1.12)
    if share_axis:
        ax.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
    ax.set_xlabel(axis_label)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    if reference is not None:
        _reference_line(ax, reference)
    if n_series > 1:
        handles = [
            Patch(facecolor=s["color"], edgecolor=INK, hatch=s["hatch"], label=name)
            for s, (name, _) in zip(STYLES, series, strict=False)
        ]
        fig.legend(handles=handles, loc="outside upper center", ncols=n_series, fontsize=SMALL)
    return fig


def _draw_series(
    ax: Any,
    y_base: np.ndarray[Any, Any],
    series: Series,
    value_label: ValueLabel,
    suppressed_label: str,
    pad: float,
) -> None:
    """Each series' bars side by side within the groups, each bar annotated."""
    n_series = len(series)
    bar_height = 0.8 / n_series  # the group is 0.8 high
    for k, (name, bars) in enumerate(series):
        y = y_base + (k - (n_series - 1) / 2) * bar_height
        style = STYLES[k % len(STYLES)]
        values = [0.0 if math.isnan(b.value) else b.value for b in bars]
        ax.barh(y, values, height=bar_height * 0.9, label=name, linewidth=0.5, zorder=2, **style)
        for yi, item in zip(y, bars, strict=True):
            annotate_bar(ax, yi, item, value_label, suppressed_label, pad, bar_height)


def _reference_line(ax: Any, reference: float) -> None:
    """A dashed line at the all-sectors share, labelled above the axes."""
    ax.axvline(reference, color=INK, linestyle="--", linewidth=0.8, zorder=3)
    right = reference > 0.5  # the label reads away from the figure's nearer edge
    ax.annotate(
        f"All sectors {format_share(reference)}",
        (reference, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-3 if right else 3, 2),
        textcoords="offset points",
        fontsize=SMALL,
        va="bottom",
        ha="right" if right else "left",
    )


def annotate_bar(
    ax: Any,
    y: float,
    item: Bar,
    value_label: ValueLabel,
    suppressed_label: str,
    pad: float,
    h: float,
) -> None:
    """The bar's interval and value (with "‡" when low precision), or its labelled gap."""
    size = SMALL
    if item.suppressed or math.isnan(item.value):
        marker = SECONDARY_MARK if item.secondary else suppressed_label
        text = f"{marker} not published" if item.suppressed else "no data"
        ax.add_patch(
            Rectangle(
                (0, y - h * 0.4), pad * 3, h * 0.8, fill=False, hatch=GAP_HATCH, linewidth=0.4
            )
        )
        ax.text(pad * 4, y, text, va="center", fontsize=size, style="italic", color=INK)
        return
    if not math.isnan(item.low) and not math.isnan(item.high):
        whisker(ax, item.value, y, item.value - item.low, item.high - item.value)
    end = max(item.value, item.high if not math.isnan(item.high) else item.value)
    text = value_label(item) + (LOW_PRECISION_MARK if item.low_precision else "")
    # on white, above the grid and the reference line, so no line runs through the value
    ax.text(end + pad, y, text, va="center", fontsize=size, color=INK, zorder=5, bbox=LABEL_BOX)
