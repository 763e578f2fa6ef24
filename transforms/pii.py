"""Ingest step, privacy: salted pseudonyms for respondent ids and redaction of free text."""

from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d ()-]{6,}\d(?![\w])")

REDACTED = {"email": "[e-mail removed]", "ip": "[IP address removed]", "phone": "[phone removed]"}


def pseudonymise(ids: pd.Series, *, salt: str, survey_id: str) -> pd.Series:
    """Salted HMAC-SHA256 of each platform id: stable for one salt, unlinkable without it."""
    key = salt.encode("utf-8")

    def one(value: str) -> str:
        message = f"{survey_id}\x1f{value}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()[:20]

    return ids.astype("string").map(one, na_action="ignore").astype("string")


def redact_free_text(texts: pd.Series) -> pd.Series:
    """Free text with e-mail addresses, IP addresses and phone numbers replaced by markers."""
    out = texts.astype("string")
    out = out.str.replace(_EMAIL, REDACTED["email"], regex=True)
    out = out.str.replace(_IPV4, REDACTED["ip"], regex=True)
    return out.str.replace(_PHONE, REDACTED["phone"], regex=True)
