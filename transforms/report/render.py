"""Report step: marts of one survey wave → report.html, report.pdf, tables.xlsx, figures/*.svg.

`build_report_context` reads the marts (SQL in transforms/report/sql/, values bound as
`$survey_id`/`$wave`) and draws the charts; `render_report` renders one Jinja2 template to a
self-contained HTML file and, with print CSS, to a PDF, writes the tables to a workbook, and
publishes everything atomically.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from transforms.report import charts
from transforms.report import findings as topic_findings
from transforms.report.charts import comparison
from transforms.report.formatting import EN_DASH, format_confidence, suppressed_label
from transforms.report.sections import by_sector, report_sections, weighted
from transforms.report.tables.builder import TableBuilder
from transforms.report.tables.difficulty import difficulty_table
from transforms.report.tables.gap import skill_gap_by_family_table, skill_gap_table
from transforms.report.tables.hiring import hiring_table
from transforms.report.tables.quality import data_quality_table, quarantine_reasons_table
from transforms.report.tables.sample import sample_table, weighting_table
from transforms.report.tables.skills import (
    skill_importance_table,
    skill_shortage_by_sector_table,
    skill_shortage_table,
)
from transforms.report.tables.training import training_table
from transforms.report.tables.waves import Pair, comparison_pair, comparison_tables
from transforms.report.values import (
    DataQualityRow,
    QuarantineReasonRow,
    ReportMeta,
    Table,
)
from transforms.report.xlsx import write_tables_xlsx

__all__ = [
    "DataQualityRow",
    "FigureEntry",
    "QuarantineReasonRow",
    "ReportMeta",
    "ReportPaths",
    "build_report_context",
    "render_html",
    "render_report",
]

# Report queries, one per mart, in transforms/report/sql/<name>.sql.
QUERIES: tuple[str, ...] = (
    "hiring_demand",
    "recruitment_difficulty",
    "skill_shortage",
    "skill_importance",
    "demand_vs_supply",
    "skill_gap",
    "training_preference",
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
    chart: charts.Chart
    note: str = ""

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.svg).decode("ascii")

    @property
    def file_name(self) -> str:
        return f"{self.chart.name}.svg"


@dataclass(frozen=True)
class ReportPaths:
    """Where `render_report` published the report."""

    out_dir: Path
    html: Path
    pdf: Path
    xlsx: Path
    figures: tuple[Path, ...]


# ---------------------------------------------------------------------------------------------
# Context
# ---------------------------------------------------------------------------------------------


def read_report_frames(
    con: duckdb.DuckDBPyConnection, survey_id: str, wave: str
) -> dict[str, pd.DataFrame]:
    """Run every report query for one survey wave; returns query name → frame."""
    parameters = {"survey_id": survey_id, "wave": wave}
    folder = files("transforms.report").joinpath("sql")
    return {
        name: con.execute(folder.joinpath(f"{name}.sql").read_text("utf-8"), parameters).df()
        for name in QUERIES
    }


def build_report_context(
    con: duckdb.DuckDBPyConnection, survey_id: str, wave: str, meta: ReportMeta
) -> dict[str, Any]:
    """Everything the report template needs for one survey wave, read from the marts."""
    frames = read_report_frames(con, survey_id, wave)
    confidence = format_confidence(meta.confidence_level)
    tb = TableBuilder(meta, confidence)
    pair = comparison_pair(frames["wave_comparison"], wave)
    sections = report_sections(meta, frames)
    shown = {sid for sid, section in sections.items() if section.shown}
    findings = {
        "hiring": topic_findings.hiring(frames["hiring_demand"], tb),
        "difficulty": topic_findings.difficulty(frames["recruitment_difficulty"], tb),
        "skills": topic_findings.skills(frames["skill_shortage"], tb),
        "importance": topic_findings.importance(frames["skill_importance"], tb),
        "supply": topic_findings.supply(frames["demand_vs_supply"], tb),
        "training": topic_findings.training(frames["training_preference"], tb),
        "sample": topic_findings.sample(frames["weighting"], tb),
    }
    findings["gap"] = topic_findings.gap(frames["skill_gap"], tb)
    findings["change"] = topic_findings.change(frames["wave_comparison"], tb, pair)
    for topic, section in (
        ("hiring", "hiring"),
        ("difficulty", "difficulty"),
        ("skills", "skills"),
        ("importance", "importance"),
        ("supply", "supply"),
        ("gap", "supply"),
        ("training", "training"),
    ):
        if section not in shown:
            findings[topic] = None
    if "hiring" not in shown:
        findings["change"] = None
    return {
        "survey_id": survey_id,
        "wave": wave,
        "meta": meta,
        "title": meta.survey_title,
        "notice": meta.notice_text,
        "fieldwork": _fieldwork(meta),
        "confidence": confidence,
        "suppressed_label": suppressed_label(meta.min_cell_size),
        "findings": findings,
        "waves": pair,
        "sections": sections,
        "absent": [section for section in sections.values() if not section.shown],
        "by_sector": by_sector(meta),
        "weighted": weighted(frames),
        "figures": _figures(frames, meta, confidence, pair, shown),
        "tables": _tables(frames, tb, pair, shown, by_sector=by_sector(meta)),
    }


def _figures(
    frames: dict[str, pd.DataFrame],
    meta: ReportMeta,
    confidence: str,
    pair: Pair | None,
    shown: set[str],
) -> dict[str, FigureEntry]:
    """The figures of the sections shown, in order of appearance, keyed by anchor id."""
    hidden = suppressed_label(meta.min_cell_size)
    sectors = dict(meta.code_labels.get("org_sector", {}))
    options = {"suppressed_label": hidden, "confidence_label": confidence}
    drawn: list[tuple[str, str, charts.Chart]] = []
    if "hiring" in shown:
        drawn.append(
            (
                "fig-hiring",
                f"Expected hires by role within one and five years, all sectors, with "
                f"{confidence} confidence intervals.",
                charts.plot_hiring_demand_by_role(frames["hiring_demand"], **options),
            )
        )
    if "difficulty" in shown and by_sector(meta):
        drawn.append(
            (
                "fig-difficulty",
                "Share of organisations reporting difficulty recruiting for at least one role, "
                "by sector.",
                charts.plot_difficulty_by_sector(
                    frames["recruitment_difficulty"], sectors, **options
                ),
            )
        )
    if "skills" in shown:
        drawn.append(
            (
                "fig-skills",
                "Share of organisations reporting a shortage, by skill and sector.",
                charts.plot_skill_shortage_heatmap(
                    frames["skill_shortage"], sectors, suppressed_label=hidden
                ),
            )
        )
    if "importance" in shown:
        drawn.append(
            (
                "fig-importance",
                "Share of organisations rating each skill very or extremely important, all "
                f"sectors, with {confidence} confidence intervals.",
                charts.plot_skill_importance(frames["skill_importance"], **options),
            )
        )
    if "supply" in shown:
        drawn += [
            (
                "fig-supply",
                "Expected hires needing each skill over five years against training places "
                "over the same five years.",
                charts.plot_demand_vs_supply(frames["demand_vs_supply"], **options),
            ),
            (
                "fig-gap",
                "Skill-gap index: expected hires needing each skill minus training places over "
                f"the same five years, with {confidence} confidence intervals.",
                comparison.plot_skill_gap(frames["skill_gap"], **options),
            ),
        ]
    if "training" in shown:
        drawn.append(
            (
                "fig-training",
                "Preferred training formats, share of organisations answering the question.",
                charts.plot_training_preferences(frames["training_preference"], **options),
            )
        )
    if pair is not None and "hiring" in shown:
        rows = frames["wave_comparison"]
        drawn.append(
            (
                "fig-waves",
                f"Expected hires within five years by role, {pair.earlier} and {pair.later}, "
                f"all sectors, with {confidence} confidence intervals.",
                comparison.plot_wave_hires(
                    rows[rows["compared_wave"] == pair.compared],
                    pair.earlier,
                    pair.later,
                    **options,
                ),
            )
        )
    return {
        fid: FigureEntry(
            fid, number, caption, chart, meta.low_precision_note if chart.low_precision else ""
        )
        for number, (fid, caption, chart) in enumerate(drawn, start=1)
    }


def _tables(
    frames: dict[str, pd.DataFrame],
    tb: TableBuilder,
    pair: Pair | None,
    shown: set[str],
    *,
    by_sector: bool = True,
) -> dict[str, Table]:
    """The tables of the sections shown, in order of appearance, numbered, keyed by id."""
    built: list[Table] = []
    if "hiring" in shown:
        built.append(hiring_table(frames["hiring_demand"], tb, by="role_code"))
        if by_sector:
            built.append(hiring_table(frames["hiring_demand"], tb, by="org_sector"))
    if "difficulty" in shown:
        if by_sector:
            built.append(difficulty_table(frames["recruitment_difficulty"], tb, by="org_sector"))
        built.append(difficulty_table(frames["recruitment_difficulty"], tb, by="role_code"))
    if "skills" in shown:
        built.append(skill_shortage_table(frames["skill_shortage"], tb))
        if by_sector:
            built.append(skill_shortage_by_sector_table(frames["skill_shortage"], tb))
    if "importance" in shown:
        built.append(skill_importance_table(frames["skill_importance"], tb))
    if "supply" in shown:
        built += [
            skill_gap_table(frames["skill_gap"], tb),
            skill_gap_by_family_table(frames["skill_gap"], tb),
        ]
    if "training" in shown:
        built.append(training_table(frames["training_preference"], tb))
    built += comparison_tables(frames["wave_comparison"], tb, pair, shown)
    built.append(sample_table(frames["sample"], tb, weighted=weighted(frames)))
    if weighted(frames):
        built.append(weighting_table(frames["weighting"], tb))
    built += [data_quality_table(tb), quarantine_reasons_table(tb)]
    return {
        t.id: replace(t, number=n, notes=_precision_notes(t, tb))
        for n, t in enumerate(built, start=1)
    }


def _precision_notes(table: Table, tb: TableBuilder) -> tuple[str, ...]:
    """The table's notes, ending with the key to "‡" when it marks a low-precision estimate."""
    return (*table.notes, tb.low_precision_note) if table.has_low_precision else table.notes


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _long_date(day: date) -> str:
    """'7 March 2022', whatever the process locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _fieldwork(meta: ReportMeta) -> str | None:
    start, end = meta.fieldwork_start, meta.fieldwork_end
    if start and end:
        return f"{_long_date(start)} {EN_DASH} {_long_date(end)}"
    day = start or end
    return _long_date(day) if day else None


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("transforms.report", "templates"),
        autoescape=True,  # every label and note from data or codebook is escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(context: dict[str, Any]) -> str:
    """The report as one self-contained HTML document (also the PDF's source)."""
    environment = _environment()
    css = files("transforms.report").joinpath("templates", "report.css").read_text("utf-8")
    return environment.get_template("report.html.j2").render(**context, css=Markup(css))


def write_pdf(html: str, target: Path) -> None:
    """Render the report HTML with its print CSS to a tagged PDF (alt texts kept).

    The fetcher resolves embedded `data:` URIs only and fails on anything else: the report
    is self-contained, so a reference to a file or the network is a bug, not a warning.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    HTML(string=html, url_fetcher=fetcher).write_pdf(target, pdf_tags=True)


def render_report(context: dict[str, Any], out_dir: Path) -> ReportPaths:
    """Write report.html, report.pdf, tables.xlsx and figures/ into `out_dir`, atomically.

    Everything is rendered into a temporary folder beside `out_dir` first; only when all files
    exist are they moved into place (figures/ is swapped as a whole). A failure while rendering
    leaves the previous report untouched. Other files in `out_dir` (data_quality.html) are kept.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-report-", dir=out_dir.parent))
    try:
        html = render_html(context)
        (staging / "report.html").write_text(html, encoding="utf-8")
        (staging / "figures").mkdir()
        figures: list[FigureEntry] = list(context["figures"].values())
        for figure in figures:
            (staging / "figures" / figure.file_name).write_bytes(figure.chart.svg)
        tables: list[Table] = list(context["tables"].values())
        write_tables_xlsx(tables, context["meta"], staging / "tables.xlsx")
        write_pdf(html, staging / "report.pdf")
        _publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReportPaths(
        out_dir=out_dir,
        html=out_dir / "report.html",
        pdf=out_dir / "report.pdf",
        xlsx=out_dir / "tables.xlsx",
        figures=tuple(out_dir / "figures" / f.file_name for f in figures),
    )


def _publish(staging: Path, out_dir: Path) -> None:
    """Move rendered files into `out_dir`: figures/ swapped whole, then files, HTML last."""
    out_dir.mkdir(parents=True, exist_ok=True)
    old_figures = staging / "figures.previous"
    if (out_dir / "figures").exists():
        (out_dir / "figures").rename(old_figures)
    (staging / "figures").rename(out_dir / "figures")
    for name in ("tables.xlsx", "report.pdf", "report.html"):
        (staging / name).replace(out_dir / name)
