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

from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

# Greyscale palette: dark solid for the main series, light hatched for the second.
DARK = "#4a4a4a"
LIGHT = "#c8c8c8"
INK = "#000000"
MUTED = "#555555"
HATCH = "////"
GAP_HATCH = "xx"
WIDTH_IN = 6.5  # fits the A4 text block at 100% (170 mm)

RC: dict[RcKeyType, Any] = {
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


def wrap(text: str, width: int = 28) -> str:
    """A label wrapped to lines of at most `width` characters (escaped; never empty)."""
    return "\n".join(textwrap.wrap(escape(text), width)) or " "
