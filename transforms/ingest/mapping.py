"""Ingest step, mapping: a platform export plus the codebook gives staged canonical tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from transforms.core.canonical import QUARANTINE_COLUMNS, TABLES
from transforms.core.errors import CodebookError
from transforms.ingest.codebook import Codebook, Question, Source, Wave
from transforms.ingest.multiselect import split_joined
from transforms.ingest.pii import pseudonymise, redact_free_text, suspected_pii
from transforms.ingest.readers.base import STATUS_NORMAL, RawExport

_FALSE_SELECTIONS = frozenset({"0", "No", "N", "False", "false", "Not selected"})


@dataclass
class StagedWave:
    """Canonical tables of one wave before validation, and rows already refused at ingest."""

    survey_id: str
    wave: str
    tables: dict[str, pd.DataFrame]
    quarantine: dict[str, pd.DataFrame]
    raw_rows: int
    files: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def apply_codebook(
    exports: list[RawExport], codebook: Codebook, wave: str, *, salt: str, survey_dir: Path
) -> StagedWave:
    """Map every row of every export of ``wave`` onto the canonical tables."""
    if wave not in codebook.waves:
        raise CodebookError(
            f"wave {wave!r} is not in the codebook; known: {sorted(codebook.waves)}"
        )
    spec = codebook.waves[wave]
    _refuse_mapped_pii(codebook, wave, spec)
    parts = [
        _map_export(export, codebook, wave, spec, salt=salt, survey_dir=survey_dir)
        for export in exports
    ]
    tables = {name: _concat([p[0][name] for p in parts], name) for name in TABLES}
    quarantine = {
        name: _concat([p[1][name] for p in parts], name, quarantine=True) for name in TABLES
    }
    files = [
        {
            "file": _relative(e.path, survey_dir),
            "sha256": e.sha256,
            "platform": e.platform,
            "encoding": e.encoding,
            "dialect": dict(e.dialect),
            "rows": len(e.data),
        }
        for e in exports
    ]
    return StagedWave(
        survey_id=codebook.survey.id,
        wave=wave,
        tables=tables,
        quarantine=quarantine,
        raw_rows=sum(len(e.data) for e in exports),
        files=files,
        warnings=_layout_changes(exports, survey_dir),
    )


def _layout_changes(exports: list[RawExport], survey_dir: Path) -> list[str]:
    """Warnings where a wave's later export has other columns than its first one."""
    if len(exports) < 2:
        return []
    first = exports[0]
    warnings = []
    for export in exports[1:]:
        added = [k for k in export.columns if k not in first.columns]
        removed = [k for k in first.columns if k not in export.columns]
        if added or removed:
            warnings.append(
                f"{_relative(export.path, survey_dir)} has other columns than "
                f"{_relative(first.path, survey_dir)} in the same wave: added {added[:10]}, "
                f"missing {removed[:10]}"
            )
    return warnings


_Frames = dict[str, pd.DataFrame]


def _map_export(
    export: RawExport, codebook: Codebook, wave: str, spec: Wave, *, salt: str, survey_dir: Path
) -> tuple[_Frames, _Frames]:
    _refuse_personal_columns(export, codebook, wave, spec)
    base = _base_frame(export, codebook, wave, spec, salt=salt, survey_dir=survey_dir)
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    refused: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    respondent = _respondent(export, base, spec)
    for question in codebook.questions:
        source = question.waves.get(wave)
        if source is None:
            continue
        table, column = question.target.split(".")
        if table == "respondent":
            respondent[column] = _map_single(export, question, source)
            continue
        good, bad = _map_question(export, base, question, source, codebook)
        tables[table].append(good)
        refused[table].append(bad)
        if source.other_text is not None:
            tables["free_text"].append(
                _free_text(export, base, source.other_text, f"{question.id}_other")
            )
    tables["respondent"].append(respondent)
    merged = {name: _merge_parts(name, frames) for name, frames in tables.items()}
    quarantined = {
        name: _concat(frames, name, quarantine=True) if frames else _empty(name, quarantine=True)
        for name, frames in refused.items()
    }
    return merged, quarantined


