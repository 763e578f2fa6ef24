"""Ingest step, mapping: a platform export plus the codebook gives canonical tables.

`map_export` applies the codebook to an export a slice of rows at a time, each question over
whole columns (`transforms.ingest.questions`), and yields per slice the canonical tables as
Arrow tables: the rows kept and the rows refused at ingest. `apply_codebook` collects them in
memory as pandas frames (tests, tools, small surveys); `transforms.ingest.staging` streams
them to Parquet (the pipeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from transforms.core.canonical import TABLES, arrow_schema
from transforms.core.errors import CodebookError
from transforms.ingest.answers import map_answer
from transforms.ingest.canonical_tables import SliceKeys, canonical_table
from transforms.ingest.codebook import Codebook, Wave
from transforms.ingest.pii import pseudonymise, suspected_pii
from transforms.ingest.questions import Slice, map_grid, map_multi, map_single, map_text
from transforms.ingest.readers.base import STATUS_NORMAL, RawExport
from transforms.ingest.rows import Rows, concat_rows, nullable_ints, strings

SLICE_ROWS = 100_000  # export rows mapped at a time: bounds the memory of the long tables

# One slice's tables: name -> (rows kept, rows refused at ingest), in the staged schema.
SliceTables = dict[str, tuple[pa.Table, pa.Table]]


@dataclass
class MappedWave:
    """Canonical tables of one wave before validation, in memory, and rows refused at ingest."""

    survey_id: str
    wave: str
    tables: dict[str, pd.DataFrame]
    quarantine: dict[str, pd.DataFrame]
    raw_rows: int
    files: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def apply_codebook(
    exports: list[RawExport], codebook: Codebook, wave: str, *, salt: str, survey_dir: Path
) -> MappedWave:
    """Map every row of every export of ``wave`` onto the canonical tables, in memory."""
    check_wave(codebook, wave)
    kept: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    refused: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    for export in exports:
        for tables in map_export(export, codebook, wave, salt=salt, survey_dir=survey_dir):
            for name, (good, bad) in tables.items():
                kept[name].append(good)
                refused[name].append(bad)
    return MappedWave(
        survey_id=codebook.survey.id,
        wave=wave,
        tables={name: to_pandas(name, parts, quarantine=False) for name, parts in kept.items()},
        quarantine={
            name: to_pandas(name, parts, quarantine=True) for name, parts in refused.items()
        },
        raw_rows=sum(len(e.data) for e in exports),
        files=[file_record(e, survey_dir) for e in exports],
        warnings=layout_changes([(e.path, list(e.columns)) for e in exports], survey_dir),
    )


def to_pandas(name: str, parts: list[pa.Table], *, quarantine: bool) -> pd.DataFrame:
    """Staged Arrow tables as one pandas frame with the canonical dtypes."""
    schema = arrow_schema(name, quarantine=quarantine)
    tables = [part.cast(schema) for part in parts]
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    frame: pd.DataFrame = table.to_pandas(types_mapper=PANDAS_TYPES.get)
    return frame


PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def check_wave(codebook: Codebook, wave: str) -> Wave:
    """The wave's spec; CodebookError when the wave is unknown or maps a PII column."""
    if wave not in codebook.waves:
        raise CodebookError(
            f"wave {wave!r} is not in the codebook; known: {sorted(codebook.waves)}"
        )
    spec = codebook.waves[wave]
    pii = set(spec.pii_columns)
    for question_id, ref in mapped_columns(codebook, wave):
        if ref in pii:
            raise CodebookError(
                f"question {question_id!r} maps a column the codebook lists as PII", column=ref
            )
    return spec


def file_record(export: RawExport, survey_dir: Path) -> dict[str, object]:
    """What the run summary says about one export file."""
    return {
        "file": relative(export.path, survey_dir),
        "sha256": export.sha256,
        "platform": export.platform,
        "encoding": export.encoding,
        "dialect": dict(export.dialect),
        "rows": len(export.data),
    }


def layout_changes(exports: list[tuple[Path, list[str]]], survey_dir: Path) -> list[str]:
    """Warnings where a wave's later export has other columns than its first one."""
    if len(exports) < 2:
        return []
    first_path, first = exports[0]
    warnings = []
    for path, columns in exports[1:]:
        added = [k for k in columns if k not in first]
        removed = [k for k in first if k not in columns]
        if added or removed:
            warnings.append(
                f"{relative(path, survey_dir)} has other columns than "
                f"{relative(first_path, survey_dir)} in the same wave: added {added[:10]}, "
                f"missing {removed[:10]}"
            )
    return warnings


