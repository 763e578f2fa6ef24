"""Ingest step, reading: Google Forms response CSVs (downloaded from Forms or Sheets, one header
row, ``Timestamp`` first) into a RawExport keyed by the question text.

Key = the heading with whitespace collapsed; grid questions keep Google's ``Question [Row]``
heading as key with ``Question`` as tag. Checkbox answers stay joined with ", " (splitting them
needs the codebook's option list: options may contain ", "). Google Forms has no response
status: ``status`` is all NA. Source rows start at 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from transforms.ingest.readers.base import RawExport
from transforms.ingest.readers.cells import CellTable
from transforms.ingest.readers.one_header import read_one_header_export

_GRID = re.compile(r"(?P<question>.+?) \[(?P<row>[^\[\]]+)\]")


def google_forms_heading(heading: str) -> tuple[str, str, str]:
    """(key, tag, text): the heading, with a grid heading's question as tag."""
    match = _GRID.fullmatch(heading)
    return heading, (match.group("question") if match else heading), heading


def read_google_forms_export(path: Path, cells: CellTable | None = None) -> RawExport:
    """A Google Forms export read into strings, keyed by the heading."""
    return read_one_header_export(
        path, platform="google_forms", parse_heading=google_forms_heading, cells=cells
    )
