"""Report step, trend: every wave of a survey beside the wave before it, in a report of its own.

A wave's report compares only with earlier waves, so that it stays as published when a later
wave arrives (transforms.report.tables.waves). The trend report is the one that changes: for
each wave after the first, the wave-comparison tables of that wave and the one before it, as
HTML, PDF and tables.xlsx in ``reports/<survey>/trend/``. Every number is a mart value of
mart_wave_comparison, read with the same query and table builder as the wave reports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from transforms.report.context import comparison_source, report_query
from transforms.report.formatting import SECONDARY_MARK, format_confidence, suppressed_label
from transforms.report.render import ReportPaths, render_report
from transforms.report.rows import records
from transforms.report.tables.builder import TableBuilder
from transforms.report.tables.waves import MEASURES, comparison_pair, comparison_table
from transforms.report.values import ReportMeta, Table

TREND = "trend"  # the trend report's folder beside the waves' folders


@dataclass(frozen=True)
class Step:
    """One wave beside the wave before it, and the tables that compare them."""

    id: str
    earlier: str
    later: str
    table_ids: tuple[str, ...]


def build_trend_context(
    con: duckdb.DuckDBPyConnection, survey_id: str, waves: list[str], meta: ReportMeta
) -> dict[str, Any]:
    """Everything trend.html.j2 needs: one step per wave that has a wave before it."""
    confidence = format_confidence(meta.confidence_level)
    tb = TableBuilder(meta, confidence)
    steps: list[Step] = []
    tables: dict[str, Table] = {}
    for wave in waves:
        frame = report_query(con, "wave_comparison", survey_id, wave)
        pair = comparison_pair(frame, wave)
        if pair is None:
            continue
        asked = {str(r["measure"]) for r in records(frame, compared_wave=pair.compared)}
        ids = []
        for measure in (m for m in MEASURES if m.code in asked):
            table = comparison_table(frame, tb, pair, measure)
            table = dataclasses.replace(
                table,
                id=f"{table.id}-{pair.later}",
                sheet=f"{measure.sheet} {pair.later}"[:31],
                number=len(tables) + 1,
                source=comparison_source(meta, pair),
            )
            tables[table.id] = table
            ids.append(table.id)
        steps.append(Step(f"waves-{pair.later}", pair.earlier, pair.later, tuple(ids)))
    return {
        "survey_id": survey_id,
        "title": meta.survey_title,
        "meta": meta,
        "notice": meta.notice_text,
        "citation": meta.citation,
        "waves": waves,
        "steps": steps,
        "confidence": confidence,
        "suppressed_label": suppressed_label(meta.min_cell_size),
        "secondary_label": SECONDARY_MARK,
        "figures": {},
        "tables": tables,
    }


def publish_trend_report(
    warehouse: Path, survey_id: str, waves: list[str], meta: ReportMeta, reports_dir: Path
) -> ReportPaths:
    """Render reports/<survey>/trend/report.html, report.pdf and tables.xlsx atomically."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        context = build_trend_context(con, survey_id, waves, meta)
    return render_report(context, reports_dir / survey_id / TREND, "trend.html.j2")