def map_export(
    export: RawExport,
    codebook: Codebook,
    wave: str,
    *,
    salt: str,
    survey_dir: Path,
    slice_rows: int = SLICE_ROWS,
) -> Iterator[SliceTables]:
    """The canonical tables of one export, a slice of ``slice_rows`` export rows at a time."""
    spec = check_wave(codebook, wave)
    refuse_personal_columns(export, codebook, wave, spec)
    keys = respondent_keys(export, codebook, spec, salt=salt)
    source_rows = export.source_rows.to_numpy(dtype=np.int64)
    n = len(export.data)
    for start in range(0, max(n, 1), slice_rows):
        stop = min(n, start + slice_rows)
        slice_keys = SliceKeys.of(
            keys.iloc[start:stop],
            source_rows[start:stop],
            survey_id=codebook.survey.id,
            wave=wave,
            source_file=relative(export.path, survey_dir),
            source_sha256=export.sha256,
        )
        yield map_slice(export, codebook, wave, spec, slice_keys, start, stop)


def respondent_keys(export: RawExport, codebook: Codebook, spec: Wave, *, salt: str) -> pd.Series:
    """Salted pseudonyms of the respondent ids. A row without an id (or every row, when the
    wave names no id column) is keyed by the file's hash and its row."""
    if spec.respondent_id is None:
        ids = pd.Series(pd.NA, index=export.data.index, dtype="string")
    else:
        ids = export.column(spec.respondent_id).astype("string")
    fallback = f"{export.sha256}:" + export.source_rows.astype(str)
    ids = ids.fillna(pd.Series(fallback.to_numpy(), index=ids.index))
    return pseudonymise(ids, salt=salt, survey_id=codebook.survey.id).reset_index(drop=True)


def map_slice(
    export: RawExport,
    codebook: Codebook,
    wave: str,
    spec: Wave,
    keys: SliceKeys,
    start: int,
    stop: int,
) -> SliceTables:
    """Every canonical table of export rows [start, stop)."""
    cells = Slice(
        column=lambda ref: export.column(ref).iloc[start:stop].reset_index(drop=True),
        n=stop - start,
    )
    kept: dict[str, list[Rows]] = {name: [] for name in TABLES}
    refused: dict[str, list[Rows]] = {name: [] for name in TABLES}
    respondent = respondent_values(export, spec, cells, start, stop)
    formats = list(codebook.codes.get("training_format", {}))
    country = codebook.survey.country
    for question in codebook.questions:
        source = question.waves.get(wave)
        if source is None:
            continue
        table, column = question.target.split(".")
        if table == "answer":
            good, bad = map_answer(cells, question, source)
            kept[table].append(good)
            refused[table].append(bad)
        elif table == "respondent":
            respondent[column] = map_single(cells, question, source)
        elif question.type == "multi":
            kept[table].append(map_multi(cells, question, source, formats))
        elif question.type == "text":
            assert source.column is not None
            kept[table].append(map_text(cells, source.column, question.id, country))
        else:
            good, bad = map_grid(cells, question, source)
            kept[table].append(good)
            refused[table].append(bad)
        if source.other_text is not None:
            kept["free_text"].append(
                map_text(cells, source.other_text, f"{question.id}_other", country)
            )
    kept["respondent"].append(Rows(np.arange(cells.n, dtype=np.int64), respondent))
    return {
        name: (
            canonical_table(name, merge_rows(name, kept[name]), keys, quarantine=False),
            canonical_table(name, concat_rows(refused[name]), keys, quarantine=True),
        )
        for name in TABLES
    }


def respondent_values(
    export: RawExport, spec: Wave, cells: Slice, start: int, stop: int
) -> dict[str, pa.Array | str]:
    """Completion, platform status and submission time of each export row."""
    values: dict[str, pa.Array | str] = {}
    if spec.completed is not None:
        finished = cells.column(spec.completed.column)
        values["completed"] = pa.array(finished.isin(spec.completed.true_values).to_numpy())
    status = export.status.iloc[start:stop].reset_index(drop=True)
    values["platform_status"] = strings(status.fillna(STATUS_NORMAL))
    if spec.submitted_at is not None:
        values["submitted_at"] = pa.array(timestamps(cells.column(spec.submitted_at)))
    return values


