"""Orchestration, settings: the one Settings object, built at the entry point and passed down."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    min_cell: int = Field(5, ge=1, description="minimum respondents in a published cell")
    confidence: float = Field(0.95, gt=0.5, lt=1.0, description="confidence level of intervals")
    force: bool = Field(False, description="re-ingest every wave even if its inputs are unchanged")
    horizon_years: int = Field(5, ge=1, description="years of training supply set against demand")
    max_cv: float = Field(
        0.30, gt=0, description="totals above this coefficient of variation: low precision"
    )
    min_n_eff: float = Field(
        30.0, gt=0, description="shares under this effective sample size: low precision"
    )

    @property
    def resolved_survey_dir(self) -> Path:
        return (self.survey_dir or self.raw_dir / self.survey).resolve()

    @property
    def warehouse_path(self) -> Path:
        return self.curated_dir / "warehouse.duckdb"

    def salt_value(self) -> str:
        """The salt from settings, else the one kept beside the curated data (made once)."""
        if self.salt is not None:
            return self.salt.get_secret_value()
        path = self.curated_dir / ".salt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()
