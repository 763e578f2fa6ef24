"""Orchestration, environment: the defaults every entry point sets before Prefect is imported.

Standard library only: `tasks.py` (which runs before the environment is installed), the
`skillgap` command and the tests take their defaults from here. A variable already set wins.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

# No analytics or telemetry anywhere; charts render without a display.
QUIET: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "MPLBACKEND": "Agg",
}


def quiet_local_defaults(
    prefect_home: Path, environ: MutableMapping[str, str] | None = None
) -> MutableMapping[str, str]:
    """Set QUIET and PREFECT_HOME (a local home for Prefect's temporary API) where unset."""
    env = os.environ if environ is None else environ
    env.setdefault("PREFECT_HOME", str(prefect_home))
    for name, value in QUIET.items():
        env.setdefault(name, value)
    return env
