"""Report step, generic questions: the questions outside the competence-needs model (target
answer.value), in questionnaire order, in one chapter per question group (the codebook's
``group``; consecutive questions without one share an "Other questions" chapter).

Each choice or numeric question gets a table of all sectors (the share choosing each option,
mart_answer_share, or the mean of each item, mart_answer_mean, with intervals and counts) and a
cross-tabulation for each respondent dimension with at least two levels (sector, size band,
region): every level's estimate with its interval under it. Text questions are counted, never
printed (mart_answer_text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from transforms.core.canonical import ALL
from transforms.report.citation import base_of, n_range
from transforms.report.rows import ANSWER_MEAN_KEY, ANSWER_SHARE_KEY, Row, records
from transforms.report.tables.builder import TableBuilder
from transforms.report.values import (
    Cell,
    Column,
    Kind,
    Table,
    Value,
    label_cell,
    stacked_cell,
    value_cell,
)

SHARES = "mart_answer_share"
MEANS = "mart_answer_mean"
TEXTS = "mart_answer_text"
OTHER_QUESTIONS = "Other questions"
DIMENSIONS = ("org_sector", "org_size_band", "region")
DIMENSION_TITLES = {"org_sector": "sector", "org_size_band": "size band", "region": "region"}
TOTAL_DIMENSION = "org_sector"  # every dimension repeats the 'all' level: read it from here


@dataclass(frozen=True)
class GenericQuestion:
    """One generic question as the report shows it: its text, its tables (all levels first,
    then one cross-tabulation per dimension) or, for a text question, how many answered."""

    question_id: str
    text: str
    position: int
    table_ids: tuple[str, ...] = ()
    answered: str | None = None  # text questions: "120 of 400 organisations answered"


@dataclass(frozen=True)
class GenericChapter:
    """A report chapter of consecutive generic questions of one group."""

    id: str
    title: str
    questions: tuple[GenericQuestion, ...]


@dataclass(frozen=True)
class _Kind:
    """What differs between choice questions (shares of options) and numeric ones (means of
    items): the mart, its key, the estimate and how a row is labelled."""

    mart: str
    key: tuple[str, ...]
    field: str
    number: Kind  # how the estimate is shown
    label: Callable[[Row], str]
    total_note: str
    cross_note: str


def _option(row: Row) -> str:
    return str(row.get("option_label") or row.get("option_code") or "")


def _item(row: Row) -> str:
    return str(row.get("item_label") or row.get("item_code") or "")


SHARE = _Kind(
    SHARES,
    ANSWER_SHARE_KEY,
    "share",
    "share",
    _option,
    "% of the organisations answering the question (weighted), all sectors.",
    "% of the organisations of each {dimension} answering the question (weighted), with its "
    "{ci} under it.",
)
MEAN = _Kind(
    MEANS,
    ANSWER_MEAN_KEY,
    "mean",
    "decimal",
    _item,
    "Weighted mean of the numbers or scale points answered, all sectors.",
    "Weighted mean of the numbers or scale points answered in each {dimension}, with its "
    "{ci} under it.",
)


def generic_chapters(
    shares: pd.DataFrame, means: pd.DataFrame, texts: pd.DataFrame, tb: TableBuilder
) -> tuple[list[GenericChapter], list[Table]]:
    """The report's chapters of generic questions, in questionnaire order, and their tables."""
    rows: dict[str, list[tuple[_Kind | None, Row]]] = {}
    for kind, frame in ((SHARE, shares), (MEAN, means), (None, texts)):
        for row in records(frame):
            rows.setdefault(str(row["question_id"]), []).append((kind, row))
    ordered = sorted(rows.items(), key=lambda kv: (kv[1][0][1].get("position") or 0, kv[0]))
    chapters: list[tuple[str, list[GenericQuestion]]] = []
    tables: list[Table] = []
    for question_id, question_rows in ordered:
        kind, first = question_rows[0]
        group = str(first.get("question_group") or OTHER_QUESTIONS)
        if not chapters or chapters[-1][0] != group:
            chapters.append((group, []))
        text = str(first.get("question_text") or question_id)
        position = int(first.get("position") or 0)
        data = [row for _, row in question_rows]
        if kind is None:
            question = GenericQuestion(question_id, text, position, answered=_answered(data, tb))
        else:
            built = _question_tables(question_id, text, position, data, kind, tb)
            tables += built
            question = GenericQuestion(question_id, text, position, tuple(t.id for t in built))
        chapters[-1][1].append(question)
    return [
        GenericChapter(f"questions-{n}", title, tuple(questions))
        for n, (title, questions) in enumerate(chapters, start=1)
    ], tables


