"""Ingest step, reading: every record of a CSV/TSV or XLSX export as strings, header rows included,
with the row number a spreadsheet shows for each record."""

from __future__ import annotations

import codecs
import csv
import hashlib
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.base import known_sha256, remember_sha256
from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits, setting
from transforms.ingest.readers.spreadsheet import read_xlsx_records, read_xlsx_table
from transforms.ingest.readers.text_format import (
    TextFormat,
    guess_legacy_encoding,
    read_sample,
    sniff_text_format,
)

STRING_DTYPE = pd.StringDtype("pyarrow")
_PANDAS_TYPES = {pa.large_string(): STRING_DTYPE, pa.string(): STRING_DTYPE}
_BLOCK_SIZE = 1 << 22  # parsing block; larger than any header record with long texts
_MAX_SLICES = 256  # runs of records kept as slices around blank lines; more are copied
# Arrow's multi-threaded CSV reader splits the file into blocks serially and then parses them in
# parallel, at about 1.7 times the CPU of its one-threaded reader. With two cores the parser
# runs on one thread and the hashing (_fingerprint) on the other; more cores go to the parser.
_PARSER_THREADS = pa.cpu_count() > 2


@dataclass(frozen=True)
class CellTable:
    """All records of a file as strings (null for empty cells), columns by position."""

    path: Path
    table: pa.Table  # one string column per file column, one row per record
    record_rows: np.ndarray  # 1-based spreadsheet row of each record
    encoding: str
    dialect: dict[str, str]
    sha256: str

    @property
    def n_records(self) -> int:
        return int(self.table.num_rows)

    def header(self, n_rows: int) -> list[list[str]]:
        """The first records as lists of strings ("" for empty)."""
        head = self.table.slice(0, n_rows)
        return [[value or "" for value in row.values()] for row in head.to_pylist()]

    def body(self, n_header_rows: int, keep: list[int], keys: list[str]) -> pd.DataFrame:
        """The records after the header, the kept columns renamed to keys, as pandas strings."""
        body = self.table.slice(n_header_rows).select(keep).rename_columns(keys)
        frame: pd.DataFrame = body.to_pandas(types_mapper=_PANDAS_TYPES.get)
        return frame

    def body_rows(self, n_header_rows: int) -> pd.Series:
        return pd.Series(self.record_rows[n_header_rows:], dtype="int64")

    def column_is_empty(self, position: int, n_header_rows: int) -> bool:
        column = self.table.column(position).slice(n_header_rows)
        return bool(column.null_count == len(column))


def file_kind(path: Path) -> str:
    """The kind of file, from its first bytes (never from its name): xlsx, sav or text."""
    sample = read_sample(path, 8)
    if sample.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):  # any ZIP archive
        try:
            with zipfile.ZipFile(path) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return "xlsx"
        except zipfile.BadZipFile as error:
            raise ExportReadError(f"the workbook is damaged: {error}", file=path) from error
        raise ExportReadError("the export is a ZIP archive, not a survey export", file=path)
    if sample.startswith((b"$FL2", b"$FL3")):
        return "sav"
    return "text"


