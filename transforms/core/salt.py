"""Shared by every step: the pseudonymisation salt, given, kept beside the curated data, or
(a run on a worker) the one salt every worker shares."""

from __future__ import annotations

import secrets
from pathlib import Path

from transforms.core.errors import SkillgapError

SALT_FILE = ".salt"
SALT_VARIABLE = "SKILLGAP_SALT"


class SaltError(SkillgapError):
    """A run on a worker has no shared salt, or two that disagree."""


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


def shared_salt(environment: str | None, secret: str | None, *, block: str) -> str:
    """The salt of a run on a worker: SKILLGAP_SALT in the worker's environment or the value
    of the Secret block named ``block``, and never one made on this machine (every worker
    would make its own, and pseudonyms would differ from worker to worker). Both set and
    different is refused too: two workers could then disagree."""
    environment, secret = environment or None, secret or None
    if environment is not None and secret is not None and environment != secret:
        raise SaltError(
            f"{SALT_VARIABLE} in this worker's environment differs from the Prefect Secret "
            f"block {block!r}, so workers could pseudonymise with different salts; keep one "
            f"of them (unset {SALT_VARIABLE} on the worker, or make the two equal)"
        )
    salt = environment or secret
    if salt is None:
        raise SaltError(
            f"no pseudonymisation salt on this worker: a run of a deployment takes it from a "
            f"Prefect Secret block named {block!r} or from {SALT_VARIABLE} in the worker's "
            "environment, and never makes one of its own (each worker would make a different "
            "one); save that Secret block on the server (see docs/DEPLOY.md) or set "
            f"{SALT_VARIABLE} on every worker to the same value, then run again"
        )
    return salt
