"""Validate step, engine: one in-memory Great Expectations context per process (pandas only).

Importing Great Expectations takes several seconds, so only the validation modules that run
suites import this one. The context is created on first use, never at import time: ephemeral
(in-memory stores, no data docs site, nothing written to disk), analytics off, progress bars
off. GX 1.x sends no usage statistics and makes no network call when validating.
"""

from __future__ import annotations

import os
import threading
import warnings
from functools import cache
from typing import Any

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

with warnings.catch_warnings():
    # GX imports the deprecated ``sre_constants`` module; keep that out of our warnings.
    warnings.simplefilter("ignore", DeprecationWarning)
    import great_expectations as gx
    import great_expectations.expectations as _expectations
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.execution_engine import pandas_execution_engine
    from great_expectations.expectations.row_conditions import Column

# GX fingerprints every pandas batch smaller than this many bytes (an MD5 over a hash of every
# row) for its batch markers, which the results here drop (`check._gx_payload`). On a batch of
# categoricals that costs about half a second per million rows and tells nothing: switched off.
pandas_execution_engine.HASH_THRESHOLD = 0

__all__ = ["Column", "gx", "gxe", "run_suite"]

# The expectation classes, typed loosely: GX does not re-export them explicitly for mypy.
gxe: Any = _expectations

# Row positions come back as the frame's index labels, so the batch always has a RangeIndex.
RESULT_FORMAT: dict[str, Any] = {
    "result_format": "COMPLETE",
    "return_unexpected_index_query": False,  # a pandas query string as long as the failures
    "partial_unexpected_count": 20,
}

_LOCK = threading.Lock()


@cache
def _batch_definition() -> Any:
    """The whole-dataframe batch definition every table is validated through."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    source = context.data_sources.add_pandas(name="skillgap")
    asset = source.add_dataframe_asset(name="canonical_table")
    return asset.add_batch_definition_whole_dataframe("whole_table")


def run_suite(frame: pd.DataFrame, suite: Any) -> Any:
    """Validate ``frame`` (RangeIndex) against ``suite``; the GX suite validation result."""
    if not frame.index.equals(pd.RangeIndex(len(frame))):
        frame = frame.reset_index(drop=True)
    # One consolidated copy up front: GX's metrics would otherwise merge the frame's blocks
    # again for every expectation (a third of the time on a million rows).
    frame = frame.copy()
    with _LOCK:  # the shared context is not documented as thread-safe (Prefect threads)
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
        return batch.validate(suite, result_format=RESULT_FORMAT)


def warm_up() -> None:
    """Create the context now (a worker process does, before its first batch arrives)."""
    _batch_definition()
