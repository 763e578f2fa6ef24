"""Report step, chart style: the print-safe look every chart shares, and SVG output.

One grey hue and hatching (charts survive black-and-white printing), a width that fits the A4
text block, real SVG text, and fixed SVG metadata and clip-path ids, so the same input gives
byte-identical SVG.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
from cycler import cycler
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

# Greyscale palette: dark solid for the main series, light hatched for the second.
DARK = "#4a4a4a"
LIGHT = "#c8c8c8"
INK = "#000000"
MUTED = "#555555"
HATCH = "////"
GAP_HATCH = "xx"
# 4.6 in (117 mm): on a 390 px phone the figure shrinks to about 0.8 of its size, so 8 pt text
# is still about 9 px; in print it is drawn at this size, inside the 170 mm A4 text block.
WIDTH_IN = 4.6
WHITE = "#ffffff"
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
MIN_GRAPHIC_CONTRAST = 3.0  # WCAG 2.1 AA, graphical objects (whiskers)
SMALL = 8.0  # values beside bars, cell values, legends: the smallest text of any chart
WHISKER_HALO_PT = 2.6  # a whisker's white outline, 0.9 pt each side of its 0.8 pt line

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "skillgap",  # stable clip-path ids
    "svg.fonttype": "none",  # real <text>: searchable, small, 3x faster in WeasyPrint
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 8.5,
    "legend.fontsize": 8.5,
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
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": "skillgap"}


@dataclass(frozen=True)
class Chart:
    """One rendered figure: file stem, SVG bytes and a one-sentence alt text."""

    name: str
    svg: bytes
    alt_text: str
    low_precision: bool = False  # some bar is marked "‡" (low precision)


def to_svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()


def escape(text: str) -> str:
    """Matplotlib reads `$...$` as mathtext; labels are plain text."""
    return text.replace("$", r"\$")


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a colour (`#rrggbb` or any matplotlib colour)."""
    channels = to_rgb(colour)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (at least 4.58:1 for any
    colour: the two ratios meet at a luminance of about 0.18)."""
    return INK if contrast_ratio(INK, background) >= contrast_ratio(WHITE, background) else WHITE


def whisker(ax: Axes, x: float, y: float, below: float, above: float) -> None:
    """An interval from x - below to x + above: a black line with a white outline, so the
    line stands out on white and on light bars, and its outline on dark ones."""
    lines = ax.errorbar(
        x,
        y,
        xerr=[[max(below, 0.0)], [max(above, 0.0)]],
        fmt="none",
        ecolor=INK,
        elinewidth=0.8,
        capsize=2,
        zorder=4,
    )
    halo = [patheffects.withStroke(linewidth=WHISKER_HALO_PT, foreground=WHITE)]
    for artist in (*lines[1], *lines[2]):  # caps, then the line
        artist.set_path_effects(halo)


def row_height_in(labels: list[str], minimum: float, size: float = 8.5) -> float:
    """The height of one row of a chart: at least `minimum` inches, and enough for the most
    lines of any of its (wrapped) labels, so labels never run into their neighbours."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(minimum, lines * size * 1.3 / 72 + 0.08)


def row_positions(labels: list[str], unit: float) -> tuple[np.ndarray[Any, Any], float]:
    """Where each row of a bar chart goes (in rows of `unit` inches) and the rows' height in
    inches: a row whose label wraps to more lines than fit in `unit` gets more room, the
    others stay `unit` apart."""
    pitch = np.array([row_height_in([label], unit) / unit for label in labels] or [1.0])
    centres = np.cumsum(pitch) - pitch / 2 - 0.5
    return centres[: len(labels)], float(pitch.sum()) * unit


def wrap(text: str, width: int = 28) -> str:
    """A label wrapped to lines of at most `width` characters (escaped; never empty)."""
    return "\n".join(textwrap.wrap(escape(text), width)) or " "
