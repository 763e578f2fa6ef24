"""Model step, documentation: the warehouse's data dictionary, rendered from the SQL manifest.

Base tables come from transforms.core.canonical (canonical tables) and transforms.model.warehouse
(reference, weight and data-quality tables) with the notes below; models from
transforms/model/sql/manifest.yaml and the grain comment that opens each SQL file; column types
from an empty in-memory build of the warehouse. ``uv run python -m transforms.model.dictionary``
writes docs/DATA_DICTIONARY.md; tests/test_dictionary.py fails when that file is stale.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from transforms.core.atomic import write_text
from transforms.core.canonical import TABLES
from transforms.model.params import ModelParams
from transforms.model.warehouse import (
    BASE_TABLES,
    FREE_FORM_TABLES,
    Manifest,
    ModelDoc,
    load_base_tables,
    load_manifest,
    model_sql,
    run_models,
)

OUTPUT = Path("docs/DATA_DICTIONARY.md")
UNDOCUMENTED = "*(not documented yet: add it to transforms/model/dictionary.py)*"

Types = Mapping[str, Mapping[str, str]]  # table -> column -> DuckDB type

_KEY_NOTES = {
    "survey_id": "Survey identifier (the codebook's survey.id)",
    "wave": "Survey wave (a key of the codebook's waves)",
    "respondent_key": "Pseudonymous respondent key: salted SHA-256 of the platform id",
    "source_file": "Export file the row came from, relative to the survey folder",
    "source_sha256": "SHA-256 of the whole source file",
    "source_row": "1-based row in the source file as a spreadsheet shows it (headers included)",
}

# Base tables other than the canonical ones: (what the table is, its grain).
_BASE_TABLES: dict[str, tuple[str, str]] = {
    "ref_role": ("Role taxonomy (taxonomies.role CSV).", "one row per role"),
    "ref_skill": ("Skill taxonomy (taxonomies.skill CSV).", "one row per skill"),
    "ref_role_skill": ("Which skills each role needs.", "one row per role × skill"),
    "ref_training_offer": (
        "Training-supply catalogue (taxonomies.training_offer CSV).",
        "one row per training offer",
    ),
    "ref_population_frame": (
        "Organisations per sector × size band: the weighting targets.",
        "one row per survey × sector × size band",
    ),
    "ref_code": (
        "The codebook's code lists (sector, size band, region, training format) with labels.",
        "one row per survey × code list × code",
    ),
    "ref_question_note": (
        "Codebook notes per wave: a question's wording change, or the wave's scope note.",
        "one row per survey × wave × note",
    ),
    "ref_question": (
        "Every codebook question in questionnaire order, with its text, type and target.",
        "one row per survey × question",
    ),
    "ref_answer_label": (
        "The answer text of each option of the generic questions (target answer.value).",
        "one row per survey × generic question × option",
    ),
    "respondent_weight": (
        "Each curated respondent's weight and variance stratum (transforms.model.weighting).",
        "one row per survey × wave × respondent",
    ),
    "weighting_summary": (
        "How each wave was weighted (the codebook's weighting section).",
        "one row per survey × wave",
    ),
    "dq_reconciliation": (
        "Rows in, curated and quarantined per canonical table (data-quality step).",
        "one row per survey × wave × canonical table",
    ),
    "dq_quarantine_reason": (
        "Quarantined rows per failed expectation (data-quality step).",
        "one row per survey × wave × table × stage × reason",
    ),
}

_COLUMN_NOTES: dict[str, dict[str, str]] = {
    "respondent": {
        "org_sector": "Sector of the organisation (code list org_sector)",
        "org_size_band": "Size band of the organisation (code list org_size_band)",
        "region": "Region of the organisation (code list region)",
        "completed": "The platform marked the response complete",
        "platform_status": "normal, preview, test, spam, imported or offline",
        "submitted_at": "When the response was submitted",
    },
    "hiring_need": {
        "role_code": "Role hired for (ref_role)",
        "horizon": "1y (within a year) or 5y (within five years, cumulative)",
        "headcount": "People the organisation expects to hire",
    },
    "recruitment_difficulty": {
        "role_code": "Role rated (ref_role)",
        "difficulty": "1 not difficult … 4 extremely difficult",
    },
    "skill_need": {
        "skill_code": "Skill rated (ref_skill)",
        "importance": "Importance 1-5",
        "shortage": "Shortage 1 none … 4 severe",
    },
    "training_preference": {
        "format_code": "Training format offered (code list training_format)",
        "selected": "Whether the respondent chose the format",
    },
    "free_text": {
        "question_id": "Codebook question id",
        "text": "The answer as written (never published without review)",
    },
    "answer": {
        "question_id": "Codebook question id (a question with target answer.value)",
        "item_code": "Grid item; empty for a question without items",
        "option_code": "Option chosen (single and multi-select); empty for numbers, scale "
        "points and text",
        "value": "1 chosen / 0 not (multi-select), 1 (single choice), the number or scale "
        "point (grids), empty (text: counted, never stored)",
    },
    "ref_role": {
        "role_code": "Role code",
        "label": "Role name as published",
        "role_family": "Group of related roles",
        "isco_code": "ISCO-08 occupation code where known",
    },
    "ref_skill": {
        "skill_code": "Skill code",
        "label": "Skill name as published",
        "skill_family": "Group of related skills",
        "esco_uri": "ESCO skill URI where known",
    },
    "ref_role_skill": {"role_code": "Role code", "skill_code": "A skill the role needs"},
    "ref_training_offer": {
        "offer_id": "Training offer identifier",
        "provider": "Who runs it",
        "programme": "Programme or course name",
        "level": "Level of study",
        "credits": "Credits awarded",
        "places_per_year": "Places offered per year",
        "first_year": "First year the offer runs",
        "last_year": "Last year it runs (empty: still running)",
        "skills": "Skill codes it covers, ;-joined",
        "source": "Where the offer was found",
    },
    "ref_population_frame": {
        "survey_id": _KEY_NOTES["survey_id"],
        "org_sector": "Sector",
        "org_size_band": "Size band",
        "organisations": "Organisations in the population",
    },
    "ref_code": {
        "survey_id": _KEY_NOTES["survey_id"],
        "code_list": "Code list name (org_sector, org_size_band, region, training_format, …)",
        "code": "Code",
        "label": "Label as published",
    },
    "ref_question_note": {
        "survey_id": _KEY_NOTES["survey_id"],
        "wave": _KEY_NOTES["wave"],
        "question_id": "Codebook question whose wording changed (NULL: the wave's scope note)",
        "target": "Canonical target of the question (table.column)",
        "horizon": "The question's constant horizon, if any",
        "note": "The note, as shown beside between-wave comparisons",
    },
    "ref_question": {
        "survey_id": _KEY_NOTES["survey_id"],
        "question_id": "Codebook question id",
        "position": "Place in the questionnaire (codebook order, from 1)",
        "text": "Question text as plain text (platform HTML stripped)",
        "type": "single, multi, ordinal_grid, numeric_grid or text",
        "target": "Canonical target (table.column); answer.value for a generic question",
    },
    "ref_answer_label": {
        "survey_id": _KEY_NOTES["survey_id"],
        "question_id": "Generic question id",
        "option_code": "Option code (as in answer and mart_answer_share)",
        "label": "The option's answer text",
    },
    "respondent_weight": {
        "survey_id": _KEY_NOTES["survey_id"],
        "wave": _KEY_NOTES["wave"],
        "respondent_key": _KEY_NOTES["respondent_key"],
        "stratum": "Variance stratum: post-stratum (<sector>/all when collapsed) or raking cell",
        "weight": "Organisations the respondent stands for",
    },
    "weighting_summary": {
        "survey_id": _KEY_NOTES["survey_id"],
        "wave": _KEY_NOTES["wave"],
        "method": "poststratify or rake",
        "iterations": "Raking sweeps needed to meet every margin (NULL for post-stratification)",
    },
    "dq_reconciliation": {
        "survey_id": _KEY_NOTES["survey_id"],
        "wave": _KEY_NOTES["wave"],
        "table_name": "Canonical table",
        "rows_in": "Staged rows",
        "rows_curated": "Rows that passed validation",
        "rows_quarantined": "Rows quarantined",
        "reconciled": "rows_in = rows_curated + rows_quarantined",
    },
    "dq_quarantine_reason": {
        "survey_id": _KEY_NOTES["survey_id"],
        "wave": _KEY_NOTES["wave"],
        "table_name": "Canonical table",
        "stage": "Where the row was quarantined (validation stage)",
        "reason": "The failed expectation, naming the column and value",
        "rows": "Rows quarantined for the reason",
    },
}

# dq_* tables are stored as the data-quality step gives them, so their types are noted here.
_FREE_FORM_TYPES: dict[str, dict[str, str]] = {
    "dq_reconciliation": {
        "survey_id": "VARCHAR",
        "wave": "VARCHAR",
        "table_name": "VARCHAR",
        "rows_in": "BIGINT",
        "rows_curated": "BIGINT",
        "rows_quarantined": "BIGINT",
        "reconciled": "BOOLEAN",
    },
    "dq_quarantine_reason": {
        "survey_id": "VARCHAR",
        "wave": "VARCHAR",
        "table_name": "VARCHAR",
        "stage": "VARCHAR",
        "reason": "VARCHAR",
        "rows": "BIGINT",
    },
}

_LAYERS: tuple[tuple[str, str], ...] = (
    ("stg_", "Staging views"),
    ("dim_", "Dimensions"),
    ("fct_", "Facts"),
    ("int_", "Intermediate estimates"),
    ("mart_", "Marts (also exported as `data/curated/marts/<mart>.parquet`)"),
)


def base_table_columns() -> dict[str, dict[str, str]]:
    """Every base table of the warehouse: table -> column -> DuckDB type."""
    return {**BASE_TABLES, **{n: _FREE_FORM_TYPES.get(n, {}) for n in FREE_FORM_TABLES}}


def base_column_note(table: str, column: str) -> str | None:
    """What a base-table column means, or None when this module does not say."""
    if table in TABLES and column in _KEY_NOTES:
        return _KEY_NOTES[column]
    return _COLUMN_NOTES.get(table, {}).get(column)


def model_types(params: ModelParams | None = None) -> dict[str, dict[str, str]]:
    """Column types of every model, from an empty in-memory build of the warehouse."""
    with duckdb.connect() as con:
        load_base_tables(con, {})
        run_models(con, params or ModelParams())
        return {
            model.name: dict(
                zip(
                    con.table(model.name).columns,
                    map(str, con.table(model.name).types),
                    strict=True,
                )
            )
            for model in load_manifest().models
        }


def _cell(text: str) -> str:
    """Text for a markdown table cell: one line, pipes and angle brackets escaped."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "\\<")


