"""Ingest step, privacy: salted pseudonyms for respondent ids and redaction of free text."""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d ()-]{6,}\d(?![\w])")

# Column headers that name personal data (checked on the export tag and question text).
_PII_HEADER = re.compile(
    r"e-?mail|ip[ _-]?address|^ip$|first[ _-]?name|last[ _-]?name|full[ _-]?name|^name$|"
    r"your name|phone|telephone|mobile|latitude|longitude|geolocation|^location",
    re.IGNORECASE,
)
_CONTENT = {
    "e-mail addresses": re.compile(r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$"),
    "IP addresses": re.compile(r"^\s*(?:\d{1,3}\.){3}\d{1,3}\s*$"),
    "phone numbers": re.compile(r"^\s*\+?\d[\d ()-]{6,}\d\s*$"),
}
_CONTENT_SHARE = 0.3  # a column this share of whose answers look personal is refused
_SAMPLE_ROWS = 2000

REDACTED = {"email": "[e-mail removed]", "ip": "[IP address removed]", "phone": "[phone removed]"}


def pseudonymise(ids: pd.Series, *, salt: str, survey_id: str) -> pd.Series:
    """Salted HMAC-SHA256 of each platform id: stable for one salt, unlinkable without it."""
    keyed = hmac.new(salt.encode("utf-8"), f"{survey_id}\x1f".encode(), hashlib.sha256)

    def one(value: str) -> str:
        digest = keyed.copy()  # the key and prefix are hashed once, not once per id
        digest.update(value.encode())
        return digest.hexdigest()[:20]

    return ids.astype("string").map(one, na_action="ignore").astype("string")


def redact_free_text(texts: pd.Series) -> pd.Series:
    """Free text with e-mail addresses, IP addresses and phone numbers replaced by markers."""
    out = texts.astype("string")
    out = out.str.replace(_EMAIL, REDACTED["email"], regex=True)
    out = out.str.replace(_IPV4, REDACTED["ip"], regex=True)
    return out.str.replace(_PHONE, REDACTED["phone"], regex=True)


def suspected_pii(tag: str, text: str, values: pd.Series) -> str | None:
    """What personal data a column seems to hold (by header or content), or None."""
    for label in (tag, text):
        if label and _PII_HEADER.search(label.strip()):
            return f"personal data by its header {label.strip()!r}"
    present = np.flatnonzero(values.notna().to_numpy(dtype=bool))[:_SAMPLE_ROWS]
    sample = values.iloc[present].astype(str)
    if sample.empty:
        return None
    for kind, pattern in _CONTENT.items():
        share = float(sample.str.match(pattern).mean())
        if share >= _CONTENT_SHARE:
            return f"{kind} ({share:.0%} of answers)"
    return None
