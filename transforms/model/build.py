"""Model step: curated waves + reference + weights → the DuckDB warehouse and Parquet marts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from markupsafe import Markup

from transforms.core.canonical import TABLES, readable_code
from transforms.core.errors import WeightingError
from transforms.ingest.codebook import Codebook, WeightingSpec
from transforms.ingest.reference import Reference, reference_tables
from transforms.model.params import ModelParams
from transforms.model.publish import export_marts, publish_warehouse
from transforms.model.text_coding import code_free_text, coding_schemes, scheme_table
from transforms.model.warehouse import build_warehouse
from transforms.model.weighting import WeightingSummary, compute_weights, weighting_summary_table
from transforms.validate.curated import CuratedWave, read_curated

INTERNAL_NAME = "internal.duckdb"  # the internal warehouse, beside the published one


@dataclass(frozen=True)
class ModelResult:
    warehouse: Path  # the published warehouse: marts, reference tables, data dictionary
    rows_per_model: dict[str, int]
    marts: dict[str, Path]
    weighting: list[WeightingSummary]
    internal: Path | None = None  # every table, respondent-level ones included


def weight_wave(
    curated: CuratedWave, reference: Reference, spec: WeightingSpec
) -> tuple[pd.DataFrame, WeightingSummary]:
    """Weights of one wave's curated respondents, by the codebook's weighting method."""
    respondents = read_curated(curated.folder, "respondent")
    if respondents.empty:
        raise WeightingError(
            no_respondents_left(curated), file=curated.folder / "data_quality.html"
        )
    return compute_weights(respondents, reference.population_frame, spec)


def no_respondents_left(curated: CuratedWave) -> str:
    """Why a wave has nothing to weight: its respondents in, and the top quarantine reasons."""
    rows_in = sum(
        int(r["rows_in"]) for r in curated.reconciliation if r["table_name"] == "respondent"
    )
    reasons = sorted(
        (r for r in curated.quarantine_reasons if r["table_name"] == "respondent"),
        key=lambda r: -int(r["rows"]),
    )
    why = "; ".join(f"{r['reason']} ({r['rows']} rows)" for r in reasons[:3]) or "none given"
    return (
        f"wave {curated.wave}: no respondent is left after validation ({rows_in} in, all "
        f"quarantined: {why}); its data-quality page lists every reason"
    )


def weighting_spec(codebook: Codebook) -> WeightingSpec:
    """The codebook's weighting section; method none when the survey has no population frame."""
    if codebook.weighting_method == "none":
        return codebook.weighting.model_copy(update={"method": "none"})
    return codebook.weighting


