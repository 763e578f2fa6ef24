"""Report step, heatmap: skill × sector share of organisations reporting a shortage.

Grey shades from light (few) to dark (many), the share written in every cell, suppressed
cells hatched and labelled ([c], [c2]), the all-sectors column first and set off by a rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from transforms.core.canonical import ALL
from transforms.report.charts.alt import alt_heatmap
from transforms.report.charts.series import (
    code_label,
    codebook_order,
    is_suppressed,
    ordered_labels,
)
from transforms.report.charts.style import (
    GAP_HATCH,
    INK,
    RC,
    SMALL,
    WIDTH_IN,
    Chart,
    row_height_in,
    text_colour_on,
    to_svg,
    wrap,
)
from transforms.report.formatting import PRIMARY_MARK, SECONDARY_MARK
from transforms.report.rows import first, records

Grid = np.ndarray[Any, Any]
# light (few) to dark (many); each cell's text is black or white by contrast with its shade
LABEL_CHARS = 24  # row labels wrap at this width, leaving the cells room for "100%"
CMAP = LinearSegmentedColormap.from_list("greys", ["#f4f4f4", "#202020"])


def plot_skill_shortage_heatmap(
    shortage: pd.DataFrame,
    sector_labels: Mapping[str, str] | None = None,
    *,
    suppressed_label: str = PRIMARY_MARK,
) -> Chart:
    """Skill × sector share of organisations reporting a shortage; suppressed cells hatched.

    `shortage` holds mart_skill_shortage rows; the org_sector 'all' column comes first and the
    'any skill' row (skill_code 'all') is left out.
    """
    rows = [r for r in records(shortage) if r["skill_code"] != ALL]
    overall = [r for r in rows if r["org_sector"] == ALL]
    skills = ordered_labels(overall or rows, "skill_code", "skill_label", "share")
    skills += [
        s for s in ordered_labels(rows, "skill_code", "skill_label", "share") if s not in skills
    ]
    sector_codes = codebook_order(
        sorted({str(r["org_sector"]) for r in rows if r["org_sector"] != ALL}), sector_labels
    )
    columns = ([ALL] if overall else []) + sector_codes
    grid = np.full((len(skills), len(columns)), np.nan)
    hidden = np.zeros_like(grid, dtype=bool)
    secondary = np.zeros_like(grid, dtype=bool)  # hidden to protect another cell: [c2]
    for i, (skill, _) in enumerate(skills):
        for j, sector in enumerate(columns):
            row = first(rows, skill_code=skill, org_sector=sector)
            if row is None:
                continue
            hidden[i, j] = is_suppressed(row)
            secondary[i, j] = hidden[i, j] and row.get("suppression") == "secondary"
            if not hidden[i, j] and row["share"] is not None:
                grid[i, j] = float(row["share"])
    col_labels = ["All sectors" if c == ALL else code_label(sector_labels, c) for c in columns]
    with mpl.rc_context(RC):
        marks = np.where(secondary, SECONDARY_MARK, suppressed_label)
        fig = heatmap([s for _, s in skills], col_labels, grid, hidden, marks)
        svg = to_svg(fig)
    return Chart("skill_shortage_heatmap", svg, alt_heatmap(skills, col_labels, grid, hidden))


def heatmap(rows: list[str], columns: list[str], grid: Grid, hidden: Grid, marks: Grid) -> Figure:
    """A grid of shares (0–1) with a row per label and a column per label, and a colour bar."""
    ticks = [wrap(r, LABEL_CHARS) for r in rows]
    labels, style, header_in = column_labels(columns)
    height = max(len(rows), 1) * row_height_in(ticks, 0.3, 8) + header_in + 1.1
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    if not grid.size:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No publishable estimates", ha="center", va="center")
        return fig
    image = ax.imshow(
        np.ma.masked_invalid(grid), cmap=CMAP, vmin=0, vmax=1, aspect="auto", zorder=1
    )
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            _cell(ax, i, j, grid[i, j], bool(hidden[i, j]), str(marks[i, j]))
    ax.set_yticks(range(len(rows)), ticks, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(columns)), labels, fontsize=SMALL, **style)
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
        wrap(
            f"Share of organisations reporting a shortage (hatched {PRIMARY_MARK}, "
            f"{SECONDARY_MARK}: not published)",
            36,
        )
    )
    bar.ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    return fig


def _cell(ax: Any, i: int, j: int, share: float, hidden: bool, suppressed_label: str) -> None:
    """One cell's text: the share, "–" for no estimate, or hatched with the suppression label."""
    if hidden:
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
            fontsize=SMALL,
            zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    elif math.isnan(share):
        ax.text(j, i, "–", ha="center", va="center", fontsize=SMALL, zorder=3)
    else:
        colour = text_colour_on(to_hex(CMAP(share)))
        ax.text(
            j, i, f"{share:.0%}", ha="center", va="center", fontsize=SMALL, color=colour, zorder=3
        )


def column_labels(
    columns: list[str], size: float = SMALL
) -> tuple[list[str], dict[str, Any], float]:
    """Heatmap column labels on top, their tick style and their height in inches: wrapped to
    the column width when every word fits in it, else upright (read bottom to top) in as many
    lines as the column is wide, so neighbours never overlap."""
    column_pt = (WIDTH_IN - LABEL_CHARS * 0.55 * 8 / 72 - 0.3) * 72 / max(len(columns), 1)
    chars = int(column_pt / (0.52 * size))
    words = max((len(w) for c in columns for w in c.split()), default=0)
    line_in = size * 1.25 / 72
    if words <= chars:
        labels = [wrap(c, chars) for c in columns]
        return labels, {}, max((lbl.count("\n") + 1 for lbl in labels), default=1) * line_in
    lines = max(int(column_pt * 0.9 // (size * 1.25)), 1)
    longest = max(len(c) for c in columns)
    width = max(-(-longest // lines) + 2, words)  # ceil, and room for wrapping at spaces
    labels = [wrap(c, width) for c in columns]
    tallest = max(len(line) for lbl in labels for line in lbl.split("\n"))
    return labels, {"rotation": 90, "va": "bottom"}, tallest * 0.6 * size / 72
