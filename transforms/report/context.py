"""Report step, context: the marts of one survey wave → everything the report template needs.

`build_report_context` runs the report queries (SQL in transforms/report/sql/, values bound as
`$survey_id`/`$wave`), then builds, for each topic shown (transforms.report.topics), its key
findings, charts and tables; then the change between waves, the sample, the weighting and the
data quality, which every report has. Figures and tables are numbered in order of appearance.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Any

import duckdb
import pandas as pd

from transforms.report import findings as topic_findings
from transforms.report.charts import Chart, comparison
from transforms.report.citation import base_column, base_of, long_date
from transforms.report.formatting import (
    EN_DASH,
    SECONDARY_MARK,
    format_confidence,
    suppressed_label,
)
from transforms.report.rows import records
from transforms.report.tables.builder import TableBuilder
from transforms.report.tables.generic import generic_chapters
from transforms.report.tables.quality import (
    data_quality_summary,
    data_quality_table,
    quarantine_reasons_table,
)
from transforms.report.tables.sample import sample_table, weighting_table
from transforms.report.tables.text import open_answers
from transforms.report.tables.waves import Pair, comparison_pair, comparison_tables, later_waves
from transforms.report.topics import (
    OPEN_ANSWERS,
    TOPICS,
    ChartOptions,
    Frames,
    by_sector,
    report_chapters,
    report_sections,
    weighted,
)
from transforms.report.values import ReportMeta, Table

# Report queries, one per mart, in transforms/report/sql/<name>.sql.
QUERIES: tuple[str, ...] = (
    "hiring_demand",
    "recruitment_difficulty",
    "skill_shortage",
    "skill_importance",
    "demand_vs_supply",
    "training_offer",
    "skill_gap",
    "training_preference",
    "text_coding",
    "generic_shares",
    "generic_means",
    "generic_texts",
    "wave_comparison",
    "sample",
    "weighting",
)


@dataclass(frozen=True)
class FigureEntry:
    """A chart as the report places it: number, anchor id, caption and, when a bar is marked
    low precision, the key to the mark."""

    id: str
    number: int
    caption: str
    chart: Chart
    note: str = ""
    source: str = ""  # the "Source: …" line under the chart

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.svg).decode("ascii")

    @property
    def file_name(self) -> str:
        return f"{self.chart.name}.svg"


def report_query(
    con: duckdb.DuckDBPyConnection, name: str, survey_id: str, wave: str
) -> pd.DataFrame:
    """One report query (transforms/report/sql/<name>.sql) for one survey wave."""
    sql = files("transforms.report").joinpath("sql", f"{name}.sql").read_text("utf-8")
    return con.execute(sql, {"survey_id": survey_id, "wave": wave}).df()


def read_report_frames(con: duckdb.DuckDBPyConnection, survey_id: str, wave: str) -> Frames:
    """Run every report query for one survey wave; returns query name → frame."""
    return {name: report_query(con, name, survey_id, wave) for name in QUERIES}


def build_report_context(
    con: duckdb.DuckDBPyConnection, survey_id: str, wave: str, meta: ReportMeta
) -> dict[str, Any]:
    """Everything the report template needs for one survey wave, read from the marts."""
    frames = read_report_frames(con, survey_id, wave)
    confidence = format_confidence(meta.confidence_level)
    tb = TableBuilder(meta, confidence)
    pair = comparison_pair(frames["wave_comparison"], wave)
    texts = frames["generic_texts"]  # an open question coded in Open answers is not repeated
    texts = texts[~texts["question_id"].isin(frames["text_coding"]["question_id"])]
    chapters, generic = generic_chapters(
        frames["generic_shares"], frames["generic_means"], texts, tb
    )
    sections = report_sections(meta, frames, [(c.id, c.title) for c in chapters])
    shown = {sid for sid, section in sections.items() if section.shown}
    questions, text_tables = open_answers(frames["text_coding"], tb, meta.quotes)
    if OPEN_ANSWERS not in shown:
        questions, text_tables = [], []
    return {
        "survey_id": survey_id,
        "wave": wave,
        "meta": meta,
        "title": meta.survey_title,
        "notice": meta.notice_text,
        "citation": meta.citation,
        "fieldwork": _fieldwork(meta),
        "confidence": confidence,
        "suppressed_label": suppressed_label(meta.min_cell_size),
        "secondary_label": SECONDARY_MARK,
        "findings": _findings(frames, tb, pair, shown),
        "waves": pair,
        "later_waves": later_waves(frames["wave_comparison"], wave),
        "sections": sections,
        "chapters": report_chapters(meta, sections),
        "absent": [section for section in sections.values() if not section.shown],
        "by_sector": by_sector(meta),
        "weighted": weighted(frames),
        "figures": _figures(frames, meta, confidence, pair, shown),
        "generic": chapters,
        "open_answers": questions,
        "tables": _tables(
            frames,
            tb,
            pair,
            shown,
            by_sector=by_sector(meta),
            generic=generic,
            open_answers=text_tables,
        ),
        "quality": data_quality_summary(tb),
    }


def _findings(
    frames: Frames, tb: TableBuilder, pair: Pair | None, shown: set[str]
) -> dict[str, Any]:
    """Every headline of the report by name; None for a topic not shown or not publishable."""
    found: dict[str, Any] = {
        finding.name: finding.build(frames[finding.query], tb) if topic.section in shown else None
        for topic in TOPICS
        for finding in topic.findings
    }
    found["sample"] = topic_findings.sample(frames["weighting"], tb)
    found["response"] = topic_findings.response(frames["sample"], tb)
    found["change"] = (
        topic_findings.change(frames["wave_comparison"], tb, pair) if "hiring" in shown else None
    )
    return found


def _figures(
    frames: Frames, meta: ReportMeta, confidence: str, pair: Pair | None, shown: set[str]
) -> dict[str, FigureEntry]:
    """The figures of the sections shown, in order of appearance, keyed by anchor id."""
    options = ChartOptions(
        suppressed_label(meta.min_cell_size),
        confidence,
        dict(meta.code_labels.get("org_sector", {})),
    )
    drawn: list[tuple[str, str, Chart, str]] = [
        (
            figure.id,
            figure.caption.format(confidence=confidence),
            figure.draw(frames[figure.query], options),
            _source(meta, "", frames[figure.query]),
        )
        for topic in TOPICS
        if topic.section in shown
        for figure in topic.figures
        if by_sector(meta) or not figure.by_sector
    ]
    if pair is not None and "hiring" in shown:
        rows = frames["wave_comparison"]
        chart = comparison.plot_wave_hires(
            rows[rows["compared_wave"] == pair.compared], pair.earlier, pair.later, **options.labels
        )
        caption = (
            f"Expected hires within five years by role, {pair.earlier} and {pair.later}, "
            f"all sectors, with {confidence} confidence intervals."
        )
        drawn.append(("fig-waves", caption, chart, comparison_source(meta, pair)))
    return {
        fid: FigureEntry(
            fid,
            number,
            caption,
            chart,
            meta.low_precision_note if chart.low_precision else "",
            source,
        )
        for number, (fid, caption, chart, source) in enumerate(drawn, start=1)
    }


def _tables(
    frames: Frames,
    tb: TableBuilder,
    pair: Pair | None,
    shown: set[str],
    *,
    by_sector: bool = True,
    generic: list[Table] | None = None,
    open_answers: list[Table] | None = None,
) -> dict[str, Table]:
    """The tables of the sections shown, in order of appearance, numbered, keyed by id."""
    built: list[tuple[Table, pd.DataFrame | None]] = [
        (part.build(frames[part.query], tb), frames[part.query])
        for topic in TOPICS
        if topic.section in shown
        for part in topic.tables
        if by_sector or not part.by_sector
    ]
    built += [(t, None) for t in open_answers or []]
    built += [(t, None) for t in generic or []]
    compared = comparison_tables(frames["wave_comparison"], tb, pair, shown)
    if pair is not None:
        compared = [replace(t, source=comparison_source(tb.meta, pair)) for t in compared]
    built += [(t, None) for t in compared]
    built.append((sample_table(frames["sample"], tb, weighted=weighted(frames)), None))
    built += [(data_quality_table(tb), None), (quarantine_reasons_table(tb), None)]
    if weighted(frames):  # in the technical annex, after the data quality
        built.append((weighting_table(frames["weighting"], tb), None))
    return {
        t.id: replace(
            t,
            number=n,
            notes=_precision_notes(t, tb),
            source=t.source or _source(tb.meta, t.base, frame),
        )
        for n, (t, frame) in enumerate(built, start=1)
    }


def comparison_source(meta: ReportMeta, pair: Pair) -> str:
    """The "Source: …" line under a comparison of two waves: it names both."""
    return meta.citation.source(waves=(pair.earlier, pair.later)) if meta.citation else ""


def _source(meta: ReportMeta, base: str, frame: pd.DataFrame | None) -> str:
    """The "Source: …" line under a table or chart: the survey, the wave and the base (the
    organisations answering, from the mart's counts) where it is one the reader can use."""
    if meta.citation is None:
        return ""
    if not base and frame is not None:
        column = base_column(frame.columns)
        if column is not None:
            base = base_of(records(frame), column)
    if not base:  # a table of the whole sample, or one drawn from several questions
        responding = [r["curated"] for r in meta.data_quality if r["table"] == "respondent"]
        base = f"n = {responding[0]:,} responding organisations" if responding else ""
    return meta.citation.source(base)


def _precision_notes(table: Table, tb: TableBuilder) -> tuple[str, ...]:
    """The table's notes, ending with the key to "‡" when it marks a low-precision estimate."""
    return (*table.notes, tb.low_precision_note) if table.has_low_precision else table.notes


def _fieldwork(meta: ReportMeta) -> str | None:
    start, end = meta.fieldwork_start, meta.fieldwork_end
    if start and end:
        return f"{long_date(start)} {EN_DASH} {long_date(end)}"
    day = start or end
    return long_date(day) if day else None
