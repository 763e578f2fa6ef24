"""Ingest step, change detection: a hash of everything one wave's curated data depends on."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

from transforms.core.errors import ExportReadError
from transforms.ingest.codebook import Codebook
from transforms.ingest.codebook_file import export_path
from transforms.ingest.readers.base import file_sha256
from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits, within_time

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
    codebook: Codebook,
    codebook_path: Path,
    survey_dir: Path,
    wave: str,
    *,
    salt: str,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> str:
    """Hash of a wave's exports, the codebook, the reference files, the code and the salt.

    An export is hashed only when it may be read: inside the survey folder (or allowed
    outside it), an existing file, hashed within the read time limit."""
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
        "exports": {
            name: _export_sha(codebook, survey_dir, wave, name, limits)
            for name in codebook.waves[wave].files
        },
        "reference": {name: _maybe_sha(survey_dir / name) for name in reference},
        "code": code_digest(),
        "salt": hashlib.sha256(salt.encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _export_sha(
    codebook: Codebook, survey_dir: Path, wave: str, name: str, limits: ReadLimits
) -> str:
    path = export_path(survey_dir, wave, name, allowed=codebook.survey.exports_outside)
    if not path.is_file():
        raise ExportReadError("the export path is not a file", file=path)
    return within_time(path, limits, lambda: file_sha256(path), "hashing the export")


def _maybe_sha(path: Path) -> str | None:
    return file_sha256(path) if path.exists() else None
