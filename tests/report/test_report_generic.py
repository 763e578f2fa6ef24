"""The report's chapters of generic questions, from rows as the report queries return them:
chapters by group in questionnaire order, a cross-tabulation per dimension with two or more
levels (the longer side down the page, at most six estimate columns a table), text questions
counted."""

from __future__ import annotations

import pandas as pd

from tests.report.report_marts import report_meta
from transforms.report.tables.builder import TableBuilder
from transforms.report.tables.generic import MAX_ESTIMATE_COLUMNS, generic_chapters
from transforms.report.values import Table

SECTORS = [f"s{k}" for k in range(1, 9)]  # eight sectors: a cross-tabulation wider than a page


def _share(question: str, position: int, group: str | None, option: str, **row: object) -> dict:
    return {
        "question_id": question,
        "position": position,
        "question_text": f"Question {question}?",
        "question_type": "single",
        "question_group": group,
        "item_code": "",
        "option_code": option,
        "option_label": option.capitalize(),
        "n_respondents": 40,
        "n_selected": 10,
        "weighted_n": 120.0,
        "share": 0.25,
        "se": 0.05,
        "ci_low": 0.15,
        "ci_high": 0.35,
        "low_precision": False,
        "suppressed": False,
        "suppression": None,
        **row,
    }


def _shares() -> pd.DataFrame:
    rows = []
    for option in ("yes", "no"):  # q1: two options, eight sectors and two size bands
        rows.append(_share("q1", 1, "Funding", option, dimension="org_sector", level="all"))
        for k, sector in enumerate(SECTORS):
            rows.append(
                _share(
                    "q1",
                    1,
                    "Funding",
                    option,
                    dimension="org_sector",
                    level=sector,
                    n_respondents=5 + k,
                    share=0.1 * (k + 1),
                )
            )
        for size in ("small", "large"):
            rows.append(_share("q1", 1, "Funding", option, dimension="org_size_band", level=size))
        rows.append(_share("q1", 1, "Funding", option, dimension="region", level="north"))
    # q3, in no group: a hidden cell in one sector
    rows.append(_share("q3", 3, None, "web", dimension="org_sector", level="all"))
    rows.append(
        _share(
            "q3",
            3,
            None,
            "web",
            dimension="org_sector",
            level="s1",
            suppressed=True,
            share=None,
            ci_low=None,
            ci_high=None,
            n_respondents=None,
        )
    )
    rows.append(_share("q3", 3, None, "web", dimension="org_sector", level="s2"))
    return pd.DataFrame(rows)


def _texts() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "question_id": "q2",
                "position": 2,
                "question_text": "Anything else?",
                "question_type": "text",
                "question_group": "Funding",
                "item_code": "",
                "n_respondents": 40,
                "n_answered": 12,
                "suppressed": False,
                "suppression": None,
            }
        ]
    )


def _chapters() -> tuple[list, dict[str, Table]]:
    tb = TableBuilder(report_meta(), "95%")
    chapters, tables = generic_chapters(_shares(), pd.DataFrame(), _texts(), tb)
    return chapters, {t.id: t for t in tables}


def test_consecutive_questions_of_a_group_share_a_chapter_in_questionnaire_order() -> None:
    chapters, _ = _chapters()
    assert [(c.title, [q.question_id for q in c.questions]) for c in chapters] == [
        ("Funding", ["q1", "q2"]),
        ("Other questions", ["q3"]),
    ]
    text_question = chapters[0].questions[1]
    assert text_question.answered == "12 of 40 organisations answered."
    assert text_question.table_ids == ()


def test_a_dimension_with_one_level_gets_no_cross_tabulation() -> None:
    chapters, _ = _chapters()
    ids = chapters[0].questions[0].table_ids
    assert "answer-q1" in ids and "answer-q1-by-org_size_band" in ids
    assert not any("region" in table_id for table_id in ids)  # one region only


def test_the_longer_side_runs_down_and_wide_tables_are_split() -> None:
    _, tables = _chapters()
    by_sector = tables["answer-q1-by-org_sector"]  # 9 levels (all + 8) > 2 options: down
    assert [c.header for c in by_sector.columns] == ["Sector", "Yes", "No"]
    assert [row[0].text for row in by_sector.rows][:2] == ["All (n = 40)", "S1 (n = 5)"]
    sizes = tables["answer-q1-by-org_size_band"]  # 3 levels > 2 options: down as well
    assert len(sizes.rows) == 3
    web = tables["answer-q3-by-org_sector"]  # one option, three levels (a hidden one's n too)
    assert [c.header for c in web.columns] == ["Sector", "Web"]
    assert [row[0].text for row in web.rows] == ["All (n = 40)", "S1 (n hidden)", "S2 (n = 40)"]
    assert all(len(t.columns) - 1 <= MAX_ESTIMATE_COLUMNS for t in tables.values())


def test_a_cross_tabulation_cell_is_the_estimate_with_its_interval_and_hidden_cells_hide_both() -> (
    None
):
    _, tables = _chapters()
    web = tables["answer-q3-by-org_sector"]
    shown, hidden = web.rows[0][1], web.rows[1][1]
    assert shown.stacked and shown.text == "25% (15%–35%)"
    assert [v.raw for v in shown.values] == [0.25, 0.15, 0.35]
    assert hidden.text == "[c]" and hidden.values[0].suppressed


def test_more_levels_than_fit_a_page_are_split_into_tables() -> None:
    tb = TableBuilder(report_meta(), "95%")
    options = [f"o{k}" for k in range(12)]  # 12 options > 9 levels: the levels go across
    rows = [
        _share("q9", 9, None, option, dimension="org_sector", level=level)
        for option in options
        for level in ["all", *SECTORS]
    ]
    _, tables = generic_chapters(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame(), tb)
    split = [t for t in tables if t.id.startswith("answer-q9-by-org_sector")]
    assert [t.id for t in split] == ["answer-q9-by-org_sector-1", "answer-q9-by-org_sector-2"]
    assert [len(t.columns) - 1 for t in split] == [6, 3]  # all + 8 sectors in 6 + 3 columns
    assert split[1].title.endswith("(by sector, 2 of 2)")
    assert all(len(t.rows) == 12 for t in split)


def test_the_all_sector_table_gives_share_interval_se_counts_and_weighted_n() -> None:
    _, tables = _chapters()
    total = tables["answer-q3"]
    assert [c.header for c in total.columns] == [
        "Answer",
        "% of organisations",
        "95% CI",
        "SE",
        "Choosing (n)",
        "Answering (n)",
        "Weighted n",
    ]
    (row,) = total.rows
    assert [cell.text for cell in row] == ["Web", "25%", "15%–35%", "5.0%", "10", "40", "120"]
