"""mart_answer_text as data: how many of a wave's respondents answered each text question,
generic (answer rows without the text) and the model's free text alike; small counts hidden."""

from __future__ import annotations

import duckdb
import pandas as pd

from tests.model.warehouse_rows import SURVEY, TWO_STRATA, build, canonical, one, respondent_tables
from transforms.model.params import ModelParams

QUESTIONS = [  # (question_id, type, target)
    ("why", "text", "answer.value"),
    ("comments", "text", "free_text.text"),
    ("channel", "single", "answer.value"),
]


def _warehouse(min_cell: int) -> duckdb.DuckDBPyConnection:
    tables = respondent_tables(TWO_STRATA)
    tables["ref_question"] = pd.DataFrame(
        [
            (SURVEY, qid, n, qid, qtype, target, None)
            for n, (qid, qtype, target) in enumerate(QUESTIONS, start=1)
        ],
        columns=[
            "survey_id",
            "question_id",
            "position",
            "text",
            "type",
            "target",
            "question_group",
        ],
    )
    # 'why' answered by a1, a2, b1 (a text answer is a row with no option and no value)
    generic = [("a1", "why"), ("a2", "why"), ("b1", "why")]
    # a single-choice answer is not a text answer
    generic += [("a1", "channel"), ("b2", "channel")]
    tables["answer"] = canonical(
        "answer",
        [
            {
                "respondent_key": key,
                "question_id": qid,
                "item_code": "",
                "option_code": "web" if qid == "channel" else "",
                "value": 1.0 if qid == "channel" else None,
            }
            for key, qid in generic
        ],
    )
    # 'comments' in free_text: a1, a3, b3 wrote something; b2's answer is blank; 'x9' is no
    # respondent of the wave (quarantined) and must not count
    texts = [("a1", "Fine."), ("a3", "More courses"), ("b3", "GMP"), ("b2", "  "), ("x9", "?")]
    tables["free_text"] = canonical(
        "free_text",
        [{"respondent_key": key, "question_id": "comments", "text": t} for key, t in texts],
    )
    return build(tables, ModelParams(min_cell=min_cell))


def test_text_answers_are_counted_per_question_out_of_the_waves_respondents() -> None:
    con = _warehouse(min_cell=1)
    why = one(con, "mart_answer_text", question_id="why")
    comments = one(con, "mart_answer_text", question_id="comments")
    assert (why["n_answered"], why["n_respondents"], why["suppressed"]) == (3, 6, False)
    assert (comments["n_answered"], comments["n_respondents"]) == (3, 6)
    assert con.execute("select count(*) from mart_answer_text").fetchone() == (2,)  # no 'channel'


def test_a_count_under_the_minimum_is_hidden() -> None:
    con = _warehouse(min_cell=4)
    why = one(con, "mart_answer_text", question_id="why")
    assert why["n_answered"] is None or pd.isna(why["n_answered"])
    assert (why["suppressed"], why["suppression"], why["n_respondents"]) == (True, "primary", 6)
