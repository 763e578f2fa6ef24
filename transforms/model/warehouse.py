"""Model step, warehouse: base tables into DuckDB, SQL models in manifest order, marts out.

The models are the ``transforms/model/sql/<model>.sql`` files;
``transforms/model/sql/manifest.yaml`` gives their order, materialisation, column
documentation and tests. Values reach the SQL as DuckDB parameters (``$z``, ``$min_cell``,
``$horizon_years``), never formatted into it.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

import duckdb
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from transforms.core.atomic import atomic_path
from transforms.core.canonical import TABLES
from transforms.core.errors import WarehouseError
from transforms.model.disclosure.marts import protect_marts
from transforms.model.params import ModelParams

SQL_PACKAGE = "transforms.model"
SQL_FOLDER = "sql"
MANIFEST = "manifest.yaml"

_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "Int64": "BIGINT",
    "Float64": "DOUBLE",
    "float64": "DOUBLE",
    "boolean": "BOOLEAN",
    "datetime64[ns]": "TIMESTAMP",
}

# Base tables the models read: column -> DuckDB type. A table not given is created empty.
BASE_TABLES: dict[str, dict[str, str]] = {
    **{
        name: {col: _DUCKDB_TYPES[dtype] for col, dtype in table.all_columns.items()}
        for name, table in TABLES.items()
    },
    "ref_role": dict.fromkeys(("role_code", "label", "role_family", "isco_code"), "VARCHAR"),
    "ref_skill": dict.fromkeys(
        ("skill_code", "label", "skill_family", "esco_uri", "synonyms"), "VARCHAR"
    ),
    "ref_role_skill": {"role_code": "VARCHAR", "skill_code": "VARCHAR"},
    "ref_training_offer": {
        "offer_id": "VARCHAR",
        "provider": "VARCHAR",
        "programme": "VARCHAR",
        "level": "VARCHAR",
        "credits": "DOUBLE",
        "places_per_year": "BIGINT",
        "first_year": "BIGINT",
        "last_year": "BIGINT",
        "skills": "VARCHAR",
        "source": "VARCHAR",
        "illustrative": "BOOLEAN",
    },
    "ref_population_frame": {
        "survey_id": "VARCHAR",
        "org_sector": "VARCHAR",
        "org_size_band": "VARCHAR",
        "organisations": "BIGINT",
    },
    "ref_code": dict.fromkeys(("survey_id", "code_list", "code", "label"), "VARCHAR"),
    # codebook notes per wave: a question's wording change (question_id set) or the wave's
    # scope note (question_id NULL); horizon is the question's constant horizon, if any
    "ref_question_note": dict.fromkeys(
        ("survey_id", "wave", "question_id", "target", "horizon", "note"), "VARCHAR"
    ),
    # every codebook question in questionnaire order, its text as plain text
    "ref_question": {
        "survey_id": "VARCHAR",
        "question_id": "VARCHAR",
        "position": "BIGINT",
        "text": "VARCHAR",
        "type": "VARCHAR",
        "target": "VARCHAR",
        "question_group": "VARCHAR",
    },
    # answer text of each option of the generic questions (target answer.value)
    "ref_answer_label": {
        **dict.fromkeys(("survey_id", "question_id", "option_code", "label"), "VARCHAR"),
        "position": "BIGINT",
    },
    # text of each grid item of the generic numeric and ordinal questions
    "ref_item_label": {
        **dict.fromkeys(("survey_id", "question_id", "item_code", "label"), "VARCHAR"),
        "position": "BIGINT",
    },
    # the free-text coder's codes per answer, and each coded question's codes with labels
    "text_code": {
        **dict.fromkeys(("survey_id", "wave", "respondent_key", "question_id", "code"), "VARCHAR"),
        "score": "DOUBLE",
    },
    "ref_text_code": {
        **dict.fromkeys(("survey_id", "question_id", "scheme", "code", "label"), "VARCHAR"),
        "position": "BIGINT",
    },
    "respondent_weight": {
        "survey_id": "VARCHAR",
        "wave": "VARCHAR",
        "respondent_key": "VARCHAR",
        "stratum": "VARCHAR",
        "weight": "DOUBLE",
    },
    "weighting_summary": {
        "survey_id": "VARCHAR",
        "wave": "VARCHAR",
        "method": "VARCHAR",
        "iterations": "BIGINT",
    },
}
# Columns a frame may lack (then NULL), added after their table: older frames still load.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"ref_skill": ("synonyms",)}
# Base tables stored as given (the data-quality step owns their columns); skipped when absent.
FREE_FORM_TABLES: tuple[str, ...] = ("dq_reconciliation", "dq_quarantine_reason")

# DuckDB's memory for building the warehouse (it spills to disk beyond it): the whole run of a
# million respondents stays within 6 GB of memory, DuckDB's share included.
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {"memory_limit": "3GB"}

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LINE_COMMENT = re.compile(r"--[^\n]*")


Identifier = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnDoc(_Strict):
    name: Identifier
    description: str
    tests: tuple[Literal["not_null", "unique"], ...] = ()


class ModelDoc(_Strict):
    name: Identifier
    description: str
    materialisation: Literal["view", "table"]
    unique_key: tuple[Identifier, ...] = ()  # the grain: this combination is unique
    # "build": before disclosure control; "published": built after it, from protected marts
    stage: Literal["build", "published"] = "build"
    # a table whose result does not depend on its rows' order: built on every core
    parallel: bool = False
    columns: tuple[ColumnDoc, ...]


class Manifest(_Strict):
    models: tuple[ModelDoc, ...]


def _sql_dir() -> Traversable:
    return resources.files(SQL_PACKAGE).joinpath(SQL_FOLDER)


@cache
def load_manifest() -> Manifest:
    """The SQL manifest, validated: models in build order with their documentation and tests."""
    try:
        raw = yaml.safe_load(_sql_dir().joinpath(MANIFEST).read_text(encoding="utf-8"))
        return Manifest.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise WarehouseError(f"the SQL manifest is invalid: {exc}", file=MANIFEST) from exc


def model_sql(name: str) -> str:
    """A model's SQL text (one select statement, grain comment first)."""
    return _sql_dir().joinpath(f"{name}.sql").read_text(encoding="utf-8")


