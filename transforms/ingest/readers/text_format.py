"""Ingest step, reading: how a delimited text export is encoded and laid out (sniffed, not guessed
from the extension)."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import clevercsv
from charset_normalizer.md import mess_ratio

from transforms.core.errors import ExportReadError

SAMPLE_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")
# File signatures of binary formats that are sometimes saved or renamed as .csv.
BINARY_SIGNATURES: dict[bytes, str] = {
    b"PK\x03\x04": "a ZIP container (an XLSX workbook?)",
    b"\xd0\xcf\x11\xe0": "an OLE2 container (an old .xls workbook?)",
    b"$FL2": "an SPSS .sav file",
    b"$FL3": "an SPSS .sav file (compressed)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"PAR1": "a Parquet file",
}
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


@dataclass(frozen=True)
class TextFormat:
    """Encoding and dialect of a delimited text file."""

    encoding: str  # Python codec name for the whole file, BOM handled ("utf-8-sig", "utf-16")
    bom: bool
    delimiter: str
    line_end: str  # "LF", "CRLF", "CR" (the first one seen) or "none" for a one-line file

    @property
    def reported_encoding(self) -> str:
        """The encoding as RawExport.encoding reports it (BOM shown in the dialect instead)."""
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding

    def dialect(self) -> dict[str, str]:
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        return {
            "delimiter": self.delimiter,
            "delimiter_name": names.get(self.delimiter, self.delimiter),
            "quotechar": '"',
            "line_end": self.line_end,
            "bom": "yes" if self.bom else "no",
        }


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first bytes of a file; ExportReadError when it is missing, a folder or empty."""
    if not path.exists():
        raise ExportReadError("the export file does not exist", file=path)
    if not path.is_file():
        raise ExportReadError("the export path is not a file", file=path)
    with path.open("rb") as handle:
        sample = handle.read(size)
    if not sample.strip():
        raise ExportReadError("the export file is empty", file=path)
    return sample


def binary_kind(sample: bytes) -> str | None:
    """What binary format the sample is, or None when it may be text."""
    for signature, kind in BINARY_SIGNATURES.items():
        if sample.startswith(signature):
            return kind
    if any(sample.startswith(bom) for bom, _, _ in _BOMS):
        return None
    if b"\x00" in sample and not _looks_like_bomless_utf16(sample):
        return "binary data (NUL bytes)"
    return None


def _looks_like_bomless_utf16(sample: bytes) -> bool:
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def detect_encoding(path: Path, sample: bytes) -> tuple[str, bool]:
    """(codec, has_bom) of a text file, from its BOM, a UTF-8 check or charset-normalizer."""
    for bom, codec, _ in _BOMS:
        if sample.startswith(bom):
            return ("utf-8-sig" if codec == "utf-8" else codec), True
    if b"\x00" in sample:
        even = sample[0::2]
        return ("utf-16-be" if even.count(0) > 0.4 * len(even) else "utf-16-le"), False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError:
        return guess_legacy_encoding(path, sample), False
    return "utf-8", False


def guess_legacy_encoding(path: Path, data: bytes) -> str:
    """A non-UTF-8 codec for the bytes. Windows-1252 (Excel's Western default) unless
    charset-normalizer finds a codec under which the text reads clearly better (less "mess"),
    as Cyrillic in windows-1251 does; short Western samples fool it into CJK codecs."""
    matches = list(charset_normalizer.from_bytes(data))
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        western_mess = 100 * mess_ratio(western, maximum_threshold=1.0)
        best = min((match.percent_chaos for match in matches), default=100.0)
        listed = any("cp1252" in match.could_be_from_charset for match in matches)
        if listed or western_mess <= best + 1.0 or not matches:
            return "cp1252"
    if not matches:
        raise ExportReadError("the export's text encoding cannot be recognised", file=path)
    return str(matches[0].encoding)


def detect_line_end(text: str) -> str:
    """The first line terminator in the text: LF, CRLF, CR or none."""
    for index, char in enumerate(text):
        if char == "\n":
            return "LF"
        if char == "\r":
            return "CRLF" if text[index + 1 : index + 2] == "\n" else "CR"
    return "none"


def detect_delimiter(text: str, complete: bool) -> str:
    """The candidate delimiter that splits the header record as wide as most records; among
    those the widest and most consistent. clevercsv decides when no candidate qualifies."""
    best, best_score = "", 0.0
    for delimiter in DELIMITERS:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
        if not complete and len(records) > 1:
            records = records[:-1]  # the sample may cut the last record
        records = records[:50]
        if not records:
            continue
        width, count = Counter(len(record) for record in records).most_common(1)[0]
        if width < 2 or len(records[0]) != width:
            continue
        score = width * count / len(records)
        if score > best_score:
            best, best_score = delimiter, score
    return best or _clevercsv_delimiter(text)


def _clevercsv_delimiter(text: str) -> str:
    dialect = clevercsv.Detector().detect(text[:20_000], delimiters=DELIMITERS)
    if dialect is None or dialect.delimiter not in DELIMITERS:
        return ","
    return str(dialect.delimiter)


def sniff_text_format(path: Path) -> TextFormat:
    """Encoding, BOM, delimiter and line ends of a delimited text export."""
    sample = read_sample(path)
    kind = binary_kind(sample)
    if kind is not None:
        raise ExportReadError(f"the export is {kind}, not delimited text", file=path)
    encoding, bom = detect_encoding(path, sample)
    complete = len(sample) < SAMPLE_BYTES
    text = sample.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return TextFormat(
        encoding=encoding,
        bom=bom,
        delimiter=detect_delimiter(text, complete),
        line_end=detect_line_end(text),
    )
