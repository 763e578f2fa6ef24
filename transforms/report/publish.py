"""Report step, composing: one wave's report from the warehouse, codebook and data quality."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import duckdb

from transforms.ingest.codebook import Codebook
from transforms.model.params import ModelParams
from transforms.report.citation import citation
from transforms.report.context import build_report_context
from transforms.report.render import ReportPaths, render_report
from transforms.report.values import (
    DataQualityRow,
    QuarantineReasonRow,
    ReportMeta,
    ReportQuestion,
)
from transforms.validate.curated import CuratedWave


def report_meta(
    codebook: Codebook,
    curated: CuratedWave,
    *,
    min_cell: int,
    confidence: float,
    params: ModelParams | None = None,
) -> ReportMeta:
    """What the report says about itself: codebook metadata and the wave's data quality.

    `params` are the model parameters the marts were built with (their low-precision
    thresholds go into the report's method text); the defaults when not given."""
    rule = params or ModelParams()
    wave = codebook.waves[curated.wave]
    notes = [wave.scope_note] if wave.scope_note else []
    notes += [
        f"{q.text}: {source.note}"
        for q in codebook.questions
        if (source := q.waves.get(curated.wave)) is not None and source.note
    ]
    return ReportMeta(
        survey_title=codebook.survey.title,
        wave=curated.wave,
        synthetic=codebook.survey.synthetic,
        notice=_notice(codebook.survey.notice, wave.accept_statuses),
        fieldwork_start=wave.fieldwork_start,
        fieldwork_end=wave.fieldwork_end,
        min_cell_size=min_cell,
        confidence_level=confidence,
        max_cv=rule.max_cv,
        min_n_eff=rule.min_n_eff,
        max_ci_width=rule.max_ci_width,
        max_relative_ci_width=rule.max_relative_ci_width,
        relative_ci_width_floor=rule.relative_ci_width_floor,
        include_illustrative_offers=rule.include_illustrative_offers,
        scope_notes=tuple(notes),
        **(
            {"hires_description": codebook.survey.hires_description}
            if codebook.survey.hires_description
            else {}
        ),
        code_labels={name: dict(codes) for name, codes in codebook.codes.items()},
        asked=frozenset(q.target for q in codebook.questions if curated.wave in q.waves),
        citation=citation(codebook, [curated.wave]),
        questions=tuple(
            ReportQuestion(q.id, q.title, q.sections) for q in codebook.report.questions
        ),
        quotes=wave_quotes(codebook, curated.wave),
        data_quality=data_quality_rows(curated),
        quarantine_reasons=[
            QuarantineReasonRow(table=r["table_name"], reason=r["reason"], count=r["rows"])
            for r in curated.quarantine_reasons
        ],
    )


def data_quality_rows(curated: CuratedWave) -> list[DataQualityRow]:
    """Rows in, curated and quarantined per table of the wave, as the report shows them."""
    return [
        DataQualityRow(
            table=r["table_name"],
            rows_in=r["rows_in"],
            curated=r["rows_curated"],
            quarantined=r["rows_quarantined"],
        )
        for r in curated.reconciliation
    ]


def wave_quotes(codebook: Codebook, wave: str) -> dict[str, tuple[str, ...]]:
    """Free-text question id -> the reviewed quotes the codebook lists for ``wave``."""
    return {
        question_id: tuple(q.text for q in quotes if q.wave == wave)
        for question_id, quotes in codebook.quotes.items()
    }


def trend_report_meta(
    codebook: Codebook,
    waves: list[CuratedWave],
    *,
    min_cell: int,
    confidence: float,
    params: ModelParams | None = None,
) -> ReportMeta:
    """The trend report's metadata: the newest wave's, for every wave and without the scope
    notes of one wave (the trend tables give each comparison's notes)."""
    newest = report_meta(
        codebook, waves[-1], min_cell=min_cell, confidence=confidence, params=params
    )
    names = [w.wave for w in waves]
    return dataclasses.replace(
        newest,
        wave=", ".join(names),
        scope_notes=(),
        citation=citation(codebook, names, trend=True),
    )


def _notice(notice: str | None, accepted: tuple[str, ...]) -> str | None:
    """The codebook's first-page notice, led by a warning when the wave analyses test or
    preview responses as answers (accept_statuses)."""
    if not accepted:
        return notice
    warning = (
        f"NOT FOR PUBLICATION: this wave analyses {' and '.join(accepted)} responses as if they "
        "were real answers (accept_statuses in the codebook)."
    )
    return f"{warning} {notice}" if notice else warning


def publish_wave_report(
    warehouse: Path, meta: ReportMeta, curated: CuratedWave, reports_dir: Path
) -> ReportPaths:
    """Render report.html, report.pdf, tables.xlsx, figures and data quality for one wave."""
    out_dir = reports_dir / curated.survey_id / curated.wave
    with duckdb.connect(str(warehouse), read_only=True) as con:
        context = build_report_context(con, curated.survey_id, curated.wave, meta)
    paths = render_report(context, out_dir)
    shutil.copyfile(curated.folder / "data_quality.html", out_dir / "data_quality.html")
    return paths
