"""Report step, charts: mart rows in, a print-safe SVG figure and its alt text out.

Every function is pure: it builds its own `matplotlib.figure.Figure` (no pyplot, no global
backend switch), reads only the columns documented for its mart in docs/ARCHITECTURE.md, and
returns the SVG bytes, byte-identical for the same input. Charts survive black-and-white
printing: one grey hue, hatching for the second series, values written beside every bar, and
suppressed cells drawn as a labelled gap ("<5"), never dropped. A bar whose estimate the mart
flags low precision has "‡" after its value (`Chart.low_precision` says the caption needs the
key).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.typing import RcKeyType

from transforms.report.formatting import (
    LOW_PRECISION_MARK,
    format_count,
    format_count_interval,
    format_share,
    format_share_interval,
    is_missing,
)

ALL = "all"  # the marts' code for the total over a dimension
HORIZONS: tuple[tuple[str, str], ...] = (("5y", "Within 5 years"), ("1y", "Within 1 year"))

# Greyscale palette: dark solid for the main series, light hatched for the second.
DARK = "#4a4a4a"
LIGHT = "#c8c8c8"
INK = "#000000"
MUTED = "#555555"
HATCH = "////"
GAP_HATCH = "xx"
WIDTH_IN = 6.5  # fits the A4 text block at 100% (170 mm)

_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "skillgap",  # stable clip-path ids
    "svg.fonttype": "none",  # real <text>: searchable, small, 3x faster in WeasyPrint
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "hatch.linewidth": 0.6,
    "hatch.color": INK,
    "legend.frameon": False,
    "savefig.facecolor": "white",
    "axes.prop_cycle": cycler(color=[DARK, LIGHT, MUTED]),
}
_SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": "skillgap"}


@dataclass(frozen=True)
class Chart:
    """One rendered figure: file stem, SVG bytes and a one-sentence alt text."""

    name: str
    svg: bytes
    alt_text: str
    low_precision: bool = False  # some bar is marked "‡" (low precision)


@dataclass(frozen=True)
class _Bar:
    """One bar of a horizontal bar chart (value NaN when there is nothing to draw)."""

    value: float
    low: float
    high: float
    suppressed: bool
    low_precision: bool = False  # the mart flags the estimate low precision


def _any_marked(*bars: list[_Bar]) -> bool:
    return any(b.low_precision for series in bars for b in series)


# ---------------------------------------------------------------------------------------------
# Public chart functions
# ---------------------------------------------------------------------------------------------


def plot_hiring_demand_by_role(
    demand: pd.DataFrame, *, suppressed_label: str = "<5", confidence_label: str = "95%"
) -> Chart:
    """Expected hires per role within 5 and 1 years (all sectors), with CI error bars.

    `demand` holds mart_hiring_demand rows; rows for org_sector != 'all' and the role total
    (role_code 'all') are ignored.
    """
    rows = [
        r for r in _records(demand) if r.get("org_sector", ALL) == ALL and r["role_code"] != ALL
    ]
    roles = _ordered_labels(rows, "role_code", "role_label", "total", horizon="5y")
    series = [
        (name, [_bar(rows, "total", role_code=code, horizon=horizon) for code, _ in roles])
        for horizon, name in HORIZONS
    ]
    with mpl.rc_context(_RC):
        fig = _grouped_barh(
            [label for _, label in roles],
            series,
            value_label=lambda bar: format_count(bar.value),
            suppressed_label=suppressed_label,
            xlabel=f"Expected hires (weighted estimate; lines: {confidence_label} CI)",
        )
        svg = _to_svg(fig)
    return Chart(
        "hiring_demand_by_role",
        svg,
        _alt_hiring(roles, series, confidence_label),
        _any_marked(*(bars for _, bars in series)),
    )


def plot_difficulty_by_sector(
    difficulty: pd.DataFrame,
    sector_labels: Mapping[str, str] | None = None,
    *,
    suppressed_label: str = "<5",
    confidence_label: str = "95%",
) -> Chart:
    """Share of organisations reporting recruitment difficulty per sector (any role), with CI.

    `difficulty` holds mart_recruitment_difficulty rows; only role_code 'all' (any role) is
    drawn and the org_sector 'all' row becomes a dashed reference line.
    """
    rows = [r for r in _records(difficulty) if r.get("role_code", ALL) == ALL]
    overall = _find(rows, org_sector=ALL)
    rows = [
        {**r, "sector_label": _label(sector_labels, str(r["org_sector"]))}
        for r in rows
        if r["org_sector"] != ALL
    ]
    sectors = _ordered_labels(rows, "org_sector", "sector_label", "share")
    bars = [_bar(rows, "share", org_sector=code) for code, _ in sectors]
    reference = None
    if overall is not None and not _is_suppressed(overall) and overall["share"] is not None:
        reference = float(overall["share"])
    with mpl.rc_context(_RC):
        fig = _grouped_barh(
            [label for _, label in sectors],
            [("Share reporting difficulty", bars)],
            value_label=lambda bar: format_share(bar.value),
            suppressed_label=suppressed_label,
            xlabel="Share of organisations reporting difficulty recruiting for at least one "
            f"role (lines: {confidence_label} CI)",
            share_axis=True,
            reference=reference,
        )
        svg = _to_svg(fig)
    alt = _alt_shares(
        "Bar chart of the share of organisations reporting recruitment difficulty by sector",
        sectors,
        bars,
        confidence_label,
        "sector",
    )
    return Chart("difficulty_by_sector", svg, alt, _any_marked(bars))


def plot_skill_shortage_heatmap(
    shortage: pd.DataFrame,
    sector_labels: Mapping[str, str] | None = None,
    *,
    suppressed_label: str = "<5",
) -> Chart:
    """Skill × sector share of organisations reporting a shortage; suppressed cells hatched.

    `shortage` holds mart_skill_shortage rows; the org_sector 'all' column comes first and the
    'any skill' row (skill_code 'all') is left out.
    """
    rows = [r for r in _records(shortage) if r["skill_code"] != ALL]
    overall = [r for r in rows if r["org_sector"] == ALL]
    skills = _ordered_labels(overall or rows, "skill_code", "skill_label", "share")
    skills += [
        s for s in _ordered_labels(rows, "skill_code", "skill_label", "share") if s not in skills
    ]
    sector_codes = _codebook_order(
        sorted({str(r["org_sector"]) for r in rows if r["org_sector"] != ALL}), sector_labels
    )
    columns = ([ALL] if overall else []) + sector_codes
    grid = np.full((len(skills), len(columns)), np.nan)
    hidden = np.zeros_like(grid, dtype=bool)
    for i, (skill, _) in enumerate(skills):
        for j, sector in enumerate(columns):
            row = _find(rows, skill_code=skill, org_sector=sector)
            if row is None:
                continue
            hidden[i, j] = _is_suppressed(row)
            if not hidden[i, j] and row["share"] is not None:
                grid[i, j] = float(row["share"])
    col_labels = ["All sectors" if c == ALL else _label(sector_labels, c) for c in columns]
    with mpl.rc_context(_RC):
        fig = _heatmap([s for _, s in skills], col_labels, grid, hidden, suppressed_label)
        svg = _to_svg(fig)
    return Chart("skill_shortage_heatmap", svg, _alt_heatmap(skills, col_labels, grid, hidden))


def plot_skill_importance(
    importance: pd.DataFrame, *, suppressed_label: str = "<5", confidence_label: str = "95%"
) -> Chart:
    """Share of organisations rating each skill very or extremely important (all sectors),
    with CI. `importance` holds mart_skill_importance rows; sector rows are ignored."""
    rows = [r for r in _records(importance) if r.get("org_sector", ALL) == ALL]
    skills = _ordered_labels(rows, "skill_code", "skill_label", "share")
    bars = [_bar(rows, "share", skill_code=code) for code, _ in skills]
    with mpl.rc_context(_RC):
        fig = _grouped_barh(
            [label for _, label in skills],
            [("Share rating the skill important", bars)],
            value_label=lambda bar: format_share(bar.value),
            suppressed_label=suppressed_label,
            xlabel="Share rating the skill very or extremely important "
            f"(lines: {confidence_label} CI)",
            share_axis=True,
        )
        svg = _to_svg(fig)
    alt = _alt_shares(
        "Bar chart of the share of organisations rating each skill very or extremely important",
        skills,
        bars,
        confidence_label,
        "skill",
    )
    return Chart("skill_importance", svg, alt, _any_marked(bars))


def plot_demand_vs_supply(
    demand_supply: pd.DataFrame, *, suppressed_label: str = "<5", confidence_label: str = "95%"
) -> Chart:
    """Per skill: expected hires needing the skill over 5 years against training places."""
    rows = [r for r in _records(demand_supply) if r["skill_code"] != ALL]
    skills = _ordered_labels(rows, "skill_code", "skill_label", "demand_hires_5y")
    demand = [
        _bar(rows, "demand_hires_5y", "demand_ci_low", "demand_ci_high", skill_code=code)
        for code, _ in skills
    ]
    supply = [
        _bar(
            rows, "supply_places_5y", None, None, check_suppressed=False, flag=None, skill_code=code
        )
        for code, _ in skills
    ]
    with mpl.rc_context(_RC):
        fig = _grouped_barh(
            [label for _, label in skills],
            [("Expected hires, 5 years", demand), ("Training places, 5 years", supply)],
            value_label=lambda bar: format_count(bar.value),
            suppressed_label=suppressed_label,
            xlabel="People over five years "
            f"(hires: weighted estimate; lines: {confidence_label} CI)",
        )
        svg = _to_svg(fig)
    return Chart(
        "demand_vs_supply", svg, _alt_demand_supply(skills, demand, supply), _any_marked(demand)
    )


def plot_training_preferences(
    preferences: pd.DataFrame, *, suppressed_label: str = "<5", confidence_label: str = "95%"
) -> Chart:
    """Share of answering organisations choosing each training format, with CI."""
    rows = [r for r in _records(preferences) if r["format_code"] != ALL]
    formats = _ordered_labels(rows, "format_code", "format_label", "pct_cases")
    bars = [_bar(rows, "pct_cases", format_code=code) for code, _ in formats]
    with mpl.rc_context(_RC):
        fig = _grouped_barh(
            [label for _, label in formats],
            [("Share choosing the format", bars)],
            value_label=lambda bar: format_share(bar.value),
            suppressed_label=suppressed_label,
            xlabel=f"% of organisations answering the question{_base_text(rows)} "
            f"(lines: {confidence_label} CI)",
            share_axis=True,
        )
        svg = _to_svg(fig)
    alt = _alt_shares(
        "Bar chart of preferred training formats", formats, bars, confidence_label, "format"
    )
    return Chart("training_preferences", svg, alt, _any_marked(bars))


# ---------------------------------------------------------------------------------------------
# Data helpers
# ---------------------------------------------------------------------------------------------

Row = dict[str, Any]


def _records(frame: pd.DataFrame) -> list[Row]:
    """Mart rows as dicts, with NaN and NA as None."""
    return [
        {str(k): None if is_missing(v) and not isinstance(v, str) else v for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def _find(rows: list[Row], **key: str) -> Row | None:
    return next((r for r in rows if all(r.get(k) == v for k, v in key.items())), None)


def _codebook_order(codes: list[str], labels: Mapping[str, str] | None) -> list[str]:
    """Codes in the order the codebook lists them; unknown codes after, by label."""
    known = list(labels or {})
    return sorted(
        codes,
        key=lambda c: (known.index(c) if c in known else len(known), _label(labels, c), c),
    )


def _label(labels: Mapping[str, str] | None, code: str) -> str:
    if labels and code in labels:
        return labels[code]
    return code.replace("_", " ").capitalize()


def _is_suppressed(row: Row) -> bool:
    return bool(row.get("suppressed"))


def _ordered_labels(
    rows: list[Row], code: str, label: str, value: str, **where: str
) -> list[tuple[str, str]]:
    """(code, label) pairs, largest estimate first; suppressed or missing last, by label."""
    known = {
        str(r[code]): float(r[value])
        for r in rows
        if all(r.get(k) == v for k, v in where.items())
        and not _is_suppressed(r)
        and r.get(value) is not None
    }
    labels = {str(r[code]): str(r[label]) for r in rows}
    return sorted(
        labels.items(),
        key=lambda item: (item[0] not in known, -known.get(item[0], 0.0), item[1], item[0]),
    )


def _bar(
    rows: list[Row],
    value: str,
    low: str | None = "ci_low",
    high: str | None = "ci_high",
    *,
    check_suppressed: bool = True,
    flag: str | None = "low_precision",
    **key: str,
) -> _Bar:
    row = _find(rows, **key)
    if row is None:
        return _Bar(math.nan, math.nan, math.nan, False)
    if check_suppressed and _is_suppressed(row):
        return _Bar(math.nan, math.nan, math.nan, True)

    def number(column: str | None) -> float:
        raw = None if column is None else row.get(column)
        return math.nan if raw is None else float(raw)

    marked = flag is not None and bool(row.get(flag))
    return _Bar(number(value), number(low), number(high), False, marked)


def _base_text(rows: list[Row]) -> str:
    bases = {int(r["n_base"]) for r in rows if r.get("n_base") is not None}
    return f"; n = {format_count(next(iter(bases)))}" if len(bases) == 1 else ""


def _escape(text: str) -> str:
    """Matplotlib reads `$...$` as mathtext; labels are plain text."""
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(_escape(text), width)) or " "


# ---------------------------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------------------------


def _to_svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    return buffer.getvalue()


def _grouped_barh(
    labels: list[str],
    series: list[tuple[str, list[_Bar]]],
    *,
    value_label: Any,
    suppressed_label: str,
    xlabel: str,
    share_axis: bool = False,
    reference: float | None = None,
) -> Figure:
    """Horizontal bars, one group per label, one bar per series, values written at the end."""
    n_series = len(series)
    group_height = 0.8
    bar_height = group_height / n_series
    rows_in = max(len(labels), 1) * (0.15 + 0.17 * n_series) + 0.9
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
    pad = x_max * 0.012
    styles: list[dict[str, Any]] = [
        {"color": DARK, "edgecolor": INK, "hatch": None},
        {"color": LIGHT, "edgecolor": INK, "hatch": HATCH},
    ]
    y_base = np.arange(len(labels))
    for k, (name, bars) in enumerate(series):
        y = y_base + (k - (n_series - 1) / 2) * bar_height
        style = styles[k % len(styles)]
        values = [0.0 if math.isnan(b.value) else b.value for b in bars]
        ax.barh(y, values, height=bar_height * 0.9, label=name, linewidth=0.5, zorder=2, **style)
        for yi, bar in zip(y, bars, strict=True):
            _annotate_bar(ax, yi, bar, value_label, suppressed_label, pad, bar_height)
    ax.set_yticks(y_base, [_wrap(lbl) for lbl in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, x_max * 1.2 if not share_axis else 1.12)
    if share_axis:
        ax.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
    ax.set_xlabel(_wrap(xlabel, 64))  # one long line overruns in WeasyPrint's font metrics
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    if reference is not None:
        ax.axvline(reference, color=INK, linestyle="--", linewidth=0.8, zorder=3)
        ax.annotate(
            f"All sectors {format_share(reference)}",
            (reference, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 2),
            textcoords="offset points",
            fontsize=7.5,
            va="bottom",
        )
    if n_series > 1:
        handles = [
            Patch(facecolor=s["color"], edgecolor=INK, hatch=s["hatch"], label=name)
            for s, (name, _) in zip(styles, series, strict=False)
        ]
        fig.legend(handles=handles, loc="outside upper center", ncols=n_series, fontsize=8)
    return fig


def _annotate_bar(
    ax: Any, y: float, bar: _Bar, value_label: Any, suppressed_label: str, pad: float, h: float
) -> None:
    size = 7.5 if h < 0.5 else 8
    if bar.suppressed or math.isnan(bar.value):
        text = f"{suppressed_label} (suppressed)" if bar.suppressed else "no data"
        ax.add_patch(
            Rectangle(
                (0, y - h * 0.4), pad * 3, h * 0.8, fill=False, hatch=GAP_HATCH, linewidth=0.4
            )
        )
        ax.text(pad * 4, y, text, va="center", fontsize=size, style="italic", color=INK)
        return
    if not math.isnan(bar.low) and not math.isnan(bar.high):
        ax.errorbar(
            bar.value,
            y,
            xerr=[[max(bar.value - bar.low, 0.0)], [max(bar.high - bar.value, 0.0)]],
            fmt="none",
            ecolor=INK,
            elinewidth=0.8,
            capsize=2,
            zorder=4,
        )
    end = max(bar.value, bar.high if not math.isnan(bar.high) else bar.value)
    text = value_label(bar) + (LOW_PRECISION_MARK if bar.low_precision else "")
    ax.text(end + pad, y, text, va="center", fontsize=size, color=INK)


def _heatmap(
    rows: list[str],
    columns: list[str],
    grid: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    suppressed_label: str,
) -> Figure:
    height = max(len(rows), 1) * 0.36 + 1.5
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    if not grid.size:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No publishable estimates", ha="center", va="center")
        return fig
    cmap = LinearSegmentedColormap.from_list("greys", ["#f4f4f4", "#202020"])
    image = ax.imshow(
        np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=1, aspect="auto", zorder=1
    )
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if hidden[i, j]:
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor="white",
                        edgecolor="none",
                        hatch=GAP_HATCH,
                        hatchcolor="#9a9a9a",
                        linewidth=0,
                        zorder=2,
                    )
                )
                ax.text(
                    j,
                    i,
                    suppressed_label,
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
            elif math.isnan(grid[i, j]):
                ax.text(j, i, "–", ha="center", va="center", fontsize=7.5, zorder=3)
            else:
                colour = "white" if grid[i, j] > 0.5 else INK
                ax.text(
                    j,
                    i,
                    f"{grid[i, j]:.0%}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=colour,
                    zorder=3,
                )
    ax.set_yticks(range(len(rows)), [_wrap(r, 34) for r in rows], fontsize=8)
    ax.xaxis.tick_top()
    _column_labels(ax, columns)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    if len(columns) > 1:
        ax.axvline(0.5, color=INK, linewidth=1.2, zorder=4)
    bar = fig.colorbar(image, ax=ax, location="bottom", shrink=0.5, aspect=30, pad=0.02)
    bar.set_label(
        f"Share of organisations reporting a shortage (hatched {suppressed_label}: suppressed)"
    )
    bar.ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    return fig


def _column_labels(ax: Any, columns: list[str], size: float = 7.5) -> None:
    """Heatmap column labels on top: wrapped to the column width when every word fits in it,
    else wrapped wider and slanted so neighbours never overlap."""
    column_pt = (WIDTH_IN - 2.5) * 72 / max(len(columns), 1)
    chars = int(column_pt / (0.52 * size))
    words = max((len(w) for c in columns for w in c.split()), default=0)
    if words <= chars:
        ax.set_xticks(range(len(columns)), [_wrap(c, chars) for c in columns], fontsize=size)
        return
    ax.set_xticks(
        range(len(columns)),
        [_wrap(c, 30) for c in columns],
        fontsize=size,
        rotation=55,
        ha="left",
        va="bottom",
        rotation_mode="anchor",
    )


# ---------------------------------------------------------------------------------------------
# Alt text (one sentence each, built from the data)
# ---------------------------------------------------------------------------------------------


def _suppressed_clause(count: int, noun: str) -> str:
    if not count:
        return ""
    plural = noun if count == 1 else f"{noun}s"
    return f"; {count} {plural} suppressed for too few respondents"


def _alt_hiring(
    roles: list[tuple[str, str]], series: list[tuple[str, list[_Bar]]], confidence: str
) -> str:
    five = series[0][1]
    shown = [(lbl, b) for (_, lbl), b in zip(roles, five, strict=True) if not math.isnan(b.value)]
    hidden = sum(b.suppressed for b in five)
    if not shown:
        return "Bar chart of expected hires by role: no role has a publishable estimate."
    label, bar = shown[0]
    return (
        f"Bar chart of expected hires by role within five and one years: {label} has the "
        f"largest expected 5-year demand, {format_count(bar.value)} "
        f"({confidence} CI {format_count_interval(bar.low, bar.high)})"
        f"{_suppressed_clause(hidden, 'role')}."
    )


def _alt_shares(
    lead: str, items: list[tuple[str, str]], bars: list[_Bar], confidence: str, noun: str
) -> str:
    shown = [(lbl, b) for (_, lbl), b in zip(items, bars, strict=True) if not math.isnan(b.value)]
    hidden = sum(b.suppressed for b in bars)
    if not shown:
        return f"{lead}: no {noun} has a publishable estimate."
    (top_label, top), (low_label, low) = shown[0], shown[-1]
    text = (
        f"{lead}: highest for {top_label}, {format_share(top.value)} "
        f"({confidence} CI {format_share_interval(top.low, top.high)})"
    )
    if len(shown) > 1:
        text += f", lowest for {low_label}, {format_share(low.value)}"
    return text + f"{_suppressed_clause(hidden, noun)}."


def _alt_heatmap(
    skills: list[tuple[str, str]],
    columns: list[str],
    grid: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
) -> str:
    lead = f"Heatmap of the share reporting a shortage for {len(skills)} skills by sector"
    if not np.isfinite(grid).any():
        return f"{lead}: no cell has a publishable estimate."
    i, j = np.unravel_index(np.nanargmax(grid), grid.shape)
    return (
        f"{lead}: the highest share is {format_share(grid[i, j])} for {skills[int(i)][1]} "
        f"({columns[int(j)]}); {int(hidden.sum())} cells suppressed and hatched."
    )


def _alt_demand_supply(
    skills: list[tuple[str, str]], demand: list[_Bar], supply: list[_Bar]
) -> str:
    gaps = [
        (d.value - s.value, label, d, s)
        for (_, label), d, s in zip(skills, demand, supply, strict=True)
        if not math.isnan(d.value) and not math.isnan(s.value)
    ]
    lead = "Bar chart of expected hires over five years against training places per skill"
    if not gaps:
        return f"{lead}: no skill has a publishable comparison."
    short = sum(g[0] > 0 for g in gaps)
    _, label, d, s = max(gaps, key=lambda g: (g[0], g[1]))
    return (
        f"{lead}: demand exceeds supply for {short} of {len(gaps)} skills, most for {label} "
        f"({format_count(d.value)} hires against {format_count(s.value)} places)."
    )
