"""Ingest step, reading: Microsoft Forms XLSX (or CSV) response exports into a RawExport keyed by
the heading.

Row 1: ``ID, Start time, Completion time, Email, Name`` (+ ``Last modified time``), then one
column per question. Key = the heading with whitespace collapsed. Times become
``YYYY-MM-DD HH:MM:SS`` strings; multi-select answers stay joined with ";" (trailing ";"
included). Microsoft Forms has no response status: ``status`` is all NA. Source rows start at 2.
"""

from __future__ import annotations

from pathlib import Path

from transforms.ingest.readers.base import RawExport
from transforms.ingest.readers.cells import CellTable
from transforms.ingest.readers.one_header import read_one_header_export


def read_microsoft_forms_export(path: Path, cells: CellTable | None = None) -> RawExport:
    """A Microsoft Forms export read into strings, keyed by the heading."""
    return read_one_header_export(path, platform="microsoft_forms", cells=cells)
