"""Ingest step, reading: any other delimited text or XLSX table with one header row (a cleaned
public release, an in-house tool) into a RawExport keyed by the heading.

Never detected: a wave chooses ``platform: generic`` in survey.yaml. Key = the heading with
whitespace collapsed; a heading-less column is ``unnamed_<column number>``; a repeated heading
is keyed with its column letters (``Comments [H]``). Encoding and delimiter (, ; tab |) are
sniffed. Values are kept as written: a literal ``NA`` stays "NA" (the codebook decides what is
missing). ``status`` is all NA. Source rows start at 2.
"""

from __future__ import annotations

from pathlib import Path

from transforms.ingest.readers.base import RawExport
from transforms.ingest.readers.cells import CellTable
from transforms.ingest.readers.one_header import read_one_header_export


def read_generic_export(path: Path, cells: CellTable | None = None) -> RawExport:
    """A one-header-row table read into strings, keyed by the heading."""
    return read_one_header_export(path, platform="generic", cells=cells)