def sql_files() -> list[str]:
    """Names of the model files in transforms/model/sql (without .sql)."""
    return sorted(
        p.name.removesuffix(".sql") for p in _sql_dir().iterdir() if p.name.endswith(".sql")
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def load_base_tables(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pd.DataFrame],
    parquet: dict[str, list[Path]] | None = None,
) -> None:
    """Create every base table, cast to its declared columns (extra ones dropped): from its
    Parquet files when ``parquet`` names them (read by DuckDB directly, each file once), else
    from its frame.

    A table not given (or given without columns) is created empty, so the views still work;
    dq_* tables are stored as given, and skipped when absent.
    """
    parquet = parquet or {}
    unknown = (set(tables) | set(parquet)) - set(BASE_TABLES) - set(FREE_FORM_TABLES)
    if unknown:
        raise WarehouseError(f"unknown base tables {sorted(unknown)}; known: {sorted(BASE_TABLES)}")
    for name, columns in BASE_TABLES.items():
        casts = ", ".join(f"CAST({_quote(c)} AS {t}) AS {_quote(c)}" for c, t in columns.items())
        files = [str(path) for path in parquet.get(name, [])]
        try:
            if files:
                relation = con.read_parquet(files)
            else:
                relation = con.from_df(_base_frame(name, tables.get(name), columns))
            _require_columns(name, relation.columns, columns)
            relation.project(casts).create(name)
        except duckdb.Error as exc:
            raise WarehouseError(f"base table {name} cannot be loaded: {exc}") from exc
    for name in FREE_FORM_TABLES:
        if name in tables and not tables[name].columns.empty:
            con.from_df(tables[name]).create(name)


