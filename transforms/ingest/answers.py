"""Ingest step, generic answers: questions outside the competence-needs model (target
``answer.value``) as rows of the canonical ``answer`` table, whatever their type.

The same column-wise mapping as the model's questions (`transforms.ingest.questions`), laid out
long: single choice one row per respondent who answered (the option, value 1); multi-select
one row per option for each respondent who answered (value 1 or 0, "no" to every option kept);
numeric and ordinal grids one row per item answered (the number or scale point; an answer that
is neither is refused with a reason, as for the model's grids); text one row per non-blank
answer, without the text (counted, never stored: free text is only kept for the model's
``free_text`` questions, redacted).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from transforms.ingest.codebook import Question, Source
from transforms.ingest.questions import Slice, map_grid, map_multi, map_single
from transforms.ingest.rows import Rows

NO_ITEM = ""  # item_code of a question without items
NO_OPTION = ""  # option_code of numbers, scale points and text


def map_answer(cells: Slice, question: Question, source: Source) -> tuple[Rows, Rows]:
    """(rows kept, rows refused) of the answer table for one generic question."""
    empty = Rows(np.zeros(0, dtype=np.int64))
    if question.type == "single":
        return _single(cells, question, source), empty
    if question.type == "multi":
        return _multi(cells, question, source), empty
    if question.type == "text":
        return _text(cells, question, source), empty
    return _grid(cells, question, source)


def _values(
    question: Question, item: pa.Array | str, option: pa.Array | str, value: pa.Array
) -> dict[str, pa.Array | str]:
    return {"question_id": question.id, "item_code": item, "option_code": option, "value": value}


def _single(cells: Slice, question: Question, source: Source) -> Rows:
    codes = map_single(cells, question, source)
    rows = np.flatnonzero(pc.is_valid(codes).to_numpy(zero_copy_only=False)).astype(np.int64)
    option = codes.take(pa.array(rows))
    return Rows(rows, _values(question, NO_ITEM, option, pa.array(np.ones(len(rows)))))


def _multi(cells: Slice, question: Question, source: Source) -> Rows:
    if source.items:  # one column per option: every option, so that "no" to all is kept
        options = list(source.items)
    else:
        options = list(dict.fromkeys(str(code) for code in question.value_map.values()))
    # map_multi names the code column after the target's column: 'value' here
    mapped = map_multi(cells, question, source, options)
    chosen = mapped.values["value"]
    selected = mapped.values["selected"]
    assert not isinstance(selected, str)
    value = pc.cast(selected, pa.float64())
    return Rows(mapped.positions, _values(question, NO_ITEM, chosen, value))


def _text(cells: Slice, question: Question, source: Source) -> Rows:
    assert source.column is not None
    raw = cells.column(source.column).astype("string").str.strip()
    rows = np.flatnonzero((raw.notna() & (raw != "")).to_numpy(dtype=bool)).astype(np.int64)
    return Rows(rows, _values(question, NO_ITEM, NO_OPTION, pa.nulls(len(rows), pa.float64())))


def _grid(cells: Slice, question: Question, source: Source) -> tuple[Rows, Rows]:
    kept, refused = map_grid(cells, question, source)
    item = kept.values["skill_code"]  # map_grid's code column for a target outside the model
    value = kept.values["value"]
    assert not isinstance(value, str)
    rows = Rows(kept.positions, _values(question, item, NO_OPTION, pc.cast(value, pa.float64())))
    bad = {
        "question_id": question.id,
        "item_code": refused.values["skill_code"],
        "option_code": NO_OPTION,
        "stage": refused.values["stage"],
        "reasons": refused.values["reasons"],
    }
    return rows, Rows(refused.positions, bad)
