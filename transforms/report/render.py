"""Report step, render: one wave's report context → report.html, report.pdf, tables.xlsx,
figures/*.svg, published atomically.

`render_report` renders one Jinja2 template (templates/) to a self-contained HTML file and,
with print CSS, to a PDF (WeasyPrint), writes the tables to a workbook (transforms.report.xlsx)
and the charts to figures/, and publishes everything atomically. The context comes from
`transforms.report.context.build_report_context`.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from transforms.core.atomic import TEMP_MARK
from transforms.report.context import QUERIES, FigureEntry
from transforms.report.formatting import midsentence
from transforms.report.values import Table
from transforms.report.xlsx import write_tables_xlsx

# QUERIES is re-exported for tests/report/test_report_context.py, which reads it and replaces
# write_pdf through one module alias; its home is transforms.report.context.
__all__ = ["QUERIES", "ReportPaths", "render_html", "render_report", "write_pdf"]


@dataclass(frozen=True)
class ReportPaths:
    """Where `render_report` published the report."""

    out_dir: Path
    html: Path
    pdf: Path
    xlsx: Path
    figures: tuple[Path, ...]


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("transforms.report", "templates"),
        autoescape=True,  # every label and note from data or codebook is escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["midsentence"] = midsentence
    return environment


def render_html(context: dict[str, Any], template: str = "report.html.j2") -> str:
    """The report (or, with trend.html.j2, the trend report) as one self-contained HTML
    document, which is also the PDF's source."""
    environment = _environment()
    css = files("transforms.report").joinpath("templates", "report.css").read_text("utf-8")
    return browser_running_header(
        environment.get_template(template).render(**context, css=Markup(css))
    )


_RUNNING = re.compile(r'<p class="running-(?P<name>title|flag)"[^>]*>(?P<text>[^<]*)</p>')


def browser_running_header(document: str) -> str:
    """The running header for browsers too, so the HTML prints like the PDF: WeasyPrint takes
    it from the page (`string-set`, which browsers lack), a browser from a literal written
    into an `@page` rule just before; each reads the declaration it understands."""
    found = {m["name"]: html.unescape(m["text"]) for m in _RUNNING.finditer(document)}
    boxes = " ".join(
        f"@{box} {{ content: {_css_string(found[name])}; content: string(running-{name}); }}"
        for box, name in (("top-left", "title"), ("top-right", "flag"))
        if name in found
    )
    if not boxes:
        return document
    return document.replace("</style>", f"@page {{ {boxes} }}\n</style>", 1)


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string that cannot end the string or the style element."""
    return (
        '"'
        + "".join(ch if ch.isalnum() or ch in " -–.,:;()/" else f"\\{ord(ch):x} " for ch in text)
        + '"'
    )


class _KnownWeasyPrintNotes(logging.Filter):
    """Drop two warnings WeasyPrint logs on every report, which say nothing about it: the
    screen-only `@media` rule it skips (print has its own CSS) and its font-subsetting backend."""

    KNOWN = ("media type", "the whole @media rule was ignored", "instead of HarfBuzz-Subset")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(known in message for known in self.KNOWN)


_WEASYPRINT_LOG = logging.getLogger("weasyprint")
if not any(isinstance(f, _KnownWeasyPrintNotes) for f in _WEASYPRINT_LOG.filters):
    _WEASYPRINT_LOG.addFilter(_KnownWeasyPrintNotes())


def write_pdf(html: str, target: Path) -> None:
    """Render the report HTML with its print CSS to a tagged PDF (alt texts kept).

    The fetcher resolves embedded `data:` URIs only and fails on anything else: the report
    is self-contained, so a reference to a file or the network is a bug, not a warning.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    HTML(string=html, url_fetcher=fetcher).write_pdf(target, pdf_tags=True)


def render_report(
    context: dict[str, Any], out_dir: Path, template: str = "report.html.j2"
) -> ReportPaths:
    """Write report.html, report.pdf, tables.xlsx and figures/ into `out_dir`, atomically.

    Everything is rendered into a temporary folder beside `out_dir` first; only when all files
    exist are they moved into place (figures/ is swapped as a whole). A failure while rendering
    leaves the previous report untouched. Other files in `out_dir` (data_quality.html) are kept.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{out_dir.name}{TEMP_MARK}report-", dir=out_dir.parent)
    )
    try:
        html = render_html(context, template)
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
