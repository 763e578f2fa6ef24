"""Model step, publishing: the warehouse that SQL users open holds only what reports publish.

The model is built in the internal warehouse (`internal.duckdb`: the canonical tables with a
row per respondent, the raw free text, the staging and intermediate models, the marts before
and after disclosure control). The published warehouse (`warehouse.duckdb`, the one
`skillgap sql`, BI tools and the DuckDB shell open) is copied from it: the disclosure-
controlled marts, the reference tables (taxonomies, code lists, question texts, population
frame: nothing about a respondent) and `data_dictionary`, with every table and column
described by `COMMENT ON`. No respondent-level row reaches it, so a hidden cell cannot be read
back from it, and the reports read their marts from it too.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from transforms.core.atomic import atomic_path
from transforms.model.base_table_docs import BASE_TABLE_NOTES
from transforms.model.dictionary import base_column_note
from transforms.model.warehouse import BASE_TABLES, load_manifest, mart_names

DICTIONARY = "data_dictionary"


def published_tables() -> list[str]:
    """The tables the published warehouse holds besides the dictionary, in a stable order."""
    reference = sorted(name for name in BASE_TABLES if name.startswith("ref_"))
    return [*mart_names(), *reference]


def table_comment(name: str) -> str:
    """What a published table is, from the SQL manifest or the base-table notes."""
    for model in load_manifest().models:
        if model.name == name:
            return " ".join(model.description.split())
    return BASE_TABLE_NOTES.get(name, ("Reference table.", ""))[0]


def column_comments(name: str) -> dict[str, str]:
    """What each column of a published table means (empty where nothing is documented)."""
    for model in load_manifest().models:
        if model.name == name:
            return {c.name: " ".join(c.description.split()) for c in model.columns}
    return {c: note for c in BASE_TABLES.get(name, {}) if (note := base_column_note(name, c))}


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_warehouse(internal: Path, target: Path) -> list[str]:
    """Write the published warehouse from the internal one, atomically; the tables it holds.

    Identifiers and comments are DDL, which DuckDB does not bind as parameters: they come from
    the manifest and this package, and are quoted."""
    names = published_tables()
    with atomic_path(target) as tmp:
        tmp.unlink()  # DuckDB creates the file itself
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"ATTACH {_literal(str(internal))} AS internal (READ_ONLY)")
            present = {
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_catalog = ?",
                    ["internal"],
                ).fetchall()
            }
            names = [n for n in names if n in present]
            for name in names:
                con.table(f"internal.main.{_identifier(name)}").create(name)
            con.execute("DETACH internal")
            rows: list[tuple[str, str, str, str]] = []
            for name in names:
                comments = column_comments(name)
                about = _literal(table_comment(name))
                con.execute(f"COMMENT ON TABLE {_identifier(name)} IS {about}")
                for column, kind in zip(
                    con.table(name).columns, map(str, con.table(name).types), strict=True
                ):
                    note = comments.get(column, "")
                    rows.append((name, column, kind, note))
                    if note:
                        con.execute(
                            f"COMMENT ON COLUMN {_identifier(name)}.{_identifier(column)} "
                            f"IS {_literal(note)}"
                        )
            dictionary = pd.DataFrame(
                rows, columns=["table_name", "column_name", "data_type", "description"]
            )
            con.from_df(dictionary).create(DICTIONARY)
            con.execute(
                f"COMMENT ON TABLE {DICTIONARY} IS "
                + _literal("Every table and column of this warehouse and what it means.")
            )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return [*names, DICTIONARY]


def export_marts(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, Path]:
    """Write every mart as ``out_dir/<mart>.parquet``, each file atomically; name -> path."""
    written: dict[str, Path] = {}
    for name in mart_names():
        target = out_dir / f"{name}.parquet"
        with atomic_path(target) as tmp:
            con.table(name).write_parquet(str(tmp), compression="zstd")
        written[name] = target
    return written
