"""Codebook tools, platforms: which export columns are platform metadata or personal data, and
which metadata column holds the respondent id, the submission time and the completion flag.

Names are compared after ``normalised_name`` (lowercase letters and digits only), against a
column's key, its tag and (when short) its text, so that Qualtrics ``ipAddress`` (ImportId),
``IPAddress`` (tag) and ``IP Address`` (text) all match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

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

# Personal data by name (normalised), as substrings or as the whole name.
PII_NAME_PARTS = (
    "email",
    "mailaddress",
    "ipaddress",
    "ipaddr",
    "phone",
    "telephone",
    "mobilenumber",
    "firstname",
    "lastname",
    "fullname",
    "surname",
    "forename",
    "givenname",
    "familyname",
    "latitude",
    "longitude",
    "locationaccuracy",
    "geolocation",
    "gpscoordinates",
    "externalreference",
    "externaldatareference",
    "customdata",
    "postcode",
    "zipcode",
    "postalcode",
    "streetaddress",
    "dateofbirth",
    "birthdate",
    "personnummer",
    "socialsecurity",
    "passport",
    "refurl",
    "referrerurl",
    # organisations and places that identify a respondent (ATMP2030 has a few dozen)
    "organisationname",
    "organizationname",
    "nameoforganisation",
    "nameoforganization",
    "nameofyourorganisation",
    "nameofyourorganization",
    "companyname",
    "nameofthecompany",
    "employername",
    "institutionname",
    "facilityname",
    "postaladdress",
    "visitingaddress",
    "mailingaddress",
    "homeaddress",
    "workaddress",
    "addressline",
    "website",
    "webpage",
    "homepage",
    "responsetoken",
    "accesstoken",
)
PII_NAMES_WHOLE = frozenset(
    {"name", "yourname", "contactname", "respondentname", "token", "ip", "tel", "mobile", "mail"}
    | {"address", "url", "web", "city", "town", "organisation", "organization", "company"}
    | {"employer", "facility", "institution", "site", "sitename"}
)
_PII_TEXT_MAX = 60  # a longer header is question text, not a field name

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
_IPV6 = re.compile(r"[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}")
_PHONE = re.compile(r"\+?\(?\d[\d ()-]{6,18}\d")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:se|com|org|net|eu|nu)(?:/\S*)?$", re.I
)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}")
_HAS_DIGIT_AND_LETTER = re.compile(r"(?=.*\d)(?=.*[A-Za-z])")
_PII_SHARE = 0.5  # share of answers that must look like personal data

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


def pii_by_name(info: ColumnInfo) -> str | None:
    """Why a column's name suggests personal data, or None."""
    for name in names_of(info):
        if name in PII_NAMES_WHOLE:
            return f"name {info.tag or info.key!r}"
        for part in PII_NAME_PARTS:
            if part in name:
                return f"name {info.tag or info.key!r} ({part})"
    return None


@dataclass(frozen=True)
class ContentPii:
    """How many answers of a column look like e-mail addresses, IP addresses, phone numbers."""

    answers: int
    emails: int
    ips: int
    phones: int
    urls: int = 0
    tokens: int = 0

    @property
    def kind(self) -> str | None:
        """The kind of personal data most answers are, or None."""
        kinds = [("e-mail", self.emails), ("IP", self.ips), ("phone", self.phones)]
        kinds += [("website", self.urls), ("token", self.tokens)]
        for kind, count in kinds:
            if self.answers and count / self.answers >= _PII_SHARE:
                return kind
        return None

    @property
    def mentions(self) -> int:
        return self.emails + self.ips + self.phones


def _is_phone(value: str) -> bool:
    if value[0] not in "+(0123456789" or not _PHONE.fullmatch(value):
        return False
    if _DATE_LIKE.match(value) or sum(c.isdigit() for c in value) < 8:
        return False
    return value.startswith(("+", "0")) or any(c in value for c in " ()-")


def _is_ip(value: str) -> bool:
    return bool(_IPV4.fullmatch(value) or (":" in value and _IPV6.fullmatch(value)))


def content_pii(values: pd.Series) -> ContentPii:
    """Count answers that are (or contain) e-mail addresses, IP addresses or phone numbers."""
    texts = [t for t in (str(v).strip() for v in values.dropna()) if t]
    tokens = [t for t in texts if _TOKEN.fullmatch(t) and _HAS_DIGIT_AND_LETTER.search(t)]
    return ContentPii(
        answers=len(texts),
        emails=sum(1 for t in texts if "@" in t and _EMAIL.search(t)),
        ips=sum(1 for t in texts if _is_ip(t)),
        phones=sum(1 for t in texts if _is_phone(t)),
        urls=sum(1 for t in texts if _URL.match(t)),
        # a token is unique per respondent: repeated codes ("A1B2C3D4E5F6G7H8") are answers
        tokens=len(tokens) if len(set(tokens)) >= 0.9 * len(tokens) else 0,
    )


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


def respondent_id_guess(export: RawExport) -> tuple[str, str]:
    """(key, why) of the column most likely to hold the platform's response id."""
    names = RESPONDENT_ID_NAMES.get(export.platform, GENERIC_ID_NAMES)
    found = find_named(export, names) or find_named(export, GENERIC_ID_NAMES)
    if found is not None:
        return found, "the platform's response id column"
    for info in export.columns.values():
        column = export.data[info.key]
        if column.notna().all() and column.is_unique and len(column) > 1:
            return info.key, "the first column whose values are all given and unique: check it"
    first = next(iter(export.columns))
    return first, "no id column found; the first column is a placeholder: choose one"


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