def _columns_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A markdown table; the first cell of each row is a column name."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, *rest in rows:
        lines.append("| " + " | ".join([f"`{name}`", *(_cell(c) for c in rest)]) + " |")
    return lines


def _grain(name: str) -> str:
    first = model_sql(name).splitlines()[0]
    return first.removeprefix("-- grain:").strip()


def _render_base_tables() -> list[str]:
    lines = ["## Base tables", ""]
    lines += [
        "Loaded by the model step (transforms.model.build) before any SQL runs. The canonical "
        "tables hold every curated wave; every canonical row carries its provenance.",
        "",
    ]
    for name, columns in base_table_columns().items():
        if name in TABLES:
            table = TABLES[name]
            about, grain = "Canonical table (ingest, validated).", table.grain
            key = ", ".join(table.natural_key)
        else:
            about, grain = _BASE_TABLES.get(name, (UNDOCUMENTED, "not stated"))
            key = ""
        lines += [
            f"### {name}",
            "",
            about,
            "",
            f"Grain: {grain}." + (f" Key: {key}." if key else ""),
            "",
        ]
        rows = [(c, t, base_column_note(name, c) or UNDOCUMENTED) for c, t in columns.items()]
        lines += [*_columns_table(("column", "type", "description"), rows), ""]
    return lines


