"""The data dictionary: docs/DATA_DICTIONARY.md is current and documents every table."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from transforms.model.dictionary import (
    OUTPUT,
    base_column_note,
    base_table_columns,
    main,
    model_types,
    render_data_dictionary,
)
from transforms.model.warehouse import load_manifest, mart_names

REGENERATE = "stale: run `uv run python -m transforms.model.dictionary` and commit the result"


@pytest.fixture(scope="module")
def rendered() -> str:
    return render_data_dictionary(load_manifest(), model_types())


def test_the_committed_data_dictionary_is_the_freshly_rendered_one(
    project_root: Path, rendered: str
) -> None:
    committed = (project_root / OUTPUT).read_text(encoding="utf-8")
    assert committed == rendered, f"{OUTPUT} is {REGENERATE}"


def test_every_mart_column_of_a_built_warehouse_is_documented_in_the_manifest(
    reference_warehouse: duckdb.DuckDBPyConnection,
) -> None:
    documented = {
        m.name: {c.name: c.description for c in m.columns} for m in load_manifest().models
    }
    for mart in mart_names():
        columns = reference_warehouse.table(mart).columns
        assert columns, mart
        for column in columns:
            assert documented[mart].get(column, "").strip(), f"{mart}.{column} is undocumented"


def test_every_table_in_the_warehouse_is_in_the_dictionary(
    reference_warehouse: duckdb.DuckDBPyConnection, rendered: str
) -> None:
    found = reference_warehouse.sql(
        "select table_name from duckdb_tables() where not internal "
        "union all select view_name from duckdb_views() where not internal"
    ).fetchall()
    assert len(found) > 20
    for (name,) in found:
        assert f"\n### {name}\n" in rendered, f"{name} is missing from the data dictionary"


def test_every_base_table_column_has_a_description() -> None:
    missing = [
        f"{table}.{column}"
        for table, columns in base_table_columns().items()
        for column in columns
        if not base_column_note(table, column)
    ]
    assert missing == [], f"describe these in transforms/model/base_table_docs.py: {missing}"
    assert all(columns for columns in base_table_columns().values())


def test_a_model_entry_gives_its_grain_key_and_typed_columns(rendered: str) -> None:
    entry = rendered.split("\n### mart_weighting\n", 1)[1].split("\n### ", 1)[0]
    assert "Grain: one row per survey × wave (table). Unique key: survey_id, wave." in entry
    assert "| `kish_deff` | DOUBLE | Kish design effect due to weighting" in entry
    assert "| `iterations` | BIGINT | Raking sweeps needed" in entry


def test_a_base_table_entry_gives_its_grain_and_typed_columns(rendered: str) -> None:
    entry = rendered.split("\n### respondent_weight\n", 1)[1].split("\n### ", 1)[0]
    assert "Grain: one row per survey × wave × respondent." in entry
    assert "| `weight` | DOUBLE | Organisations the respondent stands for |" in entry


def test_the_entry_point_writes_the_rendered_dictionary(tmp_path: Path, rendered: str) -> None:
    target = tmp_path / "docs" / "DATA_DICTIONARY.md"
    assert main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == rendered
