"""Codebook tools, platforms: which export columns are platform metadata (personal data:
`pii_columns`), and which metadata column holds the respondent id, the submission time and
the completion flag.

Names are compared after ``normalised_name`` (lowercase letters and digits only), against a
column's key, its tag and (when short) its text, so that Qualtrics ``ipAddress`` (ImportId),
``IPAddress`` (tag) and ``IP Address`` (text) all match.
"""

from __future__ import annotations

import re

from transforms.codebook_tools.text import normalised_name
from transforms.ingest.readers.base import ColumnInfo, RawExport

# Platform metadata: columns every export of the platform has, never a survey question.
METADATA: dict[str, frozenset[str]] = {
    "qualtrics": frozenset(
        normalised_name(n)
        for n in (
            "StartDate",
            "EndDate",
            "Status",
            "IPAddress",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "RecordedDate",
            "ResponseId",
            "ResponseSet",
            "RecipientLastName",
            "RecipientFirstName",
            "RecipientEmail",
            "ExternalReference",
            "ExternalDataReference",
            "LocationLatitude",
            "LocationLongitude",
            "LocationAccuracy",
            "DistributionChannel",
            "UserLanguage",
            "Name",
            "EmailAddress",
            "recordId",
            "responseSetId",
            "Q_RecaptchaScore",
            "Q_RelevantIDDuplicate",
            "Q_RelevantIDDuplicateScore",
            "Q_RelevantIDFraudScore",
            "Q_RelevantIDLastStartDate",
            "Q_BallotBoxStuffing",
            "Q_TotalDuration",
            "Q_URL",
            "Q_DataPolicyViolations",
            "Q_CHL",
            "Q_Language",
            "Q_TerminateFlag",
            "Q_QuotaFull",
            *(f"V{n}" for n in range(1, 11)),
        )
    ),
    "surveymonkey": frozenset(
        normalised_name(n)
        for n in (
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
            "Custom Data 2",
            "Custom Data 3",
            "Custom Data 4",
            "Custom Data 5",
        )
    ),
    "limesurvey": frozenset(
        normalised_name(n)
        for n in (
            "id",
            "submitdate",
            "lastpage",
            "startlanguage",
            "seed",
            "startdate",
            "datestamp",
            "ipaddr",
            "refurl",
            "token",
            "interviewtime",
            "Response ID",
            "Date submitted",
            "Last page",
            "Start language",
            "Date started",
            "Date last action",
            "IP address",
            "Referrer URL",
            "Total time",
        )
    ),
    "google_forms": frozenset(
        normalised_name(n)
        for n in (
            "Timestamp",
            "Zeitstempel",
            "Horodateur",
            "Marca temporal",
            "Tidstämpel",
            "Tidsstempel",
            "Tijdstempel",
            "Aikaleima",
            "Email address",
            "Email Address",
            "Score",
            "Total score",
        )
    ),
    "microsoft_forms": frozenset(
        normalised_name(n)
        for n in (
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Last modified time",
            "Startzeit",
            "Fertigstellungszeit",
            "E-Mail",
        )
    ),
}
# Platform-generated columns beside a question (timing, display order, Text iQ topics).
_DERIVED = re.compile(
    r"([_-](DO|First Click|Last Click|Page Submit|Click Count|FIRST_CLICK|LAST_CLICK|"
    r"PAGE_SUBMIT|CLICK_COUNT)([_-].*)?$)|([_-]TEXT[_-].+$)|( - (Topics|Sentiment|"
    r"Sentiment Polarity|Sentiment Score|Parent Topics)$)",
)
_LIMESURVEY_TIMING = re.compile(r"^(groupTime\d+|[A-Za-z][A-Za-z0-9_]*Time)$")

_PII_TEXT_MAX = 60  # a longer header is question text, not a field name