def _base_frame(
    export: RawExport, codebook: Codebook, wave: str, spec: Wave, *, salt: str, survey_dir: Path
) -> pd.DataFrame:
    """Key and provenance columns, one row per export row. A row without a respondent id (or
    every row, when the wave names no id column) is keyed by the file's hash and its row."""
    if spec.respondent_id is None:
        ids = pd.Series(pd.NA, index=export.data.index, dtype="string")
    else:
        ids = export.column(spec.respondent_id)
    fallback = f"{export.sha256}:" + export.source_rows.astype(str)
    ids = ids.fillna(pd.Series(fallback.to_numpy(), index=ids.index))
    return pd.DataFrame(
        {
            "survey_id": codebook.survey.id,
            "wave": wave,
            "respondent_key": pseudonymise(ids, salt=salt, survey_id=codebook.survey.id),
            "source_file": _relative(export.path, survey_dir),
            "source_sha256": export.sha256,
            "source_row": export.source_rows.to_numpy(),
        },
        index=export.data.index,
    )


def _respondent(export: RawExport, base: pd.DataFrame, spec: Wave) -> pd.DataFrame:
    frame = base.copy()
    if spec.completed is not None:
        finished = export.column(spec.completed.column)
        frame["completed"] = finished.isin(spec.completed.true_values).astype("boolean")
    else:
        frame["completed"] = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    frame["platform_status"] = export.status.fillna(STATUS_NORMAL).astype("string")
    if spec.submitted_at is not None:
        frame["submitted_at"] = _timestamps(export.column(spec.submitted_at))
    return frame


def _timestamps(raw: pd.Series) -> pd.Series:
    """Timestamps as naive datetimes: those with a zone or offset ("... GMT+1", as Google Forms
    writes them) in UTC, those without as written. Unreadable ones become NaT."""
    # "GMT+1" means UTC+01:00 here; dateutil would read it the POSIX way round (UTC-1)
    text = raw.astype("string").str.replace(_GMT_OFFSET, _iso_offset, regex=True)
    parsed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_localize(None)


_GMT_OFFSET = re.compile(r"\s*(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?\s*$")


def _iso_offset(match: re.Match[str]) -> str:
    return f" {match[1]}{int(match[2]):02d}:{match[3] or '00'}"


def _map_single(export: RawExport, question: Question, source: Source) -> pd.Series:
    """Codes for a single-choice question; an unmapped value stays as-is for validation."""
    assert source.column is not None
    raw = export.column(source.column)
    raw = raw.where(~raw.isin(question.missing_values))
    mapping = {key: str(code) for key, code in question.value_map.items()}
    return raw.map(lambda v: mapping.get(v, v), na_action="ignore").astype("string")


