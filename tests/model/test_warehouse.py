"""The warehouse build: manifest and SQL files agree, tests run, the file is replaced atomically."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.model.reference_rows import NORMAL, reference_tables
from tests.model.supply_rows import PARAMS
from tests.model.warehouse_rows import build
from transforms.core.errors import WarehouseError
from transforms.model.publish import export_marts
from transforms.model.warehouse import (
    BASE_TABLES,
    ModelDoc,
    build_warehouse,
    load_base_tables,
    load_manifest,
    mart_names,
    model_sql,
    run_model_tests,
    run_models,
    sql_files,
)

ARCHITECTURE_MARTS = {
    "mart_hiring_demand": "role_code, role_label, horizon, org_sector, n_respondents, "
    "n_reporting, weighted_n, total, se, ci_low, ci_high, suppressed, suppression",
    "mart_recruitment_difficulty": "role_code, role_label, org_sector, n_respondents, "
    "n_difficult, weighted_n, n_eff, share, se, ci_low, ci_high, suppressed, suppression",
    "mart_skill_shortage": "skill_code, skill_label, org_sector, n_respondents, n_shortage, "
    "weighted_n, n_eff, share, se, ci_low, ci_high, mean_importance, suppressed, suppression",
    "mart_skill_importance": "skill_code, skill_label, org_sector, n_respondents, "
    "n_important, weighted_n, n_eff, share, se, ci_low, ci_high, mean_importance, suppressed, "
    "suppression",
    "mart_training_preference": "format_code, format_label, n_base, n_selected, pct_cases, "
    "ci_low, ci_high, pct_responses, suppressed, suppression",
    "mart_answer_share": "question_id, item_code, option_code, dimension, level, n_respondents, "
    "n_selected, share, se, ci_low, ci_high, suppressed, suppression",
    "mart_answer_mean": "question_id, item_code, dimension, level, n_respondents, mean, se, "
    "ci_low, "
    "ci_high, suppressed, suppression",
    "mart_answer_text": "question_id, item_code, n_respondents, n_answered, suppressed, "
    "suppression",
    "mart_text_coding": "question_id, scheme, code, code_label, n_answered, n_coded, "
    "weighted_n, n_eff, share, se, ci_low, ci_high, low_precision, suppressed, suppression",
    "mart_demand_vs_supply": "skill_code, skill_label, demand_hires_5y, demand_ci_low, "
    "demand_ci_high, shortage_share, supply_places_5y, gap_ratio, suppressed, suppression",
    "mart_training_offer": "offer_id, provider, programme, level, places_per_year, first_year, "
    "last_year, status, n_skills, skills_covered, source, illustrative, in_supply",
    "mart_skill_gap": "skill_code, skill_label, role_family, demand_hires_5y, demand_ci_low, "
    "demand_ci_high, supply_places_5y, gap, gap_ci_low, gap_ci_high, gap_ratio, "
    "gap_ratio_ci_low, gap_ratio_ci_high, shortage_weighted_demand, shortage_weighted_gap, "
    "suppressed, suppression",
    "mart_sample": "org_sector, org_size_band, population, n_respondents, response_rate, weight, "
    "suppressed, suppression",
    "mart_weighting": "n_respondents, population, sum_weights, kish_deff, weighting_efficiency",
    "mart_wave_comparison": "compared_wave, earlier_wave, later_wave, measure, item_code, "
    "org_sector, estimate_earlier, ci_low_earlier, ci_high_earlier, estimate_later, "
    "ci_low_later, ci_high_later, difference, difference_ci_low, difference_ci_high, "
    "question_note, scope_note, suppressed, suppression",
}


def test_the_manifest_lists_every_sql_file_and_every_model_has_a_file() -> None:
    assert sorted(m.name for m in load_manifest().models) == sql_files()


def test_every_model_states_its_grain_and_ends_with_select_star_from_final() -> None:
    for name in sql_files():
        sql = model_sql(name)
        assert sql.startswith("-- grain: one row per "), name
        assert re.search(r"select \* from final\s*(order by [^;]*)?$", sql.strip()), name


def test_values_reach_the_sql_only_as_parameters() -> None:
    for name in sql_files():
        code = re.sub(r"--[^\n]*", "", model_sql(name))
        assert not re.search(r"[<>]=?\s*5\b", code), f"{name} compares with a literal 5"
    for name in ("int_total_estimates", "int_share_estimates"):
        assert "$z" in model_sql(name) and "$min_cell" in model_sql(name)
    assert "$horizon_years" in model_sql("mart_demand_vs_supply")


def test_every_mart_has_the_architecture_columns_in_order_plus_survey_and_wave() -> None:
    documented = {m.name: [c.name for c in m.columns] for m in load_manifest().models}
    assert set(mart_names()) == set(ARCHITECTURE_MARTS)
    for mart, columns in ARCHITECTURE_MARTS.items():
        wanted = ["survey_id", "wave", *columns.split(", ")]
        assert [c for c in documented[mart] if c in wanted] == wanted, mart


# Every mart that publishes estimates: (n, weighted n, estimate, SE, CI low, CI high, flag).
ESTIMATE_COLUMNS = {
    "mart_hiring_demand": ["n_respondents", "weighted_n", "total", "se", "ci_low", "ci_high"],
    "mart_recruitment_difficulty": [
        "n_respondents",
        "weighted_n",
        "share",
        "se",
        "ci_low",
        "ci_high",
    ],
    "mart_skill_shortage": ["n_respondents", "weighted_n", "share", "se", "ci_low", "ci_high"],
    "mart_skill_importance": ["n_respondents", "weighted_n", "share", "se", "ci_low", "ci_high"],
    "mart_training_preference": ["n_base", "weighted_n", "pct_cases", "se", "ci_low", "ci_high"],
    "mart_answer_share": ["n_respondents", "weighted_n", "share", "se", "ci_low", "ci_high"],
    "mart_answer_mean": ["n_respondents", "weighted_n", "mean", "se", "ci_low", "ci_high"],
    "mart_text_coding": ["n_answered", "weighted_n", "share", "se", "ci_low", "ci_high"],
    "mart_demand_vs_supply": [
        *["n_respondents", "weighted_n", "demand_hires_5y", "demand_se"],
        *["demand_ci_low", "demand_ci_high"],
    ],
    "mart_skill_gap": [
        *["n_respondents", "weighted_n", "demand_hires_5y", "demand_se"],
        *["demand_ci_low", "demand_ci_high"],
    ],
    "mart_wave_comparison": [
        *[f"{c}_{side}" for side in ("earlier", "later") for c in ("n", "weighted_n")],
        *[f"{c}_{side}" for side in ("earlier", "later") for c in ("estimate", "se")],
        *[f"{c}_{side}" for side in ("earlier", "later") for c in ("ci_low", "ci_high")],
        *["difference", "difference_se", "difference_ci_low", "difference_ci_high"],
    ],
}
# the sample and its weights, the counts of text answers and the training catalogue: no
# estimates
DESIGN_MARTS = {"mart_sample", "mart_weighting", "mart_answer_text", "mart_training_offer"}


def test_every_estimate_mart_has_n_weighted_n_estimate_se_interval_and_precision_flag() -> None:
    documented = {m.name: [c.name for c in m.columns] for m in load_manifest().models}
    assert set(mart_names()) == set(ESTIMATE_COLUMNS) | DESIGN_MARTS
    for mart, columns in ESTIMATE_COLUMNS.items():
        flags = ["low_precision_earlier", "low_precision_later"]
        flags = flags if mart == "mart_wave_comparison" else ["low_precision"]
        missing = [c for c in [*columns, *flags] if c not in documented[mart]]
        assert not missing, f"{mart} lacks {missing}"


def test_every_published_estimate_carries_its_precision_flag(
    supply_tables: dict[str, pd.DataFrame],
) -> None:
    con = duckdb.connect()
    load_base_tables(con, supply_tables)
    run_models(con, PARAMS)
    checked = 0
    for mart, columns in ESTIMATE_COLUMNS.items():
        if mart == "mart_wave_comparison":
            continue
        estimate = columns[2]
        frame = con.table(mart).df()
        shown = frame[frame[estimate].notna()]
        assert shown["low_precision"].notna().all(), mart
        assert frame.loc[frame["suppressed"], "low_precision"].isna().all(), mart
        checked += len(shown)
    assert checked > 0


def test_parameterised_models_are_tables() -> None:
    for model in load_manifest().models:
        if "$" in re.sub(r"--[^\n]*", "", model_sql(model.name)):
            assert model.materialisation == "table", model.name


def test_only_tables_are_built_in_parallel_and_int_total_estimates_is() -> None:
    parallel = [m.name for m in load_manifest().models if m.parallel]
    assert parallel == ["int_total_estimates"]
    assert all(m.materialisation == "table" for m in load_manifest().models if m.parallel)


def test_a_parallel_table_has_the_same_values_whatever_order_its_rows_come_in() -> None:
    """The manifest's parallel tables are built on every core: their values must not depend
    on the order in which rows reach their sums. Built from the reference waves' base tables,
    then from the same tables with every row order reversed, they are equal to the last bit."""
    forward = build(reference_tables(), NORMAL)
    backward = build(
        {
            name: frame.iloc[::-1].reset_index(drop=True)
            for name, frame in reference_tables().items()
        },
        NORMAL,
    )
    for model in (m.name for m in load_manifest().models if m.parallel):
        first = forward.table(model).fetchall()
        assert first, model
        assert backward.table(model).fetchall() == first, model


def test_build_replaces_the_warehouse_file_and_its_marts_export_as_parquet(
    tmp_path: Path, supply_tables: dict[str, pd.DataFrame]
) -> None:
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(b"old")
    rows = build_warehouse(target, supply_tables, PARAMS)
    assert rows["mart_weighting"] == 1
    assert rows["mart_demand_vs_supply"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.sql("select count(*) from respondent").fetchall() == [(6,)]
        assert con.sql("select count(*) from mart_sample").fetchall()[0][0] == rows["mart_sample"]
        written = export_marts(con, tmp_path / "marts")
    assert sorted(written) == sorted(mart_names())
    assert sorted(p.name for p in (tmp_path / "marts").iterdir()) == sorted(
        f"{name}.parquet" for name in mart_names()
    )
    frame = pd.read_parquet(written["mart_demand_vs_supply"])
    assert list(frame["skill_code"]) == ["assay", "gmp_skill", "unused"]
    assert len(pd.read_parquet(written["mart_sample"])) == rows["mart_sample"]


def test_a_failed_build_leaves_the_previous_warehouse_in_place(
    tmp_path: Path, supply_tables: dict[str, pd.DataFrame]
) -> None:
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(b"previous")
    broken = {**supply_tables, "respondent_weight": pd.DataFrame({"weight": [1.0]})}
    with pytest.raises(WarehouseError, match="respondent_weight lacks columns"):
        build_warehouse(target, broken, PARAMS)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_missing_canonical_tables_are_created_empty_with_their_columns() -> None:
    con = duckdb.connect()
    load_base_tables(con, {})
    assert set(BASE_TABLES) <= {r[0] for r in con.sql("show tables").fetchall()}
    assert con.table("hiring_need").columns[3:6] == ["role_code", "horizon", "headcount"]


def test_an_unknown_base_table_is_refused() -> None:
    with pytest.raises(WarehouseError, match="unknown base tables"):
        load_base_tables(duckdb.connect(), {"hiring_needs": pd.DataFrame()})


def _model(tests: list[str], unique_key: tuple[str, ...] = ()) -> ModelDoc:
    return ModelDoc.model_validate(
        {
            "name": "t",
            "description": "a test table",
            "materialisation": "table",
            "unique_key": unique_key,
            "columns": [
                {"name": "k", "description": "key", "tests": tests},
                {"name": "v", "description": "value"},
            ],
        }
    )


def test_a_failing_not_null_test_names_the_model_and_column() -> None:
    con = duckdb.connect()
    con.execute("create table t as select * from (values (1, 2), (null, 3)) v(k, v)")
    with pytest.raises(WarehouseError, match="not_null failed on model t") as caught:
        run_model_tests(con, _model(["not_null"]))
    assert caught.value.column == "k"


def test_a_failing_unique_test_names_the_model_and_key() -> None:
    con = duckdb.connect()
    con.execute("create table t as select * from (values (1, 2), (1, 3), (2, 2)) v(k, v)")
    assert run_model_tests(con, _model(["not_null"], unique_key=("k", "v"))) == 3
    with pytest.raises(WarehouseError, match="unique failed on model t") as caught:
        run_model_tests(con, _model(["unique"]))
    assert caught.value.column == "k"


def test_the_mart_table_in_architecture_md_lists_the_manifest_columns(project_root: Path) -> None:
    documented = {m.name: [c.name for c in m.columns] for m in load_manifest().models}
    text = (project_root / "docs" / "ARCHITECTURE.md").read_text("utf-8")
    listed = dict(re.findall(r"^\| (mart_\w+) \| [^|]+ \| ([^|(]+)", text, flags=re.MULTILINE))
    assert set(listed) == set(mart_names())
    for mart, columns in listed.items():
        expected = [c for c in documented[mart] if c not in ("survey_id", "wave")]
        assert columns.strip().split(", ") == expected, mart