def _answered(rows: list[Row], tb: TableBuilder) -> str:
    """How many organisations answered a text question (its items summed up as 'at most')."""
    row = rows[0]
    total = tb.value(row, "n_respondents", "count", TEXTS, ("question_id", "item_code"), False)
    if len(rows) > 1 or row.get("suppressed"):
        counted = [r for r in rows if not r.get("suppressed")]
        if not counted:
            return f"Fewer than {tb.meta.min_cell_size} of {total.text} organisations answered."
        row = max(counted, key=lambda r: int(r["n_answered"]))
    answered = tb.value(row, "n_answered", "count", TEXTS, ("question_id", "item_code"))
    return f"{answered.text} of {total.text} organisations answered."


def _question_tables(
    question_id: str, text: str, position: int, rows: list[Row], kind: _Kind, tb: TableBuilder
) -> list[Table]:
    total = [r for r in rows if r["dimension"] == TOTAL_DIMENSION and r["level"] == ALL]
    sheet = f"Q{position} {question_id}"
    tables = [_total_table(f"answer-{question_id}", text, sheet[:31], total, kind, tb)]
    for dimension in DIMENSIONS:
        levels = [r for r in rows if r["dimension"] == dimension and r["level"] != ALL]
        if len({r["level"] for r in levels}) < 2:
            continue
        name = DIMENSION_TITLES[dimension]
        tables += _cross_tables(
            f"answer-{question_id}-by-{dimension}",
            text,
            f"{sheet[: 31 - len(name) - 5]} by {name}",
            (total, levels, dimension),
            kind,
            tb,
        )
    base = base_of(total)
    return [replace(t, base=base) for t in tables]


def _total_table(
    table_id: str, text: str, sheet: str, rows: list[Row], kind: _Kind, tb: TableBuilder
) -> Table:
    estimate = "% of organisations" if kind is SHARE else "Mean"
    columns = [Column("Answer" if kind is SHARE else "Item", "label")]
    columns += [Column(estimate), Column(tb.ci, "interval"), Column("SE")]
    if kind is SHARE:
        columns.append(Column("Choosing (n)"))
    columns += [Column("Answering (n)"), Column("Weighted n")]
    se_kind: Kind = "share1" if kind is SHARE else "decimal"
    body = []
    for row in rows:
        cells = [label_cell(kind.label(row) or text)]
        cells += tb.estimate(row, kind.field, kind.number, kind.mart, kind.key)
        cells.append(value_cell(tb.value(row, "se", se_kind, kind.mart, kind.key, secondary=True)))
        if kind is SHARE:
            cells.append(value_cell(tb.value(row, "n_selected", "count", kind.mart, kind.key)))
        cells.append(value_cell(tb.value(row, "n_respondents", "count", kind.mart, kind.key)))
        weighted = tb.value(row, "weighted_n", "count", kind.mart, kind.key, secondary=True)
        body.append((*cells, value_cell(weighted)))
    notes = (
        kind.total_note,
        "SE: design-based standard error. Weighted n: the organisations the answering ones "
        "stand for (their weights summed).",
        tb.suppression_note,
    )
    return Table(table_id, text, sheet, tuple(columns), tuple(body), notes)


MAX_ESTIMATE_COLUMNS = 6  # a wider cross-tabulation is split: it must fit an A4 page


@dataclass(frozen=True)
class _Axis:
    """One side of a cross-tabulation: the options (or items), or the dimension's levels."""

    header: str
    entries: tuple[tuple[str, str], ...]  # (key, label)


