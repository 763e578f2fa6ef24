"""Ingest step, change detection: a hash of everything one wave's curated data depends on."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

from transforms.ingest.codebook import Codebook
from transforms.ingest.readers.base import file_sha256

_CODE_SUFFIXES = (".py", ".sql", ".yaml", ".j2", ".css")


def code_digest() -> str:
    """Hash of the transforms package's source: a code change invalidates curated data."""
    digest = hashlib.sha256()
    root = Path(str(files("transforms")))
    for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def wave_fingerprint(
    codebook: Codebook, codebook_path: Path, survey_dir: Path, wave: str, *, salt: str
) -> str:
    """Hash of a wave's exports, the codebook, the reference files, the code and the salt."""
    taxonomies = codebook.taxonomies
    reference = [
        p
        for p in (
            taxonomies.role,
            taxonomies.skill,
            taxonomies.role_skill,
            taxonomies.training_offer,
            codebook.survey.population_frame,
        )
        if p is not None
    ]
    parts = {
        "wave": wave,
        "codebook": file_sha256(codebook_path),
        "exports": {name: file_sha256(survey_dir / name) for name in codebook.waves[wave].files},
        "reference": {name: _maybe_sha(survey_dir / name) for name in reference},
        "code": code_digest(),
        "salt": hashlib.sha256(salt.encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _maybe_sha(path: Path) -> str | None:
    return file_sha256(path) if path.exists() else None
