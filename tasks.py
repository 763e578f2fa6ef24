#!/usr/bin/env python3
"""Developer tasks, runnable with nothing but Python 3.11+: `python3 tasks.py help`.

Each task installs what it needs first (uv, then the locked environment), so a fresh clone
needs exactly one command to run the pipeline and one to run the tests.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
UV_VERSION = "0.13.9"
TOOLS = ROOT / ".tools"
TASKS: dict[str, Callable[[list[str]], int]] = {}


def task(func: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
    TASKS[func.__name__.replace("_", "-")] = func
    return func


def _uv() -> str:
    """uv from PATH, else a pinned uv installed into .tools/ with pip."""
    found = shutil.which("uv")
    if found:
        return found
    uv = TOOLS / "bin" / "uv"
    if not uv.exists():
        print(f"installing uv {UV_VERSION} into {TOOLS} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        pip = [str(TOOLS / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, f"uv=={UV_VERSION}"], check=True)
    return str(uv)


def _env() -> dict[str, str]:
    from flows.environment import quiet_local_defaults  # standard library only

    env = dict(os.environ)
    quiet_local_defaults(ROOT / ".prefect", env)
    env.setdefault("UV_SYSTEM_CERTS", "1")  # trust the OS certificate store, as pip does
    # Byte-compile packages at install: where Python may not write .pyc files
    # (PYTHONDONTWRITEBYTECODE), importing Prefect and Great Expectations from source costs
    # 5-10 s in every process; compiled once, it costs half that.
    env.setdefault("UV_COMPILE_BYTECODE", "1")
    return env


def _sync() -> str:
    uv = _uv()
    first = not (ROOT / ".venv").exists()
    if first:  # uv shows its progress; later syncs are quiet and take a moment
        print(
            "installing the locked environment into .venv/ (the first time: about a minute)",
            flush=True,
        )
    quiet = [] if first else ["--quiet"]
    subprocess.run([uv, "sync", "--frozen", *quiet], check=True, cwd=ROOT, env=_env())
    _check_pango()
    return uv


def _check_pango() -> None:
    if ctypes.util.find_library("pango-1.0") is None:
        sys.exit(
            "error: WeasyPrint (PDF reports) needs the Pango library. Debian/Ubuntu: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango; "
            "see README.md for other systems."
        )


def _uv_run(*args: str) -> int:
    uv = _sync()
    return subprocess.run([uv, "run", "--frozen", *args], cwd=ROOT, env=_env()).returncode


@task
def help(_: list[str]) -> int:
    """List the tasks."""
    for name, func in TASKS.items():
        print(f"  {name:<10} {(func.__doc__ or '').strip()}")
    return 0


@task
def run(args: list[str]) -> int:
    """Install, then run the pipeline on the committed sample (extra args go to `skillgap run`)."""
    return _uv_run("skillgap", "run", *args)


@task
def test(args: list[str]) -> int:
    """Install, then run the test suite on every core (extra args go to pytest).

    pytest-xdist with --dist loadfile: a test file stays on one worker, so its module
    fixtures (the end-to-end flow run, built warehouses) are built once.
    """
    return _uv_run("pytest", "-n", "auto", "--dist", "loadfile", *args)


@task
def test_fast(args: list[str]) -> int:
    """Install, then run every test not marked `e2e` (the slow end-to-end ones).

    As `test` (every core, extra args go to pytest) with `-m "not e2e"`: under a minute.
    """
    return test(["-m", "not e2e", *args])


@task
def lint(_: list[str]) -> int:
    """Check formatting, lint and types (ruff, mypy)."""
    for command in (
        ("ruff", "format", "--check", "."),
        ("ruff", "check", "."),
        ("mypy",),
    ):
        code = _uv_run(*command)
        if code:
            return code
    return 0


@task
def fmt(_: list[str]) -> int:
    """Format and autofix the code (ruff)."""
    return _uv_run("ruff", "format", ".") or _uv_run("ruff", "check", "--fix", ".")


@task
def sample(_: list[str]) -> int:
    """Regenerate the synthetic sample survey in data/raw (identical bytes for the same seed)."""
    return _uv_run("skillgap", "sample")


@task
def bench(args: list[str]) -> int:
    """Run the benchmark scripts and print their figures (with args: the whole pipeline).

    `bench` alone runs every script in benchmarks/ with its defaults (ingest.py: the readers;
    pipeline.py: 10,000 generated respondents through the whole flow beside DuckDB). With
    arguments, only benchmarks/pipeline.py runs, with them: `bench --respondents 10000,100000
    --rerun`, `bench --sample`, `bench --help`. docs/PERFORMANCE.md explains the figures.
    """
    if args:
        return _uv_run("python", str(ROOT / "benchmarks" / "pipeline.py"), *args)
    code = 0
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        code = code or _uv_run("python", str(script))
    return code


@task
def clean(_: list[str]) -> int:
    """Remove generated data, reports and caches (never data/raw)."""
    for folder in (ROOT / "data" / "curated", ROOT / "reports"):
        for child in folder.iterdir():
            if child.name != ".gitkeep":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    for cache in (".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"):
        shutil.rmtree(ROOT / cache, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "help"
    if name not in TASKS:
        print(f"unknown task {name!r}", file=sys.stderr)
        TASKS["help"]([])
        return 2
    return TASKS[name](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
