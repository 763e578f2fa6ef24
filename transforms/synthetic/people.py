"""Synthetic sample, fake identifiers: contact persons, e-mails, IP addresses, platform ids."""

from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np

from transforms.synthetic.texts import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "Å": "A", "Ä": "A", "Ö": "O"})
_ALNUM = string.ascii_letters + string.digits
# Documentation address blocks (RFC 5737): they look real and belong to nobody.
_TEST_NETS: tuple[str, ...] = ("192.0.2", "198.51.100", "203.0.113")


@dataclass(frozen=True)
class Contact:
    """A fake invited contact person."""

    first: str
    last: str
    email: str


def fake_contact(rng: np.random.Generator) -> Contact:
    """A Swedish-looking name with an e-mail at a reserved example domain."""
    first = str(rng.choice(FIRST_NAMES))
    last = str(rng.choice(LAST_NAMES))
    domain = str(rng.choice(EMAIL_DOMAINS))
    local = f"{first}.{last}".lower().translate(_ASCII)
    return Contact(first=first, last=last, email=f"{local}@{domain}")


def fake_ip(rng: np.random.Generator) -> str:
    """An IPv4 address from a documentation block."""
    return f"{rng.choice(_TEST_NETS)}.{int(rng.integers(1, 255))}"


def qualtrics_response_id(rng: np.random.Generator) -> str:
    """A Qualtrics-style response id: R_ and 15 letters or digits."""
    return "R_" + "".join(str(c) for c in rng.choice(list(_ALNUM), size=15))
