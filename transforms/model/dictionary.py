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
from transforms.model.base_table_docs import (
    BASE_TABLE_NOTES,
    COLUMN_NOTES,
    FREE_FORM_TYPES,
    KEY_NOTES,
)
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
UNDOCUMENTED = "*(not documented yet: add it to transforms/model/base_table_docs.py)*"

Types = Mapping[str, Mapping[str, str]]  # table -> column -> DuckDB type

_LAYERS: tuple[tuple[str, str], ...] = (
    ("stg_", "Staging views"),
    ("dim_", "Dimensions"),
    ("fct_", "Facts"),
    ("int_", "Intermediate estimates"),
    ("mart_", "Marts (also exported as `data/curated/marts/<mart>.parquet`)"),
)


def base_table_columns() -> dict[str, dict[str, str]]:
    """Every base table of the warehouse: table -> column -> DuckDB type."""
    return {**BASE_TABLES, **{n: FREE_FORM_TYPES.get(n, {}) for n in FREE_FORM_TABLES}}


def base_column_note(table: str, column: str) -> str | None:
    """What a base-table column means, or None when this module does not say."""
    if table in TABLES and column in KEY_NOTES:
        return KEY_NOTES[column]
    return COLUMN_NOTES.get(table, {}).get(column)


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
            about, grain = BASE_TABLE_NOTES.get(name, (UNDOCUMENTED, "not stated"))
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
        "transforms/model/base_table_docs.py; "
        "do not edit by hand. -->",
        "",
        "The tables and views of the internal warehouse, `data/curated/internal.duckdb`. The "
        "published warehouse that SQL users open, `data/curated/warehouse.duckdb`, holds the "
        "marts and the `ref_*` tables below, with these descriptions as comments, and "
        "`data_dictionary`. `'all'` in a code column marks the total over that dimension; "
        "estimate columns are NULL where a cell is suppressed.",
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
