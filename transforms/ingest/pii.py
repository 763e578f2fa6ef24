"""Ingest step, privacy: salted pseudonyms for respondent ids and redaction of free text."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re

import numpy as np
import pandas as pd
import phonenumbers

# bounded as RFC 5321 bounds them (local part 64, label 63): an unbounded `[\w.+-]+` before
# an "@" that never comes backtracks over a long answer in quadratic time
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# candidates only: each is checked with ipaddress (IPv4, IPv6, IPv4-mapped IPv6, zone ids)
_IP_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
    r"(?::(?:\d{1,3}\.){3}\d{1,3})?)(?:%[\w.]+)?(?![\w:.])"
)
# Swedish personal identity and coordination numbers: (CC)YYMMDD[-+]NNNN, checked by date and
# the Luhn digit (Skatteverket, SKV 704)
_PERSONNUMMER = re.compile(r"(?<![\w-])(?:19|20)?(\d{6})[-+ ]?(\d{4})(?![\w-])")
_MIN_PHONE_DIGITS = 7  # no phone number has fewer digits; shorter texts skip the matcher

# Column headers that name personal data (checked on the export tag and question text).
_PII_HEADER = re.compile(
    r"e-?mail|ip[ _-]?address|^ip$|first[ _-]?name|last[ _-]?name|full[ _-]?name|^name$|"
    r"your name|phone|telephone|mobile|latitude|longitude|geolocation|^location|"
    r"personnummer|personal[ _-]?(?:identity|id)[ _-]?number|social[ _-]?security",
    re.IGNORECASE,
)
_CONTENT_SHARE = 0.3  # a column this share of whose answers look personal is refused
_SAMPLE_ROWS = 2000

REDACTED = {
    "email": "[e-mail removed]",
    "ip": "[IP address removed]",
    "phone": "[phone removed]",
    "personnummer": "[personal number removed]",
}
DEFAULT_REGION = "SE"  # phone numbers without a country code, when the codebook names none


def pseudonymise(ids: pd.Series, *, salt: str, survey_id: str) -> pd.Series:
    """Salted HMAC-SHA256 of each platform id: stable for one salt, unlinkable without it."""
    keyed = hmac.new(salt.encode("utf-8"), f"{survey_id}\x1f".encode(), hashlib.sha256)

    def one(value: str) -> str:
        digest = keyed.copy()  # the key and prefix are hashed once, not once per id
        digest.update(value.encode())
        return digest.hexdigest()[:20]

    return ids.astype("string").map(one, na_action="ignore").astype("string")


def redact_free_text(texts: pd.Series, *, country: str | None = None) -> pd.Series:
    """Free text with e-mail addresses, IP addresses (v4 and v6), Swedish personal identity
    numbers and phone numbers replaced by markers. Phone numbers are found by `phonenumbers`
    (Google's libphonenumber), for the survey's country (`survey.country`, else Sweden) and in
    international form, so dates ("2022-03-07"), counts ("10 15 20 30") and amounts
    ("1 000 000") are left alone; an IP address must parse with `ipaddress`; a personal number
    must be a real date with a valid check digit. Texts are scanned by the slow matchers only
    where they could hold what those find."""
    out = texts.astype("string")
    out = out.str.replace(_EMAIL, REDACTED["email"], regex=True)
    region = (country or DEFAULT_REGION).upper()
    for could, redact in (
        (out.str.contains(r"\d\.\d|:", regex=True), _redact_ips),
        (out.str.count(r"\d") >= 10, _redact_personnummer),
        (out.str.count(r"\d") >= _MIN_PHONE_DIGITS, lambda t: _redact_phones(t, region)),
    ):
        mask = could.fillna(False).to_numpy(dtype=bool)
        if mask.any():
            out[mask] = pd.array([redact(str(text)) for text in out[mask]], dtype="string")
    return out


def _redact_ips(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            ipaddress.ip_address(match.group(0).split("%", 1)[0])
        except ValueError:
            return match.group(0)
        return REDACTED["ip"]

    return _IP_CANDIDATE.sub(one, text)


def is_personnummer(digits: str, serial: str) -> bool:
    """Whether YYMMDD + NNNN is a Swedish personal identity (or coordination) number: a real
    month and day (day + 60 for a coordination number) and a valid Luhn check digit."""
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    number = digits + serial
    total = 0
    for i, char in enumerate(number[:9]):
        doubled = int(char) * (2 if i % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return (10 - total % 10) % 10 == int(number[9])


def _redact_personnummer(text: str) -> str:
    return _PERSONNUMMER.sub(
        lambda m: REDACTED["personnummer"] if is_personnummer(m[1], m[2]) else m[0], text
    )


def _redact_phones(text: str, region: str) -> str:
    found = list(phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID))
    for match in reversed(found):  # from the end, so earlier offsets stay valid
        text = text[: match.start] + REDACTED["phone"] + text[match.end :]
    return text


def _looks_personal(kind: str, cell: str, region: str) -> bool:
    """Whether one whole answer is an e-mail address, IP address, phone or personal number."""
    cell = cell.strip()
    if kind == "e-mail addresses":
        return _EMAIL.fullmatch(cell) is not None
    if kind == "IP addresses":
        try:
            ipaddress.ip_address(cell)
        except ValueError:
            return False
        return True
    if kind == "personal identity numbers":
        match = _PERSONNUMMER.fullmatch(cell)
        return match is not None and is_personnummer(match[1], match[2])
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(cell, region))
    except phonenumbers.NumberParseException:
        return False


_CONTENT = ("e-mail addresses", "IP addresses", "personal identity numbers", "phone numbers")


def suspected_pii(
    tag: str, text: str, values: pd.Series, *, country: str | None = None
) -> str | None:
    """What personal data a column seems to hold (by header or content), or None."""
    for label in (tag, text):
        if label and _PII_HEADER.search(label.strip()):
            return f"personal data by its header {label.strip()!r}"
    present = np.flatnonzero(values.notna().to_numpy(dtype=bool))[:_SAMPLE_ROWS]
    sample = values.iloc[present].astype(str)
    if sample.empty:
        return None
    region = (country or DEFAULT_REGION).upper()
    for kind in _CONTENT:
        share = float(np.mean([_looks_personal(kind, cell, region) for cell in sample]))
        if share >= _CONTENT_SHARE:
            return f"{kind} ({share:.0%} of answers)"
    return None
