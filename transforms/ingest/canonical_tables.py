"""Ingest step, mapping: a question's rows + the export's keys and provenance → a canonical table.

The key and provenance columns are not copied per row: the survey, wave, file and file hash
are one-value dictionaries, and the respondent key is a dictionary over the slice's keys, so
a wave of a million respondents and twenty million hiring rows stays small until it is written
(Parquet stores such columns dictionary-encoded as well).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from transforms.core.canonical import arrow_schema
from transforms.ingest.rows import Rows, dictionary

_CONSTANTS = ("survey_id", "wave", "source_file", "source_sha256")


@dataclass(frozen=True)
class SliceKeys:
    """Key and provenance of the export rows of one slice."""

    survey_id: str
    wave: str
    source_file: str
    source_sha256: str
    key_codes: np.ndarray  # int32: each row's position in key_labels
    key_labels: list[str]  # the slice's distinct respondent keys
    source_rows: np.ndarray  # int64: spreadsheet row of each export row

    @classmethod
    def of(
        cls,
        keys: pd.Series,
        source_rows: np.ndarray,
        *,
        survey_id: str,
        wave: str,
        source_file: str,
        source_sha256: str,
    ) -> SliceKeys:
        codes, labels = pd.factorize(keys.astype("string"), use_na_sentinel=True)
        if (codes < 0).any():
            raise ValueError("every export row needs a respondent key")
        return cls(
            survey_id=survey_id,
            wave=wave,
            source_file=source_file,
            source_sha256=source_sha256,
            key_codes=codes.astype(np.int32),
            key_labels=[str(label) for label in labels],
            source_rows=np.asarray(source_rows, dtype=np.int64),
        )


def canonical_table(name: str, rows: Rows, keys: SliceKeys, *, quarantine: bool) -> pa.Table:
    """The rows as canonical table ``name`` in the staged schema (columns in canonical order;
    a column no question filled is null)."""
    schema = arrow_schema(name, quarantine=quarantine, staged=True)
    n = len(rows)
    positions = rows.positions
    arrays = []
    for field in schema:
        if field.name in _CONSTANTS:
            value: pa.Array | str | None = getattr(keys, field.name)
        elif field.name == "respondent_key":
            value = pa.DictionaryArray.from_arrays(
                pa.array(keys.key_codes[positions]), pa.array(keys.key_labels, type=pa.string())
            )
        elif field.name == "source_row":
            value = pa.array(keys.source_rows[positions])
        else:
            value = rows.values.get(field.name)
        arrays.append(_typed(value, field.type, n))
    return pa.Table.from_arrays(arrays, schema=schema)


def _typed(value: pa.Array | str | None, arrow_type: pa.DataType, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n, type=arrow_type)
    if isinstance(value, str):
        constant = dictionary(np.zeros(n, dtype=np.int32), [value])
        return constant if pa.types.is_dictionary(arrow_type) else constant.cast(arrow_type)
    if pa.types.is_dictionary(arrow_type) and not pa.types.is_dictionary(value.type):
        return pc.dictionary_encode(value.cast(pa.string())).cast(arrow_type)
    return value.cast(arrow_type)
