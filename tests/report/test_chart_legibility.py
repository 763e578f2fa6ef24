"""Report step, charts: legible in print and on a phone (#10 item 8).

Cell text contrasts at least 4.5:1 with its cell, whiskers at least 3:1 with the bar under
them and with the page, no tick label runs into another, and no text leaves the figure. The
checks read the drawn artists (colours, path effects, rendered bounding boxes), not the code
that chose them.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.text import Text

from transforms.report.charts import heatmap as heatmap_chart
from transforms.report.charts.bars import count_label, grouped_barh, share_label
from transforms.report.charts.comparison import diverging
from transforms.report.charts.series import Bar
from transforms.report.charts.style import (
    DARK,
    LIGHT,
    MIN_GRAPHIC_CONTRAST,
    MIN_TEXT_CONTRAST,
    WHITE,
    contrast_ratio,
    text_colour_on,
)

SKILLS = [  # the sample's skill labels, the longest among them
    "Good Laboratory and Distribution Practice (GLP/GDP)",
    "Quality control and quality assurance (QC/QA)",
    "Writing standard operating procedures (SOPs)",
    "Good Manufacturing Practice (GMP)",
    "Pre-GMP to GMP process transfer",
    "JACIE accreditation and standards",
    "Health economics and reimbursement",
    "Bioinformatics",
]
SECTORS = [
    "All sectors",
    "Large pharmaceutical company",
    "Small or medium-sized ATMP developer",
    "Contract development and manufacturing organisation (CDMO)",
    "Hospital or healthcare region",
    "University or research institute",
    "Public authority or agency",
]


def _bars(n: int, scale: float = 100.0) -> list[Bar]:
    return [
        Bar(scale * (n - k), scale * (n - k) * 0.8, scale * (n - k) * 1.2, False) for k in range(n)
    ]


def _drawn(fig: Figure) -> Any:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # runs the constrained layout
    return canvas.get_renderer()


def _grid() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    shares = np.linspace(0.0, 1.0, len(SKILLS) * len(SECTORS)).reshape(len(SKILLS), -1)
    hidden = np.zeros_like(shares, dtype=bool)
    hidden[1, 2] = hidden[4, 5] = True
    return np.where(hidden, np.nan, shares), hidden


def _heatmap() -> Figure:
    grid, hidden = _grid()
    return heatmap_chart.heatmap(SKILLS, SECTORS, grid, hidden, np.full(grid.shape, "[c]"))


def _charts() -> dict[str, Figure]:
    labels = SKILLS
    return {
        "one series": grouped_barh(
            labels,
            [("share", _bars(len(labels)))],
            value_label=count_label,
            suppressed_label="[c]",
            xlabel="Share rating the skill very or extremely important (lines: 95% CI)",
        ),
        "two series": grouped_barh(
            labels,
            [("five", _bars(len(labels))), ("one", _bars(len(labels), 30.0))],
            value_label=count_label,
            suppressed_label="[c]",
            xlabel="Expected hires (weighted estimate; lines: 95% CI)",
        ),
        "shares with a reference": grouped_barh(
            SECTORS[1:],
            [
                (
                    "share",
                    [Bar(v, v - 0.1, min(v + 0.1, 1.0), False) for v in (1, 1, 0.9, 0.7, 0.5, 0.4)],
                )
            ],
            value_label=share_label,
            suppressed_label="[c]",
            xlabel="Share of organisations reporting difficulty recruiting (lines: 95% CI)",
            share_axis=True,
            reference=0.97,
        ),
        "diverging": diverging(
            list(
                zip(
                    labels,
                    [Bar(v, v - 40, v + 40, False) for v in (300, 120, -60, 10, 0, 5, -5, 90)],
                    strict=True,
                )
            ),
            "[c]",
            "95%",
        ),
        "heatmap": _heatmap(),
    }


@pytest.mark.parametrize("share", np.linspace(0, 1, 101))
def test_every_shade_of_the_heatmap_gets_text_of_at_least_4_5_to_1(share: float) -> None:
    cell = to_hex(heatmap_chart.CMAP(share))
    assert contrast_ratio(text_colour_on(cell), cell) >= MIN_TEXT_CONTRAST, (share, cell)


def test_every_colour_of_the_colormap_gets_text_of_at_least_4_5_to_1() -> None:
    colours = {to_hex(heatmap_chart.CMAP(k)) for k in range(heatmap_chart.CMAP.N)}
    worst = min(contrast_ratio(text_colour_on(c), c) for c in colours)
    assert worst >= MIN_TEXT_CONTRAST


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#4a4a4a", "#000000") == contrast_ratio("#000000", "#4a4a4a")


def test_the_drawn_heatmap_cells_contrast_with_their_text() -> None:
    fig = _heatmap()
    ax = fig.axes[0]
    image = ax.get_images()[0]
    grid, _ = _grid()
    checked = 0
    for text in ax.texts:
        j, i = (round(v) for v in text.get_position())
        if not text.get_text().endswith("%"):
            continue
        cell = to_hex(image.cmap(image.norm(grid[i, j])))
        assert contrast_ratio(to_hex(text.get_color()), cell) >= MIN_TEXT_CONTRAST, (
            text.get_text(),
            cell,
        )
        checked += 1
    assert checked == np.isfinite(grid).sum()


def _whiskers(fig: Figure) -> list[tuple[LineCollection, Rectangle | None]]:
    """Each whisker's line and the bar it lies on (None: on the page only)."""
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()]
    found = []
    for lines in ax.collections:
        if not isinstance(lines, LineCollection):
            continue
        (x0, y), (x1, _) = lines.get_segments()[0][:2]
        under = [
            b
            for b in bars
            if b.get_y() <= y <= b.get_y() + b.get_height()
            and min(b.get_x(), b.get_x() + b.get_width()) <= x0
            and x0 < max(b.get_x(), b.get_x() + b.get_width())
            and x0 != x1
        ]
        found.append((lines, under[0] if under else None))
    return found


