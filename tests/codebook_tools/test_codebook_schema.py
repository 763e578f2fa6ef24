"""The codebook format's JSON Schema (docs/codebook.schema.json) is current and documented."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests import paths
from transforms.codebook_tools.schema import codebook_schema, main, schema_text
from transforms.ingest.codebook import TARGETS

PROJECT = paths.PROJECT
COMMITTED = PROJECT / "docs" / "codebook.schema.json"


def test_the_committed_json_schema_is_current() -> None:
    assert COMMITTED.read_text("utf-8") == schema_text(), (
        "docs/codebook.schema.json is stale: "
        "run `uv run python -m transforms.codebook_tools.schema`"
    )


def test_the_schema_lists_every_field_and_the_allowed_targets() -> None:
    schema = codebook_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) >= {"survey", "waves", "questions"}
    assert "taxonomies" in schema["properties"]  # optional: a survey may have no taxonomy file
    definitions = schema["$defs"]
    assert isinstance(definitions, dict)
    assert definitions["Question"]["properties"]["target"]["enum"] == sorted(TARGETS)
    assert {"column", "items", "joined", "other_text", "note"} <= set(
        definitions["Source"]["properties"]
    )


def test_the_sample_codebook_uses_only_fields_the_schema_knows() -> None:
    sample = yaml.safe_load((PROJECT / "data/raw/atmp2030/survey.yaml").read_text("utf-8"))
    schema = codebook_schema()
    assert set(sample) <= set(schema["properties"])


def test_the_module_writes_the_schema_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert main([str(out)]) == 0
    assert json.loads(out.read_text("utf-8")) == codebook_schema()


def test_codebook_doc_walks_through_every_top_level_field_and_both_commands() -> None:
    doc = (PROJECT / "docs" / "CODEBOOK.md").read_text("utf-8")
    schema = codebook_schema()
    for field in schema["properties"]:
        assert f"\n{field}:" in doc, field
    for name, definition in schema["$defs"].items():
        for field in definition.get("properties", {}):
            assert f"{field}:" in doc or f"{field}`" in doc, f"{name}.{field}"
    assert "skillgap codebook init" in doc and "skillgap codebook check" in doc
