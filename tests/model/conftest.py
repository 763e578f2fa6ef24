"""Model-stage fixtures: warehouses and base tables that more than one test module reads.

Row builders and the row sets themselves live in helper modules: warehouse_rows.py (builders
and the shared six respondents), reference_rows.py and supply_rows.py.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.model.reference_rows import NORMAL, reference_tables
from tests.model.supply_rows import supply_tables as _supply_tables
from tests.model.warehouse_rows import build


@pytest.fixture(scope="module")
def reference_warehouse() -> duckdb.DuckDBPyConnection:
    """The three reference waves built with 95% normal intervals and no suppression (read only;
    built once per module that asks, a build takes most of a second)."""
    return build(reference_tables(), NORMAL)


@pytest.fixture
def supply_tables() -> dict[str, pd.DataFrame]:
    """The demand, supply and sample base tables of supply_rows.py, fresh for each test."""
    return _supply_tables()
