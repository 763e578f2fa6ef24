"""Ingest step, codebook: the survey.yaml that maps a platform export onto the canonical model."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from transforms.core.errors import CodebookError
from transforms.ingest.codebook_file import read_codebook_yaml
from transforms.ingest.report_spec import ReportSpec

Platform = Literal[
    "qualtrics", "surveymonkey", "limesurvey", "google_forms", "microsoft_forms", "spss", "generic"
]  # transforms.ingest.readers.READERS; generic is never detected, only chosen here
QuestionType = Literal["single", "numeric_grid", "ordinal_grid", "multi", "text"]

# Canonical targets a question may fill, and the question types allowed for each.
TARGETS: dict[str, tuple[str, ...]] = {
    "respondent.org_sector": ("single",),
    "respondent.org_size_band": ("single",),
    "respondent.region": ("single",),
    "hiring_need.headcount": ("numeric_grid",),
    "recruitment_difficulty.difficulty": ("ordinal_grid",),
    "skill_need.importance": ("ordinal_grid",),
    "skill_need.shortage": ("ordinal_grid",),
    "training_preference.format_code": ("multi",),
    "free_text.text": ("text",),
    # any question outside the competence-needs model: the generic answer table
    "answer.value": ("single", "multi", "ordinal_grid", "numeric_grid", "text"),
}
# Code lists a target's values must belong to (codes section or a reference taxonomy).
TARGET_CODE_LIST: dict[str, str] = {
    "respondent.org_sector": "org_sector",
    "respondent.org_size_band": "org_size_band",
    "respondent.region": "region",
    "hiring_need.headcount": "role",
    "recruitment_difficulty.difficulty": "role",
    "skill_need.importance": "skill",
    "skill_need.shortage": "skill",
    "training_preference.format_code": "training_format",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyMeta(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    synthetic: bool = False
    language: str = "en"
    country: str | None = None
    population_frame: str | None = None  # path relative to survey.yaml (CSV)
    notice: str | None = None  # shown on the first page of every report
    hires_description: str | None = None  # report wording: "expect to hire about N <this>"
    # how the reports are published and cited: on every report's cover, in its suggested
    # citation and in the "Source:" line under every table and chart (each one optional)
    publisher: str | None = None  # the organisation that publishes the reports
    source_name: str | None = None  # the survey as a "Source:" line names it; default: title
    contact: str | None = None  # e-mail address or web page for questions about the figures
    licence: str | None = None  # of the reports and tables, e.g. "CC BY 4.0"
    url: str | None = None  # where the reports are published
    # the exports may lie outside the survey folder (data kept elsewhere, e.g. a shared mount);
    # without it a `files` path that leads out of the folder (`../`, absolute, a symlink) is refused
    exports_outside: bool = False


class Taxonomies(_Strict):
    """Reference CSVs, paths relative to survey.yaml; every one is optional.

    Without a role (skill) file, the role (skill) codes of the grids come from ``codes.role``
    (``codes.skill``) in the codebook, or there are none: a survey that asks nothing about
    roles (skills) needs neither.
    """

    role: str | None = None
    skill: str | None = None
    role_skill: str | None = None
    training_offer: str | None = None


class Completion(_Strict):
    column: str
    true_values: tuple[str, ...] = ("1", "True", "true", "TRUE", "Yes")


class Wave(_Strict):
    files: Annotated[tuple[str, ...], Field(min_length=1)]  # relative to survey.yaml
    platform: Platform | None = None  # None: detect from the file's signature
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    # platform id column; pseudonymised, never written. None: the export has no id column,
    # each row is one respondent (keyed by the file's hash and the row number)
    respondent_id: str | None = None
    submitted_at: str | None = None  # timestamp column
    completed: Completion | None = None
    pii_columns: tuple[str, ...] = ()  # dropped at ingest
    allow_columns: tuple[str, ...] = ()  # mapped columns that look personal but are not
    # platform statuses kept as real answers in this wave besides normal, imported and offline:
    # an export of test or preview responses only, to try the pipeline on (init sets it)
    accept_statuses: tuple[Literal["test", "preview"], ...] = ()
    scope_note: str | None = None  # shown beside every between-wave comparison
    published: date | None = None  # publication date of the wave's report; None: a draft
    version: str | None = None  # edition of the wave's report, e.g. "1.0" (cited with it)


class Source(_Strict):
    """Where one question's answers sit in one wave's export."""

    column: str | None = None  # single, text, or a joined multi-select column
    items: dict[str, str] | None = None  # item code -> column (grids; split multi-select)
    joined: str | None = None  # delimiter of a joined multi-select column, e.g. ","
    other_text: str | None = None  # "other, please specify" column -> free_text
    note: str | None = None  # wording change in this wave, shown beside comparisons

    @model_validator(mode="after")
    def _one_shape(self) -> Source:
        if (self.column is None) == (self.items is None):
            raise ValueError("give exactly one of 'column' or 'items'")
        if self.joined is not None and self.column is None:
            raise ValueError("'joined' needs 'column'")
        return self


class Question(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    text: str
    type: QuestionType
    target: str
    constants: dict[str, str] = {}  # fixed canonical values, e.g. {horizon: 5y}
    # platform value (choice text or numeric recode, as a string) -> canonical code or ordinal
    value_map: dict[str, str | int] = {}
    missing_values: tuple[str, ...] = ()  # answers meaning "no answer" (Don't know, N/A)
    # reader-facing text of item codes (grid rows, options of one column per option), for the
    # report's generic chapters; an item without one is shown as its code made readable
    item_labels: dict[str, str] = {}
    # report chapter of a generic question (a questionnaire section); consecutive questions
    # without one share an "Other questions" chapter
    group: str | None = None
    waves: dict[str, Source]

    @model_validator(mode="after")
    def _target_fits_type(self) -> Question:
        allowed = TARGETS.get(self.target)
        if allowed is None:
            raise ValueError(f"unknown target {self.target!r}; known: {sorted(TARGETS)}")
        if self.type not in allowed:
            raise ValueError(f"target {self.target!r} takes type {allowed}, not {self.type!r}")
        return self

    @model_validator(mode="after")
    def _labels_name_items(self) -> Question:
        items = {code for source in self.waves.values() for code in source.items or {}}
        unknown = sorted(set(self.item_labels) - items)
        if unknown:
            raise ValueError(f"item_labels names items no wave maps: {unknown}")
        return self


WeightingCell = Literal["org_sector", "org_size_band"]  # respondent columns the frame holds


class WeightingSpec(_Strict):
    """How each wave's respondents are weighted to the population frame (``weighting:``).

    ``none``: every respondent gets weight 1 (an unweighted survey); a codebook without
    ``survey.population_frame`` is always unweighted, whatever this section says by default.
    ``poststratify``: every frame cell of ``cells`` is a post-stratum (weight N_h / n_h, with
    the documented collapse of empty cells). ``rake``: iterative proportional fitting to the
    frame's margins, the organisations summed over each column of ``cells`` in turn, until
    every margin is met within ``tolerance`` (largest |achieved - target| / target), in at
    most ``max_iterations`` sweeps. The defaults are post-stratification on sector x size band.
    """

    method: Literal["poststratify", "rake", "none"] = "poststratify"
    cells: tuple[WeightingCell, ...] = ("org_sector", "org_size_band")
    max_iterations: Annotated[int, Field(ge=1, le=10_000)] = 100
    tolerance: Annotated[float, Field(gt=0, lt=1)] = 1e-6

    @model_validator(mode="after")
    def _cells_distinct(self) -> WeightingSpec:
        if not self.cells or len(set(self.cells)) != len(self.cells):
            raise ValueError(f"weighting cells must be distinct and at least one: {self.cells}")
        return self


# Code lists a codebook may give inline instead of a taxonomy file: name -> taxonomies field.
INLINE_TAXONOMIES: tuple[str, ...] = ("role", "skill")

# The coding scheme of the skill taxonomy (its labels and synonyms); any other scheme of
# text_coding is a code list of the codebook's `codes`.
SKILL_SCHEME = "skill"
# The code of an answer no code of its scheme matched (reserved: no scheme may use it).
UNCODED = "uncoded"
DEFAULT_MIN_SCORE = 90.0


class TextCoding(_Strict):
    """How the answers of one free-text question are coded (``text_coding.<question id>``).

    ``scheme``: ``skill`` (the skill taxonomy: labels, the taxonomy's synonyms column and
    ``synonyms.skill``) or the name of a code list of ``codes`` (its labels and
    ``synonyms.<list>``). An answer gets every code one of whose terms it matches with a
    score of at least ``min_score`` (0-100, rapidfuzz; transforms.model.text_coding)."""

    scheme: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    min_score: Annotated[float, Field(ge=50, le=100)] = DEFAULT_MIN_SCORE


class Quote(_Strict):
    """A reviewed quote from one free-text question: the only free text a report prints."""

    wave: str
    text: Annotated[str, Field(min_length=1)]
    reviewed_by: Annotated[str, Field(min_length=1)]  # who checked it is safe to publish


def free_text_questions(questions: tuple[Question, ...]) -> list[str]:
    """The question ids of the free_text table: text questions with target free_text.text, and
    ``<id>_other`` of each multi-select with an ``other_text`` column."""
    ids = [q.id for q in questions if q.target == "free_text.text"]
    ids += [
        f"{q.id}_other"
        for q in questions
        if q.target != "answer.value" and any(s.other_text for s in q.waves.values())
    ]
    return ids


class Codebook(_Strict):
    survey: SurveyMeta
    taxonomies: Taxonomies = Taxonomies()
    codes: dict[str, dict[str, str]] = {}  # code list name -> {code: label}
    scales: dict[str, dict[int, str]] = {}  # ordinal scale name -> {value: label}
    waves: dict[str, Wave]
    questions: tuple[Question, ...]
    weighting: WeightingSpec = WeightingSpec()
    report: ReportSpec = ReportSpec()
    # free-text question id -> how its answers are coded (a question not listed is not coded)
    text_coding: dict[str, TextCoding] = {}
    # scheme (skill, or a code list) -> code -> further terms the coder matches for the code
    synonyms: dict[str, dict[str, tuple[str, ...]]] = {}
    # free-text question id -> reviewed quotes, the only free text the reports print
    quotes: dict[str, tuple[Quote, ...]] = {}

    @field_validator("text_coding")
    @classmethod
    def _coded_questions_known(
        cls, value: dict[str, TextCoding], info: ValidationInfo
    ) -> dict[str, TextCoding]:
        known = free_text_questions(info.data.get("questions", ()))
        codes: dict[str, dict[str, str]] = info.data.get("codes", {})
        taxonomies: Taxonomies = info.data.get("taxonomies", Taxonomies())
        for question_id, coding in value.items():
            where = f"text_coding.{question_id}"
            if question_id not in known:
                raise ValueError(
                    f"{where}: {question_id!r} is not a free-text question of this codebook "
                    f"(free-text questions: {known})"
                )
            if coding.scheme == SKILL_SCHEME:
                if taxonomies.skill is None and SKILL_SCHEME not in codes:
                    raise ValueError(
                        f"{where}.scheme: 'skill' needs a skill taxonomy (taxonomies.skill or "
                        "codes.skill)"
                    )
            elif coding.scheme not in codes:
                raise ValueError(
                    f"{where}.scheme: {coding.scheme!r} is neither 'skill' nor a code list of "
                    f"codes (code lists: {sorted(codes)})"
                )
            if UNCODED in codes.get(coding.scheme, {}):
                raise ValueError(
                    f"{where}.scheme: code list {coding.scheme!r} has the code {UNCODED!r}, "
                    "which marks answers no code matched; rename it"
                )
        return value

    @field_validator("synonyms")
    @classmethod
    def _synonyms_known(
        cls, value: dict[str, dict[str, tuple[str, ...]]], info: ValidationInfo
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        codes: dict[str, dict[str, str]] = info.data.get("codes", {})
        for scheme, entries in value.items():
            if scheme != SKILL_SCHEME and scheme not in codes:
                raise ValueError(
                    f"synonyms.{scheme}: {scheme!r} is neither 'skill' nor a code list of codes "
                    f"(code lists: {sorted(codes)})"
                )
            # the skill taxonomy's codes are checked against its file when it is read
            known = codes.get(scheme)
            for code, terms in entries.items():
                if known is not None and code not in known:
                    raise ValueError(
                        f"synonyms.{scheme}.{code}: {code!r} is not a code of {scheme!r} "
                        f"(codes: {sorted(known)})"
                    )
                blank = [t for t in terms if not t.strip()]
                if blank:
                    raise ValueError(f"synonyms.{scheme}.{code}: a term is empty")
        return value

    @field_validator("quotes")
    @classmethod
    def _quotes_known(
        cls, value: dict[str, tuple[Quote, ...]], info: ValidationInfo
    ) -> dict[str, tuple[Quote, ...]]:
        known = free_text_questions(info.data.get("questions", ()))
        waves: dict[str, Wave] = info.data.get("waves", {})
        for question_id, quotes in value.items():
            if question_id not in known:
                raise ValueError(
                    f"quotes.{question_id}: {question_id!r} is not a free-text question of this "
                    f"codebook (free-text questions: {known})"
                )
            for n, quote in enumerate(quotes):
                if quote.wave not in waves:
                    raise ValueError(
                        f"quotes.{question_id}[{n}].wave: {quote.wave!r} is not a wave of this "
                        f"codebook (waves: {sorted(waves)})"
                    )
        return value

    @model_validator(mode="after")
    def _waves_known(self) -> Codebook:
        for question in self.questions:
            unknown = set(question.waves) - set(self.waves)
            if unknown:
                raise ValueError(f"question {question.id!r} maps unknown waves {sorted(unknown)}")
        return self

    @model_validator(mode="after")
    def _one_source_per_taxonomy(self) -> Codebook:
        for name in INLINE_TAXONOMIES:
            if name in self.codes and getattr(self.taxonomies, name) is not None:
                raise ValueError(
                    f"give the {name} codes either in taxonomies.{name} (a CSV) or in "
                    f"codes.{name}, not both"
                )
        return self

    @property
    def weighting_method(self) -> str:
        """The method each wave is weighted by: ``none`` without a population frame."""
        if self.survey.population_frame is None:
            return "none"
        return self.weighting.method


def load_codebook(path: Path) -> Codebook:
    """Read and validate survey.yaml; every problem names the file and the field."""
    raw = read_codebook_yaml(path)
    if not isinstance(raw, dict):
        raise CodebookError("codebook must be a YAML mapping", file=path)
    try:
        return Codebook.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise CodebookError(
            f"codebook field {field}: {first['msg']} ({exc.error_count()} problem(s) in all)",
            file=path,
            column=field,
            value=first.get("input") if not isinstance(first.get("input"), dict) else None,
        ) from exc
