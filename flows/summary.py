"""Orchestration, run summary: what one run did, for the CLI, a Prefect artifact and JSON."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from transforms.model.build import ModelResult
from transforms.report.render import ReportPaths
from transforms.validate.curated import CuratedWave


@dataclass(frozen=True)
class WaveRun:
    """One wave of a run: its curated data, the input files it came from, ingest warnings."""

    curated: CuratedWave
    files: list[dict[str, object]]
    warnings: list[str]


class StageClock:
    """Wall time per stage of a run: the span from a stage's first start to its last end."""

    def __init__(self) -> None:
        self._spans: dict[str, tuple[float, float]] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            end = time.perf_counter()
            first, last = self._spans.get(name, (start, end))
            self._spans[name] = (min(first, start), max(last, end))

    def seconds(self) -> dict[str, float]:
        return {name: round(end - start, 3) for name, (start, end) in self._spans.items()}


@dataclass
class RunSummary:
    """What one run did, shown by the CLI and stored as a Prefect markdown artifact."""

    survey_id: str
    waves: list[str]
    files: list[dict[str, object]] = field(default_factory=list)
    reconciliation: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    weighting: list[dict[str, object]] = field(default_factory=list)
    warehouse: str = ""
    reports: list[str] = field(default_factory=list)
    marts: list[str] = field(default_factory=list)
    curated: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def markdown(self) -> str:
        lines = [f"# skillgap run: {self.survey_id}, waves {', '.join(self.waves)}", ""]
        lines += [
            "## Inputs",
            "",
            "| file | platform | encoding | dialect | rows | sha256 |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {f['file']} | {f['platform']} | {f['encoding']} | {_dialect(f.get('dialect'))} | "
            f"{f['rows']} | {str(f['sha256'])[:12]}… |"
            for f in self.files
        ]
        lines += ["", "## Rows", "", "| wave | table | in | curated | quarantined | reconciled |"]
        lines += ["|---|---|---|---|---|---|"]
        lines += [
            f"| {r['wave']} | {r['table_name']} | {r['rows_in']} | {r['rows_curated']} | "
            f"{r['rows_quarantined']} | {'yes' if r['reconciled'] else 'NO'} |"
            for r in self.reconciliation
        ]
        if self.warnings:
            lines += ["", "## Warnings", "", *[f"- {w}" for w in self.warnings]]
        lines += ["", "## Weighting", "", "| wave | n | population | design effect | efficiency |"]
        lines += ["|---|---|---|---|---|"]
        lines += [
            f"| {w['wave']} | {w['n_respondents']} | "
            f"{'unknown (unweighted)' if w['population'] is None else w['population']} | "
            f"{float(str(w['kish_deff'])):.3f} | {float(str(w['weighting_efficiency'])):.1%} |"
            for w in self.weighting
        ]
        lines += ["", "## Outputs", "", f"- warehouse: `{self.warehouse}`"]
        lines += [f"- curated data: `{path}`" for path in self.curated]
        if self.marts:
            folder = str(Path(self.marts[0]).parent)
            lines += [f"- marts as Parquet: `{folder}` ({len(self.marts)} files)"]
        lines += [f"- report: `{path}`" for path in self.reports]
        if self.stage_seconds:
            spent = ", ".join(f"{name} {sec:.1f} s" for name, sec in self.stage_seconds.items())
            lines += ["", f"Time per stage: {spent}."]
        return "\n".join(lines) + "\n"


def _dialect(dialect: object) -> str:
    """A reader's dialect notes (delimiter, BOM, line ends, ...) as one short cell."""
    if not isinstance(dialect, dict) or not dialect:
        return ""
    return ", ".join(f"{key}={value}" for key, value in sorted(dialect.items()))


def _report_files(paths: ReportPaths) -> list[Path]:
    """Every file a report wrote: HTML, PDF, workbook, and a wave's data quality and figures
    folder (the trend report has neither)."""
    quality = paths.out_dir / "data_quality.html"
    extra = [quality] if quality.is_file() else []
    extra += [paths.out_dir / "figures"] if paths.figures else []
    return [paths.html, paths.pdf, paths.xlsx, *extra]


def run_summary(
    survey_id: str,
    runs: list[WaveRun],
    built: ModelResult,
    reports: list[ReportPaths],
    clock: StageClock,
) -> RunSummary:
    """What the run did: inputs, reconciliation, warnings, weighting, outputs and timings."""
    return RunSummary(
        survey_id=survey_id,
        waves=[run.curated.wave for run in runs],
        files=[f for run in runs for f in run.files],
        warnings=[w for run in runs for w in run.warnings],
        reconciliation=[r for run in runs for r in run.curated.reconciliation],
        weighting=[dict(w) for w in built.weighting],
        warehouse=str(built.warehouse),
        reports=[str(path) for paths in reports for path in _report_files(paths)],
        marts=sorted(str(path) for path in built.marts.values()),
        curated=[str(run.curated.folder) for run in runs],
        stage_seconds=clock.seconds(),
    )
