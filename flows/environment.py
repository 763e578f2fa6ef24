"""Orchestration, environment: the defaults every entry point sets before Prefect is imported.

Standard library only: `tasks.py` (which runs before the environment is installed), the
`skillgap` command and the tests take their defaults from here. A variable already set wins.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, MutableMapping
from pathlib import Path

# No analytics or telemetry anywhere; charts render without a display.
QUIET: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "MPLBACKEND": "Agg",
}


def quiet_local_defaults(
    prefect_home: Path,
    environ: MutableMapping[str, str] | None = None,
    *,
    isolated: bool = False,
) -> MutableMapping[str, str]:
    """Set QUIET where unset, and PREFECT_HOME (a local home for Prefect's temporary API) unless
    the user already points Prefect somewhere: PREFECT_HOME, PREFECT_API_URL or PREFECT_PROFILE
    set, or a Prefect profile that sets an API URL. ``isolated`` (the tests) always uses
    ``prefect_home`` and drops the user's API URL and profile."""
    env = os.environ if environ is None else environ
    if isolated:
        env.pop("PREFECT_API_URL", None)
        env.pop("PREFECT_PROFILE", None)
        env["PREFECT_HOME"] = str(prefect_home)
    elif not user_prefect_api(env):
        env.setdefault("PREFECT_HOME", str(prefect_home))
    for name, value in QUIET.items():
        env.setdefault(name, value)
    if env.get("PREFECT_HOME"):  # Prefect makes its home but not the folders above it
        Path(env["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    return env


def user_prefect_api(env: Mapping[str, str]) -> bool:
    """Whether the user configured Prefect: its variables, or an active profile with an API."""
    if any(env.get(name) for name in ("PREFECT_HOME", "PREFECT_API_URL", "PREFECT_PROFILE")):
        return True
    home = Path(env.get("HOME") or Path.home())
    profiles = Path(env.get("PREFECT_PROFILES_PATH") or home / ".prefect" / "profiles.toml")
    try:
        document = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    active = document.get("profiles", {}).get(document.get("active", "ephemeral"), {})
    return isinstance(active, dict) and bool(active.get("PREFECT_API_URL"))
