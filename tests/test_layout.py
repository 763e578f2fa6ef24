"""Layout: modules and functions of flows/ and transforms/ stay short enough to read at once."""

from __future__ import annotations

import ast
from pathlib import Path

from tests import paths

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Allowed exceptions, each with its reason in docs/ARCHITECTURE.md ("Where we chose differently").
EXCEPTIONS: dict[str, str] = {}


def _sources() -> list[Path]:
    return sorted(
        p for root in ("flows", "transforms") for p in (paths.PROJECT / root).rglob("*.py")
    )


def test_no_module_is_longer_than_400_lines() -> None:
    long = {
        str(p.relative_to(paths.PROJECT)): n
        for p in _sources()
        if (n := p.read_text("utf-8").count("\n")) > MAX_MODULE_LINES
    }
    assert not {k: v for k, v in long.items() if k not in EXCEPTIONS}, long


def test_no_function_is_longer_than_60_lines() -> None:
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                name = f"{path.relative_to(paths.PROJECT)}:{node.name}"
                if length > MAX_FUNCTION_LINES and name not in EXCEPTIONS:
                    long[name] = length
    assert not long, long


def test_transforms_never_imports_prefect() -> None:
    importers = []
    for path in (paths.PROJECT / "transforms").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "prefect" or n.startswith("prefect.") for n in names):
                importers.append(str(path.relative_to(paths.PROJECT)))
    assert not importers, importers


def test_every_exception_is_explained_in_the_architecture_notes() -> None:
    text = (paths.PROJECT / "docs" / "ARCHITECTURE.md").read_text("utf-8")
    assert all(name.split(":")[0] in text for name in EXCEPTIONS)
