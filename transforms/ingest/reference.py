"""Model step, reference data: taxonomies, training offer and population frame, read and checked.

Every problem names the file, the row as a spreadsheet shows it (header = row 1), the column
and the value. ``reference_tables`` turns one or more surveys' reference data into the
warehouse's ``ref_*`` base tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from transforms.core.errors import CodebookError, ReferenceDataError
from transforms.ingest.codebook import SKILL_SCHEME, Codebook

Kind = Literal["text", "int", "number", "bool"]
_DTYPES: dict[Kind, str] = {
    "text": "string",
    "int": "Int64",
    "number": "Float64",
    "bool": "boolean",
}
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind = "text"
    required: bool = True  # a value must be given on every row
    minimum: float | None = None
    default: object = None  # a file without the column has this value on every row


ROLE_FIELDS = (
    Field("role_code"),
    Field("label"),
    Field("role_family", required=False),
    Field("isco_code", required=False),
)
SKILL_FIELDS = (
    Field("skill_code"),
    Field("label"),
    Field("skill_family", required=False),
    Field("esco_uri", required=False),
    # other words for the skill, "|"-joined, that the free-text coder matches (optional)
    Field("synonyms", required=False, default=""),
)
ROLE_SKILL_FIELDS = (Field("role_code"), Field("skill_code"))
TRAINING_OFFER_FIELDS = (
    Field("offer_id"),
    Field("provider"),
    Field("programme"),
    Field("level", required=False),
    Field("credits", "number", required=False, minimum=0),
    Field("places_per_year", "int", minimum=0),
    Field("first_year", "int"),
    Field("last_year", "int", required=False),  # empty: still running
    Field("skills", required=False),  # ";"-joined skill codes
    Field("source", required=False),
    # an invented example (a demonstration catalogue's): listed and flagged in the report,
    # counted in the supply only when the run includes illustrative offers
    Field("illustrative", "bool", required=False, default=False),
)
POPULATION_FRAME_FIELDS = (
    Field("org_sector"),
    Field("org_size_band"),
    Field("organisations", "int", minimum=0),
)


@dataclass(frozen=True)
class Reference:
    """One survey's reference data, typed (pandas nullable dtypes), columns as in the CSVs."""

    roles: pd.DataFrame
    skills: pd.DataFrame
    role_skill: pd.DataFrame
    training_offer: pd.DataFrame
    population_frame: pd.DataFrame


def _empty(fields: tuple[Field, ...]) -> pd.DataFrame:
    return pd.DataFrame({f.name: pd.Series([], dtype=_DTYPES[f.kind]) for f in fields})


def _parse(value: str, field: Field, path: Path, row: int) -> int | float | bool:
    if field.kind == "bool":
        if value.lower() not in _BOOLEANS:
            raise ReferenceDataError(
                f"{field.name} must be true or false (yes/no, 1/0)",
                file=path,
                row=row,
                column=field.name,
                value=value,
            )
        return _BOOLEANS[value.lower()]
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if math.isnan(number) or (field.kind == "int" and not number.is_integer()):
        kind = "a whole number" if field.kind == "int" else "a number"
        raise ReferenceDataError(
            f"{field.name} must be {kind}", file=path, row=row, column=field.name, value=value
        )
    if field.minimum is not None and number < field.minimum:
        raise ReferenceDataError(
            f"{field.name} must be at least {field.minimum:g}",
            file=path,
            row=row,
            column=field.name,
            value=value,
        )
    return int(number) if field.kind == "int" else number