@pytest.mark.parametrize("name", ["one series", "two series", "diverging"])
def test_every_whisker_stands_out_from_its_bar_and_from_the_page(name: str) -> None:
    fig = _charts()[name]
    whiskers = _whiskers(fig)
    assert len(whiskers) >= len(SKILLS)
    on_bars = 0
    for lines, under in whiskers:
        line = to_hex(lines.get_colors()[0])
        halos = [
            to_hex(e._gc["foreground"])
            for e in lines.get_path_effects() or ()
            if isinstance(e, withStroke)
        ]
        drawn = [line, *halos]
        backgrounds = [WHITE] + ([to_hex(under.get_facecolor())] if under is not None else [])
        for background in backgrounds:
            best = max(contrast_ratio(c, background) for c in drawn)
            assert best >= MIN_GRAPHIC_CONTRAST, (name, drawn, background)
        on_bars += under is not None
    assert on_bars, "no whisker crosses a bar: the check would prove nothing"
    faces = {to_hex(b.get_facecolor()) for _, b in whiskers if b is not None}
    assert faces & {DARK, LIGHT}


def _boxes(texts: list[Text], renderer: Any) -> list[tuple[str, Any]]:
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_text().strip()]


@pytest.mark.parametrize(
    "name", ["one series", "two series", "shares with a reference", "diverging", "heatmap"]
)
def test_no_tick_label_overlaps_another_and_no_text_leaves_the_figure(name: str) -> None:
    fig = _charts()[name]
    renderer = _drawn(fig)
    ax = fig.axes[0]
    for axis in (ax.get_yticklabels(), ax.get_xticklabels()):
        boxes = _boxes(list(axis), renderer)
        for (a, box_a), (b, box_b) in combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{name}: {a!r} overlaps {b!r}"
    drawn = fig.get_tightbbox(renderer)  # inches: every text and line that is drawn
    page = fig.bbox_inches
    assert drawn.x0 >= page.x0 - 0.01 and drawn.x1 <= page.x1 + 0.01, (name, drawn, page)
    assert drawn.y0 >= page.y0 - 0.01 and drawn.y1 <= page.y1 + 0.01, (name, drawn, page)


def test_the_long_skill_label_is_wrapped_not_cut() -> None:
    ax = _charts()["one series"].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    glp = next(label for label in labels if "GLP/GDP" in label)
    assert "\n" in glp and glp.replace("\n", " ") == SKILLS[0]


def test_chart_text_stays_readable_when_the_figure_shrinks_to_a_phone() -> None:
    """At 390 px the figure is drawn in about 366 CSS px; its smallest text must stay >= 8.5 px."""
    for name, fig in _charts().items():
        width_px = fig.get_figwidth() * 96
        scale = min(366 / width_px, 1.0)
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
        smallest = min(sizes) * 96 / 72 * scale
        assert smallest >= 8.5 or math.isclose(smallest, 8.5), (name, min(sizes), smallest)
