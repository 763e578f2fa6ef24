"""Shared by every step: the pseudonymisation salt, given or kept beside the curated data."""

from __future__ import annotations

import secrets
from pathlib import Path

SALT_FILE = ".salt"


def pseudonym_salt(curated_dir: Path, given: str | None = None) -> str:
    """``given`` when set; else the salt kept in ``curated_dir/.salt``, made once (random,
    readable by its owner only), so that pseudonyms stay stable from run to run."""
    if given is not None:
        return given
    path = curated_dir / SALT_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
