"""Test helper: benchmarks/pipeline.py (a script, not a package) imported as a module."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests import paths


def benchmark_pipeline() -> ModuleType:
    name = "benchmark_pipeline"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, paths.PROJECT / "benchmarks" / "pipeline.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module
