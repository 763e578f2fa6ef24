"""Orchestration, the flow: ingest → validate → model → report, one Prefect task per stage."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.settings import Settings
from flows.summary import RunSummary, StageClock
from transforms.ingest.codebook import Codebook, load_codebook
from transforms.ingest.fingerprint import wave_fingerprint
from transforms.ingest.reference import Reference, load_reference
from transforms.ingest.staging import StagedWave
from transforms.ingest.wave import ingest_wave
from transforms.model.build import ModelResult, build_model
from transforms.model.warehouse import ModelParams
from transforms.report.publish import publish_wave_report, report_meta
from transforms.report.render import ReportPaths
from transforms.validate.codes import ValidationCodes
from transforms.validate.store import CuratedWave, curate_wave, reuse_curated


@task(name="load codebook and reference", cache_policy=NO_CACHE)
def load_inputs(survey_dir: Path) -> tuple[Codebook, Reference]:
    codebook = load_codebook(survey_dir / "survey.yaml")
    reference = load_reference(codebook, survey_dir)
    get_run_logger().info(
        "codebook %s: %d waves, %d questions; %d roles, %d skills, %d training offers",
        codebook.survey.id,
        len(codebook.waves),
        len(codebook.questions),
        len(reference.roles),
        len(reference.skills),
        len(reference.training_offer),
    )
    return codebook, reference


@task(name="ingest", task_run_name="ingest {wave}", cache_policy=NO_CACHE)
def ingest(
    codebook: Codebook, survey_dir: Path, wave: str, salt: str, curated_dir: Path
) -> StagedWave:
    staged = ingest_wave(codebook, survey_dir, wave, salt=salt, curated_dir=curated_dir)
    counts = ", ".join(f"{name} {rows}" for name, rows in staged.rows.items())
    logger = get_run_logger()
    logger.info("wave %s: %d raw rows in → staged %s", wave, staged.raw_rows, counts)
    for warning in staged.warnings:
        logger.warning("wave %s: %s", wave, warning)
    return staged


@task(name="check for changes", task_run_name="check {wave} for changes", cache_policy=NO_CACHE)
def unchanged_wave(
    codebook: Codebook, survey_dir: Path, wave: str, salt: str, settings: Settings
) -> tuple[str, tuple[CuratedWave, list[dict[str, object]]] | None]:
    fingerprint = wave_fingerprint(
        codebook, survey_dir / "survey.yaml", survey_dir, wave, salt=salt
    )
    reused = None
    if not settings.force:
        reused = reuse_curated(settings.curated_dir, codebook.survey.id, wave, fingerprint)
    if reused is not None:
        get_run_logger().info(
            "wave %s: inputs unchanged (fingerprint %s…), reusing its curated data",
            wave,
            fingerprint[:12],
        )
    return fingerprint, reused


@task(name="validate", task_run_name="validate {staged.wave}", cache_policy=NO_CACHE)
def validate(
    staged: StagedWave, codes: ValidationCodes, curated_dir: Path, fingerprint: str
) -> CuratedWave:
    curated = curate_wave(staged, codes, curated_dir, fingerprint=fingerprint)
    logger = get_run_logger()
    for row in curated.reconciliation:
        logger.info(
            "wave %s %s: %d in → %d curated, %d quarantined",
            staged.wave,
            row["table_name"],
            row["rows_in"],
            row["rows_curated"],
            row["rows_quarantined"],
        )
    return curated


def model_params(settings: Settings) -> ModelParams:
    """The SQL models' parameters from the settings: the marts and the report share them."""
    return ModelParams.for_confidence(
        settings.confidence,
        min_cell=settings.min_cell,
        horizon_years=settings.horizon_years,
        max_cv=settings.max_cv,
        min_n_eff=settings.min_n_eff,
    )


@task(name="model", cache_policy=NO_CACHE)
def model(
    codebook: Codebook, reference: Reference, waves: list[CuratedWave], settings: Settings
) -> ModelResult:
    result = build_model(
        codebook,
        reference,
        waves,
        warehouse=settings.warehouse_path,
        marts_dir=settings.curated_dir / "marts",
        params=model_params(settings),
    )
    get_run_logger().info(
        "warehouse %s: %s",
        result.warehouse,
        ", ".join(f"{name} {rows}" for name, rows in result.rows_per_model.items()),
    )
    return result


@task(name="report", task_run_name="report {curated.wave}", cache_policy=NO_CACHE)
def report(
    codebook: Codebook, curated: CuratedWave, warehouse: Path, settings: Settings
) -> ReportPaths:
    meta = report_meta(
        codebook,
        curated,
        min_cell=settings.min_cell,
        confidence=settings.confidence,
        params=model_params(settings),
    )
    paths = publish_wave_report(warehouse, meta, curated, settings.reports_dir)
    get_run_logger().info(
        "wave %s report: %s, %s, %s", curated.wave, paths.html, paths.pdf, paths.xlsx
    )
    return paths


def validation_codes(codebook: Codebook, reference: Reference) -> ValidationCodes:
    return ValidationCodes.from_lists(
        org_sector=codebook.codes.get("org_sector", {}),
        org_size_band=codebook.codes.get("org_size_band", {}),
        region=codebook.codes.get("region", {}),
        role=reference.roles["role_code"],
        skill=reference.skills["skill_code"],
        training_format=codebook.codes.get("training_format", {}),
    )


@flow(name="skillgap-run", log_prints=False, validate_parameters=True)
def skillgap_run(settings: Settings) -> RunSummary:
    """Ingest, validate, model and report every wave of one survey."""
    clock = StageClock()
    survey_dir = settings.resolved_survey_dir
    with clock.stage("prepare"):
        codebook, reference = load_inputs(survey_dir)
    waves = list(settings.waves or codebook.waves)
    salt = settings.salt_value()
    codes = validation_codes(codebook, reference)
    curated: list[CuratedWave] = []
    files: list[dict[str, object]] = []
    warnings: list[str] = []
    for wave in waves:
        with clock.stage("prepare"):
            fingerprint, reused = unchanged_wave(codebook, survey_dir, wave, salt, settings)
        if reused is None:
            with clock.stage("ingest"):
                staged = ingest(codebook, survey_dir, wave, salt, settings.curated_dir)
            with clock.stage("validate"):
                curated.append(validate(staged, codes, settings.curated_dir, fingerprint))
            files += staged.files
            warnings += staged.warnings
        else:
            curated.append(reused[0])
            files += reused[1]
    others = [
        found[0]
        for wave in codebook.waves
        if wave not in waves
        and (found := reuse_curated(settings.curated_dir, codebook.survey.id, wave, None))
    ]
    with clock.stage("model"):
        built = model(
            codebook, reference, sorted([*curated, *others], key=lambda c: c.wave), settings
        )
    with clock.stage("report"):
        reports = [report(codebook, c, built.warehouse, settings) for c in curated]
    summary = RunSummary(
        survey_id=codebook.survey.id,
        waves=waves,
        files=files,
        warnings=warnings,
        reconciliation=[r for c in curated for r in c.reconciliation],
        weighting=[dict(w) for w in built.weighting],
        warehouse=str(built.warehouse),
        reports=[str(p.html) for p in reports] + [str(p.pdf) for p in reports],
        stage_seconds=clock.seconds(),
    )
    create_markdown_artifact(summary.markdown(), key="skillgap-run-summary")
    return summary
