"""Codebook tools, personal data: which export columns look personal by name or by answers.

Names are compared after ``normalised_name`` (see `platforms.names_of`); answers by the share
that are e-mail addresses, IP addresses, phone numbers, websites or unique tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from transforms.codebook_tools.platforms import names_of
from transforms.ingest.readers.base import ColumnInfo

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
