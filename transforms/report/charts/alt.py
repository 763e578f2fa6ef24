"""Report step, chart alt text: one sentence per chart, built from the bars it draws.

The sentence names the longest bar (and, for shares, the shortest) with its interval,
and how many items are suppressed, so a reader who cannot see the chart gets its point.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from transforms.report.charts.series import Bar
from transforms.report.formatting import (
    format_count,
    format_count_interval,
    format_share,
    format_share_interval,
    format_signed_count,
)
from transforms.report.rows import Row


def suppressed_clause(count: int, noun: str) -> str:
    if not count:
        return ""
    plural = noun if count == 1 else f"{noun}s"
    return f"; {count} {plural} suppressed for too few respondents"


def alt_hiring(
    roles: list[tuple[str, str]], series: list[tuple[str, list[Bar]]], confidence: str
) -> str:
    five = series[0][1]
    shown = [(lbl, b) for (_, lbl), b in zip(roles, five, strict=True) if not math.isnan(b.value)]
    hidden = sum(b.suppressed for b in five)
    if not shown:
        return "Bar chart of expected hires by role: no role has a publishable estimate."
    label, bar = shown[0]
    return (
        f"Bar chart of expected hires by role within five and one years: {label} has the "
        f"longest 5-year bar, {format_count(bar.value)} "
        f"({confidence} CI {format_count_interval(bar.low, bar.high)})"
        f"{suppressed_clause(hidden, 'role')}."
    )


def alt_shares(
    lead: str, items: list[tuple[str, str]], bars: list[Bar], confidence: str, noun: str
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
    return text + f"{suppressed_clause(hidden, noun)}."


def alt_heatmap(
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


def alt_demand_supply(skills: list[tuple[str, str]], demand: list[Bar], supply: list[Bar]) -> str:
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


def alt_gap(bars: list[tuple[str, Bar]], confidence: str) -> str:
    lead = "Bar chart of the skill gap, expected five-year hires minus training places, per skill"
    shown = [(label, b) for label, b in bars if not math.isnan(b.value)]
    if not shown:
        return f"{lead}: no skill has a publishable gap."
    label, top = max(shown, key=lambda item: (item[1].value, item[0]))
    above = sum(1 for _, b in shown if b.value > 0)
    return (
        f"{lead}: more hires than places for {above} of {len(shown)} skills, most for {label} "
        f"({format_signed_count(top.value)}, {confidence} CI {format_signed_count(top.low)} to "
        f"{format_signed_count(top.high)})."
    )


def alt_wave_hires(rows: list[Row], earlier: str, later: str, confidence: str) -> str:
    shown = [(str(r["item_label"]), r) for r in rows if r.get("difference") is not None]
    alt = f"Bar chart of expected five-year hires by role in {earlier} and {later}"
    if not shown:
        return alt + ": no role has a publishable change."
    label, row = max(shown, key=lambda item: (abs(float(item[1]["difference"])), item[0]))
    return alt + (
        f": the longest bar of change is for {label}, {format_signed_count(row['difference'])} "
        f"({confidence} CI {format_signed_count(row['difference_ci_low'])} to "
        f"{format_signed_count(row['difference_ci_high'])})."
    )