def _base_frame(name: str, frame: pd.DataFrame | None, columns: dict[str, str]) -> pd.DataFrame:
    if frame is None or frame.columns.empty:
        return pd.DataFrame({col: [] for col in columns})
    absent = [c for c in OPTIONAL_COLUMNS.get(name, ()) if c not in frame.columns]
    frame = frame.assign(**dict.fromkeys(absent, None)) if absent else frame
    _require_columns(name, list(frame.columns), columns)
    return frame[list(columns)]


def _require_columns(name: str, found: list[str], columns: dict[str, str]) -> None:
    missing = [col for col in columns if col not in found]
    if missing:
        raise WarehouseError(f"base table {name} lacks columns {missing}", column=missing[0])


def _parameters(sql: str, params: ModelParams) -> dict[str, object]:
    """The parameters a statement uses (DuckDB refuses unused ones), from ``$name`` in the SQL."""
    used = set(_PARAMETER.findall(_LINE_COMMENT.sub("", sql)))
    available = params.as_dict()
    unknown = used - set(available)
    if unknown:
        raise WarehouseError(f"the SQL uses unknown parameters {sorted(unknown)}")
    return {name: available[name] for name in sorted(used)}


def _check_columns(con: duckdb.DuckDBPyConnection, model: ModelDoc) -> None:
    actual = list(con.table(model.name).columns)
    documented = [c.name for c in model.columns]
    if actual != documented:
        raise WarehouseError(
            f"model {model.name} has columns {actual} but the manifest documents {documented}",
            file=f"{model.name}.sql",
        )


def run_model_tests(con: duckdb.DuckDBPyConnection, model: ModelDoc) -> int:
    """The manifest's not_null and unique tests of one model; returns its rows.

    One pass over the model (a view is evaluated once): its rows are grouped by a hash of the
    unique key (a grouping DuckDB can spill to disk, unlike ``count(DISTINCT row(...))``), the
    NULLs counted per group. Only when two keys share a hash are the repeated keys counted
    exactly. The first failing test raises a WarehouseError naming the model and column(s).
    """
    not_null = [column.name for column in model.columns if "not_null" in column.tests]
    unique: list[tuple[str, ...]] = [
        (column.name,) for column in model.columns if "unique" in column.tests
    ]
    if model.unique_key:
        unique.append(tuple(model.unique_key))
    nulls = [f"count(*) FILTER (WHERE {_quote(c)} IS NULL)" for c in not_null]
    relation = con.table(model.name)
    if unique:
        key_hash = f"hash({', '.join(_quote(c) for c in unique[0])})"
        counted = [f"{expr} AS null_{i}" for i, expr in enumerate(nulls)]
        groups = relation.aggregate(", ".join(["count(*) AS n", *counted]), key_hash)
        sums = [f"sum(null_{i})" for i in range(len(nulls))]
        summary = groups.aggregate(", ".join(["sum(n)", *sums, "count(*) FILTER (WHERE n > 1)"]))
        total, *found, clashes = summary.fetchall()[0]
    else:
        total, *found = relation.aggregate(", ".join(["count(*)", *nulls])).fetchall()[0]
        clashes = 0
    for column, failed in zip(not_null, found, strict=True):
        if failed:
            _fail("not_null", model, (column,), f"{failed} NULL values")
    for index, columns in enumerate(unique):
        if index == 0 and not clashes:
            continue
        repeated = _repeated_keys(con, model.name, columns)
        if repeated:
            _fail("unique", model, columns, f"{repeated} repeated keys")
    return int(total or 0)


def _repeated_keys(con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, ...]) -> int:
    """Rows whose key an earlier row already has (0 when the key is unique)."""
    key = ", ".join(_quote(c) for c in columns)
    groups = con.table(name).aggregate(f"{key}, count(*) AS n", key).filter("n > 1")
    return int(groups.aggregate("coalesce(sum(n - 1), 0)").fetchall()[0][0])


