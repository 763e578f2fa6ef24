"""Synthetic sample, XLSX output: save an openpyxl workbook with byte-identical results."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

# Fixed timestamps: openpyxl stamps 'modified' with the current time on save, and zip entries
# carry the wall-clock time; both are pinned so a re-run gives the same bytes.
FIXED_TIME = datetime(2024, 5, 2, 9, 0, 0)
_ZIP_TIME = (2024, 5, 2, 9, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_deterministic(wb: Workbook, path: Path) -> Path:
    """Save ``wb`` to ``path`` with pinned document-property and zip-entry timestamps."""
    wb.properties.creator = "SurveyMonkey (SYNTHETIC sample, transforms.synthetic)"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path