def read_cells(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> CellTable:
    """Every record of a CSV/TSV or XLSX file as strings (the file hashed meanwhile); a cell
    longer than ``limits.max_cell_chars`` is an error naming its row and column."""
    kind = file_kind(path)
    if kind == "sav":
        raise ExportReadError("the export is an SPSS .sav file, not a table of text", file=path)
    text_format = None if kind == "xlsx" else sniff_text_format(path)
    check_utf8 = text_format is not None and text_format.encoding.startswith("utf-8")
    with ThreadPoolExecutor(max_workers=1) as pool:  # the parsers release the GIL meanwhile
        fingerprint = pool.submit(_fingerprint, path, check_utf8)
        if text_format is None:
            table, record_rows, encoding, dialect = _xlsx_cells(path, limits)
        else:
            table, record_rows, encoding, dialect = _text_cells(
                path, text_format, fingerprint, limits
            )
        _check_cell_sizes(path, table, record_rows, limits.max_cell_chars)
        return CellTable(path, table, record_rows, encoding, dialect, fingerprint.result()[0])


def _check_cell_sizes(path: Path, table: pa.Table, record_rows: np.ndarray, max_chars: int) -> None:
    """Refuse a cell longer than ``max_chars``, naming its row and column (Arrow reads one;
    Python's csv module and every step after it should never have to)."""
    for index, column in enumerate(table.columns):
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > max_chars:
            at = int(pc.index(lengths, longest).as_py())
            row = int(record_rows[at]) if at < len(record_rows) else at + 1
            raise ExportReadError(
                f"a cell of {longest:,} characters is longer than {max_chars:,}, the most a "
                f"reader accepts in one cell ({setting('max_cell_chars')}; no survey answer is "
                "that long: is the file damaged?)",
                file=path,
                row=row,
                column=f"column {index + 1}",
            )


def _fingerprint(path: Path, check_utf8: bool) -> tuple[str, bool]:
    """(SHA-256 hex digest, whether the bytes are valid UTF-8) in one pass over the file; the
    UTF-8 check runs here, beside the CSV parser, instead of inside it. A digest this process
    already has for the unchanged file (the change check computed it) is not computed again."""
    known = known_sha256(path)
    if known is not None and not check_utf8:
        return known, False
    digest = None if known is not None else hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid = check_utf8
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            if digest is not None:
                digest.update(chunk)
            if valid and not (chunk.isascii() and not decoder.getstate()[0]):
                valid = _decodes(decoder, chunk, final=False)  # ASCII needs no decoding
    if valid:
        valid = _decodes(decoder, b"", final=True)
    if digest is None:
        assert known is not None
        return known, valid
    remember_sha256(path, digest.hexdigest())
    return digest.hexdigest(), valid


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool) -> bool:
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return True


def peek_records(
    path: Path, n_records: int = 3, *, limits: ReadLimits = DEFAULT_LIMITS
) -> list[list[str]]:
    """The first records of a CSV/TSV or XLSX file (for detection), "" for empty cells."""
    if file_kind(path) == "xlsx":
        rows = read_xlsx_records(path, n_records + 10, max_cells=limits.max_xlsx_cells)[1]
        return [[cell or "" for cell in row] for row in rows if any(row)][:n_records]
    text_format = sniff_text_format(path)
    records = _python_records(path, text_format, limits.max_cell_chars)
    return list(islice((record for record in records if any(record)), n_records))


_Cells = tuple[pa.Table, np.ndarray, str, dict[str, str]]


def _xlsx_cells(path: Path, limits: ReadLimits) -> _Cells:
    sheet, table = read_xlsx_table(path, max_cells=limits.max_xlsx_cells)
    table, record_rows = _without_blank_records(table)
    if table.num_rows == 0:
        table = pa.table({})
    return table, record_rows, "utf-8", {"container": "xlsx", "sheet": sheet}


def _text_cells(
    path: Path, text_format: TextFormat, fingerprint: Future[tuple[str, bool]], limits: ReadLimits
) -> _Cells:
    """Records of a text file; a UTF-8 file whose bytes turn out invalid past the sniffed
    sample is read again in a legacy encoding."""
    width = _first_record_width(path, text_format)
    try:
        table = _arrow_read(path, text_format, width)
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise _parse_error(path, text_format, width, error, limits) from error
    if text_format.encoding.startswith("utf-8") and not fingerprint.result()[1]:
        text_format = _legacy_format(path, text_format)
        try:
            table = _arrow_read(path, text_format, width)
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            raise ExportReadError(
                f"the export cannot be decoded as {text_format.encoding}: {error}", file=path
            ) from error
    table, record_rows = _without_blank_records(table)
    return table, record_rows, text_format.reported_encoding, text_format.dialect()