def _fail(test: str, model: ModelDoc, columns: tuple[str, ...], detail: str) -> None:
    raise WarehouseError(
        f"test {test} failed on model {model.name}: {detail}",
        file=f"{model.name}.sql",
        column=", ".join(columns),
    )


def run_models(con: duckdb.DuckDBPyConnection, params: ModelParams) -> dict[str, int]:
    """Build every manifest model in order, each checked against its columns and tests.

    Models of stage "build" come first; then disclosure control adds the secondary
    suppressions to the marts (transforms.model.disclosure.marts) and their tests run again; then
    the models of stage "published", which read only protected marts. Returns rows per model,
    in build order.
    """
    models = load_manifest().models
    rows: dict[str, int] = {}
    for model in models:
        if model.stage == "build":
            rows[model.name] = _build_model(con, model, params)
    protected = protect_marts(con)
    for model in models:
        if model.name in protected:
            run_model_tests(con, model)
    for model in models:
        if model.stage == "published":
            rows[model.name] = _build_model(con, model, params)
    return rows


def _build_model(con: duckdb.DuckDBPyConnection, model: ModelDoc, params: ModelParams) -> int:
    sql = model_sql(model.name)
    if not sql.startswith("-- grain:"):
        raise WarehouseError("a model must start with '-- grain: ...'", file=f"{model.name}.sql")
    bound = _parameters(sql, params)
    if bound and model.materialisation == "view":
        raise WarehouseError(
            f"a view cannot take parameters {sorted(bound)}; materialise it as a table",
            file=f"{model.name}.sql",
        )
    kind = model.materialisation.upper()
    try:
        if kind == "TABLE" and not model.parallel:
            con.execute("SET threads = 1")  # its sums in one fixed order (build_warehouse)
        con.execute(f"CREATE OR REPLACE {kind} {_quote(model.name)} AS\n{sql}", bound)
    except duckdb.Error as exc:
        raise WarehouseError(f"model {model.name} failed: {exc}", file=f"{model.name}.sql") from exc
    finally:
        con.execute("RESET threads")
    _check_columns(con, model)
    return run_model_tests(con, model)


def build_warehouse(
    db_path: Path,
    tables: dict[str, pd.DataFrame],
    params: ModelParams,
    parquet: dict[str, list[Path]] | None = None,
) -> dict[str, int]:
    """Write the warehouse file atomically: build beside it, then rename over it.

    Base tables come from ``parquet`` files or ``tables`` frames (see `load_base_tables`).
    A failure leaves the previous warehouse untouched. Returns rows per model.
    """
    with atomic_path(db_path) as tmp:
        tmp.unlink()  # DuckDB creates the file itself and refuses an empty one
        wal = tmp.with_name(tmp.name + ".wal")
        spill = tmp.with_name(tmp.name + ".spill")
        try:
            con = duckdb.connect(str(tmp), config={**DUCKDB_CONFIG, "temp_directory": str(spill)})
            try:
                # Byte-reproducible marts: the base tables are loaded on every core with
                # preserve_insertion_order (DuckDB's default), so their rows keep the files'
                # order, and every table model is built on one thread (so each sum of doubles
                # adds its terms in that order) unless the manifest marks it parallel (its
                # result does not depend on the order); views and tests use every core.
                # On two threads throughout, the marts differed between runs in the 15th digit.
                load_base_tables(con, tables, parquet)
                rows = run_models(con, params)
                con.execute("CHECKPOINT")
            finally:
                con.close()
        finally:
            wal.unlink(missing_ok=True)
            shutil.rmtree(spill, ignore_errors=True)
    return rows


def mart_names() -> list[str]:
    return [m.name for m in load_manifest().models if m.name.startswith("mart_")]
