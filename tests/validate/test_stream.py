"""Validation in batches from staged Parquet gives the rows and reasons of one whole-table check."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.validate.validation_frames import CODES, frame
from transforms.core.canonical import TABLES
from transforms.ingest.staging import stage_frames
from transforms.validate.curated import read_table_frame
from transforms.validate.run import validate_wave
from transforms.validate.stream import validate_staged

RESPONDENTS = [
    {"respondent_key": "r1"},
    {"respondent_key": "r2", "org_sector": "nowhere"},  # invalid code
    {"respondent_key": "r3"},
    {"respondent_key": "r4", "platform_status": "preview"},
    {"respondent_key": "r5"},
    {"respondent_key": "r3"},  # r3 twice: both quarantined, in different batches
    {"respondent_key": "r6"},
]
HIRING = [
    {"respondent_key": "r1", "horizon": "1y"},
    {"respondent_key": "r1", "horizon": "5y", "headcount": 20_000},  # out of range
    {"respondent_key": "r2"},  # respondent quarantined
    {"respondent_key": "r5", "role_code": "nurse"},  # unknown role
    {"respondent_key": "r5", "horizon": "1y"},
    {"respondent_key": "r6"},
    {"respondent_key": "r5", "horizon": "1y"},  # repeats row 4, three batches later
    {"respondent_key": "r6", "horizon": "1y"},
]
REFUSED = [
    {"respondent_key": "r6", "horizon": "5y", "stage": "ingest", "reasons": "headcount '10-15'"}
]


def _tables() -> dict[str, pd.DataFrame]:
    tables = {
        "respondent": frame("respondent", *RESPONDENTS),
        "hiring_need": frame("hiring_need", *HIRING),
    }
    tables["skill_need"] = frame("skill_need", {"respondent_key": "r1"}, {"respondent_key": "r4"})
    return tables


def _refused() -> dict[str, pd.DataFrame]:
    hiring = frame(
        "hiring_need",
        *[{k: v for k, v in r.items() if k not in ("stage", "reasons")} for r in REFUSED],
    )
    hiring["stage"] = pd.array([r["stage"] for r in REFUSED], dtype="string")
    hiring["reasons"] = pd.array([r["reasons"] for r in REFUSED], dtype="string")
    return {"hiring_need": hiring}


def _rows(data: pd.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(data.astype("string").fillna("<null>").itertuples(index=False, name=None))


def _without_payloads(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "great_expectations"}


class _CountingPool(ThreadPoolExecutor):
    submitted = 0

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        self.submitted += 1
        return super().submit(*args, **kwargs)


@pytest.mark.parametrize(
    ("batch_rows", "workers", "given_pool"),
    [(2, 1, False), (3, 2, False), (1_000, 1, False), (2, 2, True)],
)
def test_batches_give_the_rows_reasons_and_counts_of_one_whole_table_check(
    tmp_path: Path, batch_rows: int, workers: int, given_pool: bool
) -> None:
    """In this process, in worker processes, or in a pool given (a cluster's executor)."""
    whole = validate_wave(_tables(), _refused(), CODES)
    staged = stage_frames(
        tmp_path / "staged",
        survey_id="demo",
        wave="2022",
        tables=_tables(),
        refused=_refused(),
        row_group_rows=2,
    )
    out = tmp_path / "curated"
    with _CountingPool(max_workers=2) as pool:
        streamed = validate_staged(
            staged,
            CODES,
            out,
            workers=workers,
            batch_rows=batch_rows,
            pool_min_rows=0,
            pool=pool if given_pool else None,
        )
    assert set(streamed) == set(TABLES)
    # the given pool checked every table's batches; otherwise it was never used
    assert pool.submitted >= len(TABLES) if given_pool else pool.submitted == 0
    for name, outcome in whole.items():
        assert _without_payloads(streamed[name].result) == _without_payloads(outcome.result), name
        assert _rows(read_table_frame(out / f"{name}.parquet")) == _rows(outcome.curated), name
        quarantined = read_table_frame(out / "quarantine" / f"{name}.parquet")
        assert _rows(quarantined) == _rows(outcome.quarantined), name
    hiring = whole["hiring_need"].result
    assert hiring["rows_quarantined"] == 6  # 1 at ingest, 5 at validation
    assert any("occurs more than once" in r["reason"] for r in hiring["quarantine_reasons"])


def test_worker_processes_quarantine_rows_whose_required_column_is_empty(tmp_path: Path) -> None:
    tables = _tables()
    tables["hiring_need"] = tables["hiring_need"].drop(columns=["horizon"])
    staged = stage_frames(tmp_path / "staged", survey_id="demo", wave="2022", tables=tables)
    outcome = validate_staged(staged, CODES, tmp_path / "out", workers=2, pool_min_rows=0)
    assert outcome["hiring_need"].rows_quarantined == len(HIRING)
    reasons = read_table_frame(tmp_path / "out" / "quarantine" / "hiring_need.parquet")["reasons"]
    assert reasons.str.contains("horizon is missing").all()


def test_curated_files_carry_the_canonical_schema_and_pandas_dtypes(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from transforms.core.canonical import arrow_schema

    staged = stage_frames(tmp_path / "staged", survey_id="demo", wave="2022", tables=_tables())
    validate_staged(staged, CODES, tmp_path / "out")
    for name in TABLES:
        for quarantine in (False, True):
            path = tmp_path / "out" / ("quarantine" if quarantine else "") / f"{name}.parquet"
            expected = arrow_schema(name, quarantine=quarantine)
            assert pq.read_schema(path).equals(expected, check_metadata=True), path
    respondent = read_table_frame(tmp_path / "out" / "respondent.parquet")
    assert str(respondent["respondent_key"].dtype) == "string"
