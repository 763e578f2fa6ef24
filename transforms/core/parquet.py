"""Shared by every step: Parquet files of a canonical table, written fast from dictionaries.

A canonical table's strings are mostly repeated values (codes, keys, file names), and the
pipeline holds them as Arrow dictionaries. Turning them back into plain strings only for the
Parquet writer to dictionary-encode them again costs more than half of the writing; so the
writer takes the dictionaries as they are (`staged` schema) and the file is then labelled with
the canonical schema (plain strings, pandas dtypes): readers get exactly what a file written
from plain strings gives them.
"""

from __future__ import annotations

import base64
from pathlib import Path
from types import TracebackType

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from transforms.core.canonical import arrow_schema


class CanonicalWriter:
    """Appends tables (plain or dictionary strings) to one canonical table's Parquet file."""

    def __init__(self, path: Path, name: str, *, quarantine: bool = False) -> None:
        self.schema = arrow_schema(name, quarantine=quarantine)
        self.written = arrow_schema(name, quarantine=quarantine, staged=True)
        self.rows = 0
        self._writer = pq.ParquetWriter(path, self.written, compression="zstd", store_schema=False)

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table.cast(self.written))
            self.rows += table.num_rows

    def close(self) -> None:
        serialized = self.schema.serialize().to_pybytes()
        metadata = {key.decode(): value.decode() for key, value in self.schema.metadata.items()}
        self._writer.add_key_value_metadata(
            {"ARROW:schema": base64.b64encode(serialized).decode(), **metadata}
        )
        self._writer.close()

    def __enter__(self) -> CanonicalWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
