"""Reading a rendered report back: the `data-mart` numbers, and their mart rows.

The report writes every number it takes from a mart as
`<span data-mart="mart_x" data-field="column" data-key="col=value;…" data-value="raw">text</span>`
(`data-value` is empty and `data-suppressed="true"` is set when the cell is suppressed). These
helpers are shared by the report tests and the end-to-end test.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import duckdb

MARTS = {
    "mart_hiring_demand",
    "mart_recruitment_difficulty",
    "mart_skill_shortage",
    "mart_skill_importance",
    "mart_training_preference",
    "mart_text_coding",
    "mart_demand_vs_supply",
    "mart_training_offer",
    "mart_skill_gap",
    "mart_wave_comparison",
    "mart_sample",
    "mart_weighting",
}


@dataclass(frozen=True)
class MartNumber:
    mart: str
    field: str
    key: dict[str, str]
    value: str  # data-value: repr of the raw mart value, '' when suppressed or missing
    suppressed: bool
    text: str  # what the reader sees
    section: str  # id of the enclosing <section>, '' outside sections


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[MartNumber] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []
        self._sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "section":
            self._sections.append(values.get("id", ""))
        if tag == "span" and "data-mart" in values:
            self._open = values
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._sections:
            self._sections.pop()
        if tag == "span" and self._open is not None:
            attrs = self._open
            key = dict(part.split("=", 1) for part in attrs["data-key"].split(";") if part)
            self.numbers.append(
                MartNumber(
                    mart=attrs["data-mart"],
                    field=attrs["data-field"],
                    key=key,
                    value=attrs["data-value"],
                    suppressed=attrs.get("data-suppressed") == "true",
                    text="".join(self._text),
                    section=self._sections[-1] if self._sections else "",
                )
            )
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def mart_numbers(html: str) -> list[MartNumber]:
    """Every number of the report that names its mart, in document order."""
    collector = _Collector()
    collector.feed(html)
    return collector.numbers


def mart_value(
    con: duckdb.DuckDBPyConnection, survey_id: str, wave: str, number: MartNumber
) -> tuple[object, bool]:
    """(value, hidden) of the mart row a report number points at; exactly one row.

    hidden: the row is suppressed, or the mart does not publish this value (a count hidden
    under the minimum cell size, or one side of a wave comparison)."""
    assert number.mart in MARTS, number.mart
    assert number.field.isidentifier(), number.field
    assert all(column.isidentifier() for column in number.key), number.key
    where = "".join(f" and {column} = ?" for column in number.key)
    unprotected = ("mart_weighting", "mart_training_offer")  # no respondent counts in them
    suppressed = "false" if number.mart in unprotected else "suppressed"
    rows = con.execute(
        f"select {number.field}, {suppressed} from {number.mart} "
        f"where survey_id = ? and wave = ?{where}",
        [survey_id, wave, *number.key.values()],
    ).fetchall()
    assert len(rows) == 1, f"{number} matches {len(rows)} mart rows"
    value, hidden = rows[0]
    return value, bool(hidden) or value is None


def mart_suppression(
    con: duckdb.DuckDBPyConnection, survey_id: str, wave: str, number: MartNumber
) -> str | None:
    """The suppression column (primary, secondary or NULL) of the mart row a number points at."""
    where = "".join(f" and {column} = ?" for column in number.key)
    column = "suppression"  # a side of a wave comparison is hidden as its own mart says
    for side in ("earlier", "later"):
        if number.mart == "mart_wave_comparison" and number.field.endswith(f"_{side}"):
            column = f"suppression_{side}"
    rows = con.execute(
        f"select {column} from {number.mart} where survey_id = ? and wave = ?{where}",
        [survey_id, wave, *number.key.values()],
    ).fetchall()
    assert len(rows) == 1, f"{number} matches {len(rows)} mart rows"
    return rows[0][0]