RESPONDENT_ID_NAMES: dict[str, tuple[str, ...]] = {
    "qualtrics": ("responseid", "recordid", "v1"),
    "surveymonkey": ("respondentid",),
    "limesurvey": ("id", "responseid"),
    "microsoft_forms": ("id",),
}
GENERIC_ID_NAMES = (
    "responseid",
    "respondentid",
    "respondent",
    "recordid",
    "caseid",
    "participantid",
    "submissionid",
    "uuid",
    "id",
)
SUBMITTED_NAMES: dict[str, tuple[str, ...]] = {
    "qualtrics": ("recordeddate", "enddate", "v9"),
    "surveymonkey": ("enddate",),
    "limesurvey": ("submitdate", "datesubmitted"),
    "google_forms": tuple(sorted(METADATA["google_forms"] - {"emailaddress", "score"})),
    "microsoft_forms": ("completiontime", "fertigstellungszeit"),
}
GENERIC_SUBMITTED_NAMES = (
    "submitdate",
    "submittedat",
    "submitted",
    "recordeddate",
    "enddate",
    "completiontime",
    "timestamp",
    "datesubmitted",
)
COMPLETED_NAMES: dict[str, tuple[str, ...]] = {"qualtrics": ("finished", "v10")}
TRUE_VALUES = ("1", "True", "true", "TRUE", "Yes")


def names_of(info: ColumnInfo) -> set[str]:
    """Normalised names a column answers to: key, tag and (short) text."""
    names = {normalised_name(info.key), normalised_name(info.tag)}
    if len(info.text) <= _PII_TEXT_MAX:
        names.add(normalised_name(info.text))
    names.discard("")
    return names


def is_metadata(export: RawExport, info: ColumnInfo) -> bool:
    """True for platform metadata and platform-derived columns (timing, display order, topics)."""
    known = METADATA.get(export.platform, frozenset())
    if names_of(info) & known:
        return True
    key = info.key
    if key.startswith("unnamed_"):
        return True
    if export.platform == "limesurvey" and _LIMESURVEY_TIMING.fullmatch(key):
        return True
    if export.platform == "qualtrics":
        stripped = key.split("-", 1)[1] if key.startswith(("panel-", "Location-")) else key
        if normalised_name(stripped) in known:
            return True
        return bool(_DERIVED.search(key) or _DERIVED.search(info.tag))
    return False


def reference(export: RawExport, key: str) -> str:
    """How a codebook should name a column: the key, except metadata columns that a unique tag
    (Qualtrics ``RecordedDate`` for ImportId ``recordedDate``) or, in legacy Qualtrics exports,
    a unique text (``ResponseID`` for ``V1``) names more readably."""
    info = export.columns[key]
    if export.platform == "qualtrics" and is_metadata(export, info):
        for alias in (info.tag, info.text):
            if alias and alias != key and export.aliases.get(alias) == key:
                if alias == info.tag and re.fullmatch(r"V\d+", alias):
                    continue
                return alias
    return key


def find_named(export: RawExport, names: tuple[str, ...]) -> str | None:
    """The key of the first column (in ``names`` order) answering to one of ``names``."""
    for name in names:
        for info in export.columns.values():
            if name in names_of(info):
                return info.key
    return None


def respondent_id_guess(export: RawExport) -> tuple[str | None, str]:
    """(key, why) of the platform's response id column; (None, why) when there is none that
    is given and unique on every row: then each row is one respondent, keyed by file and row.

    No other column is guessed: a first column or a timestamp that looks unique in one export
    makes distinct respondents duplicates in the next (and all but one of them quarantined)."""
    names = RESPONDENT_ID_NAMES.get(export.platform, GENERIC_ID_NAMES)
    found = find_named(export, names) or find_named(export, GENERIC_ID_NAMES)
    if found is None:
        return None, "no response id column: each row is one respondent, keyed by file and row"
    column = export.data[found]
    missing = int(column.isna().sum())
    repeated = int(column[column.notna()].duplicated(keep=False).sum())
    if missing or repeated:
        why = f"{missing} blank" if missing else f"{repeated} repeated"
        return None, (
            f"{reference(export, found)} is not a usable id ({why} of {len(column)} rows): each "
            "row is one respondent, keyed by file and row"
        )
    return found, "the platform's response id column"


def submitted_at_guess(export: RawExport) -> str | None:
    names = SUBMITTED_NAMES.get(export.platform, GENERIC_SUBMITTED_NAMES)
    return find_named(export, names) or find_named(export, GENERIC_SUBMITTED_NAMES)


def completed_guess(export: RawExport) -> tuple[str, list[str]] | None:
    """(key, true values seen) of a 'finished' flag column, or None."""
    found = find_named(export, COMPLETED_NAMES.get(export.platform, ()))
    if found is None:
        return None
    seen = {str(v).strip() for v in export.data[found].dropna()}
    true_values = [v for v in TRUE_VALUES if v in seen] or ["1", "True"]
    return found, true_values
