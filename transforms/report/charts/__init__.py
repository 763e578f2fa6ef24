"""Report step, charts: mart rows in, a print-safe SVG figure and its alt text out.

Every chart function is pure: it builds its own `matplotlib.figure.Figure` (no pyplot, no
global backend switch), reads only the columns documented for its mart in
docs/ARCHITECTURE.md, and returns the SVG bytes, byte-identical for the same input. Charts
survive black-and-white printing: one grey hue, hatching for the second series, values
written beside every bar, and suppressed cells drawn as a labelled gap ("[c]", "[c2]"), never
dropped.
A bar whose estimate the mart flags low precision has "‡" after its value
(`Chart.low_precision` says the caption needs the key).

Modules: style (palette, rc settings, `Chart`, SVG output), series (mart rows → bars), bars
(the bar charts of each topic), heatmap (skill × sector shortage), comparison (the skill gap
around zero, one wave beside another), alt (the alt text sentences). The topic charts are
importable from here; the comparison charts from `transforms.report.charts.comparison`.
"""

from transforms.report.charts.bars import (
    plot_demand_vs_supply,
    plot_difficulty_by_sector,
    plot_hiring_demand_by_role,
    plot_skill_importance,
    plot_training_preferences,
)
from transforms.report.charts.heatmap import plot_skill_shortage_heatmap
from transforms.report.charts.style import Chart

__all__ = [
    "Chart",
    "plot_demand_vs_supply",
    "plot_difficulty_by_sector",
    "plot_hiring_demand_by_role",
    "plot_skill_importance",
    "plot_skill_shortage_heatmap",
    "plot_training_preferences",
]
