"""Report-stage fixtures: the report's charts stubbed, for tests that read its text and tables.

Hand-made marts are in report_marts.py and the reading of a rendered report in
report_html.py: plain functions, which tests call with their own changes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from transforms.report import charts
from transforms.report.charts import Chart
from transforms.report.charts import comparison as charts_comparison

CHARTS = {  # every chart function the report calls
    charts: (
        "plot_hiring_demand_by_role",
        "plot_difficulty_by_sector",
        "plot_skill_shortage_heatmap",
        "plot_skill_importance",
        "plot_demand_vs_supply",
        "plot_training_preferences",
    ),
    charts_comparison: ("plot_skill_gap", "plot_wave_hires"),
}
STUB_SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'


def _stub(name: str) -> Callable[..., Chart]:
    return lambda *args, **kwargs: Chart(name, STUB_SVG, f"Stub chart {name}.")


@pytest.fixture
def stub_charts(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """`stub_charts(draw=(...))` replaces every chart of the report, but those named in `draw`,
    with an empty SVG for this test; drawing itself is tested in test_charts.py."""

    def stub(*, draw: tuple[str, ...] = ()) -> None:
        unknown = set(draw) - {name for names in CHARTS.values() for name in names}
        assert not unknown, f"not a chart of the report: {sorted(unknown)}"
        for module, names in CHARTS.items():
            for name in names:
                if name not in draw:
                    monkeypatch.setattr(module, name, _stub(name))

    return stub
