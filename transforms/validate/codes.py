"""Validate step, inputs: the code lists and limits every canonical row is checked against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from transforms.core.canonical import HORIZONS
from transforms.ingest.codebook import Codebook
from transforms.ingest.reference import Reference

# Platform statuses that are real answers; previews, tests and spam are quarantined.
ACCEPTED_PLATFORM_STATUSES: tuple[str, ...] = ("normal", "imported", "offline")
HEADCOUNT_RANGE: tuple[int, int] = (0, 10_000)
DIFFICULTY_RANGE: tuple[int, int] = (1, 4)  # 1 not difficult … 4 extremely difficult
IMPORTANCE_RANGE: tuple[int, int] = (1, 5)
SHORTAGE_RANGE: tuple[int, int] = (1, 4)  # 1 none … 4 severe
ALLOWED_HORIZONS: tuple[str, ...] = HORIZONS


def _codes(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v) for v in values)


@dataclass(frozen=True)
class ValidationCodes:
    """Allowed codes per dimension, and the curated respondents children must belong to.

    ``respondent_keys`` is None while the respondent table itself is validated (or when a
    child table is checked on its own); `validate_wave` fills it with the curated keys.
    ``curated_respondents`` counts them; a batch sent to a worker process carries the count
    and the children's flag column, not the keys (`for_worker`).
    """

    org_sector: frozenset[str] = field(default_factory=frozenset)
    org_size_band: frozenset[str] = field(default_factory=frozenset)
    region: frozenset[str] = field(default_factory=frozenset)
    role: frozenset[str] = field(default_factory=frozenset)
    skill: frozenset[str] = field(default_factory=frozenset)
    training_format: frozenset[str] = field(default_factory=frozenset)
    respondent_keys: frozenset[str] | None = None
    curated_respondents: int | None = None
    platform_statuses: tuple[str, ...] = ACCEPTED_PLATFORM_STATUSES  # real answers

    @classmethod
    def from_lists(
        cls,
        *,
        org_sector: Iterable[str] = (),
        org_size_band: Iterable[str] = (),
        region: Iterable[str] = (),
        role: Iterable[str] = (),
        skill: Iterable[str] = (),
        training_format: Iterable[str] = (),
        respondent_keys: Iterable[str] | None = None,
    ) -> ValidationCodes:
        """Build from any iterables (codebook dicts, reference CSV columns, lists)."""
        codes = cls(
            org_sector=_codes(org_sector),
            org_size_band=_codes(org_size_band),
            region=_codes(region),
            role=_codes(role),
            skill=_codes(skill),
            training_format=_codes(training_format),
        )
        return codes if respondent_keys is None else codes.with_respondents(respondent_keys)

    def with_respondents(self, keys: Iterable[str]) -> ValidationCodes:
        """The same code lists, with the curated respondent keys children must match."""
        chosen = _codes(keys)
        return replace(self, respondent_keys=chosen, curated_respondents=len(chosen))

    def with_curated_count(self, count: int) -> ValidationCodes:
        """Children checked against ``count`` curated respondents whose flag the batch
        carries (`prepare_batch`), without holding their keys here."""
        return replace(self, respondent_keys=None, curated_respondents=count)

    def for_worker(self) -> ValidationCodes:
        """The same checks without the key set (the batch carries the flag column instead)."""
        return replace(self, respondent_keys=None)

    @property
    def checks_respondents(self) -> bool:
        return self.curated_respondents is not None


def survey_codes(codebook: Codebook, reference: Reference) -> ValidationCodes:
    """The code lists one survey's rows are checked against: the codebook's sector, size band,
    region and training-format codes and the reference taxonomies' role and skill codes."""
    return ValidationCodes.from_lists(
        org_sector=codebook.codes.get("org_sector", {}),
        org_size_band=codebook.codes.get("org_size_band", {}),
        region=codebook.codes.get("region", {}),
        role=reference.roles["role_code"],
        skill=reference.skills["skill_code"],
        training_format=codebook.codes.get("training_format", {}),
    )


def wave_codes(codes: ValidationCodes, codebook: Codebook, wave: str) -> ValidationCodes:
    """The survey's codes for one wave: with the platform statuses the wave accepts besides
    the real answers (`accept_statuses`: an export of test responses only)."""
    extra = tuple(
        s for s in codebook.waves[wave].accept_statuses if s not in codes.platform_statuses
    )
    return replace(codes, platform_statuses=(*ACCEPTED_PLATFORM_STATUSES, *extra))
