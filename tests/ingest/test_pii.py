"""Ingest step, privacy: free text keeps dates, counts and amounts and loses e-mail addresses,
IP addresses (v4 and v6), Swedish personal identity numbers and phone numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms.ingest.pii import REDACTED, is_personnummer, redact_free_text, suspected_pii

PHONE, IP, EMAIL, PNR = (REDACTED[k] for k in ("phone", "ip", "email", "personnummer"))


def _one(text: str, country: str | None = "SE") -> str:
    return str(redact_free_text(pd.Series([text], dtype="string"), country=country)[0])


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Ring 070-123 45 67 idag", f"Ring {PHONE} idag"),
        ("tel 0701234567.", f"tel {PHONE}."),
        ("växel 08-123 456 78", f"växel {PHONE}"),
        ("+46 70 123 45 67 or +1 415 555 0132", f"{PHONE} or {PHONE}"),
        ("host 192.168.1.20 logged", f"host {IP} logged"),
        ("from 2001:db8::8a2e:370:7334 and fe80::1%eth0", f"from {IP} and {IP}"),
        ("loopback ::1, mapped ::ffff:10.0.0.1", f"loopback {IP}, mapped {IP}"),
        ("mail anna.berg@example.se now", f"mail {EMAIL} now"),
        ("pnr 811218-9876 and 198112189876", f"pnr {PNR} and {PNR}"),
        ("samordningsnummer 811278-9873", f"samordningsnummer {PNR}"),
    ],
)
def test_personal_data_in_free_text_is_replaced_by_its_marker(text: str, redacted: str) -> None:
    assert _one(text) == redacted


@pytest.mark.parametrize(
    "text",
    [
        "Fieldwork 2022-03-07 to 2022-04-29",
        "We need 10 15 20 30 people over the years",
        "A budget of 1 000 000 SEK",
        "12 000 000 kr in 2025",
        "1998-2004 and 2010–2015",
        "Statistics for small batches (n < 10)",
        "at 10:30:45 every day, ratio 3:2",
        "versions 1.2.3.4.5 and 2.0.0",
        "ISO 13485:2016 and ICH Q9",
        "not a number 811218-9875",  # wrong check digit
        "order 991332-1234",  # month 13: no date
        "Risk-based approach <ICH Q9> applied to ATMP",
    ],
)
def test_dates_counts_amounts_and_versions_are_left_alone(text: str) -> None:
    assert _one(text) == text


def test_a_local_number_is_read_in_the_surveys_country() -> None:
    assert _one("call 020 7946 0958", country="GB") == f"call {PHONE}"
    assert _one("call 020 7946 0958", country="SE") == "call 020 7946 0958"  # not Swedish
    assert _one("call +44 20 7946 0958", country=None) == f"call {PHONE}"


def test_missing_answers_stay_missing() -> None:
    out = redact_free_text(pd.Series(["a", None, ""], dtype="string"))
    assert out.isna().tolist() == [False, True, False]


def test_the_personnummer_check_digit_is_luhn() -> None:
    assert is_personnummer("811218", "9876")
    assert not is_personnummer("811218", "9875")
    assert is_personnummer("811278", "9873")  # coordination number: day + 60


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["070-123 45 67", "08-123 456 78", "0701234567"], "phone numbers"),
        (["10.0.0.1", "2001:db8::1", "192.168.0.5"], "IP addresses"),
        (["811218-9876", "198112189876", "x"], "personal identity numbers"),
    ],
)
def test_a_column_of_personal_data_is_recognised_by_its_content(
    values: list[str], kind: str
) -> None:
    found = suspected_pii("Q7", "Anything else?", pd.Series(values, dtype="string"))
    assert found is not None and found.startswith(kind)


def test_a_column_of_counts_or_dates_is_not_taken_for_phone_numbers() -> None:
    counts = pd.Series(["10 15 20 30", "1 000 000", "2022-03-07", "12"], dtype="string")
    assert suspected_pii("Q8", "How many?", counts) is None
