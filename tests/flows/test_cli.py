"""The `skillgap` command: every command documented, schedules well-formed, SQL read-only."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import Settings
from tests import paths

README = paths.PROJECT / "README.md"


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = README.read_text("utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        assert f"skillgap {name}" in readme, name


def test_the_schedule_runs_the_flow_on_cron_one_run_at_a_time(tmp_path: Path) -> None:
    from flows.deployment import scheduled_deployment  # Prefect: imported where it is needed

    settings = Settings(curated_dir=tmp_path / "c", salt="secret-salt")
    deployment = scheduled_deployment(settings, cron="0 6 * * 1", name="weekly")
    assert deployment.name == "weekly"
    assert [s.schedule.cron for s in deployment.schedules] == ["0 6 * * 1"]
    assert deployment.concurrency_limit == 1
    parameters = deployment.parameters["settings"]
    assert Path(parameters["curated_dir"]).is_absolute()
    assert "salt" not in parameters and "secret-salt" not in str(deployment.parameters)


def test_the_worker_deployment_runs_this_checkout_on_the_pool_one_run_at_a_time(
    tmp_path: Path,
) -> None:
    from flows.deployment import PROJECT, worker_deployment

    settings = Settings(curated_dir=tmp_path / "c", salt="secret-salt")
    deployment = worker_deployment(settings, pool="team", cron="0 6 * * 1", name="weekly")
    assert deployment.work_pool_name == "team" and deployment.entrypoint is not None
    assert [s.schedule.cron for s in deployment.schedules] == ["0 6 * * 1"]
    assert deployment.storage is not None
    assert deployment.storage.to_pull_step() == {
        "prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT)}
    }
    assert deployment.concurrency_limit == 1  # queued one behind the other
    assert deployment.concurrency_options is not None
    assert deployment.concurrency_options.collision_strategy.value == "ENQUEUE"
    parameters = deployment.parameters["settings"]
    assert parameters["on_worker"] is True and parameters["salt_block"] == "skillgap-salt"
    assert "salt" not in parameters and "secret-salt" not in str(deployment.parameters)


def test_schedule_parameters_rebuild_the_same_settings(tmp_path: Path) -> None:
    from flows.deployment import schedule_parameters

    settings = Settings(survey_dir=tmp_path, min_cell=7)
    rebuilt = Settings(**schedule_parameters(settings)["settings"])  # type: ignore[arg-type]
    assert rebuilt.min_cell == 7 and rebuilt.resolved_survey_dir == tmp_path.resolve()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table respondent as select range as id from range(3)")
    return path


def test_sql_prints_a_table_csv_or_json(warehouse: Path) -> None:
    runner = CliRunner()
    query = "select count(*) as n from respondent"
    table = runner.invoke(app, ["sql", query, "--db", str(warehouse)])
    csv = runner.invoke(app, ["sql", query, "--db", str(warehouse), "--format", "csv"])
    json = runner.invoke(app, ["sql", query, "--db", str(warehouse), "--format", "json"])
    assert table.exit_code == 0 and "3" in table.output and "(1 row)" in table.output
    assert csv.output.splitlines() == ["n", "3"]
    assert '"n": 3' in json.output


def test_sql_refuses_to_write_and_explains_a_missing_warehouse(warehouse: Path) -> None:
    runner = CliRunner()
    refused = runner.invoke(app, ["sql", "drop table respondent", "--db", str(warehouse)])
    assert refused.exit_code == 1 and "read-only" in refused.output.lower()
    missing = runner.invoke(app, ["sql", "select 1", "--db", str(warehouse.with_name("no.duckdb"))])
    assert missing.exit_code == 2 and "skillgap run" in missing.output


def test_the_run_summary_reports_each_files_encoding_and_dialect() -> None:
    from flows.summary import RunSummary

    summary = RunSummary(
        survey_id="s",
        waves=["2022"],
        files=[
            {
                "file": "2022/x.csv",
                "platform": "qualtrics",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ";", "line_ends": "CRLF"},
                "rows": 3,
                "sha256": "ab" * 32,
            }
        ],
    )
    line = next(x for x in summary.markdown().splitlines() if x.startswith("| 2022/x.csv"))
    assert "utf-8-sig" in line and "delimiter=;" in line and "line_ends=CRLF" in line


def test_run_leaves_options_not_given_to_the_environment_and_settings_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.pipeline
    import flows.prefect_api

    seen: list[Settings] = []

    def capture(settings: Settings) -> None:
        seen.append(settings)
        raise SystemExit(0)  # stop before any work: only the settings are under test

    monkeypatch.setattr(flows.pipeline, "skillgap_run", capture)
    # Only the settings are under test: no Prefect API is started for runs that stop at once.
    monkeypatch.setattr(flows.prefect_api.PrefectApi, "start", lambda api: api)
    monkeypatch.setattr(flows.prefect_api.PrefectApi, "ready", lambda api: nullcontext())
    monkeypatch.setenv("SKILLGAP_MIN_CELL", "9")
    monkeypatch.setenv("SKILLGAP_CURATED_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("SKILLGAP_MAX_CV", "0.2")
    CliRunner().invoke(app, ["run", "--reports-dir", str(tmp_path / "r")])
    CliRunner().invoke(app, ["run", "--min-cell", "6"])
    first, second = seen
    assert (first.min_cell, first.curated_dir, first.max_cv) == (9, tmp_path / "elsewhere", 0.2)
    assert first.reports_dir == tmp_path / "r" and first.raw_dir == Path("data/raw")
    assert second.min_cell == 6


def test_the_marts_and_the_report_take_the_precision_thresholds_from_the_settings() -> None:
    params = Settings(max_cv=0.2, min_n_eff=12, min_cell=7, confidence=0.9).model_params()
    assert (params.max_cv, params.min_n_eff, params.min_cell) == (0.2, 12, 7)
    assert params.z == pytest.approx(1.644854, abs=1e-6)


def test_run_lists_three_planted_codebook_errors_and_stops_before_prefect_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    import time

    import flows.prefect_api

    survey = tmp_path / "raw" / "atmp2030"
    shutil.copytree(paths.SAMPLE, survey)
    shutil.copytree(paths.SAMPLE.parent / "reference", tmp_path / "raw" / "reference")
    (survey / "2024" / "atmp2030_2024_surveymonkey_SYNTHETIC.xlsx").unlink()
    codebook = survey / "survey.yaml"
    text = codebook.read_text(encoding="utf-8").replace("roles.csv", "no_such_roles.csv")
    text = text.replace("type: numeric_grid", "type: numeric_gird", 1)  # third planted error
    codebook.write_text(text, encoding="utf-8")

    def never(api: object) -> object:
        raise AssertionError("Prefect must not start for a codebook with errors")

    monkeypatch.setattr(flows.prefect_api.PrefectApi, "start", never)
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["run", "--survey-dir", str(survey)])
    assert result.exit_code == 1, result.output
    assert time.perf_counter() - started < 30
    assert "atmp2030_2024_surveymonkey_SYNTHETIC.xlsx" in result.output
    assert "no_such_roles.csv" in result.output
    assert "numeric_gird" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) >= 3, result.output
    assert "nothing was run" in result.output and "Traceback" not in result.output


def test_run_with_a_start_up_limit_too_short_for_prefect_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAP_PREFECT_STARTUP_TIMEOUT", "0.05")
    result = CliRunner().invoke(
        app, ["run", "--curated-dir", str(tmp_path / "c"), "--reports-dir", str(tmp_path / "r")]
    )
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Prefect's temporary API did not start in 2 tries" in errors[0]
    assert "SKILLGAP_PREFECT_STARTUP_TIMEOUT" in errors[0] and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()  # nothing ran
