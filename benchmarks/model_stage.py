"""Model step, benchmark: time the model stage alone on the curated output of an earlier run.

    .venv/bin/python benchmarks/pipeline.py --respondents 1M --out /tmp/mp1m   # once: curated data
    .venv/bin/python benchmarks/model_stage.py /tmp/mp1m/n1000000   # then: the model stage only
    .venv/bin/python benchmarks/model_stage.py /tmp/mp1m/n1000000 --repeat 2 --json out.json

It runs `transforms.model.build.build_model` (weighting, the warehouse build, disclosure
control, the published copy and the mart Parquet) on every curated wave under
``<run>/curated``, into a fresh temporary folder, and prints the seconds of each step: the
weighting, loading the base tables, each model's CREATE and its tests, disclosure control, the
published copy and the export. "marts sha256" is one digest of every mart file's bytes, so two
runs (or two versions of the code) can be compared for byte-identical output. The load average
is printed before and after: the figures are only comparable in the same conditions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.ingest.codebook import load_codebook
from transforms.ingest.reference import load_reference
from transforms.model import build, warehouse
from transforms.model.params import ModelParams
from transforms.validate.curated import other_curated_waves

Timings = dict[str, float]


@contextmanager
def _patched(timings: Timings) -> Iterator[None]:
    """Wrap the model stage's steps so that each adds its seconds to ``timings``."""
    originals: list[tuple[Any, str, Any]] = []

    def wrap(module: Any, name: str, label: Callable[..., str]) -> None:
        original = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timings[label(*args, **kwargs)] += time.perf_counter() - start

        originals.append((module, name, original))
        setattr(module, name, timed)

    wrap(build, "weight_wave", lambda *a, **k: "weighting")
    wrap(build, "code_free_text", lambda *a, **k: "free-text coding")
    wrap(warehouse, "load_base_tables", lambda *a, **k: "load base tables")
    wrap(warehouse, "_build_model", lambda con, model, params: f"{model.name} (with tests)")
    wrap(warehouse, "run_model_tests", lambda con, model: f"{model.name} tests")
    wrap(warehouse, "protect_marts", lambda *a, **k: "disclosure control")
    wrap(build, "publish_warehouse", lambda *a, **k: "publish warehouse copy")
    wrap(build, "export_marts", lambda *a, **k: "export mart Parquet")
    try:
        yield
    finally:
        for module, name, original in reversed(originals):
            setattr(module, name, original)


def marts_digest(marts: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for name in sorted(marts):
        digest.update(name.encode())
        digest.update(marts[name].read_bytes())
    return digest.hexdigest()


def run_once(run_dir: Path) -> tuple[Timings, float, str]:
    survey_dir = run_dir / "atmp2030"
    codebook = load_codebook(survey_dir / "survey.yaml")
    reference = load_reference(codebook, survey_dir)
    waves = sorted(other_curated_waves(run_dir / "curated", codebook, []), key=lambda c: c.wave)
    if not waves:
        raise SystemExit(f"no curated wave under {run_dir / 'curated'}")
    timings: Timings = defaultdict(float)
    with tempfile.TemporaryDirectory(prefix="model-stage-") as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        with _patched(timings):
            result = build.build_model(
                codebook,
                reference,
                waves,
                warehouse=out / "warehouse.duckdb",
                marts_dir=out / "marts",
                params=ModelParams.for_confidence(),
            )
        wall = time.perf_counter() - start
        digest = marts_digest(result.marts)
    return dict(timings), wall, digest


def report(timings: Timings, wall: float) -> list[str]:
    lines = []
    for label, seconds in timings.items():
        if label.endswith(" (with tests)"):
            name = label.removesuffix(" (with tests)")
            tests = timings.get(f"{name} tests", 0.0)
            lines.append(f"  {name:32s} create {seconds - tests:6.2f}  tests {tests:6.2f}")
        elif not label.endswith(" tests"):
            lines.append(f"  {label:32s} {seconds:6.2f}")
    lines.append(f"  {'model stage, wall':32s} {wall:6.2f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path, help="a benchmark size folder, e.g. /tmp/x/n1000000")
    parser.add_argument("--repeat", type=int, default=1, help="runs, one after the other")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args(argv)
    runs = []
    for index in range(args.repeat):
        load_before = os.getloadavg()
        timings, wall, digest = run_once(args.run_dir)
        load_after = os.getloadavg()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        print(f"run {index + 1}: {wall:.2f} s, peak RSS {peak:.2f} GB (this process so far)")
        print("\n".join(report(timings, wall)))
        print(f"  marts sha256 {digest}")
        print("  load before " + " ".join(f"{x:.2f}" for x in load_before))
        print("  load after  " + " ".join(f"{x:.2f}" for x in load_after), flush=True)
        runs.append(
            {
                "timings": timings,
                "wall": wall,
                "marts_sha256": digest,
                "load_before": load_before,
                "load_after": load_after,
            }
        )
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
