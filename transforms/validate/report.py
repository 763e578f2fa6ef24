"""Validate step, results: the data-quality HTML page and the JSON files beside curated tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from transforms.core.atomic import write_text
from transforms.validate.outcome import TableValidation

RECONCILIATION_FILE = "reconciliation.json"


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("transforms.validate", "templates"),
        autoescape=True,  # every value is escaped; free text and codes may hold markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _table_view(outcome: TableValidation) -> dict[str, Any]:
    result = outcome.result
    expectations = result.get("expectations", [])
    return {
        "name": outcome.table,
        "rows_in": outcome.rows_in,
        "rows_curated": outcome.rows_curated,
        "rows_quarantined": outcome.rows_quarantined,
        "rows_ingest_quarantined": result.get("rows_ingest_quarantined", 0),
        "reconciled": outcome.reconciled,
        "evaluated": len(expectations),
        "passed": sum(1 for e in expectations if e.get("success")),
        "expectations": expectations,
        "reasons": result.get("quarantine_reasons", []),
    }


def render_validation_html(outcomes: dict[str, TableValidation], title: str) -> str:
    """A self-contained page (inline CSS, no scripts or external assets), every value escaped."""
    template = _environment().get_template("data_quality.html.j2")
    return template.render(title=title, tables=[_table_view(o) for o in outcomes.values()])


def reconciliation(outcomes: dict[str, TableValidation]) -> dict[str, Any]:
    """Rows in, curated and quarantined per table, and whether every table reconciles."""
    tables = {
        name: {
            "rows_in": o.rows_in,
            "rows_staged": o.result.get("rows_staged"),
            "rows_ingest_quarantined": o.result.get("rows_ingest_quarantined"),
            "rows_curated": o.rows_curated,
            "rows_quarantined": o.rows_quarantined,
            "reconciled": o.reconciled,
        }
        for name, o in outcomes.items()
    }
    return {"reconciled": all(t["reconciled"] for t in tables.values()), "tables": tables}


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def write_validation_results(outcomes: dict[str, TableValidation], out_dir: Path) -> list[Path]:
    """Write ``<table>.json`` per table and ``reconciliation.json``; same inputs, same bytes."""
    written = [
        write_text(out_dir / f"{name}.json", _json(o.result)) for name, o in outcomes.items()
    ]
    written.append(write_text(out_dir / RECONCILIATION_FILE, _json(reconciliation(outcomes))))
    return written