def merge_rows(name: str, parts: list[Rows]) -> Rows:
    """One table's rows from its questions; skill_need merges importance and shortage answers
    about one skill into one row (the first question's answer wins where two give one)."""
    parts = [part for part in parts if len(part)]
    if name != "skill_need" or len(parts) < 2:
        return concat_rows(parts)
    codes = sorted({label for part in parts for label in _labels(part.values["skill_code"])})
    rank = {code: i for i, code in enumerate(codes)}
    part_keys = [
        part.positions * len(codes) + _ranks(part.values["skill_code"], len(part), rank)
        for part in parts
    ]
    cells = (max(int(part.positions.max()) for part in parts) + 1) * len(codes)
    present = np.zeros(cells, dtype=bool)  # export rows x skills: no sort needed
    for keys in part_keys:
        present[keys] = True
    merged = np.flatnonzero(present)
    values: dict[str, pa.Array | str] = {
        "skill_code": pa.DictionaryArray.from_arrays(
            pa.array((merged % len(codes)).astype(np.int32)), pa.array(codes, type=pa.string())
        )
    }
    for column in ("importance", "shortage"):
        filled = np.full(cells, np.nan)
        for part, keys in reversed(list(zip(parts, part_keys, strict=True))):  # first wins
            given = part.values.get(column)
            if isinstance(given, pa.Array):
                answer = given.to_numpy(zero_copy_only=False).astype("float64")
                filled[keys] = np.where(np.isnan(answer), filled[keys], answer)
        values[column] = nullable_ints(filled[merged])
    return Rows((merged // len(codes)).astype(np.int64), values)


def _labels(values: pa.Array | str) -> list[str]:
    """The distinct codes a column holds (its dictionary, for a dictionary array)."""
    if isinstance(values, str):
        return [values]
    if pa.types.is_dictionary(values.type):
        return [str(v) for v in values.dictionary.to_pylist()]
    return sorted({str(v) for v in values.to_pylist()})


def _ranks(values: pa.Array | str, n: int, rank: dict[str, int]) -> np.ndarray:
    """Each row's code as its position in the sorted code list."""
    if isinstance(values, str):
        return np.full(n, rank[values], dtype=np.int64)
    if not pa.types.is_dictionary(values.type):
        values = pc.dictionary_encode(values)
    lookup = np.array([rank[str(v)] for v in values.dictionary.to_pylist()], dtype=np.int64)
    ranks: np.ndarray = lookup[values.indices.to_numpy(zero_copy_only=False)]
    return ranks


def timestamps(raw: pd.Series) -> pd.Series:
    """Timestamps as naive datetimes: those with a zone or offset ("... GMT+1", as Google Forms
    writes them) in UTC, those without as written. Unreadable ones become NaT. ISO 8601 text
    is parsed in one vectorised pass; anything else value by value."""
    # "GMT+1" means UTC+01:00 here; dateutil would read it the POSIX way round (UTC-1)
    text = raw.astype("string").str.replace(_GMT_OFFSET, _iso_offset, regex=True)
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    rest = parsed.isna() & text.notna()
    if rest.any():
        parsed[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


_GMT_OFFSET = re.compile(r"\s*(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?\s*$")


def _iso_offset(match: re.Match[str]) -> str:
    return f" {match[1]}{int(match[2]):02d}:{match[3] or '00'}"


def mapped_columns(codebook: Codebook, wave: str) -> list[tuple[str, str]]:
    """(question id, column reference) of every column the codebook maps in ``wave``."""
    out = []
    for question in codebook.questions:
        source = question.waves.get(wave)
        if source is None:
            continue
        refs = [source.column, source.other_text, *(source.items or {}).values()]
        out += [(question.id, ref) for ref in refs if ref is not None]
    return out


def refuse_personal_columns(export: RawExport, codebook: Codebook, wave: str, spec: Wave) -> None:
    """PII safety net: a mapped column that looks personal stops the run unless allowed."""
    allowed = set(spec.allow_columns)
    for question_id, ref in mapped_columns(codebook, wave):
        if ref in allowed:
            continue
        key = export.resolve(ref)
        info = export.columns[key]
        kind = suspected_pii(info.tag, info.text, export.data[key], country=codebook.survey.country)
        if kind is not None:
            raise CodebookError(
                f"question {question_id!r} maps a column that looks like {kind}; list it in "
                f"the wave's pii_columns to drop it, or in allow_columns if it is not personal",
                file=export.path,
                column=ref,
            )


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
