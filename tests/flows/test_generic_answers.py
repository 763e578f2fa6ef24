"""Zero-edit onboarding: `codebook init` on a real export, then the flow, with no edit; the
generic questions' shares in mart_answer_share equal an independent count with pandas."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import Settings
from tests import paths

pytestmark = pytest.mark.e2e

EXPORT = paths.REAL_EXPORTS / "limesurvey_rse_uk_2017" / "public_data.csv"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not EXPORT.is_file():
        pytest.skip("../shared/real-exports is absent")
    from prefect.testing.utilities import prefect_test_harness

    from flows.pipeline import skillgap_run

    survey = tmp_path_factory.mktemp("rse") / "rse"
    (survey / "2017").mkdir(parents=True)
    shutil.copy(EXPORT, survey / "2017" / EXPORT.name)
    init = CliRunner().invoke(
        app,
        ["codebook", "init", str(survey / "2017" / EXPORT.name), "-o", str(survey / "survey.yaml")],
    )
    assert init.exit_code == 0, init.output
    settings = Settings(
        survey_dir=survey,
        curated_dir=survey.parent / "curated",
        reports_dir=survey.parent / "reports",
        salt="generic-answers-test-salt",
    )
    with prefect_test_harness(server_startup_timeout=120):
        skillgap_run(settings=settings)
    assert list(settings.reports_dir.rglob("report.pdf")), "the run writes a report"
    return settings.internal_warehouse_path  # the marts and the tables they come from


def _raw() -> pd.DataFrame:
    raw = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    raw.columns = [c.split(". ", 1)[0] for c in raw.columns]  # LimeSurvey "code. text"
    return raw


def _shares(
    warehouse: Path, question: str, level: str = "all"
) -> dict[str, tuple[int, int, float]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select option_code, n_respondents, n_selected, share from mart_answer_share "
            "where question_id = ? and dimension = 'org_sector' and level = ? "
            "and item_code = ''",
            [question, level],
        ).fetchall()
    return {option: (n, k, share) for option, n, k, share in rows}


def _html(warehouse: Path) -> str:
    return next(warehouse.parent.parent.glob("reports/*/2017/report.html")).read_text("utf-8")


def test_a_single_choice_share_equals_the_count_in_the_raw_file(warehouse: Path) -> None:
    answers = _raw()["conf1can"]
    answered = answers[answers != ""]
    got = _shares(warehouse, "conf1can")
    for text, code in (("Yes", "yes"), ("No", "no")):
        chosen = int((answered == text).sum())
        assert got[code][:2] == (len(answered), chosen)
        assert got[code][2] == pytest.approx(chosen / len(answered), abs=1e-12)


def test_a_multi_select_share_keeps_every_answerer_in_its_base(warehouse: Path) -> None:
    raw = _raw()
    items = {
        "no_formal_testing": "proj4can[SQ001]",
        "developers_conduct_testing": "proj4can[SQ002]",
        "users_conduct_testing": "proj4can[SQ004]",
    }
    columns = raw[[c for c in raw.columns if c.startswith("proj4can[")]]
    answered = columns[(columns != "").any(axis=1)]  # "No" to every option is an answer
    got = _shares(warehouse, "proj4can")
    for code, column in items.items():
        chosen = int((answered[column] == "Yes").sum())
        assert got[code][:2] == (len(answered), chosen)
        assert got[code][2] == pytest.approx(chosen / len(answered), abs=1e-12)


def test_every_raw_row_is_curated_or_quarantined(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows_in, curated, quarantined = con.execute(
            "select rows_in, rows_curated, rows_quarantined from dq_reconciliation "
            "where table_name = 'respondent'"
        ).fetchone() or (0, 0, 0)
    assert rows_in == len(_raw()) == curated + quarantined


def test_an_ordinal_mean_equals_the_mean_of_the_scale_points_in_the_raw_file(
    warehouse: Path,
) -> None:
    answers = _raw()["satisGen1[SQ001]"]
    points = pd.to_numeric(answers[answers != ""].str.extract(r"^(\d+)")[0])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n, mean = con.execute(
            "select n_respondents, mean from mart_answer_mean where question_id = 'satisgen1' "
            "and item_code = 'your_current_position' and dimension = 'org_sector' and level = 'all'"
        ).fetchone() or (0, 0.0)
    assert n == len(points)
    assert mean == pytest.approx(points.mean(), abs=1e-12)


def test_the_report_has_a_chapter_per_generic_question_in_questionnaire_order(
    warehouse: Path,
) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = [
            q
            for (q,) in con.execute(
                "select question_id from ref_question where question_id in "
                "(select question_id from mart_answer_share union "
                "select question_id from mart_answer_mean union "
                "select question_id from mart_answer_text) order by position"
            ).fetchall()
        ]
    html = _html(warehouse)
    found = re.findall(r'<h3 id="q-([a-z0-9_]+)"', html)
    assert found == expected and len(found) > 20
    assert "Have you ever presented your software work at a conference" in html
    free_text = _raw()["conf2can"]
    sample_answer = next(t for t in free_text if len(t) > 25)
    assert sample_answer not in html  # open answers are never printed


def test_a_share_by_sector_equals_the_count_in_that_sector_of_the_raw_file(
    warehouse: Path,
) -> None:
    raw = _raw()
    answered = raw[(raw["soft2can"] != "") & (raw["currentEmp1"] == "National laboratory")]
    got = _shares(warehouse, "soft2can", level="national_laboratory")
    chosen = int((answered["soft2can"] == "Yes").sum())
    assert got["yes"][:2] == (len(answered), chosen)
    assert got["yes"][2] == pytest.approx(chosen / len(answered), abs=1e-12)
    html = _html(warehouse)
    table = html.split('id="table-answer-soft2can-by-org_sector"', 1)[1].split("</figure>", 1)[0]
    assert f"National laboratory (n = {len(answered)})" in table  # a cross-tabulation row


def test_chapters_follow_the_codebook_groups_in_questionnaire_order(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        groups = [
            g or "Other questions"
            for (g,) in con.execute(
                "select question_group from ref_question where question_id in "
                "(select question_id from mart_answer_share union select question_id from "
                "mart_answer_mean union select question_id from mart_answer_text) "
                "order by position"
            ).fetchall()
        ]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    chapters = re.findall(
        r'<section id="questions-\d+" class="generic">\s*<h2>([^<]+)</h2>', _html(warehouse)
    )
    assert chapters == runs and "Section edu" in chapters and len(chapters) > 10


def test_text_questions_are_counted_and_item_texts_shown(warehouse: Path) -> None:
    answers = _raw()["conf2can"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n_answered, n_respondents = con.execute(
            "select n_answered, n_respondents from mart_answer_text where question_id = 'conf2can'"
        ).fetchone() or (0, 0)
    assert (n_answered, n_respondents) == (int((answers.str.strip() != "").sum()), len(answers))
    html = _html(warehouse)
    section = html.split('<h3 id="q-conf2can">', 1)[1].split("<h3", 1)[0]
    assert f"Open question: {n_answered} of {n_respondents} organisations answered." in section
    assert "Accounting &amp; Finance" in html  # an item's text from the export, not its code
