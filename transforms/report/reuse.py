"""Report step, re-runs: the warehouse and reports are kept when nothing they depend on changed.

A run whose waves were all reused (unchanged exports, codebook, reference files, code and
salt) and whose model settings are the ones the published outputs were built with need not
rebuild the warehouse or render the reports again. ``published.json`` beside the warehouse
records what they were built from; it is written after the reports, so a run stopped half-way
never leaves a record that claims outputs it did not finish.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from transforms.core.atomic import write_text
from transforms.model.build import ModelResult
from transforms.model.params import ModelParams
from transforms.report.render import ReportPaths
from transforms.validate.curated import CuratedWave

STATE = "published.json"


def published_fingerprint(
    waves: Sequence[CuratedWave],
    reported: Sequence[str],
    params: ModelParams,
    *,
    warehouse: Path,
    reports_dir: Path,
) -> str:
    """Hash of what the warehouse and the reports are built from: every wave's input
    fingerprint, the waves reported, the model parameters and the output folders."""
    parts = {
        "waves": {f"{w.survey_id}/{w.wave}": w.fingerprint for w in waves},
        "reported": sorted(reported),
        "params": params.as_dict(),
        "warehouse": str(warehouse.resolve()),
        "reports_dir": str(reports_dir.resolve()),
    }
    if any(not w.fingerprint for w in waves):
        return ""  # a wave curated without a fingerprint: never reuse
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def reuse_published(
    curated_dir: Path, fingerprint: str
) -> tuple[ModelResult, list[ReportPaths]] | None:
    """The warehouse and reports built from the same inputs, if they are all still there.

    Otherwise the record is removed: the outputs are about to be rebuilt, and until a new
    record is written after them, no run may take them for those of the old one."""
    found = _reusable(curated_dir, fingerprint)
    if found is None:
        (curated_dir / STATE).unlink(missing_ok=True)
    return found


def _reusable(curated_dir: Path, fingerprint: str) -> tuple[ModelResult, list[ReportPaths]] | None:
    if not fingerprint:
        return None
    try:
        record = json.loads((curated_dir / STATE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if record.get("fingerprint") != fingerprint:
        return None
    built = ModelResult(
        warehouse=Path(record["warehouse"]),
        rows_per_model={str(k): int(v) for k, v in record["rows_per_model"].items()},
        marts={str(k): Path(v) for k, v in record["marts"].items()},
        weighting=record["weighting"],
    )
    reports = [_paths(item) for item in record["reports"]]
    files = [built.warehouse, *built.marts.values()]
    files += [path for report in reports for path in (report.html, report.pdf, report.xlsx)]
    if not all(path.is_file() for path in files):
        return None
    return built, reports


def record_published(
    curated_dir: Path, fingerprint: str, built: ModelResult, reports: Sequence[ReportPaths]
) -> Path:
    """Record what the warehouse and reports were built from (after they are all written)."""
    record: dict[str, Any] = {
        "fingerprint": fingerprint,
        "warehouse": str(built.warehouse),
        "rows_per_model": built.rows_per_model,
        "marts": {name: str(path) for name, path in built.marts.items()},
        "weighting": [dict(w) for w in built.weighting],
        "reports": [
            {
                "out_dir": str(r.out_dir),
                "html": str(r.html),
                "pdf": str(r.pdf),
                "xlsx": str(r.xlsx),
                "figures": [str(f) for f in r.figures],
            }
            for r in reports
        ],
    }
    text = json.dumps(record, indent=2, sort_keys=True, default=str) + "\n"
    return write_text(curated_dir / STATE, text)


def _paths(item: dict[str, Any]) -> ReportPaths:
    return ReportPaths(
        out_dir=Path(item["out_dir"]),
        html=Path(item["html"]),
        pdf=Path(item["pdf"]),
        xlsx=Path(item["xlsx"]),
        figures=tuple(Path(f) for f in item["figures"]),
    )