def _cross_tables(
    table_id: str,
    title: str,
    sheet: str,
    rows: tuple[list[Row], list[Row], str],
    kind: _Kind,
    tb: TableBuilder,
) -> list[Table]:
    """The estimates of every option (or item) in every level of a dimension, each with its
    interval under it. The longer side runs down the page; the other across it, split into
    tables of at most MAX_ESTIMATE_COLUMNS columns."""
    total, levels, dimension = rows
    codes = sorted({str(r["level"]) for r in levels}, key=lambda c: tb.meta.order(dimension, c))
    by_cell = {(_row_key(r), str(r["level"])): r for r in levels}
    by_cell.update({(_row_key(r), ALL): r for r in total})
    answers = _Axis(
        "Answer" if kind is SHARE else "Item",
        tuple(("\x1f".join(_row_key(r)), kind.label(r) or title) for r in total),
    )
    level_entries = []
    for code in [ALL, *codes]:
        label = "All" if code == ALL else tb.meta.label(dimension, code)
        in_level = [r for (_, level), r in by_cell.items() if level == code]
        level_entries.append((code, f"{label} ({_n_range(in_level, tb)})"))
    name = DIMENSION_TITLES[dimension]
    levels_axis = _Axis(name.capitalize(), tuple(level_entries))
    down, across = (levels_axis, answers)
    if len(levels_axis.entries) <= len(answers.entries):
        down, across = (answers, levels_axis)

    def cell(down_key: str, across_key: str) -> Cell:
        answer, level = (down_key, across_key) if down is answers else (across_key, down_key)
        item, _, option = answer.partition("\x1f")
        return _stacked(by_cell.get(((item, option), level)), kind, tb)

    note = kind.cross_note.format(dimension=name, ci=tb.ci)
    notes = (note, "n: organisations answering.", tb.suppression_note)
    return _split(Table(table_id, f"{title} (by {name})", sheet, (), (), notes), down, across, cell)


def _split(
    frame: Table, down: _Axis, across: _Axis, cell: Callable[[str, str], Cell]
) -> list[Table]:
    """`frame`'s cross-tabulation as tables of at most MAX_ESTIMATE_COLUMNS columns each."""
    chunks = [
        across.entries[i : i + MAX_ESTIMATE_COLUMNS]
        for i in range(0, len(across.entries), MAX_ESTIMATE_COLUMNS)
    ]
    tables = []
    for k, chunk in enumerate(chunks, start=1):
        several = len(chunks) > 1
        columns = (
            Column(down.header, "label"),
            *(Column(label, "estimate") for _, label in chunk),
        )
        body = tuple(
            (label_cell(label), *(cell(key, across_key) for across_key, _ in chunk))
            for key, label in down.entries
        )
        tables.append(
            Table(
                f"{frame.id}-{k}" if several else frame.id,
                f"{frame.title[:-1]}, {k} of {len(chunks)})" if several else frame.title,
                f"{frame.sheet}{k if several else ''}"[:31],
                columns,
                body,
                frame.notes,
            )
        )
    return tables


def _row_key(row: Row) -> tuple[str, str]:
    return (str(row.get("item_code") or ""), str(row.get("option_code") or ""))


def _stacked(row: Row | None, kind: _Kind, tb: TableBuilder) -> Cell:
    if row is None:
        missing = Value("–", kind=kind.number)
        return stacked_cell(missing, missing, missing)
    estimate = tb.value(row, kind.field, kind.number, kind.mart, kind.key, flag="low_precision")
    low = tb.value(row, "ci_low", kind.number, kind.mart, kind.key, secondary=True)
    high = tb.value(row, "ci_high", kind.number, kind.mart, kind.key, secondary=True)
    return stacked_cell(estimate, low, high)


def _n_range(rows: list[Row], tb: TableBuilder) -> str:
    """'n = 25', 'n = 20–25' when the items' bases differ, or 'n hidden' when suppressed."""
    return n_range(rows) or "n hidden"