def read_reference_csv(path: Path, fields: tuple[Field, ...]) -> pd.DataFrame:
    """Read one reference CSV into typed columns; extra columns are dropped."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ReferenceDataError("reference file not found", file=path) from exc
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReferenceDataError(f"reference file cannot be read as CSV: {exc}", file=path) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    for field in fields:
        if field.name not in raw.columns and field.default is not None:
            raw[field.name] = str(field.default).lower()  # "" for an optional text column
        if field.name not in raw.columns:
            raise ReferenceDataError(
                f"reference file lacks column {field.name!r} (has {list(raw.columns)})",
                file=path,
                column=field.name,
            )
    out: dict[str, pd.Series] = {}
    for field in fields:
        values: list[object] = []
        for index, cell in enumerate(raw[field.name].astype(str).str.strip()):
            row = index + 2
            if cell == "":
                if field.required:
                    raise ReferenceDataError(
                        f"{field.name} is empty", file=path, row=row, column=field.name
                    )
                values.append(pd.NA)
            elif field.kind == "text":
                values.append(cell)
            else:
                values.append(_parse(cell, field, path, row))
        out[field.name] = pd.Series(values, dtype=_DTYPES[field.kind])
    return pd.DataFrame(out)


def _check_unique(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    duplicated = frame.duplicated(subset=columns, keep="first")
    if duplicated.any():
        index = int(duplicated.to_numpy().nonzero()[0][0])
        value = "/".join(str(frame.iloc[index][c]) for c in columns)
        raise ReferenceDataError(
            f"{' + '.join(columns)} must be unique; this one appears earlier",
            file=path,
            row=index + 2,
            column=columns[0],
            value=value,
        )


def _check_codes(
    frame: pd.DataFrame, column: str, known: Iterable[str], what: str, path: Path
) -> None:
    allowed = set(known)
    for index, value in enumerate(frame[column]):
        if value is not pd.NA and value not in allowed:
            raise ReferenceDataError(
                f"{column} is not a known {what}",
                file=path,
                row=index + 2,
                column=column,
                value=value,
            )


def _check_training_offer(offer: pd.DataFrame, skills: set[str], path: Path) -> None:
    backwards = (offer["last_year"] < offer["first_year"]).fillna(False).to_numpy().nonzero()[0]
    if backwards.size:
        index = int(backwards[0])
        raise ReferenceDataError(
            f"last_year is before first_year {offer['first_year'].iloc[index]}",
            file=path,
            row=index + 2,
            column="last_year",
            value=int(offer["last_year"].iloc[index]),
        )
    for index, listed in enumerate(offer["skills"].fillna("").tolist()):
        for code in [c.strip() for c in str(listed).split(";") if c.strip()]:
            if code not in skills:
                raise ReferenceDataError(
                    "skills lists a code that is not in the skill taxonomy",
                    file=path,
                    row=index + 2,
                    column="skills",
                    value=code,
                )


def load_reference(codebook: Codebook, survey_dir: Path) -> Reference:
    """Read the reference CSVs the codebook names (paths relative to ``survey_dir``), checked.

    Every file is optional in the codebook. Without a role (skill) file the taxonomy is the
    codebook's inline ``codes.role`` (``codes.skill``: code -> label), or empty; role_skill,
    training_offer and the population frame are empty tables with the same columns when
    absent (the survey is then unweighted: transforms.model.weighting).
    """
    taxonomies = codebook.taxonomies

    def path_of(relative: str) -> Path:
        return (survey_dir / relative).resolve()

    roles = _taxonomy(codebook, "role", ROLE_FIELDS, survey_dir)
    skills = _taxonomy(codebook, "skill", SKILL_FIELDS, survey_dir)
    role_codes, skill_codes = set(roles["role_code"]), set(skills["skill_code"])
    _check_skill_synonyms(codebook, skill_codes, survey_dir)

    role_skill = _empty(ROLE_SKILL_FIELDS)
    if taxonomies.role_skill is not None:
        path = path_of(taxonomies.role_skill)
        role_skill = read_reference_csv(path, ROLE_SKILL_FIELDS)
        _check_codes(role_skill, "role_code", role_codes, "role (roles file)", path)
        _check_codes(role_skill, "skill_code", skill_codes, "skill (skills file)", path)
        _check_unique(role_skill, ["role_code", "skill_code"], path)

    training_offer = _empty(TRAINING_OFFER_FIELDS)
    if taxonomies.training_offer is not None:
        path = path_of(taxonomies.training_offer)
        training_offer = read_reference_csv(path, TRAINING_OFFER_FIELDS)
        _check_unique(training_offer, ["offer_id"], path)
        _check_training_offer(training_offer, skill_codes, path)

    frame = _empty(POPULATION_FRAME_FIELDS)
    if codebook.survey.population_frame is not None:
        path = path_of(codebook.survey.population_frame)
        frame = read_reference_csv(path, POPULATION_FRAME_FIELDS)
        _check_unique(frame, ["org_sector", "org_size_band"], path)
        for column in ("org_sector", "org_size_band"):
            if column in codebook.codes:
                what = f"code of the codebook's {column} list"
                _check_codes(frame, column, codebook.codes[column], what, path)

    return Reference(roles, skills, role_skill, training_offer, frame)


def _check_skill_synonyms(codebook: Codebook, skill_codes: set[str], survey_dir: Path) -> None:
    """The codebook's synonyms of the skill scheme name skills of the taxonomy."""
    for code in codebook.synonyms.get(SKILL_SCHEME, {}):
        if code not in skill_codes:
            source = codebook.taxonomies.skill or "codes.skill"
            raise CodebookError(
                f"synonyms.skill names a code that is not in the skill taxonomy ({source})",
                file=survey_dir / "survey.yaml",
                column=f"synonyms.skill.{code}",
                value=code,
            )


