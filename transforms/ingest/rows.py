"""Ingest step, mapping: the rows one question gives a canonical table, as arrays (no row loops).

A question's answers in a slice of an export become `Rows`: for each output row, the position
of the export row it came from, and its values per canonical column (an Arrow array, or one
constant for every row). `transforms.ingest.assemble` adds the key and provenance columns and
writes the canonical table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

Values = Mapping[str, "pa.Array | str"]


@dataclass(frozen=True)
class Rows:
    """Output rows: the export row position of each, and its values per canonical column.

    ``values`` holds an array as long as ``positions`` or a string constant per column; a
    canonical column not named is null.
    """

    positions: np.ndarray  # int64: position of the source row in the export slice
    values: dict[str, pa.Array | str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.positions)

    def take(self, order: np.ndarray) -> Rows:
        values = {
            name: value if isinstance(value, str) else value.take(pa.array(order))
            for name, value in self.values.items()
        }
        return Rows(self.positions[order], values)


def per_unique(raw: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``convert`` applied to the distinct values of ``raw`` only, spread back to every row.

    Survey answers repeat (a few dozen distinct values in a million cells), so parsing,
    mapping and matching run once per distinct value. Missing cells stay missing.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    converted = convert(pd.Series(uniques, dtype=raw.dtype)).reset_index(drop=True)
    if len(converted) == 0:
        return pd.Series(pd.NA, index=raw.index, dtype=converted.dtype)
    taken = converted.take(np.where(codes < 0, 0, codes)).reset_index(drop=True)
    taken = taken.mask(pd.Series(codes < 0))
    taken.index = raw.index
    return taken


def isin_per_unique(raw: pd.Series, values: frozenset[str] | set[str]) -> np.ndarray:
    """Whether each cell is one of ``values`` (False for missing cells), per distinct value."""
    if not values:
        return np.zeros(len(raw), dtype=bool)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    if not len(uniques):  # every cell missing
        return np.zeros(len(raw), dtype=bool)
    hit = np.fromiter((str(u) in values for u in uniques), dtype=bool, count=len(uniques))
    return np.where(codes < 0, False, hit[np.where(codes < 0, 0, codes)])


def strings(values: pd.Series) -> pa.Array:
    """A pandas string column as an Arrow string array (nulls kept)."""
    return pa.array(values.astype("string"), from_pandas=True).cast(pa.string())


def dictionary(indices: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    """Strings given as positions into ``labels``: one small dictionary, no copied text."""
    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32, copy=False)), pa.array(labels, type=pa.string())
    )


def nullable_ints(values: np.ndarray) -> pa.Array:
    """Floats (NaN for missing) as Arrow int64 with nulls."""
    missing = np.isnan(values)
    return pa.array(np.where(missing, 0, values).astype(np.int64), mask=missing)


def concat_rows(parts: list[Rows]) -> Rows:
    """The parts one after another (each in export row order)."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return Rows(np.zeros(0, dtype=np.int64))
    if len(parts) == 1:
        return parts[0]
    names = list(dict.fromkeys(name for part in parts for name in part.values))
    positions = np.concatenate([part.positions for part in parts])
    values: dict[str, pa.Array | str] = {}
    for name in names:
        given = [part.values.get(name) for part in parts]
        if all(isinstance(v, str) for v in given) and len({*given}) == 1:
            values[name] = str(given[0])
            continue
        chunks = [_as_array(v, len(part)) for v, part in zip(given, parts, strict=True)]
        values[name] = _concat_arrays(chunks)
    return Rows(positions, values)


def _as_array(value: pa.Array | str | None, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n)
    if isinstance(value, str):
        return dictionary(np.zeros(n, dtype=np.int32), [value])
    return value


def _concat_arrays(chunks: list[pa.Array]) -> pa.Array:
    """One array from chunks of compatible types (dictionaries and nulls become strings)."""
    typed = [c for c in chunks if not pa.types.is_null(c.type)]
    if not typed:
        return pa.nulls(sum(len(c) for c in chunks))
    target = typed[0].type
    if pa.types.is_dictionary(target) or any(pa.types.is_dictionary(c.type) for c in typed):
        target = pa.string()
    return pa.concat_arrays([c.cast(target) for c in chunks])
