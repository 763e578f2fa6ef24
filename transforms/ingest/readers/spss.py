"""Ingest step, reading: SPSS .sav files (any platform's SPSS export) into a RawExport keyed by
variable name.

Key and tag = variable name; text = variable label (``set label - variable label`` for members of
a multiple-response set); the label is an alias when unique. Values become strings: value labels
applied (``values="labels"``, the default, like a choice-text CSV) or the codes themselves
(``values="codes"``); integral numbers without ".0", dates as ISO strings. User-missing values
(``missing_ranges``) become NA unless they carry a value label ("Don't know"), which is kept so
the codebook's ``missing_values`` can name it. Multiple-response sets are listed in
``dialect["mr_sets"]``; ``spss_metadata`` returns labels, missing ranges and sets in full.
Source rows are SPSS case numbers (1 = first case). ``status`` is all NA.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyreadstat

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.assemble import unique_aliases
from transforms.ingest.readers.base import ColumnInfo, RawExport, file_sha256
from transforms.ingest.readers.cells import STRING_DTYPE
from transforms.ingest.readers.excel_values import cell_text

SpssValues = Literal["labels", "codes"]


@dataclass(frozen=True)
class SpssMetadata:
    """What a .sav file says about its variables beyond the values."""

    variable_labels: dict[str, str]
    value_labels: dict[str, dict[str, str]]  # variable -> code as text -> label
    missing_ranges: dict[str, list[tuple[object, object]]]  # variable -> [(lo, hi), ...]
    mr_sets: dict[str, dict[str, Any]]  # pyreadstat's mr_sets as read
    encoding: str


def read_spss_export(
    path: Path, cells: object = None, *, values: SpssValues = "labels"
) -> RawExport:
    """A .sav file read into strings keyed by variable name (``cells`` is unused: a .sav file
    has no text cells; it is there so that every reader is called alike)."""
    del cells
    path = Path(path)
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashed while readstat parses
        sha256 = pool.submit(file_sha256, path)
        frame, meta = _read_sav(path, metadata_only=False)
    metadata = _metadata(meta)
    if frame.empty:
        raise ExportReadError("the SPSS file has variables but no cases", file=path)
    data = pd.DataFrame(
        {name: _column_strings(frame[name], name, metadata, values) for name in frame.columns}
    )
    columns = _columns(list(frame.columns), metadata)
    return RawExport(
        path=path,
        platform="spss",
        sha256=sha256.result(),
        data=data,
        source_rows=pd.Series(np.arange(1, len(data) + 1), dtype="int64"),
        columns=columns,
        status=pd.Series(pd.NA, index=data.index, dtype=STRING_DTYPE),
        encoding=metadata.encoding,
        dialect={"container": "sav", "values": values, "mr_sets": _describe_sets(metadata)},
        aliases=unique_aliases(columns, [[(c.text, c.key) for c in columns.values()]]),
    )


def spss_metadata(path: Path) -> SpssMetadata:
    """Variable labels, value labels, user-missing ranges and multiple-response sets."""
    return _metadata(_read_sav(Path(path), metadata_only=True)[1])


def _read_sav(path: Path, *, metadata_only: bool) -> tuple[pd.DataFrame, Any]:
    if not path.exists():
        raise ExportReadError("the export file does not exist", file=path)
    try:
        return pyreadstat.read_sav(str(path), user_missing=True, metadataonly=metadata_only)
    except Exception as error:  # pyreadstat raises its own ReadstatError and others
        raise ExportReadError(f"the SPSS file cannot be read: {error}", file=path) from error


def _metadata(meta: Any) -> SpssMetadata:
    names: list[str] = list(meta.column_names)
    labels = dict(zip(names, meta.column_labels or [None] * len(names), strict=True))
    return SpssMetadata(
        variable_labels={name: label for name, label in labels.items() if label},
        value_labels={
            name: {str(cell_text(code)): str(label) for code, label in mapping.items()}
            for name, mapping in (meta.variable_value_labels or {}).items()
        },
        missing_ranges={
            name: [(item["lo"], item["hi"]) for item in ranges]
            for name, ranges in (meta.missing_ranges or {}).items()
        },
        mr_sets=dict(getattr(meta, "mr_sets", None) or {}),
        encoding=str(meta.file_encoding or "unknown"),
    )


def _column_strings(
    series: pd.Series, name: str, metadata: SpssMetadata, values: SpssValues
) -> pd.Series:
    """The column as strings; labels and missing values are decided once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    labels = metadata.value_labels.get(name, {})
    ranges = metadata.missing_ranges.get(name, [])
    shown = [_shown(value, labels, ranges, values) for value in uniques]
    texts = pa.array(shown, pa.large_string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(texts), index=series.index)


def _shown(
    value: object, labels: dict[str, str], ranges: list[tuple[object, object]], values: SpssValues
) -> str | None:
    """What one distinct value reads as: its label or code; None when empty or unlabelled
    user-missing."""
    text = cell_text(value)
    if text is None:
        return None
    label = labels.get(text)
    if label is None and any(_within(value, low, high) for low, high in ranges):
        return None
    return label if values == "labels" and label is not None else text


def _within(value: object, low: object, high: object) -> bool:
    if isinstance(value, int | float) and isinstance(low, int | float):
        return float(low) <= float(value) <= float(high)  # type: ignore[arg-type]
    return value in (low, high)


def _columns(names: list[str], metadata: SpssMetadata) -> dict[str, ColumnInfo]:
    set_label = {
        variable: str(spec.get("label") or "")
        for spec in metadata.mr_sets.values()
        for variable in spec.get("variable_list", [])
    }
    columns = {}
    for position, name in enumerate(names):
        text = metadata.variable_labels.get(name, name)
        if set_label.get(name):
            text = f"{set_label[name]} - {text}"
        columns[name] = ColumnInfo(key=name, tag=name, text=text, position=position)
    return columns


def _describe_sets(metadata: SpssMetadata) -> str:
    """'name: var1, var2 (dichotomy, counted 1); ...' for the dialect."""
    parts = []
    for name, spec in metadata.mr_sets.items():
        kind = (
            f"dichotomy, counted {cell_text(spec.get('counted_value'))}"
            if spec.get("is_dichotomy")
            else "categories"
        )
        variables = ", ".join(spec.get("variable_list", []))
        parts.append(f"{name}: {variables} ({kind})")
    return "; ".join(parts)
