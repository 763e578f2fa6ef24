"""Ingest step: read every export of a wave with its platform reader and apply the codebook."""

from __future__ import annotations

from pathlib import Path

from transforms.core.errors import ExportReadError
from transforms.ingest.codebook import Codebook
from transforms.ingest.mapping import StagedWave, apply_codebook
from transforms.ingest.readers import read_export


def ingest_wave(codebook: Codebook, survey_dir: Path, wave: str, *, salt: str) -> StagedWave:
    """Staged canonical tables for one wave, PII dropped and provenance on every row."""
    spec = codebook.waves[wave]
    exports = []
    for name in spec.files:
        path = survey_dir / name
        if not path.exists():
            raise ExportReadError(f"wave {wave} lists an export that does not exist", file=path)
        exports.append(read_export(path, platform=spec.platform))
    return apply_codebook(exports, codebook, wave, salt=salt, survey_dir=survey_dir)
