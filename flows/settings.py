"""Orchestration, settings: the one Settings object, built at the entry point and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits
from transforms.model.params import CONFIDENCE, DEFAULTS, ModelParams


class Settings(BaseSettings):
    """Every knob of a run. Environment variables SKILLGAP_<NAME> override the defaults."""

    model_config = SettingsConfigDict(env_prefix="SKILLGAP_", frozen=True, extra="forbid")

    survey: str = Field("atmp2030", description="survey folder name under raw_dir")
    survey_dir: Path | None = Field(None, description="survey folder (overrides raw_dir/survey)")
    raw_dir: Path = Field(Path("data/raw"), description="folder of survey folders and reference/")
    curated_dir: Path = Field(Path("data/curated"), description="validated outputs and warehouse")
    reports_dir: Path = Field(Path("reports"), description="generated reports")
    waves: tuple[str, ...] = Field((), description="waves to run; empty means every wave")
    salt: SecretStr | None = Field(None, description="pseudonymisation salt; else curated/.salt")
    on_worker: bool = Field(
        False,
        description="a run of a deployment on a worker (`skillgap deploy` sets it): the salt "
        "must come from SKILLGAP_SALT or the Secret block salt_block, never curated/.salt, and "
        "the run takes its survey's writer slot (a Prefect global concurrency limit) first",
    )
    salt_block: str = Field(
        "skillgap-salt", min_length=1, description="Prefect Secret block holding the salt"
    )
    writer_wait: float = Field(
        3600.0,
        ge=0,
        description="seconds a run on a worker waits for another run of its survey to finish",
    )
    min_cell: int = Field(
        DEFAULTS.min_cell, ge=1, description="minimum respondents in a published cell"
    )
    confidence: float = Field(
        CONFIDENCE, gt=0.5, lt=1.0, description="confidence level of intervals"
    )
    force: bool = Field(False, description="re-ingest every wave even if its inputs are unchanged")
    horizon_years: int = Field(
        DEFAULTS.horizon_years, ge=1, description="years of training supply set against demand"
    )
    max_cv: float = Field(
        DEFAULTS.max_cv,
        gt=0,
        description="totals above this coefficient of variation: low precision",
    )
    min_n_eff: float = Field(
        DEFAULTS.min_n_eff,
        gt=0,
        description="shares under this effective sample size: low precision",
    )
    prefect_startup_timeout: float = Field(
        120.0,
        gt=0,
        description="seconds Prefect's temporary API may take to start (tried twice)",
    )
    sql_timeout_seconds: float = Field(
        60.0, gt=0, description="seconds one query of `skillgap sql` may run"
    )
    sql_memory_limit: str = Field(
        "2GB",
        pattern=r"^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="memory one query of `skillgap sql` may use (DuckDB syntax: 512MB, 2GB)",
    )
    max_export_bytes: int = Field(
        DEFAULT_LIMITS.max_export_bytes, ge=1, description="largest export file a run reads"
    )
    max_cell_chars: int = Field(
        DEFAULT_LIMITS.max_cell_chars, ge=1, description="longest cell a run reads in an export"
    )
    max_xlsx_cells: int = Field(
        DEFAULT_LIMITS.max_xlsx_cells,
        ge=1,
        description="most cells (rows x columns to the farthest cell) an XLSX sheet may span",
    )
    read_timeout_seconds: float = Field(
        DEFAULT_LIMITS.read_timeout_seconds,
        gt=0,
        description="seconds reading or hashing one export may take (a mount that stopped "
        "answering)",
    )
    workers: int = Field(
        0, ge=0, description="worker processes validating a large wave; 0: one per core"
    )
    pool_min_rows: int = Field(
        10_000_000,  # transforms.validate.stream.POOL_MIN_ROWS: below it, workers cost more
        ge=0,
        description="staged rows from which a wave's validation batches are checked in "
        "parallel (worker processes, or the Dask cluster's workers)",
    )
    task_runner: Literal["threads", "processes", "dask"] = Field(
        "threads",
        description="where the per-wave tasks run: a thread pool (default), a process pool, or "
        "Dask (the skillgap[dask] extra: a local cluster, or the scheduler at dask_address)",
    )
    task_workers: int = Field(
        0, ge=0, description="threads or processes of the task runner; 0: Prefect's default"
    )
    dask_address: str | None = Field(
        None, description="an existing Dask scheduler (tcp://host:8786); else a local cluster"
    )
    dask_workers: int = Field(
        2, ge=1, description="worker processes of the local Dask cluster (one thread each)"
    )

    @property
    def resolved_survey_dir(self) -> Path:
        return (self.survey_dir or self.raw_dir / self.survey).resolve()

    @property
    def warehouse_path(self) -> Path:
        """The published warehouse: what the reports show, for SQL users and BI tools."""
        return self.curated_dir / "warehouse.duckdb"

    @property
    def internal_warehouse_path(self) -> Path:
        """The internal warehouse: every table, respondent-level ones and free text included."""
        return self.curated_dir / "internal.duckdb"

    include_illustrative_offers: bool = Field(
        DEFAULTS.include_illustrative_offers,
        description="count the training catalogue's illustrative (invented) offers in the "
        "supply; they are always listed and flagged",
    )

    def read_limits(self) -> ReadLimits:
        """What a read of an export accepts: its size, a cell's length, a sheet's extent, time."""
        return ReadLimits(
            max_export_bytes=self.max_export_bytes,
            max_cell_chars=self.max_cell_chars,
            max_xlsx_cells=self.max_xlsx_cells,
            read_timeout_seconds=self.read_timeout_seconds,
        )

    def model_params(self) -> ModelParams:
        """The SQL models' parameters: the marts and the report share them."""
        return ModelParams.for_confidence(
            self.confidence,
            min_cell=self.min_cell,
            horizon_years=self.horizon_years,
            max_cv=self.max_cv,
            min_n_eff=self.min_n_eff,
            include_illustrative_offers=self.include_illustrative_offers,
        )