def _without_blank_records(table: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """The table without records whose cells are all empty (blank lines), and the spreadsheet
    row of each remaining record (blank lines still count as rows, as a spreadsheet shows)."""
    numbers = np.arange(1, table.num_rows + 1, dtype=np.int64)
    if table.num_columns == 0 or any(column.null_count == 0 for column in table.columns):
        return table, numbers
    blank = pc.is_null(table.column(0))
    for column in table.columns[1:]:
        blank = pc.and_(blank, pc.is_null(column))
    kept = np.flatnonzero(~blank.to_numpy(zero_copy_only=False))
    if len(kept) == table.num_rows:
        return table, numbers
    return _rows_at(table, kept), numbers[kept]


def _rows_at(table: pa.Table, positions: np.ndarray) -> pa.Table:
    """The rows at the (ascending) positions: each run of consecutive rows a zero-copy slice,
    unless blank lines cut the table into many runs (then the rows are copied)."""
    if len(positions) == 0:
        return table.slice(0, 0)
    breaks = np.flatnonzero(np.diff(positions) != 1) + 1
    if len(breaks) >= _MAX_SLICES:
        return table.take(positions)
    starts = positions[np.concatenate(([0], breaks))]
    ends = positions[np.concatenate((breaks - 1, [len(positions) - 1]))] + 1
    parts = [table.slice(start, end - start) for start, end in zip(starts, ends, strict=True)]
    return pa.concat_tables(parts)


def _legacy_format(path: Path, text_format: TextFormat) -> TextFormat:
    """The format with a legacy encoding, for a file whose UTF-8 breaks after the sniffed
    sample. Valid non-ASCII UTF-8 before the break means mixed encodings: an error, not
    mojibake."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
    else:
        raise ExportReadError("the export has invalid UTF-8 text", file=path)
    if not data[:offset].isascii():
        raise ExportReadError(
            f"the export mixes encodings: UTF-8 up to byte {offset}, then a byte that is not",
            file=path,
        )
    encoding = guess_legacy_encoding(path, data[offset : offset + (1 << 20)])
    return TextFormat(encoding, text_format.bom, text_format.delimiter, text_format.line_end)


def _first_record_width(path: Path, text_format: TextFormat) -> int:
    with path.open(encoding=text_format.encoding, errors="replace", newline="") as handle:
        first = next(csv.reader(handle, delimiter=text_format.delimiter), [])
    if not first:
        raise ExportReadError("the export's first line is empty", file=path, row=1)
    return len(first)


def _arrow_read(path: Path, text_format: TextFormat, width: int) -> pa.Table:
    encoding = "utf8" if text_format.encoding in ("utf-8", "utf-8-sig") else text_format.encoding
    names = [f"f{i}" for i in range(width)]
    return pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(
            column_names=names,
            encoding=encoding,
            block_size=_BLOCK_SIZE,
            use_threads=_PARSER_THREADS,
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=text_format.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
            check_utf8=False,  # checked beside the parser (_fingerprint)
        ),
    )


def _python_records(path: Path, text_format: TextFormat, max_chars: int) -> Iterator[list[str]]:
    """Records by Python's csv module (detection, and locating a parse error); a cell over
    ``max_chars`` or a record the module cannot parse is an ExportReadError with its row."""
    csv.field_size_limit(max_chars)  # the module's limit is per process; every read sets it
    with path.open(encoding=text_format.encoding, errors="replace", newline="") as handle:
        records = csv.reader(handle, delimiter=text_format.delimiter)
        try:
            yield from records
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise ExportReadError(
                    f"a cell is longer than {max_chars:,} characters, the most a reader "
                    f"accepts in one cell ({setting('max_cell_chars')}; no survey answer is "
                    "that long: is the file damaged?)",
                    file=path,
                    row=records.line_num,
                ) from error
            raise ExportReadError(
                f"the export cannot be parsed: {error}", file=path, row=records.line_num
            ) from error


def _parse_error(
    path: Path, text_format: TextFormat, width: int, error: Exception, limits: ReadLimits
) -> ExportReadError:
    """A read error naming the first record whose cell count differs from the first row's."""
    number = 0
    for number, record in enumerate(
        _python_records(path, text_format, limits.max_cell_chars), start=1
    ):
        if record and len(record) != width:
            return ExportReadError(
                f"the row has {len(record)} cells where the first row has {width}",
                file=path,
                row=number,
            )
    return ExportReadError(f"the export cannot be parsed: {error}", file=path, row=number or None)
