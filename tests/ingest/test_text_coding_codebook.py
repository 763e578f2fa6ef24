"""The codebook's free-text sections (text_coding, synonyms, quotes) and the skills file's
synonyms column: read as documented, and every mistake named with its file, key and value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests import paths
from transforms.core.errors import CodebookError
from transforms.ingest.codebook import load_codebook
from transforms.ingest.reference import load_reference

SAMPLE = paths.PROJECT / "data" / "raw" / "atmp2030"


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """A copy of the sample's codebook and reference files, to break one thing at a time."""
    folder = tmp_path / "raw" / "atmp2030"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE / "survey.yaml", folder / "survey.yaml")
    shutil.copytree(SAMPLE.parent / "reference", tmp_path / "raw" / "reference")
    return folder / "survey.yaml"


def _edit(path: Path, **sections: object) -> Path:
    raw = yaml.safe_load(path.read_text("utf-8"))
    raw.update(sections)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_the_sample_codes_both_open_questions_and_lists_reviewed_quotes() -> None:
    codebook = load_codebook(SAMPLE / "survey.yaml")
    assert {q: c.scheme for q, c in codebook.text_coding.items()} == {
        "other_skills": "skill",
        "training_special": "training_theme",
    }
    assert "gmp_access" in codebook.synonyms["training_theme"]
    assert {q.wave for q in codebook.quotes["training_special"]} == {"2022", "2024"}
    skills = load_reference(codebook, SAMPLE).skills
    assert (
        "sjukhusundantaget" in skills.set_index("skill_code").loc["hospital_exemption", "synonyms"]
    )


QUOTE = {"wave": "2022", "text": "x", "reviewed_by": "me"}
MISTAKES = [  # (section, its content, words the error must contain)
    (
        "text_coding",
        {"other_skillz": {"scheme": "skill"}},
        ["text_coding.other_skillz", "not a free-text question"],
    ),
    ("text_coding", {"org_sector": {"scheme": "skill"}}, ["text_coding.org_sector"]),
    (
        "text_coding",
        {"other_skills": {"scheme": "themes"}},
        ["text_coding.other_skills.scheme", "'themes'"],
    ),
    (
        "text_coding",
        {"other_skills": {"scheme": "skill", "min_score": 120}},
        ["text_coding.other_skills.min_score", "100"],
    ),
    (
        "text_coding",
        {"other_skills": {"scheme": "skill", "min_score": "high"}},
        ["text_coding.other_skills.min_score"],
    ),
    (
        "synonyms",
        {"training_theme": {"gmp_acess": ["lab"]}},
        ["synonyms.training_theme.gmp_acess", "not a code"],
    ),
    ("synonyms", {"themes": {"x": ["lab"]}}, ["synonyms.themes"]),
    (
        "synonyms",
        {"training_theme": {"gmp_access": ["  "]}},
        ["synonyms.training_theme.gmp_access", "empty"],
    ),
    ("quotes", {"why": [QUOTE]}, ["quotes.why", "not a free-text question"]),
    (
        "quotes",
        {"training_special": [{**QUOTE, "wave": "2023"}]},
        ["quotes.training_special[0].wave", "'2023'"],
    ),
    (
        "quotes",
        {"training_special": [{"wave": "2022", "text": "x"}]},
        ["quotes.training_special.0.reviewed_by"],
    ),
]


@pytest.mark.parametrize(("section", "content", "words"), MISTAKES)
def test_a_mistake_names_the_file_the_key_and_the_value(
    survey: Path, section: str, content: dict[str, object], words: list[str]
) -> None:
    with pytest.raises(CodebookError) as error:
        load_codebook(_edit(survey, **{section: content}))
    message = str(error.value)
    assert str(survey) in message
    for word in words:
        assert word in message, (word, message)


def test_a_code_list_with_the_reserved_code_uncoded_is_refused(survey: Path) -> None:
    raw = yaml.safe_load(survey.read_text("utf-8"))
    raw["codes"]["training_theme"]["uncoded"] = "Something"
    with pytest.raises(CodebookError, match="'uncoded'"):
        load_codebook(_edit(survey, codes=raw["codes"]))


def test_skill_synonyms_of_a_code_the_taxonomy_lacks_name_the_codebook_and_key(
    survey: Path,
) -> None:
    codebook = load_codebook(_edit(survey, synonyms={"skill": {"gmpp": ["cleanroom"]}}))
    with pytest.raises(CodebookError) as error:
        load_reference(codebook, survey.parent)
    assert error.value.column == "synonyms.skill.gmpp" and error.value.value == "gmpp"
    assert str(survey) in str(error.value)


def test_a_skills_file_without_the_synonyms_column_still_loads(survey: Path) -> None:
    skills = survey.parent.parent / "reference" / "skills.csv"
    lines = skills.read_text("utf-8").splitlines()
    skills.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", "utf-8")
    assert "synonyms" not in lines[0].rsplit(",", 1)[0]
    table = load_reference(load_codebook(survey), survey.parent).skills
    assert table["synonyms"].isna().all() and len(table) == 16


def test_the_other_text_of_a_multi_select_can_be_coded(survey: Path) -> None:
    coding = {"training_format_other": {"scheme": "training_theme", "min_score": 85}}
    codebook = load_codebook(_edit(survey, text_coding=coding))
    assert codebook.text_coding["training_format_other"].min_score == 85


def test_codebook_check_reports_skill_synonyms_the_taxonomy_lacks(survey: Path) -> None:
    from transforms.codebook_tools.check import check_codebook

    codebook = load_codebook(_edit(survey, synonyms={"skill": {"gmpp": ["cleanroom"]}}))
    problems = check_codebook(codebook, survey.parent, read_exports=False)
    found = [p for p in problems if p.column == "synonyms.skill.gmpp"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].value == "gmpp"
    clean = check_codebook(load_codebook(SAMPLE / "survey.yaml"), SAMPLE, read_exports=False)
    assert not [p for p in clean if p.column and p.column.startswith("synonyms")]
