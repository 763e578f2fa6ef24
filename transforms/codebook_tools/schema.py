"""Codebook tools, schema: the JSON Schema of survey.yaml, generated from the pydantic model.

``docs/codebook.schema.json`` is this module's output; a test fails when it is stale.
Regenerate it with ``uv run python -m transforms.codebook_tools.schema`` (from the project
folder; a path argument writes elsewhere). Editors that read JSON Schema (VS Code with the
YAML extension, PyCharm) can then complete and check survey.yaml files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from transforms.ingest.codebook import TARGETS, Codebook

SCHEMA_FILE = Path("docs/codebook.schema.json")


def codebook_schema() -> dict[str, Any]:
    """The codebook's JSON Schema (draft 2020-12), with a title and a description."""
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(Codebook.model_json_schema(mode="validation"))
    _enumerate_targets(schema)
    schema["title"] = "skillgap codebook (survey.yaml)"
    schema["description"] = (
        "Maps each wave's survey-platform export onto skillgap's canonical tables. Generated "
        "from transforms.ingest.codebook.Codebook by `python -m transforms.codebook_tools.schema`; "
        "see docs/CODEBOOK.md."
    )
    return schema


def _enumerate_targets(schema: dict[str, Any]) -> None:
    """Question.target is a plain string in the model, checked by a validator against TARGETS:
    the schema lists the allowed values so that editors can offer them."""
    definitions = schema.get("$defs")
    question = definitions.get("Question") if isinstance(definitions, dict) else None
    properties = question.get("properties") if isinstance(question, dict) else None
    target = properties.get("target") if isinstance(properties, dict) else None
    if isinstance(target, dict):
        target["enum"] = sorted(TARGETS)
        target["description"] = "table.column of the canonical model; the type must fit it"


def schema_text() -> str:
    """The schema as written to docs/codebook.schema.json (stable key order, final newline)."""
    return json.dumps(codebook_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else SCHEMA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