def _taxonomy(
    codebook: Codebook, name: str, fields: tuple[Field, ...], survey_dir: Path
) -> pd.DataFrame:
    """The role or skill taxonomy: its CSV, else the codebook's inline code list, else empty."""
    key = fields[0].name
    relative = getattr(codebook.taxonomies, name)
    if relative is None:
        inline = codebook.codes.get(name, {})
        given = {key: list(inline), "label": list(inline.values())}
        return pd.DataFrame(
            {
                f.name: pd.Series(given.get(f.name, [pd.NA] * len(inline)), dtype="string")
                for f in fields
            }
        )
    path = (survey_dir / relative).resolve()
    table = read_reference_csv(path, fields)
    _check_unique(table, [key], path)
    return table


def _merge_taxonomy(frames: list[pd.DataFrame], key: str, name: str) -> pd.DataFrame:
    merged = pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)
    clashes = merged[merged.duplicated(subset=[key], keep=False)]
    if not clashes.empty:
        raise ReferenceDataError(
            f"surveys define {name} {key} differently",
            column=key,
            value=str(clashes.iloc[0][key]),
        )
    return merged.sort_values(key, ignore_index=True)


def reference_tables(surveys: Iterable[tuple[Codebook, Reference]]) -> dict[str, pd.DataFrame]:
    """The warehouse's reference base tables for one or more surveys.

    Taxonomies and the training offer are shared (a code defined differently by two surveys
    is an error); the population frame and the code lists (``ref_code``: survey_id,
    code_list, code, label, from the codebook's ``codes``) carry ``survey_id``.
    """
    pairs = list(surveys)
    if not pairs:
        raise ReferenceDataError("no survey given to build reference tables from")
    frames: list[pd.DataFrame] = []
    codes: list[tuple[str, str, str, str]] = []
    for codebook, reference in pairs:
        survey_id = codebook.survey.id
        frames.append(reference.population_frame.assign(survey_id=survey_id))
        codes.extend(
            (survey_id, code_list, code, label)
            for code_list, entries in codebook.codes.items()
            for code, label in entries.items()
        )
    refs = [r for _, r in pairs]
    code_table = pd.DataFrame(codes, columns=["survey_id", "code_list", "code", "label"])
    frame = pd.concat(frames, ignore_index=True)
    return {
        "ref_role": _merge_taxonomy([r.roles for r in refs], "role_code", "role"),
        "ref_skill": _merge_taxonomy([r.skills for r in refs], "skill_code", "skill"),
        "ref_role_skill": pd.concat([r.role_skill for r in refs], ignore_index=True)
        .drop_duplicates(ignore_index=True)
        .sort_values(["role_code", "skill_code"], ignore_index=True),
        "ref_training_offer": _merge_taxonomy(
            [r.training_offer for r in refs], "offer_id", "training offer"
        ),
        "ref_population_frame": frame[["survey_id", *frame.columns.drop("survey_id")]],
        "ref_code": code_table.astype("string"),
    }
