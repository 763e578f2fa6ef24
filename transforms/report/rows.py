"""Report step, mart rows: the frames the report queries return, as rows, and the marts' keys.

Tables, charts and key findings all read mart rows as dicts (NaN and NA as None) and pick
them out by equal columns; `ALL` is the marts' code for the total over a dimension. A row's
key columns are written beside every number (`data-key`), so a test can find its mart row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from transforms.report.formatting import is_missing

Row = dict[str, Any]

# the key columns of each mart's rows within one survey wave
HIRING_KEY = ("role_code", "horizon", "org_sector")
DIFFICULTY_KEY = ("role_code", "org_sector")
SHORTAGE_KEY = ("skill_code", "org_sector")
IMPORTANCE_KEY = ("skill_code", "org_sector")
SUPPLY_KEY = ("skill_code",)
GAP_KEY = ("skill_code", "role_family")
TRAINING_KEY = ("format_code",)
SAMPLE_KEY = ("org_sector", "org_size_band")
WAVE_KEY = ("compared_wave", "measure", "item_code", "org_sector")
ANSWER_SHARE_KEY = ("question_id", "item_code", "option_code", "dimension", "level")
ANSWER_MEAN_KEY = ("question_id", "item_code", "dimension", "level")
TEXT_CODE_KEY = ("question_id", "code")


def records(frame: pd.DataFrame, **where: str) -> list[Row]:
    """Rows of a frame as dicts (NaN/NA as None), optionally filtered on equal columns."""
    rows: list[Row] = []
    for raw in frame.to_dict("records"):
        row = {
            str(k): (None if is_missing(v) and not isinstance(v, str) else v)
            for k, v in raw.items()
        }
        if all(row.get(k) == v for k, v in where.items()):
            rows.append(row)
    return rows


def first(rows: Sequence[Row], **where: str) -> Row | None:
    """The first row whose columns equal `where`, or None."""
    for row in rows:
        if all(row.get(k) == v for k, v in where.items()):
            return row
    return None


def publishable(row: Row | None, field: str) -> bool:
    """Whether the row has a published (not suppressed, not missing) value in `field`."""
    return row is not None and not row.get("suppressed") and row.get(field) is not None
