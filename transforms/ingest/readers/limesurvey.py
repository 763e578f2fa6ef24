"""Ingest step, reading: LimeSurvey CSV/XLSX response exports (one header row) into a RawExport
keyed by question code.

Headings come as code (``G01Q02[SQ003]``), as text, or as ``code. text``
(``tool4can[SQ001]. What programming languages ...? [Python]``). Key = the code when there is one
(subquestions, ``[other]`` and ``[SQ001comment]`` included), else the heading text. Aliases: the
full heading and the text (when unique). Multi-select columns keep their values (``Y``/empty or
``Yes``/``No``). A heading-less first column (an index saved by pandas) is ``unnamed_1``.
LimeSurvey has no response status (``submitdate`` empty marks an incomplete response; the
codebook maps it via ``completed``), so ``status`` is all NA.
"""

from __future__ import annotations

from pathlib import Path

from transforms.ingest.readers.base import RawExport
from transforms.ingest.readers.cells import CellTable
from transforms.ingest.readers.detect import LIMESURVEY_CODE_TEXT
from transforms.ingest.readers.one_header import read_one_header_export


def limesurvey_heading(heading: str) -> tuple[str, str, str]:
    """(key, tag, text) of a LimeSurvey heading: the code is the key and tag."""
    match = LIMESURVEY_CODE_TEXT.fullmatch(heading)
    if match is None:
        return heading, heading, heading
    return match.group("code"), match.group("code"), match.group("text").strip()


def read_limesurvey_export(path: Path, cells: CellTable | None = None) -> RawExport:
    """A LimeSurvey export read into strings, keyed by question code."""
    return read_one_header_export(
        path, platform="limesurvey", parse_heading=limesurvey_heading, cells=cells
    )