def _render_model(model: ModelDoc, types: Mapping[str, str]) -> list[str]:
    lines = [f"### {model.name}", "", _cell(model.description), ""]
    grain = f"Grain: {_grain(model.name)} ({model.materialisation})."
    if model.unique_key:
        grain += f" Unique key: {', '.join(model.unique_key)}."
    lines += [grain, ""]
    rows = [
        (c.name, types.get(c.name, ""), c.description, ", ".join(c.tests)) for c in model.columns
    ]
    header = ("column", "type", "description", "tests")
    return [*lines, *_columns_table(header, rows), ""]


def render_data_dictionary(manifest: Manifest, types: Types | None = None) -> str:
    """The data dictionary as markdown: base tables, then the manifest's models by layer.

    ``types`` gives each model's column types (``model_types()``); without it the type
    column of the models is left empty.
    """
    types = types or {}
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `uv run python -m transforms.model.dictionary` from "
        "transforms/model/sql/manifest.yaml, transforms/core/canonical.py and "
        "transforms/model/dictionary.py; "
        "do not edit by hand. -->",
        "",
        "The tables and views of `data/curated/warehouse.duckdb`. `'all'` in a code column marks "
        "the total over that dimension; estimate columns are NULL where a cell is suppressed.",
        "",
        "## Contents",
        "",
        "- [Base tables](#base-tables)",
    ]
    layers = [
        (prefix, title, [m for m in manifest.models if m.name.startswith(prefix)])
        for prefix, title in _LAYERS
    ]
    others = [m for m in manifest.models if not m.name.startswith(tuple(p for p, _ in _LAYERS))]
    if others:
        layers.append(("", "Other models", others))
    for _, title, models in layers:
        if models:
            lines.append(f"- {title}: " + ", ".join(f"[{m.name}](#{m.name})" for m in models))
    lines += ["", *_render_base_tables()]
    for _, title, models in layers:
        if models:
            lines += [f"## {title}", ""]
            for model in models:
                lines += _render_model(model, types.get(model.name, {}))
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the warehouse's data dictionary.")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default {OUTPUT}")
    args = parser.parse_args(argv)
    text = render_data_dictionary(load_manifest(), model_types())
    write_text(args.output, text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
