"""Model step, SQL sandbox: ad-hoc queries against the warehouse that can only read it.

`skillgap sql` hands the warehouse to people who must only ever see what it holds, so the
connection is locked down by DuckDB itself, not by inspecting the SQL: read-only, no external
access (no file read or written: no COPY, ATTACH, read_csv, read_text, glob or EXPORT), no
extension installed or loaded, a memory limit, and the configuration locked so that no SET or
PRAGMA can undo any of it. On top, only queries run (SELECT, WITH, EXPLAIN, CALL of a table
function): any other statement is refused by its type before it runs, with a message that
says why. Each statement has a time limit (the connection is interrupted when it is reached).
Every statement of the text runs and every result is returned, in order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

# statement types a query may have; everything else is refused before it runs
QUERY_TYPES = frozenset(
    {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN, duckdb.StatementType.CALL}
)


class SqlRefused(Exception):
    """A statement the sandbox does not run, or one DuckDB stopped: the message says why."""


class SqlUsage(SqlRefused):
    """The command was used wrongly (no statement given)."""


@dataclass(frozen=True)
class QueryLimits:
    """Per-statement limits of the sandbox (Settings.sql_timeout_seconds, sql_memory_limit)."""

    timeout_seconds: float = 60.0
    memory_limit: str = "2GB"  # DuckDB's memory_limit syntax: "512MB", "2GB"


@dataclass(frozen=True)
class Result:
    """One statement's text and its result."""

    statement: str
    frame: pd.DataFrame


def connect(db: Path, limits: QueryLimits) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse that can reach nothing else."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        "memory_limit": limits.memory_limit,
        "lock_configuration": True,  # last: no SET or PRAGMA can change the above
    }
    return duckdb.connect(str(db), read_only=True, config=config)


def run(con: duckdb.DuckDBPyConnection, sql: str, limits: QueryLimits) -> list[Result]:
    """Every statement of `sql`, in order, with its result. Raises SqlUsage when there is no
    statement, SqlRefused for a statement that is not a query, one that DuckDB refuses (a
    file, a database, an extension or a setting) or one that runs out of time or memory; a
    refused statement stops the run before any later one."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlRefused(f"the SQL could not be read: {exc}") from exc
    if not statements:
        raise SqlUsage('no SQL statement given; for example: skillgap sql "select 1"')
    for number, statement in enumerate(statements, start=1):
        if statement.type not in QUERY_TYPES:
            kind = statement.type.name.replace("_", " ")
            raise SqlRefused(
                f"statement {number} is refused: skillgap sql is read-only and runs queries "
                f"only (SELECT, WITH, EXPLAIN), not {kind} statements; to save a result, use "
                "--format csv or json and redirect it to a file"
            )
    return [
        Result(statement.query.strip(), _timed(con, statement.query, limits, number))
        for number, statement in enumerate(statements, start=1)
    ]


def _timed(
    con: duckdb.DuckDBPyConnection, query: str, limits: QueryLimits, number: int
) -> pd.DataFrame:
    timer = threading.Timer(limits.timeout_seconds, con.interrupt)
    timer.start()
    try:
        return con.execute(query).df()
    except duckdb.InterruptException as exc:
        raise SqlRefused(
            f"statement {number} was stopped after {limits.timeout_seconds:g} s, the time limit "
            "of a query (setting sql_timeout_seconds, option --timeout)"
        ) from exc
    except duckdb.OutOfMemoryException as exc:
        raise SqlRefused(
            f"statement {number} needed more than {limits.memory_limit}, the memory limit of a "
            f"query (setting sql_memory_limit, option --memory-limit): {exc}"
        ) from exc
    except duckdb.PermissionException as exc:
        raise SqlRefused(
            f"statement {number} is refused: skillgap sql cannot read or write files, attach "
            f"other databases or load extensions ({exc})"
        ) from exc
    except duckdb.Error as exc:
        message = str(exc)
        if "configuration has been locked" in message:
            raise SqlRefused(
                f"statement {number} is refused: settings cannot be changed in skillgap sql"
            ) from exc
        raise SqlRefused(f"statement {number} failed: {message}") from exc
    finally:
        timer.cancel()