def _map_question(
    export: RawExport, base: pd.DataFrame, question: Question, source: Source, codebook: Codebook
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if question.type == "multi":
        return _map_multi(export, base, question, source, codebook), _empty_quarantine()
    if question.type == "text":
        assert source.column is not None
        return _free_text(export, base, source.column, question.id), _empty_quarantine()
    return _map_grid(export, base, question, source)


def _map_grid(
    export: RawExport, base: pd.DataFrame, question: Question, source: Source
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Numeric or ordinal grid: one long row per respondent x item with an answer."""
    table, value_column = question.target.split(".")
    code_column = (
        "role_code" if table in ("hiring_need", "recruitment_difficulty") else "skill_code"
    )
    items = source.items if source.items is not None else {}
    if not items:
        raise CodebookError(f"question {question.id!r} is a grid and needs 'items'")
    longs = []
    for code, ref in items.items():
        raw = export.column(ref)
        answered = raw.notna() & ~raw.isin(question.missing_values)
        part = base.loc[answered].copy()
        part[code_column] = code
        part["_raw"] = raw[answered]
        part["_column"] = ref
        longs.append(part)
    long = pd.concat(longs) if longs else base.iloc[0:0].assign(_raw=None, _column=None)
    parsed = _parse_values(long["_raw"], question)
    bad = parsed.isna()
    good = long.loc[~bad].drop(columns=["_raw", "_column"])
    good[value_column] = parsed[~bad].astype("Int64")
    for key, value in question.constants.items():
        good[key] = value
    refused = long.loc[bad].drop(columns=["_raw", "_column"])
    for key, value in question.constants.items():
        refused[key] = value
    refused["stage"] = "ingest"
    refused["reasons"] = [
        f"{value_column} {raw!r} is not {_expected(question)} "
        f"(question {question.id}, column {column!r})"
        for raw, column in zip(long.loc[bad, "_raw"], long.loc[bad, "_column"], strict=True)
    ]
    return good, refused


def _parse_values(raw: pd.Series, question: Question) -> pd.Series:
    """Whole numbers (numeric grids) or scale values (ordinal grids); NA where not parseable."""
    text = raw.astype("string").str.strip()
    if question.type == "ordinal_grid":
        mapping = {key: int(code) for key, code in question.value_map.items()}
        mapped = text.map(mapping.get, na_action="ignore")
        numeric = pd.to_numeric(text, errors="coerce")
        scale_values = set(mapping.values())
        numeric = numeric.where(numeric.isin(scale_values))
        return pd.to_numeric(mapped, errors="coerce").fillna(numeric)
    numeric = pd.to_numeric(text, errors="coerce")
    whole = numeric.where(numeric.notna() & (numeric == numeric.round()))
    return whole


def _expected(question: Question) -> str:
    if question.type == "ordinal_grid":
        return "on the answer scale"
    return "a whole number"


def _map_multi(
    export: RawExport, base: pd.DataFrame, question: Question, source: Source, codebook: Codebook
) -> pd.DataFrame:
    """Multi-select: one row per answering respondent x option, selected true/false."""
    code_column = question.target.split(".")[1]
    mapping = {key: str(code) for key, code in question.value_map.items()}
    codes = list(codebook.codes.get("training_format", {}))
    if source.column is not None:
        raw = export.column(source.column)
        delimiter = source.joined or ","
        missing = set(question.missing_values)  # whole answers or single choices: no answer
        raw = raw.where(~raw.isin(missing))
        chosen = raw.map(
            lambda cell: (
                [
                    mapping.get(c, c)
                    for c in split_joined(cell, delimiter, list(mapping))
                    if c not in missing
                ]
                or None
            ),
            na_action="ignore",
        )
    else:
        assert source.items is not None
        flags = pd.DataFrame(
            {
                code: export.column(ref).notna() & ~export.column(ref).isin(_FALSE_SELECTIONS)
                for code, ref in source.items.items()
            }
        )
        chosen = pd.Series(
            [[c for c in flags.columns if row[c]] or None for _, row in flags.iterrows()],
            index=flags.index,
            dtype=object,
        )
    if source.other_text is not None:
        other = export.column(source.other_text).notna()
        other_code = next(
            (c for text, c in mapping.items() if text.lower().startswith("other")), "other"
        )
        chosen = _add_other(chosen, other, other_code)
    answered = chosen.notna()
    rows = []
    for idx in chosen.index[answered]:
        picked = set(chosen[idx])
        for code in [*codes, *sorted(picked - set(codes))]:
            row = base.loc[idx].to_dict()
            row[code_column] = code
            row["selected"] = code in picked
            rows.append(row)
    return pd.DataFrame(rows, columns=[*base.columns, code_column, "selected"])


def _add_other(chosen: pd.Series, other: pd.Series, other_code: str) -> pd.Series:
    """Respondents who wrote an 'other' answer selected 'other', even if they did not tick it."""
    out = chosen.copy()
    for idx in out.index[other.to_numpy()]:
        picked = list(out[idx]) if isinstance(out[idx], list) else []
        if other_code not in picked:
            picked.append(other_code)
        out[idx] = picked
    return out


def _free_text(export: RawExport, base: pd.DataFrame, ref: str, question_id: str) -> pd.DataFrame:
    raw = export.column(ref).astype("string").str.strip()
    answered = raw.notna() & (raw != "")
    part = base.loc[answered].copy()
    part["question_id"] = question_id
    part["text"] = redact_free_text(raw[answered])
    return part


def _merge_parts(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One canonical table from its parts; skill_need merges importance and shortage rows."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty(name)
    if name == "skill_need" and len(frames) > 1:
        keys = [*TABLES[name].natural_key, "source_file", "source_sha256", "source_row"]
        merged = frames[0]
        for frame in frames[1:]:
            merged = merged.merge(frame, on=keys, how="outer", suffixes=("", "_dup"))
            for col in [c for c in merged.columns if c.endswith("_dup")]:
                merged[col[:-4]] = merged[col[:-4]].fillna(merged[col])
                merged = merged.drop(columns=col)
        return _conform(merged.sort_values(["source_row", "skill_code"]), name)
    return _conform(pd.concat(frames, ignore_index=True), name)


def _conform(frame: pd.DataFrame, name: str, *, quarantine: bool = False) -> pd.DataFrame:
    """Exactly the canonical columns, in order, with the canonical dtypes."""
    dtypes = dict(TABLES[name].all_columns)
    if quarantine:
        dtypes.update(QUARANTINE_COLUMNS)
    out = pd.DataFrame(index=frame.index)
    for column, dtype in dtypes.items():
        values = frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index)
        as_dtype: Any = dtype
        out[column] = (
            values.astype(as_dtype) if dtype != "datetime64[ns]" else pd.to_datetime(values)
        )
    return out.reset_index(drop=True)


def _concat(frames: list[pd.DataFrame], name: str, *, quarantine: bool = False) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty(name, quarantine=quarantine)
    return _conform(pd.concat(frames, ignore_index=True), name, quarantine=quarantine)


def _empty(name: str, *, quarantine: bool = False) -> pd.DataFrame:
    return _conform(pd.DataFrame(), name, quarantine=quarantine)


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame()


def _mapped_columns(codebook: Codebook, wave: str) -> list[tuple[str, str]]:
    """(question id, column reference) of every column the codebook maps in ``wave``."""
    out = []
    for question in codebook.questions:
        source = question.waves.get(wave)
        if source is None:
            continue
        refs = [source.column, source.other_text, *(source.items or {}).values()]
        out += [(question.id, ref) for ref in refs if ref is not None]
    return out


def _refuse_personal_columns(export: RawExport, codebook: Codebook, wave: str, spec: Wave) -> None:
    """PII safety net: a mapped column that looks personal stops the run unless allowed."""
    allowed = set(spec.allow_columns)
    for question_id, ref in _mapped_columns(codebook, wave):
        if ref in allowed:
            continue
        key = export.resolve(ref)
        info = export.columns[key]
        kind = suspected_pii(info.tag, info.text, export.data[key])
        if kind is not None:
            raise CodebookError(
                f"question {question_id!r} maps a column that looks like {kind}; list it in "
                f"the wave's pii_columns to drop it, or in allow_columns if it is not personal",
                file=export.path,
                column=ref,
            )


def _refuse_mapped_pii(codebook: Codebook, wave: str, spec: Wave) -> None:
    pii = set(spec.pii_columns)
    for question_id, ref in _mapped_columns(codebook, wave):
        if ref in pii:
            raise CodebookError(
                f"question {question_id!r} maps a column the codebook lists as PII", column=ref
            )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
