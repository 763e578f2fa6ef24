"""Property-based tests: any table written with any delimiter, quoting, line end and encoding
reads back cell for cell, with spreadsheet row numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from transforms.ingest.readers.excel_values import cell_text, column_texts
from transforms.ingest.readers.generic import read_generic_export
from transforms.ingest.readers.text_format import DELIMITERS

# Text a survey answer may hold: accents, the delimiters, quotes, line breaks, spaces.
UNICODE_CELL = st.text(alphabet=st.sampled_from(list("abcZ09 åäöéü–€,;|\t\"'\n\r-./")), max_size=10)
# Windows-1252 files: Western words (random accented letters are not text an encoding detector
# can recognise: a short run of them is as plausible in Shift-JIS) joined by delimiters,
# quotes and line breaks.
WESTERN_WORDS = ["Göteborg", "Malmö", "Västra", "Åre", "café", "naïve", "Zürich", "Straße",
                 "résumé", "data", "QC", "12"]  # fmt: skip
GAPS = [" ", ", ", ";", "|", "\t", '"', "\r\n", "\n"]
CP1252_CELL = st.lists(
    st.tuples(st.sampled_from(WESTERN_WORDS), st.sampled_from(GAPS)), max_size=3
).map(lambda pairs: "".join(word + gap for word, gap in pairs).rstrip())
HEADING = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def tables(draw: st.DrawFn, cell: st.SearchStrategy[str]) -> tuple[list[str], list[list[str]]]:
    width = draw(st.integers(min_value=2, max_value=5))
    headings = draw(st.lists(HEADING, min_size=width, max_size=width, unique=True))
    row = st.lists(cell, min_size=width, max_size=width)
    rows = draw(st.lists(row, min_size=1, max_size=6))
    return headings, rows


def write_table(
    path: Path,
    table: tuple[list[str], list[list[str]]],
    *,
    delimiter: str,
    line_end: str,
    quote_all: bool,
    encoding: str,
) -> None:
    """RFC 4180 writing as survey platforms do it: a cell with the delimiter, a quote, CR or LF
    is quoted (Python's csv module leaves a lone CR unquoted when the line end is LF)."""

    def field(value: str) -> str:
        if quote_all or any(char in value for char in (delimiter, '"', "\r", "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(field(value) for value in row) for row in [table[0], *table[1]]]
    path.write_bytes((line_end.join(lines) + line_end).encode(encoding))


def expected_rows(rows: list[list[str]]) -> tuple[list[list[object]], list[int]]:
    """Rows with any content (all-empty records are skipped) and their spreadsheet rows."""
    kept = [(number, row) for number, row in enumerate(rows, start=2) if any(row)]
    values: list[list[object]] = [
        [value if value != "" else pd.NA for value in row] for _, row in kept
    ]
    return values, [number for number, _ in kept]


def assert_reads_back(path: Path, table: tuple[list[str], list[list[str]]], delimiter: str) -> None:
    values, numbers = expected_rows(table[1])
    export = read_generic_export(path)
    assert list(export.columns) == table[0]
    assert export.dialect["delimiter"] == delimiter
    assert export.data.astype(object).values.tolist() == values
    assert export.source_rows.tolist() == numbers


@SETTINGS
@given(
    table=tables(UNICODE_CELL),
    delimiter=st.sampled_from(DELIMITERS),
    line_end=st.sampled_from(["\r\n", "\n", "\r"]),
    quote_all=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_generic_reader_reads_back_any_unicode_table(
    tmp_path: Path,
    table: tuple[list[str], list[list[str]]],
    delimiter: str,
    line_end: str,
    quote_all: bool,
    encoding: str,
) -> None:
    assume(any(any(row) for row in table[1]))
    path = tmp_path / "table.csv"
    write_table(
        path, table, delimiter=delimiter, line_end=line_end, quote_all=quote_all, encoding=encoding
    )
    assert_reads_back(path, table, delimiter)


@SETTINGS
@given(
    table=tables(CP1252_CELL),
    delimiter=st.sampled_from(DELIMITERS),
    line_end=st.sampled_from(["\r\n", "\r"]),
)
def test_generic_reader_reads_back_windows_1252_tables(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], delimiter: str, line_end: str
) -> None:
    assume(any(any(row) for row in table[1]))
    path = tmp_path / "table.csv"
    write_table(
        path,
        table,
        delimiter=delimiter,
        line_end=line_end,
        quote_all=False,
        encoding="cp1252",
    )
    assert_reads_back(path, table, delimiter)


@given(st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1))
def test_spreadsheet_integral_floats_read_as_integers(number: int) -> None:
    assert cell_text(float(number)) == str(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_spreadsheet_floats_read_back_to_the_same_number(number: float) -> None:
    text = cell_text(number)
    assert text is not None
    assert float(text) == number


# Every kind of value a workbook reader gives, edge cases included: NaN, infinities, -0.0,
# floats beyond 2**53, booleans beside the 1.0 and 0.0 they equal, midnight datetimes.
SPREADSHEET_VALUE = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.sampled_from(["", " ", "0"]),
    st.floats(),
    st.sampled_from([0.0, -0.0, 1.0, 2.0**53, -(2.0**53) + 1, 1e16, 1e-5, float("inf")]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)


@given(st.lists(SPREADSHEET_VALUE, max_size=30))
def test_spreadsheet_columns_convert_as_each_cell_does(values: list[object]) -> None:
    assert column_texts(values).to_pylist() == [cell_text(value) for value in values]


def test_spreadsheet_columns_convert_every_kind_of_value() -> None:
    values: list[object] = ["a", "", None, 1.0, 2.5, float("nan"), True, 3, dt.date(2024, 1, 2)]
    assert column_texts(values).to_pylist() == [
        "a", None, None, "1", "2.5", None, "TRUE", "3", "2024-01-02"
    ]  # fmt: skip
