"""`skillgap codebook init`: a draft codebook from an export, valid once `unmapped:` is gone."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from tests import paths
from transforms.codebook_tools.draft import CodebookDraft, draft_codebook, wave_name
from transforms.codebook_tools.groups import ColumnGroup, group_columns, sections
from transforms.codebook_tools.profile import profile_group, scale_values, split_choices
from transforms.codebook_tools.questions import DraftQuestion
from transforms.codebook_tools.render import Notes, dump_yaml, render_draft
from transforms.codebook_tools.suggest import suggest_target
from transforms.codebook_tools.text import slugify
from transforms.ingest.codebook import Codebook, Question, load_codebook
from transforms.ingest.readers import read_export
from transforms.ingest.readers.detect import detect_platform_or_none
from transforms.ingest.wave import ingest_wave

PROJECT = paths.PROJECT
SAMPLE_2022 = PROJECT / "data/raw/atmp2030/2022/atmp2030_2022_qualtrics_SYNTHETIC.csv"
REFERENCE = PROJECT / "data/raw/reference"
EXPORTS = PROJECT / "tests/fixtures/exports"
TINY = PROJECT / "tests/fixtures/codebook/tiny/2023/tiny_2023_qualtrics.csv"
REAL_EXPORTS = paths.REAL_EXPORTS


def draft_of(path: Path, reference_dir: Path | None = None) -> CodebookDraft:
    export = read_export(path, platform=detect_platform_or_none(path) or "generic")
    return draft_codebook(export, file_ref=path.name, reference_dir=reference_dir)


def question(draft: CodebookDraft, question_id: str) -> DraftQuestion:
    found = [q for q in [*draft.questions, *draft.unmapped] if q.id == question_id]
    assert found, [q.id for q in [*draft.questions, *draft.unmapped]]
    return found[0]


def without_unmapped(text: str) -> Codebook:
    raw = yaml.safe_load(text)
    raw.pop("unmapped", None)
    return Codebook.model_validate(raw)


@pytest.fixture(scope="module")
def sample_draft() -> CodebookDraft:
    return draft_of(SAMPLE_2022, REFERENCE)


def test_init_drafts_the_hires_grid_of_the_sample_with_twelve_role_items(
    sample_draft: CodebookDraft,
) -> None:
    hires = question(sample_draft, "hires_1y")
    assert hires.confirmed and hires.type == "numeric_grid"
    assert hires.target == "hiring_need.headcount" and hires.constants == {"horizon": "1y"}
    items = hires.source["items"]
    assert isinstance(items, dict) and len(items) == 12
    assert items["qc_analyst"] == "QID4_1" and items["health_economics"] == "QID4_12"
    assert question(sample_draft, "hires_5y").constants == {"horizon": "5y"}


def test_init_flags_recipient_email_and_ip_address_as_pii(sample_draft: CodebookDraft) -> None:
    pii = [ref for ref, _ in sample_draft.pii]
    assert {"RecipientEmail", "IPAddress", "LocationLatitude", "RecipientFirstName"} <= set(pii)
    assert "ResponseId" not in pii
    assert sample_draft.respondent_id == "ResponseId"
    assert sample_draft.submitted_at == "RecordedDate"
    assert sample_draft.completed == ("Finished", ["True"])
    assert [ref for ref, _ in sample_draft.pii_review] == ["QID10_TEXT"]  # one planted e-mail


def test_init_types_and_targets_of_the_sample(sample_draft: CodebookDraft) -> None:
    expected = {
        "org_sector": ("single", "respondent.org_sector"),
        "org_size_band": ("single", "respondent.org_size_band"),
        "region": ("single", "respondent.region"),
        "recruitment_difficulty": ("ordinal_grid", "recruitment_difficulty.difficulty"),
        "skill_importance": ("ordinal_grid", "skill_need.importance"),
        "skill_shortage": ("ordinal_grid", "skill_need.shortage"),
        "training_format": ("multi", "training_preference.format_code"),
        "qid10": ("text", "free_text.text"),
    }
    for question_id, (qtype, target) in expected.items():
        drafted = question(sample_draft, question_id)
        assert (drafted.type, drafted.target) == (qtype, target), question_id
    difficulty = question(sample_draft, "recruitment_difficulty")
    assert difficulty.value_map == {
        "Not difficult": 1,
        "Somewhat difficult": 2,
        "Very difficult": 3,
        "Extremely difficult": 4,
    }
    assert difficulty.missing_values == ["Not applicable"]
    training = question(sample_draft, "training_format")
    assert training.source["joined"] == "," and training.source["other_text"] == "QID9_7_TEXT"
    assert "On-the-job training, mentoring, or job rotation" in training.value_map


def test_the_sample_draft_is_a_valid_codebook_that_ingests(
    sample_draft: CodebookDraft, tmp_path: Path
) -> None:
    survey = tmp_path / "mysurvey"
    (survey / "2022").mkdir(parents=True)
    shutil.copy(SAMPLE_2022, survey / "2022" / SAMPLE_2022.name)
    sample_draft.file_ref = f"2022/{SAMPLE_2022.name}"
    (survey / "survey.yaml").write_text(render_draft(sample_draft), encoding="utf-8")
    codebook = load_codebook(survey / "survey.yaml")  # no unmapped: section in this draft
    staged = ingest_wave(
        codebook, survey, sample_draft.wave, salt="test", curated_dir=tmp_path / "curated"
    )
    assert len(staged.frame("respondent")) == 151
    assert staged.frame("respondent")["org_sector"].notna().all()
    assert set(staged.frame("hiring_need")["horizon"]) == {"1y", "5y"}


@pytest.mark.parametrize("name", sorted(p.name for p in EXPORTS.glob("*.csv")))
def test_init_output_without_its_unmapped_section_is_a_valid_codebook(name: str) -> None:
    text = render_draft(draft_of(EXPORTS / name))
    codebook = without_unmapped(text)
    assert codebook.waves
    if "unmapped:" in text:
        with pytest.raises(Exception, match="unmapped"):
            Codebook.model_validate(yaml.safe_load(text))


def test_surveymonkey_columns_group_under_their_question_text() -> None:
    draft = draft_of(EXPORTS / "surveymonkey.csv", REFERENCE)
    training = question(draft, "training_format")
    q = "Which training formats would you use?"
    assert training.type == "multi"
    assert training.source["items"] == {
        "short_course_1_5_days": f"{q} | Short course (1-5 days)",
        "e_learning": f"{q} | E-learning",
    }
    assert training.source["other_text"] == f"{q} | Other (please specify)"
    difficulty = question(draft, "recruitment_difficulty")
    assert list(difficulty.source["items"]) == ["qc_analyst", "process_engineer"]
    assert "process_engineer" in difficulty.item_notes  # not a code of roles.csv
    assert [ref for ref, _ in draft.pii] == [
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    assert draft.respondent_id == "Respondent ID" and draft.submitted_at == "End Date"


def test_limesurvey_subquestions_become_items_and_other_becomes_other_text() -> None:
    draft = draft_of(EXPORTS / "limesurvey.csv")
    training = question(draft, "training_format")
    assert training.source == {
        "items": {"short_course_1_5_days": "G01Q02[SQ001]", "e_learning": "G01Q02[SQ002]"},
        "other_text": "G01Q02[other]",
    }
    assert draft.respondent_id == "id" and draft.submitted_at == "submitdate"


def test_google_forms_grid_rows_are_items_and_joined_choices_keep_their_commas() -> None:
    draft = draft_of(EXPORTS / "google_forms.csv")
    importance = question(draft, "skill_importance")
    assert importance.type == "ordinal_grid"
    assert importance.value_map == {"Important": 1, "Very important": 2}
    assert len(importance.source["items"]) == 2
    training = question(draft, "training_format")
    assert training.source["joined"] == ", "
    assert set(training.value_map) == {
        "Short course (1-5 days)",
        "E-learning",
        "Mentoring, on the job",
    }
    assert [ref for ref, _ in draft.pii] == ["Email address"]


def test_a_question_without_a_guessable_target_is_a_generic_answer_and_the_draft_loads() -> None:
    draft = draft_of(TINY)
    generic = question(draft, "qid11")
    assert generic.confirmed and generic.target == "answer.value"
    assert "set the target to promote it" in generic.target_note
    text = render_draft(draft)
    assert "unmapped:" not in text
    codebook = Codebook.model_validate(yaml.safe_load(text))  # runs as it is: no section to cut
    assert next(q for q in codebook.questions if q.id == "qid11").target == "answer.value"


def test_group_columns_reads_qualtrics_import_id_stems() -> None:
    groups, metadata = group_columns(read_export(TINY))
    by_stem = {g.stem: g for g in groups}
    assert [a.key for a in by_stem["QID4"].answers] == ["QID4_1", "QID4_2", "QID4_3"]
    assert [a.label for a in by_stem["QID4"].answers] == [
        "QC analyst",
        "QA specialist",
        "Qualified Person (QP)",
    ]
    assert by_stem["QID4"].text == "How many people do you expect to hire within 5 years?"
    assert [o.key for o in by_stem["QID9"].others] == ["QID9_4_TEXT"]
    assert by_stem["QID10"].text_hint and not by_stem["QID10"].itemised
    assert {"_recordId", "ipAddress", "recordedDate"} <= set(metadata)


def test_split_choices_keeps_choices_that_contain_the_delimiter() -> None:
    qualtrics = "Short course (1-5 days),On-the-job training, mentoring, or job rotation,Other"
    assert split_choices(qualtrics, ",") == [
        "Short course (1-5 days)",
        "On-the-job training, mentoring, or job rotation",
        "Other",
    ]
    assert split_choices("Python;SQL;", ";") == ["Python", "SQL"]


def test_scale_values_guess_the_order_of_rating_answers() -> None:
    assert scale_values(
        ["Very important", "Critical", "Not important", "Moderately important"]
    ) == {
        "Not important": 1,
        "Moderately important": 2,
        "Very important": 3,
        "Critical": 4,
    }
    assert scale_values(["Severe shortage", "No shortage", "Minor shortage"]) == {
        "No shortage": 1,
        "Minor shortage": 2,
        "Severe shortage": 3,
    }
    # numbers and labelled numbers keep their numbers: a 0-5 scale stays one
    assert scale_values(["5 - Mostly other people", "0 - Mostly me", "2"]) == {
        "0 - Mostly me": 0,
        "2": 2,
        "5 - Mostly other people": 5,
    }
    assert scale_values(["1 - Low", "High"]) == {"1 - Low": 1, "High": 2}  # words: an order


@pytest.mark.parametrize(
    ("text", "target", "constants"),
    [
        ("Which of the following best describes your organisation?", "respondent.org_sector", {}),
        ("How many employees does your organisation have?", "respondent.org_size_band", {}),
        ("In which county is your organisation located?", "respondent.region", {}),
        (
            "How many people do you expect to recruit in the next 12 months?",
            "hiring_need.headcount",
            {"horizon": "1y"},
        ),
        (
            "How many will you hire within 5 years (including those within 12 months)?",
            "hiring_need.headcount",
            {"horizon": "5y"},
        ),
        (
            "How difficult is it to recruit for these roles?",
            "recruitment_difficulty.difficulty",
            {},
        ),
        ("How important are these skills for you?", "skill_need.importance", {}),
        ("How large is the shortage of these skills today?", "skill_need.shortage", {}),
        (
            "Which training formats would you prefer for upskilling staff?",
            "training_preference.format_code",
            {},
        ),
        ("Hur många anställda har organisationen?", "respondent.org_size_band", {}),
    ],
)
def test_targets_are_suggested_from_keywords(
    text: str, target: str, constants: dict[str, str]
) -> None:
    suggestion = suggest_target(text)
    assert suggestion is not None and suggestion.target == target
    assert suggestion.constants == constants


def test_no_target_is_suggested_for_an_unrelated_question() -> None:
    assert suggest_target("How did you hear about this survey?") is None
    hires = suggest_target("How many people will you hire?")
    assert hires is not None and hires.problem is not None  # no horizon in the text


def test_types_are_detected_from_answers_not_positions() -> None:
    def profile(values: list[str | None], text: str = "Q?") -> str:
        group = ColumnGroup(stem="q", text=text)
        from transforms.codebook_tools.groups import AnswerColumn

        group.answers = [AnswerColumn("c", None, "")]
        return profile_group(group, pd.DataFrame({"c": pd.Series(values, dtype="string")})).type

    assert profile(["A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A"]) == "single"
    assert profile(["x;y", "y;z", "x;z", "x", "y;x"]) == "multi"
    assert profile(["12", "3.5", "40"], "How many hours?") == "numeric"
    assert (
        profile([f"A long and different answer number {i} about things" for i in range(12)])
        == "text"
    )
    assert profile([None, None]) == "empty"


def test_wave_names_come_from_the_folder_or_a_past_year_in_the_file_name() -> None:
    assert wave_name(Path("data/raw/x/2024/export.csv")) == "2024"
    assert wave_name(Path("atmp2030_2022_qualtrics.csv"), this_year=2026) == "2022"
    assert wave_name(Path("export.csv")) == "1"


def test_slugs_are_lowercase_ascii_codes() -> None:
    assert slugify("Västra Götaland") == "vastra_gotaland"
    assert slugify("Short course (1-5 days)") == "short_course_1_5_days"
    assert slugify("!!!") == "x"


def test_dump_yaml_quotes_whatever_would_read_back_differently() -> None:
    data: dict[str, object] = {
        "values": {"Yes": "no", "2022": "null", "a: b": "#x", "On": "1.5", "plain": "text"},
        "list": ["Don't know", "[x]", "a, b"],
        "scale": {1: "Not at all"},
    }
    notes = Notes(trailing={("values", "plain"): "a comment"})
    text = dump_yaml(data, notes, ["header"])
    assert yaml.safe_load(text) == data
    assert "plain: text  # a comment" in text


def test_cli_init_writes_a_draft_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    survey = tmp_path / "tiny"
    (survey / "2023").mkdir(parents=True)
    shutil.copy(TINY, survey / "2023" / TINY.name)
    shutil.copytree(PROJECT / "tests/fixtures/codebook/reference", tmp_path / "reference")
    out = survey / "survey.yaml"
    runner = CliRunner()
    result = runner.invoke(
        app, ["codebook", "init", str(survey / "2023" / TINY.name), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "skillgap codebook check" in result.output
    text = out.read_text("utf-8")
    assert "files: [2023/tiny_2023_qualtrics.csv]" in text
    assert "qualified_person: QID4_3" in text  # item labels matched to ../reference/roles.csv
    again = runner.invoke(
        app, ["codebook", "init", str(survey / "2023" / TINY.name), "-o", str(out)]
    )
    assert again.exit_code == 2 and "--force" in again.output
    printed = runner.invoke(
        app, ["codebook", "init", str(TINY), "--wave", "w1", "--platform", "qualtrics"]
    )
    assert printed.exit_code == 0 and "w1: {column: QID11}" in printed.output


def _real_export_files() -> list[Path]:
    if not REAL_EXPORTS.is_dir():
        return []
    suffixes = {".csv", ".tsv", ".xlsx", ".sav"}
    return sorted(p for p in REAL_EXPORTS.rglob("*") if p.suffix.lower() in suffixes)


@pytest.mark.real_exports
@pytest.mark.skipif(not REAL_EXPORTS.is_dir(), reason="../shared/real-exports is absent")
@pytest.mark.parametrize(
    "path", _real_export_files(), ids=lambda p: p.relative_to(REAL_EXPORTS).as_posix()
)
def test_init_drafts_a_valid_codebook_for_every_real_export(path: Path) -> None:
    draft = draft_of(path)
    codebook = without_unmapped(render_draft(draft))
    assert draft.questions or draft.unmapped
    assert set(codebook.waves) == {draft.wave}


def _generic_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "2025" / "forms.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_without_a_usable_id_column_the_draft_keys_rows_by_file_and_row(tmp_path: Path) -> None:
    # A timestamp kept to whole seconds, unique in these rows, is not an id.
    path = _generic_csv(
        tmp_path,
        ["Timestamp,Sector,Comment", "2025-03-01 10:00:01,Pharma,a", "2025-03-01 10:00:02,SME,b"],
    )
    draft = draft_of(path)
    assert draft.respondent_id is None and "keyed by file and row" in draft.respondent_id_note
    raw = yaml.safe_load(render_draft(draft))
    assert raw["waves"][draft.wave]["respondent_id"] is None


def test_an_id_column_that_repeats_values_is_not_used_as_the_respondent_id(
    tmp_path: Path,
) -> None:
    path = _generic_csv(tmp_path, ["respondent_id,Sector", "7,Pharma", "7,SME", "8,SME"])
    draft = draft_of(path)
    assert draft.respondent_id is None
    assert "respondent_id is not a usable id (2 repeated of 3 rows)" in draft.respondent_id_note
    unique = _generic_csv(tmp_path, ["respondent_id,Sector", "7,Pharma", "8,SME"])
    assert draft_of(unique).respondent_id == "respondent_id"


def test_an_export_of_test_responses_only_is_drafted_to_run_with_a_warning(
    tmp_path: Path,
) -> None:
    from transforms.codebook_tools.check import check_codebook_file
    from transforms.validate.codes import ValidationCodes, wave_codes

    export = read_export(TINY)
    tests_only = dataclasses.replace(export, status=pd.Series(["test"] * len(export.data)))
    draft = draft_codebook(tests_only, file_ref=TINY.name)
    assert draft.accept_statuses == ["test"]
    assert draft_codebook(export, file_ref=TINY.name).accept_statuses == []
    text = render_draft(draft)
    assert "accept_statuses: [test]" in text and "Delete this line for a real survey" in text
    codebook = Codebook.model_validate(yaml.safe_load(text))
    codes = wave_codes(ValidationCodes(), codebook, draft.wave)
    assert codes.platform_statuses == ("normal", "imported", "offline", "test")
    assert wave_codes(
        ValidationCodes(), load_codebook(TINY.parent.parent / "survey.yaml"), "2023"
    ).platform_statuses == ("normal", "imported", "offline")
    folder = tmp_path / "s"
    shutil.copytree(TINY.parent.parent, folder)
    (folder / "survey.yaml").write_text(text.replace(TINY.name, f"2023/{TINY.name}"), "utf-8")
    warned = [
        p
        for p in check_codebook_file(folder / "survey.yaml")
        if "accept_statuses" in (p.column or "")
    ]
    assert warned and warned[0].severity == "warning"


def test_sections_come_from_question_codes_that_share_a_stem() -> None:
    assert sections(["edu1", "edu2", "currentEmp13", "time1can"]) == {
        "edu1": "Section edu",
        "edu2": "Section edu",
        "currentEmp13": "Section currentEmp",
        "time1can": "Section time",
    }
    assert sections(["G01Q01", "G01Q02", "G02Q01"])["G02Q01"] == "Section G02"
    assert sections(["QID1", "QID2", "QID3"]) == {}  # one stem tells no sections
    assert sections(["Age", "MainBranch"]) == {}  # no numbered codes


def test_the_draft_gives_generic_questions_their_section_and_item_texts(tmp_path: Path) -> None:
    export = tmp_path / "survey.csv"
    header = [
        "id. Response ID",
        "submitdate. Date submitted",
        "lastpage. Last page",
        "startlanguage. Start language",
        "edu1. What is your highest qualification?",
        "fund1[SQ001]. Which funding do you use? [Books & merchandise]",
        "fund1[SQ002]. Which funding do you use? [Consulting & services]",
    ]
    rows = [
        [str(i), "2024-03-01 09:14:10", "3", "en", q, a, b]
        for i, (q, a, b) in enumerate(
            [("PhD", "Y", ""), ("Masters", "", "Y"), ("PhD", "Y", "Y"), ("Bachelors", "", "")] * 3,
            start=1,
        )
    ]
    pd.DataFrame(rows, columns=header).to_csv(export, index=False)
    text = render_draft(draft_of(export))
    codebook = yaml.safe_load(text)
    by_id = {q["id"]: q for q in codebook["questions"]}
    fund = next(q for q in by_id.values() if q["type"] == "multi")
    assert fund["group"] == "Section fund" and by_id["edu1"]["group"] == "Section edu"
    assert set(fund["item_labels"].values()) == {"Books & merchandise", "Consulting & services"}
    (source,) = fund["waves"].values()
    assert set(fund["item_labels"]) == set(source["items"])
    Codebook.model_validate(codebook)  # the draft loads as it is


def test_item_labels_must_name_items_a_wave_maps() -> None:
    question = {
        "id": "fund",
        "text": "Which funding do you use?",
        "type": "multi",
        "target": "answer.value",
        "item_labels": {"books": "Books & merchandise", "bokks": "typo"},
        "waves": {"1": {"items": {"books": "fund1[SQ001]"}}},
    }
    with pytest.raises(ValueError, match="bokks"):
        Question.model_validate(question)
    Question.model_validate({**question, "item_labels": {"books": "Books & merchandise"}})