def build_model(
    codebook: Codebook,
    reference: Reference,
    waves: list[CuratedWave],
    *,
    warehouse: Path,
    marts_dir: Path,
    params: ModelParams,
    internal: Path | None = None,
) -> ModelResult:
    """Weight the curated waves, build the internal warehouse from them (`internal`, by
    default internal.duckdb beside `warehouse`), publish what the reports may show into
    `warehouse` (transforms.model.publish) and export the marts from it.

    The curated tables go from their Parquet files straight into DuckDB; only the respondent
    table of each wave is read into memory, to weight it."""
    internal = internal or warehouse.with_name(INTERNAL_NAME)
    weights, summaries = [], []
    for curated in waves:
        frame, summary = weight_wave(curated, reference, weighting_spec(codebook))
        weights.append(frame)
        summaries.append(summary)
    tables: dict[str, pd.DataFrame] = reference_tables([(codebook, reference)])
    tables["ref_question_note"] = question_note_table(codebook)
    tables["ref_question"] = question_table(codebook)
    tables["ref_answer_label"] = answer_label_table(codebook)
    tables["ref_item_label"] = item_label_table(codebook)
    schemes = coding_schemes(codebook, reference)
    tables["ref_text_code"] = scheme_table(codebook.survey.id, schemes)
    tables["text_code"] = code_free_text(free_text_answers(waves, list(schemes)), schemes)
    tables["respondent_weight"] = _concat(weights)
    tables["weighting_summary"] = weighting_summary_table(summaries)
    tables["dq_reconciliation"] = pd.DataFrame(_rows(waves, "reconciliation"))
    tables["dq_quarantine_reason"] = pd.DataFrame(
        _rows(waves, "quarantine_reasons"),
        columns=["survey_id", "wave", "table_name", "stage", "reason", "rows"],
    )
    parquet = {name: [c.folder / f"{name}.parquet" for c in waves] for name in TABLES}
    rows = build_warehouse(internal, tables, params, parquet)
    publish_warehouse(internal, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = export_marts(con, marts_dir)
    return ModelResult(
        warehouse=warehouse,
        rows_per_model=rows,
        marts=marts,
        weighting=summaries,
        internal=internal,
    )


def free_text_answers(waves: list[CuratedWave], question_ids: list[str]) -> pd.DataFrame:
    """The curated free-text answers of the given questions, every wave (keys and text only;
    the other questions' answers are not read)."""
    columns = ["survey_id", "wave", "respondent_key", "question_id", "text"]
    frames = [pd.DataFrame({c: pd.Series([], dtype="string") for c in columns})]
    for curated in waves if question_ids else []:
        path = curated.folder / "free_text.parquet"
        if path.exists():
            table = pq.read_table(
                path, columns=columns, filters=[("question_id", "in", question_ids)]
            )
            frames.append(table.to_pandas().astype("string"))
    return pd.concat(frames, ignore_index=True)


def question_note_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook's notes per wave, for the wave comparison: one row per question source
    with a `note` (wording change), and per wave with a `scope_note` (question_id NULL)."""
    survey_id = codebook.survey.id
    rows: list[tuple[str, str, str | None, str | None, str | None, str]] = [
        (survey_id, wave, None, None, None, spec.scope_note)
        for wave, spec in codebook.waves.items()
        if spec.scope_note
    ]
    rows += [
        (survey_id, wave, q.id, q.target, q.constants.get("horizon"), source.note)
        for q in codebook.questions
        for wave, source in q.waves.items()
        if source.note
    ]
    columns = ["survey_id", "wave", "question_id", "target", "horizon", "note"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def question_table(codebook: Codebook) -> pd.DataFrame:
    """Every question of the codebook in questionnaire (codebook) order, its text as plain
    text (platform HTML stripped, entities decoded), its type and target."""
    rows = [
        (codebook.survey.id, q.id, position, _plain(q.text), q.type, q.target, q.group)
        for position, q in enumerate(codebook.questions, start=1)
    ]
    columns = ["survey_id", "question_id", "position", "text", "type", "target", "question_group"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "string" for c in frame.columns if c != "position"})


def _plain(text: str) -> str:
    """Platform text as plain text: HTML stripped, entities decoded."""
    return str(Markup(text).striptags())


def answer_label_table(codebook: Codebook) -> pd.DataFrame:
    """The answer text of each option code of the generic questions (the first text its
    value_map sends to the code; for one column per option, its item_labels text or the code
    made readable), with the option's place in the questionnaire."""
    rows: list[tuple[str, str, str, str, int]] = []
    for q in codebook.questions:
        if q.target != "answer.value" or q.type not in ("single", "multi"):
            continue
        labels: dict[str, str] = {}
        for text, code in q.value_map.items():
            labels.setdefault(str(code), _plain(text))
        for source in q.waves.values():
            for code in source.items or {}:
                labels.setdefault(code, _plain(q.item_labels.get(code) or readable_code(code)))
        rows += [
            (codebook.survey.id, q.id, code, label, position)
            for position, (code, label) in enumerate(labels.items(), start=1)
        ]
    columns = ["survey_id", "question_id", "option_code", "label", "position"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.drop_duplicates(["survey_id", "question_id", "option_code"])
    return frame.astype({c: "string" for c in columns if c != "position"})


def item_label_table(codebook: Codebook) -> pd.DataFrame:
    """The text of each grid item of the generic numeric and ordinal questions (the
    codebook's item_labels, else the code made readable), in codebook order."""
    rows: list[tuple[str, str, str, str, int]] = []
    for q in codebook.questions:
        if q.target != "answer.value" or q.type not in ("numeric_grid", "ordinal_grid"):
            continue
        codes = dict.fromkeys(code for source in q.waves.values() for code in source.items or {})
        rows += [
            (
                codebook.survey.id,
                q.id,
                code,
                _plain(q.item_labels.get(code) or readable_code(code)),
                n,
            )
            for n, code in enumerate(codes, start=1)
        ]
    columns = ["survey_id", "question_id", "item_code", "label", "position"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "string" for c in columns if c != "position"})


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty] or frames[:1]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _rows(waves: list[CuratedWave], attribute: str) -> list[dict[str, Any]]:
    return [row for wave in waves for row in getattr(wave, attribute)]
