"""Canonical model: the survey-agnostic tables every export is mapped onto (ingest output)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

# Columns every canonical row carries: who, which survey/wave, and where it came from.
KEY_COLUMNS: tuple[str, ...] = ("survey_id", "wave", "respondent_key")
PROVENANCE_COLUMNS: tuple[str, ...] = ("source_file", "source_sha256", "source_row")

# Pandas dtypes of the canonical columns (nullable extension types throughout).
_COMMON: dict[str, str] = {
    "survey_id": "string",
    "wave": "string",
    "respondent_key": "string",
}
_PROVENANCE: dict[str, str] = {
    "source_file": "string",  # file name relative to the survey folder, e.g. 2022/export.csv
    "source_sha256": "string",  # hex digest of the whole source file
    "source_row": "Int64",  # 1-based row number in the file as a spreadsheet shows it
}


@dataclass(frozen=True)
class CanonicalTable:
    """One canonical table: its name, grain and typed columns."""

    name: str
    grain: str
    columns: dict[str, str]  # column -> pandas dtype
    natural_key: tuple[str, ...]

    @property
    def all_columns(self) -> dict[str, str]:
        return {**_COMMON, **self.columns, **_PROVENANCE}


RESPONDENT = CanonicalTable(
    name="respondent",
    grain="one row per responding organisation per wave",
    columns={
        "org_sector": "string",
        "org_size_band": "string",
        "region": "string",
        "completed": "boolean",
        "platform_status": "string",  # normal | preview | test | spam | imported | offline
        "submitted_at": "datetime64[ns]",
    },
    natural_key=("survey_id", "wave", "respondent_key"),
)
HIRING_NEED = CanonicalTable(
    name="hiring_need",
    grain="one row per respondent x role x horizon with a stated headcount",
    columns={"role_code": "string", "horizon": "string", "headcount": "Int64"},
    natural_key=("survey_id", "wave", "respondent_key", "role_code", "horizon"),
)
RECRUITMENT_DIFFICULTY = CanonicalTable(
    name="recruitment_difficulty",
    grain="one row per respondent x role rated for recruitment difficulty",
    columns={"role_code": "string", "difficulty": "Int64"},
    natural_key=("survey_id", "wave", "respondent_key", "role_code"),
)
SKILL_NEED = CanonicalTable(
    name="skill_need",
    grain="one row per respondent x skill rated for importance and/or shortage",
    columns={"skill_code": "string", "importance": "Int64", "shortage": "Int64"},
    natural_key=("survey_id", "wave", "respondent_key", "skill_code"),
)
TRAINING_PREFERENCE = CanonicalTable(
    name="training_preference",
    grain="one row per respondent x training format offered, for respondents who answered",
    columns={"format_code": "string", "selected": "boolean"},
    natural_key=("survey_id", "wave", "respondent_key", "format_code"),
)
FREE_TEXT = CanonicalTable(
    name="free_text",
    grain="one row per respondent x free-text question with a non-empty answer",
    columns={"question_id": "string", "text": "string"},
    natural_key=("survey_id", "wave", "respondent_key", "question_id"),
)

ANSWER = CanonicalTable(
    name="answer",
    grain=(
        "one row per respondent x question outside the competence-needs model (target answer) "
        "x item x option answered: single choice one row (value 1), multi-select one row per "
        "option (value 1 selected, 0 not), grids one row per item (value the number or scale "
        "point), text one row per non-blank answer (counted, never stored)"
    ),
    columns={
        "question_id": "string",
        "item_code": "string",  # grid item; '' for a question without items
        "option_code": "string",  # chosen option; '' for numbers, scale points and text
        "value": "Float64",
    },
    natural_key=("survey_id", "wave", "respondent_key", "question_id", "item_code", "option_code"),
)

TABLES: dict[str, CanonicalTable] = {
    t.name: t
    for t in (
        RESPONDENT,
        HIRING_NEED,
        RECRUITMENT_DIFFICULTY,
        SKILL_NEED,
        TRAINING_PREFERENCE,
        FREE_TEXT,
        ANSWER,
    )
}

HORIZONS: tuple[str, ...] = ("1y", "5y")  # within 1 year; within 5 years (cumulative)
ALL = "all"  # the marts' code for the total over a dimension ('all' sectors, roles, ...)


def readable_code(code: str) -> str:
    """A code as a reader-facing fallback label: underscores as spaces, first letter capital
    ('gmp_transfer' -> 'Gmp transfer'), where neither a code list nor the codebook labels it."""
    return code.replace("_", " ").capitalize()


# Columns added to quarantined rows beside the canonical ones.
QUARANTINE_COLUMNS: dict[str, str] = {"stage": "string", "reasons": "string"}

# Columns kept as plain strings in staged Parquet; the other string columns repeat a few
# values (codes, keys, file names) and are dictionary-encoded there.
FREE_TEXT_COLUMNS: frozenset[str] = frozenset({"text", "reasons"})


def arrow_schema(name: str, *, quarantine: bool = False, staged: bool = False) -> pa.Schema:
    """The Arrow schema of a canonical table (plus ``stage`` and ``reasons`` for quarantine).

    Curated files carry pandas metadata, so that pandas reads them back with the canonical
    dtypes. Staged files (``staged``) keep repeated strings dictionary-encoded, which is how
    validation reads them (pandas categoricals) and what keeps a million-row wave small.
    """
    dtypes = dict(TABLES[name].all_columns)
    if quarantine:
        dtypes.update(QUARANTINE_COLUMNS)
    fields = []
    for column, dtype in dtypes.items():
        arrow_type = _ARROW_TYPES[dtype]
        if staged and dtype == "string" and column not in FREE_TEXT_COLUMNS:
            arrow_type = pa.dictionary(pa.int32(), pa.string())
        fields.append(pa.field(column, arrow_type))
    schema = pa.schema(fields)
    if staged:
        return schema
    empty = pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in dtypes.items()})
    metadata = pa.Schema.from_pandas(empty, preserve_index=False).metadata
    return schema.with_metadata(metadata)


_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "Int64": pa.int64(),
    "Float64": pa.float64(),
    "boolean": pa.bool_(),
    "datetime64[ns]": pa.timestamp("ns"),
}


# The report's sections about the competence-needs questions (transforms.report.topics), which
# a codebook's `report.questions` group into chapters, and the anchors every report has besides
# them: a chapter may take neither id.
REPORT_SECTIONS: tuple[str, ...] = (
    "hiring",
    "difficulty",
    "skills",
    "importance",
    "supply",
    "training",
    "open-answers",
)
REPORT_ANCHORS: tuple[str, ...] = ("key-findings", "waves", "method", "data-quality", "annex")
