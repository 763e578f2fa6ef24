"""Report step, data-quality tables: rows read, curated and quarantined per table, and the
reasons rows were quarantined (from the validation step, passed in `ReportMeta`)."""

from __future__ import annotations

import re
from typing import SupportsFloat, cast

from transforms.core.canonical import readable_code
from transforms.report.formatting import format_count, is_missing
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import Column, Table, Value, label_cell, value_cell

# The canonical tables as a reader knows them: what one row of each is.
TABLE_WORDS = {
    "respondent": "Responses (one per organisation)",
    "hiring_need": "Expected hires (per role and horizon)",
    "recruitment_difficulty": "Recruitment difficulty (per role)",
    "skill_need": "Skill shortage and importance (per skill)",
    "training_preference": "Training formats (per format)",
    "free_text": "Open answers",
    "answer": "Answers to the other questions",
}


_EXPECTATION = re.compile(r"\s*\(expect_[a-z_]+\)")


def reader_reason(reason: str) -> str:
    """A quarantine reason without the Great Expectations expectation's name (the technical
    page, data_quality.html, keeps it)."""
    return _EXPECTATION.sub("", reason)


def table_words(name: str) -> str:
    return TABLE_WORDS.get(name, readable_code(name))


def data_quality_summary(tb: TableBuilder) -> dict[str, str] | None:
    """For the reader: responses read, used and set aside, and the commonest reasons."""
    responses = [r for r in tb.meta.data_quality if r["table"] == "respondent"]
    if not responses:
        return None
    row = responses[0]
    reasons = sorted(
        (r for r in tb.meta.quarantine_reasons if r["table"] == "respondent"),
        key=lambda r: (-int(r["count"]), r["reason"]),
    )
    listed = "; ".join(
        f"{reader_reason(r['reason'])} ({format_count(r['count'])})" for r in reasons[:3]
    )
    aside = int(row["quarantined"])
    return {
        "read": format_count(row["rows_in"]),
        "used": format_count(row["curated"]),
        "set_aside": (
            "" if not aside else f"other {aside:,} were" if aside > 1 else "other response was"
        ),
        "reasons": listed,
    }


def data_quality_table(tb: TableBuilder) -> Table:
    body = tuple(
        (
            label_cell(table_words(row["table"])),
            value_cell(plain_count(row["rows_in"])),
            value_cell(plain_count(row["curated"])),
            value_cell(plain_count(row["quarantined"])),
        )
        for row in tb.meta.data_quality
    )
    return Table(
        "data-quality",
        "Answers read, used and set aside",
        "Data quality",
        (
            Column("Answers", "label"),
            Column("Read"),
            Column("Used"),
            Column("Set aside"),
        ),
        body,
        (
            "Every answer read is either used or set aside: read = used + set aside. An "
            "organisation's answers are set aside with its response.",
        ),
    )


def quarantine_reasons_table(tb: TableBuilder) -> Table:
    body = tuple(
        (
            label_cell(table_words(row["table"])),
            label_cell(reader_reason(row["reason"])),
            value_cell(plain_count(row["count"])),
        )
        for row in tb.meta.quarantine_reasons
    )
    return Table(
        "quarantine-reasons",
        "Why answers were set aside",
        "Quarantine reasons",
        (Column("Answers", "label"), Column("Reason", "label"), Column("Set aside")),
        body,
        ("An answer can fail several checks; it is counted once under each reason.",),
    )


def plain_count(value: object) -> Value:
    """A count that does not come from a mart (the data-quality summary passed in)."""
    if is_missing(value):
        return Value("–", kind="count")
    return Value(format_count(value), round(float(cast(SupportsFloat, value))), "count")
