"""Ingest step, reading: which survey platform wrote an export, from its header signature.

Signatures (first records of the file, never its name):
- qualtrics: row 3 holds ``{"ImportId": ...}`` cells; or row 1 starts ``V1,V2,V3`` (legacy); or
  row 1 holds at least three Qualtrics metadata names (StartDate, Status, ResponseId, ...). One
  ``ResponseId`` alone is not enough: re-coded public releases keep it (Stack Overflow).
- surveymonkey: row 1 holds ``Respondent ID`` and ``Collector ID``; or, without them, row 2
  labels answer columns ``Response``/``Open-Ended Response`` under a forward-filled row 1.
- limesurvey: row 1 holds ``id`` and ``submitdate``/``lastpage``/``startlanguage``/``seed`` (as
  codes, ``code. text`` or LimeSurvey's English texts), or mostly ``code. text`` headings with
  at least one ``code[subquestion]``.
- google_forms: row 1 starts with ``Timestamp`` (or a localised name of it).
- microsoft_forms: row 1 starts ``ID, Start time, Completion time`` (English or German).
- spss: the file starts with ``$FL2``/``$FL3``.
``generic`` is never detected: it is chosen in survey.yaml for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from transforms.core.errors import ExportReadError
from transforms.ingest.readers.cells import file_kind, peek_records

QUALTRICS_METADATA = frozenset(
    {
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "ResponseID",
        "ResponseSet",
        "DistributionChannel",
        "UserLanguage",
    }
)
LEGACY_QUALTRICS_START = ["V1", "V2", "V3"]
LIMESURVEY_METADATA = frozenset({"submitdate", "lastpage", "startlanguage", "seed"})
LIMESURVEY_TEXT_METADATA = frozenset({"Date submitted", "Last page", "Start language"})
LIMESURVEY_CODE = r"[A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_#]+\])*"
LIMESURVEY_CODE_TEXT = re.compile(rf"(?P<code>{LIMESURVEY_CODE})\. (?P<text>.*)", re.DOTALL)
LIMESURVEY_SUBQUESTION = re.compile(r"[A-Za-z][A-Za-z0-9_]*\[[A-Za-z0-9_#]+\]")
GOOGLE_TIMESTAMPS = frozenset(
    {
        "Timestamp",
        "Zeitstempel",
        "Horodateur",
        "Marca temporal",
        "Tidstämpel",
        "Tidsstempel",
        "Tijdstempel",
        "Informazioni cronologiche",
        "Carimbo de data/hora",
        "Aikaleima",
    }
)
MICROSOFT_FORMS_STARTS = (
    ["ID", "Start time", "Completion time"],
    ["ID", "Startzeit", "Fertigstellungszeit"],
)


def first_row(records: list[list[str]]) -> list[str]:
    """Row 1 with whitespace and a stray BOM stripped from each cell."""
    if not records:
        return []
    return [cell.strip().lstrip("\ufeff") for cell in records[0]]


def is_import_id_cell(cell: str) -> bool:
    """A Qualtrics third-header-row cell: {"ImportId":"QID7"} (JSON or Python-dict quoting)."""
    return cell.strip().startswith(('{"ImportId"', "{'ImportId'"))


def looks_like_qualtrics(records: list[list[str]]) -> bool:
    row = first_row(records)
    if row[:3] == LEGACY_QUALTRICS_START:
        return True
    if len(QUALTRICS_METADATA & set(row)) >= 3:
        return True
    return len(records) >= 3 and any(is_import_id_cell(cell) for cell in records[2])


SURVEYMONKEY_ROW_2 = frozenset({"Response", "Open-Ended Response", "Other (please specify)"})


def looks_like_surveymonkey(records: list[list[str]]) -> bool:
    """Row 1 holds Respondent ID and Collector ID; or, in an export without its metadata
    columns, the two-row header's shape: row 2 labels a question's columns with SurveyMonkey's
    'Response' / 'Open-Ended Response', and a question's later columns leave row 1 blank."""
    row = first_row(records)
    if {"Respondent ID", "Collector ID"} <= set(row):
        return True
    if len(records) < 2:
        return False
    second = [cell.strip() for cell in records[1]]
    labelled = sum(cell in SURVEYMONKEY_ROW_2 for cell in second)
    continued = sum(
        1 for i, cell in enumerate(second) if cell and i < len(row) and not row[i] and i > 0
    )
    return labelled >= 1 and (continued >= 1 or labelled >= 2)


def limesurvey_code(heading: str) -> str | None:
    """The question code of a LimeSurvey heading ('G01Q02[SQ003]. Text' -> 'G01Q02[SQ003]')."""
    match = LIMESURVEY_CODE_TEXT.fullmatch(heading)
    return match.group("code") if match else None


def looks_like_limesurvey(records: list[list[str]]) -> bool:
    row = [cell for cell in first_row(records) if cell]
    codes = {limesurvey_code(cell) or cell for cell in row}
    if "id" in codes and codes & LIMESURVEY_METADATA:
        return True
    if "Response ID" in codes and codes & LIMESURVEY_TEXT_METADATA:
        return True
    coded = [code for code in map(limesurvey_code, row) if code]
    has_subquestion = any(LIMESURVEY_SUBQUESTION.fullmatch(code) for code in coded)
    return has_subquestion and len(coded) >= max(3, len(row) // 2)


def looks_like_google_forms(records: list[list[str]]) -> bool:
    row = first_row(records)
    return bool(row) and row[0] in GOOGLE_TIMESTAMPS and len(row) >= 2


def looks_like_microsoft_forms(records: list[list[str]]) -> bool:
    return first_row(records)[:3] in MICROSOFT_FORMS_STARTS


SIGNATURES: dict[str, Callable[[list[list[str]]], bool]] = {
    "qualtrics": looks_like_qualtrics,
    "surveymonkey": looks_like_surveymonkey,
    "limesurvey": looks_like_limesurvey,
    "google_forms": looks_like_google_forms,
    "microsoft_forms": looks_like_microsoft_forms,
}


def platform_of_records(records: list[list[str]]) -> str | None:
    """The platform whose header signature the first records match, or None."""
    for platform, matches in SIGNATURES.items():
        if matches(records):
            return platform
    return None


def detect_platform_or_none(path: Path) -> str | None:
    """The platform of an export, None when no signature matches; ExportReadError when the file
    cannot be read at all (missing, empty, binary)."""
    path = Path(path)
    if file_kind(path) == "sav":
        return "spss"
    return platform_of_records(peek_records(path, 3))


def detect_platform(path: Path) -> str:
    """The platform of an export from its signature; ExportReadError when none matches."""
    platform = detect_platform_or_none(path)
    if platform is None:
        raise unrecognised_platform(path, first_row(peek_records(Path(path), 1)))
    return platform


def unrecognised_platform(path: Path, row: list[str]) -> ExportReadError:
    """The error for an export that matches no platform's signature (row 1 quoted)."""
    start = ", ".join(row[:5])
    return ExportReadError(
        f"the export's platform is not recognised (row 1 starts {start!r}; no Qualtrics, "
        "SurveyMonkey, LimeSurvey, Google Forms, Microsoft Forms or SPSS signature); set "
        "the wave's platform in survey.yaml, e.g. 'generic'",
        file=path,
    )


def check_platform(path: Path, records: list[list[str]], expected: str) -> None:
    """ExportReadError when the header matches another platform's signature than expected."""
    found = platform_of_records(records)
    if found is not None and found != expected:
        raise ExportReadError(
            f"the export was read as {expected} but its header looks like a {found} export",
            file=path,
        )
