"""Ingest step, reading: detect an export's platform and read it into a RawExport.

Platforms: qualtrics, surveymonkey, limesurvey, google_forms, microsoft_forms, spss (detected
from the file's signature) and generic (only when asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.base import RawExport
from transforms.ingest.readers.cells import file_kind, read_cells
from transforms.ingest.readers.detect import (
    detect_platform,
    first_row,
    platform_of_records,
    unrecognised_platform,
)
from transforms.ingest.readers.generic import read_generic_export
from transforms.ingest.readers.google_forms import read_google_forms_export
from transforms.ingest.readers.limesurvey import read_limesurvey_export
from transforms.ingest.readers.limits import DEFAULT_LIMITS, ReadLimits, check_export_size
from transforms.ingest.readers.microsoft_forms import read_microsoft_forms_export
from transforms.ingest.readers.qualtrics import read_qualtrics_export
from transforms.ingest.readers.spss import read_spss_export
from transforms.ingest.readers.surveymonkey import read_surveymonkey_export

# Each reader takes the path and, for delimited text and XLSX, the file's cells already read.
READERS: dict[str, Callable[[Path, Any], RawExport]] = {
    "qualtrics": read_qualtrics_export,
    "surveymonkey": read_surveymonkey_export,
    "limesurvey": read_limesurvey_export,
    "google_forms": read_google_forms_export,
    "microsoft_forms": read_microsoft_forms_export,
    "spss": read_spss_export,
    "generic": read_generic_export,
}

__all__ = ["READERS", "RawExport", "ReadLimits", "detect_platform", "read_export"]


def read_export(
    path: Path, platform: str | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> RawExport:
    """Read an export with the reader of its platform: detected from the file's signature, or
    forced by ``platform`` (refused when the file plainly looks like another platform's;
    ``generic`` reads any one-header-row table). The file is read (and hashed) once: detection
    looks at the first records of the cells the reader then uses. ``limits`` bound the file's
    size, a cell's length and a sheet's extent."""
    path = Path(path)
    if platform is not None and platform not in READERS:
        known = ", ".join(sorted(READERS))
        raise ExportReadError(f"unknown platform {platform!r} (known: {known})", file=path)
    check_export_size(path, limits)
    if file_kind(path) == "sav":
        found: str | None = "spss"
        cells = None
    else:
        cells = read_cells(path, limits=limits)
        records = cells.header(3)
        found = platform_of_records([r for r in records if any(r)])
        if platform is None and found is None:
            raise unrecognised_platform(path, first_row(records))
    if platform is None:
        assert found is not None
        platform = found
    elif platform != "generic" and found is not None and found != platform:
        raise ExportReadError(
            f"the export was to be read as {platform} but it looks like a {found} export",
            file=path,
        )
    return READERS[platform](path, cells)
