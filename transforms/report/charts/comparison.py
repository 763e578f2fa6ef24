"""Report step, comparison charts: the skill gap against zero, and one wave beside another.

Same rules as transforms.report.charts (pure functions, greys and hatching only, values written
beside bars, suppressed cells drawn as a labelled gap, SVG byte-identical for the same input).
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from transforms.report.charts import (
    _RC,
    ALL,
    DARK,
    GAP_HATCH,
    HATCH,
    INK,
    LIGHT,
    WIDTH_IN,
    Chart,
    Row,
    _any_marked,
    _Bar,
    _escape,
    _grouped_barh,
    _records,
    _to_svg,
    _wrap,
)
from transforms.report.formatting import LOW_PRECISION_MARK, format_count, format_signed_count


def plot_skill_gap(
    skill_gap: pd.DataFrame, *, suppressed_label: str = "<5", confidence_label: str = "95%"
) -> Chart:
    """Per skill: expected 5-year hires minus training places, with the interval, around zero.

    `skill_gap` holds mart_skill_gap rows; only role_family 'all' is drawn. Bars to the right
    (dark) are skills with more hires than places; to the left (light, hatched) more places.
    """
    rows = [r for r in _records(skill_gap) if r.get("role_family", ALL) == ALL]
    bars = sorted(
        ((str(r["skill_label"]), _gap_bar(r)) for r in rows),
        key=lambda item: (math.isnan(item[1].value), -_finite(item[1].value), item[0]),
    )
    with mpl.rc_context(_RC):
        fig = _diverging(bars, suppressed_label, confidence_label)
        svg = _to_svg(fig)
    return Chart(
        "skill_gap", svg, _alt_gap(bars, confidence_label), _any_marked([b for _, b in bars])
    )


def plot_wave_hires(
    comparison: pd.DataFrame,
    earlier: str,
    later: str,
    *,
    suppressed_label: str = "<5",
    confidence_label: str = "95%",
) -> Chart:
    """Expected 5-year hires by role in two waves, with intervals (all sectors).

    `comparison` holds mart_wave_comparison rows of one pair of waves; measure hires_5y and
    org_sector 'all' are drawn, the role total ('all') left out.
    """
    rows = [
        r
        for r in _records(comparison)
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
    with mpl.rc_context(_RC):
        fig = _grouped_barh(
            [str(r["item_label"]) for r in rows],
            series,
            value_label=lambda bar: format_count(bar.value),
            suppressed_label=suppressed_label,
            xlabel=f"Expected hires within five years (lines: {confidence_label} CI)",
        )
        svg = _to_svg(fig)
    shown = [(str(r["item_label"]), r) for r in rows if r.get("difference") is not None]
    alt = f"Bar chart of expected five-year hires by role in {earlier} and {later}"
    if shown:
        label, row = max(shown, key=lambda item: (abs(float(item[1]["difference"])), item[0]))
        alt += (
            f": the largest change is for {label}, {format_signed_count(row['difference'])} "
            f"({confidence_label} CI {format_signed_count(row['difference_ci_low'])} to "
            f"{format_signed_count(row['difference_ci_high'])})."
        )
    else:
        alt += ": no role has a publishable change."
    return Chart("wave_hires", svg, alt, _any_marked(*(bars for _, bars in series)))


def _finite(value: object) -> float:
    if value is None:
        return 0.0
    number = float(value)  # type: ignore[arg-type]
    return 0.0 if math.isnan(number) else number


def _number(row: Row, column: str) -> float:
    value = row.get(column)
    return math.nan if value is None else float(value)


def _gap_bar(row: Row) -> _Bar:
    if row.get("suppressed"):
        return _Bar(math.nan, math.nan, math.nan, True)
    return _Bar(
        _number(row, "gap"),
        _number(row, "gap_ci_low"),
        _number(row, "gap_ci_high"),
        False,
        bool(row.get("low_precision")),  # the demand's flag: the gap's only uncertain term
    )


def _side_bar(row: Row, side: str) -> _Bar:
    if row.get(f"suppressed_{side}"):
        return _Bar(math.nan, math.nan, math.nan, True)
    return _Bar(
        _number(row, f"estimate_{side}"),
        _number(row, f"ci_low_{side}"),
        _number(row, f"ci_high_{side}"),
        False,
        bool(row.get(f"low_precision_{side}")),
    )


def _diverging(bars: list[tuple[str, _Bar]], suppressed_label: str, confidence: str) -> Figure:
    height = max(len(bars), 1) * 0.32 + 1.1
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    ends = [v for _, b in bars for v in (b.low, b.high, b.value) if not math.isnan(v)]
    lowest, highest = min([0.0, *ends]), max([0.0, *ends])
    reach = (highest - lowest) or 1.0  # the span the data needs; offsets are shares of it
    y = np.arange(len(bars))
    for yi, (_, bar) in zip(y.tolist(), bars, strict=True):
        if bar.suppressed or math.isnan(bar.value):
            text = f"{suppressed_label} (suppressed)" if bar.suppressed else "no data"
            ax.text(reach * 0.02, yi, text, va="center", fontsize=7.5, style="italic")
            ax.barh(yi, reach * 0.015, left=0, height=0.6, fill=False, hatch=GAP_HATCH, lw=0.4)
            continue
        short = bar.value > 0
        ax.barh(
            yi,
            bar.value,
            height=0.6,
            color=DARK if short else LIGHT,
            hatch=None if short else HATCH,
            edgecolor=INK,
            linewidth=0.5,
            zorder=2,
        )
        if not math.isnan(bar.low) and not math.isnan(bar.high):
            ax.errorbar(
                bar.value,
                yi,
                xerr=[[bar.value - bar.low], [bar.high - bar.value]],
                fmt="none",
                ecolor=INK,
                elinewidth=0.8,
                capsize=2,
                zorder=4,
            )
        edge = bar.high if short else bar.low
        edge = bar.value if math.isnan(edge) else edge
        ax.text(
            edge + reach * (0.02 if short else -0.02),
            yi,
            format_signed_count(bar.value) + (LOW_PRECISION_MARK if bar.low_precision else ""),
            va="center",
            ha="left" if short else "right",
            fontsize=7.5,
        )
    ax.axvline(0, color=INK, linewidth=0.9, zorder=3)
    ax.set_xlim(lowest - reach * (0.16 if lowest < 0 else 0.02), highest + reach * 0.16)
    ax.set_yticks(y, [_wrap(label, 34) for label, _ in bars])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    ax.set_xlabel(
        _escape(
            "Expected hires minus training places over five years\n"
            f"(right of 0: more hires than places; lines: {confidence} CI)"
        )
    )
    return fig


def _alt_gap(bars: list[tuple[str, _Bar]], confidence: str) -> str:
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
