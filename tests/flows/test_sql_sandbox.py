"""`skillgap sql` is a sandbox: every statement that would write, read or attach a file, load an
extension or change a setting is refused with a clear message, and nothing is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A warehouse, a report beside it and another database, as a run leaves them."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create table mart_x as select range as n from range(5)")
    with duckdb.connect(str(tmp_path / "other.duckdb")) as con:
        con.execute("create table kept as select 1 as one")
    (tmp_path / "report.html").write_text("<p>published</p>", encoding="utf-8")
    return tmp_path


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _sql(place: Path, query: str, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["sql", query, "--db", str(place / "w.duckdb"), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("copy (select * from mart_x) to '{place}/x.csv'", "read-only and runs queries only"),
        ("copy (select 'x') to '{place}/report.html'", "not COPY statements"),
        ("attach '{place}/other.duckdb' (READ_WRITE)", "not ATTACH statements"),
        ("select * from read_csv('/etc/passwd')", "cannot read or write files"),
        ("select * from read_text('/etc/passwd')", "cannot read or write files"),
        ("select * from glob('/etc/*')", "cannot read or write files"),
        ("select * from read_parquet('{place}/*.parquet')", "cannot read or write files"),
        ("install httpfs", "not LOAD statements"),
        ("load httpfs", "not LOAD statements"),
        ("set enable_external_access = true", "not SET statements"),
        ("pragma enable_profiling", "not PRAGMA statements"),
        ("select 1; copy (select 1) to '{place}/y.csv'", "statement 2 is refused"),
        ("export database '{place}/dump'", "not EXPORT statements"),
        ("drop table mart_x", "read-only"),
        ("create table t as select 1", "read-only"),
        ("select * from duckdb_settings() where name = 'x'; set memory_limit = '9GB'", "SET"),
    ],
)
def test_a_statement_that_leaves_the_warehouse_is_refused_and_nothing_is_written(
    place: Path, query: str, says: str
) -> None:
    before = _digests(place)
    code, output = _sql(place, query.format(place=place))
    assert code == 1, output
    assert output.startswith("error: statement ") and says in output, output
    assert "Traceback" not in output
    assert _digests(place) == before  # no file written, none changed
    assert sorted(p.name for p in place.iterdir()) == ["other.duckdb", "report.html", "w.duckdb"]


def test_a_query_the_connection_refuses_says_so_even_when_it_is_a_select(place: Path) -> None:
    # the sandbox is DuckDB's own: a SELECT that reaches for a file is refused by the engine
    code, output = _sql(place, "select count(*) from read_csv_auto('/etc/hostname')")
    assert code == 1 and "file system operations are disabled" in output


def test_an_empty_query_is_a_usage_error(place: Path) -> None:
    for query in ("", "   ", ";"):
        code, output = _sql(place, query)
        assert code == 2 and "usage" in output and "Traceback" not in output, (query, output)


def test_every_statement_prints_its_result(place: Path) -> None:
    code, output = _sql(place, "select 1 as a; select count(*) as n from mart_x")
    assert code == 0, output
    assert "-- statement 1 of 2: select 1 as a" in output
    assert "-- statement 2 of 2: select count(*) as n from mart_x" in output
    assert output.count("(1 row)") == 2
    code, output = _sql(place, "select 1 as a; select 2 as b", "--format", "json")
    assert code == 0 and '"a": 1' in output and '"b": 2' in output
    code, output = _sql(place, "select 1; select 2", "--format", "csv")
    assert code == 2 and "one statement" in output


def test_a_query_over_its_time_limit_is_stopped(place: Path) -> None:
    code, output = _sql(place, "select count(*) from range(100000000000) as a", "--timeout", "0.5")
    assert code == 1 and "stopped after 0.5 s" in output and "sql_timeout_seconds" in output


def test_a_query_over_its_memory_limit_is_stopped(place: Path) -> None:
    code, output = _sql(
        place,
        "select list(range order by range desc) from range(50000000)",
        "--memory-limit",
        "20MB",
    )
    assert code == 1 and "20MB" in output and "sql_memory_limit" in output, output


def test_the_limits_come_from_the_settings(place: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLGAP_SQL_TIMEOUT_SECONDS", "0.5")
    code, output = _sql(place, "select count(*) from range(100000000000) as a")
    assert code == 1 and "stopped after 0.5 s" in output
    monkeypatch.setenv("SKILLGAP_SQL_MEMORY_LIMIT", "lots")
    code, output = _sql(place, "select 1")
    assert code == 2 and "setting sql_memory_limit (SKILLGAP_SQL_MEMORY_LIMIT" in output
    assert "'lots'" in output
