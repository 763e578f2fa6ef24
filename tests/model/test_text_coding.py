"""The free-text coder (transforms.model.text_coding) on given answers with expected codes,
and on the committed sample's answer pools."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests import paths
from transforms.ingest.codebook import load_codebook
from transforms.ingest.reference import load_reference
from transforms.model.text_coding import (
    Scheme,
    code_answers,
    code_free_text,
    coding_schemes,
    label_terms,
    make_codes,
    normalise,
)
from transforms.synthetic import texts

LABELS = {
    "gmp": "Good Manufacturing Practice (GMP)",
    "qc_qa": "Quality control and quality assurance (QC/QA)",
    "hospital_exemption": "Hospital exemption",
    "regulatory_strategy": "Regulatory strategy",
    "viral_vector_production": "Viral vector production",
    "mrna_production": "mRNA production",
    "hands_on": "Hands-on practical training",
}
TAXONOMY_SYNONYMS = {  # a taxonomy's synonyms column
    "gmp": ["aseptic technique"],
    "qc_qa": ["release testing"],
    "regulatory_strategy": ["Läkemedelsverket", "EMA"],
}
CODEBOOK_SYNONYMS = {  # the codebook's synonyms.skill
    "gmp": ("cleanroom",),
    "hospital_exemption": ("sjukhusundantaget",),
    "viral_vector_production": ("lentiviral",),
}
SKILLS = Scheme("skill", 90, make_codes(LABELS, TAXONOMY_SYNONYMS, CODEBOOK_SYNONYMS))


def codes_of(answers: list[str], scheme: Scheme = SKILLS) -> list[set[str]]:
    rows = code_answers(answers, scheme)
    return [set(rows.loc[rows["position"] == i, "code"]) for i in range(len(answers))]


def test_a_code_is_matched_by_its_label_its_code_words_and_both_synonym_sources() -> None:
    gmp = SKILLS.codes[0]
    assert gmp.terms == (
        "Good Manufacturing Practice (GMP)",
        "Good Manufacturing Practice",
        "GMP",
        "gmp",
        "aseptic technique",
        "cleanroom",
    )


def test_normalise_folds_case_drops_accents_and_punctuation_for_matching_only() -> None:
    got = normalise(["Läkemedels-verket!", "  GMP/QC  ", "Ørsted & Æbleskiver", None])
    assert got.to_pylist() == ["lakemedels verket", "gmp qc", "ørsted æbleskiver", None]


def test_a_label_gives_itself_its_plain_part_and_each_abbreviation() -> None:
    assert label_terms("Quality control and quality assurance (QC/QA)") == [
        "Quality control and quality assurance (QC/QA)",
        "Quality control and quality assurance  ",
        "QC",
        "QA",
    ]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("GMP", {"gmp"}),  # exact abbreviation, a whole word
        ("we need more gmp", {"gmp"}),
        ("Good manufacturing practise", {"gmp"}),  # label with a typo
        ("work in the cleanrom", {"gmp"}),  # synonym with a typo
        ("Release testing of batches", {"qc_qa"}),  # synonym
        ("Kunskap om sjukhusundantaget", {"hospital_exemption"}),  # Swedish synonym
        ("Kontakter med Lakemedelsverket", {"regulatory_strategy"}),  # accent left out
        ("Dialog med Läkemedelsverket", {"regulatory_strategy"}),
        ("QC and EMA scientific advice", {"qc_qa", "regulatory_strategy"}),  # several codes
        ("Lentiviral vector production & GMP", {"viral_vector_production", "gmp"}),
        ("<b>Aseptic technique</b> & cleanroom > paper", {"gmp"}),  # markup is just text
        ("Training, hands-on", {"hands_on"}),  # words in another order
        ("Legal questions around gene editing", set()),  # codable to nothing
        ("Cell line development for vector production", {"viral_vector_production"}),
    ],
)
def test_answers_get_the_expected_codes(answer: str, expected: set[str]) -> None:
    assert codes_of([answer]) == [expected]


@pytest.mark.parametrize(
    "answer", ["n/a", "N/A", "-", "Nothing.", "nothing more", "Vet ej", "", " "]
)
def test_nothing_like_and_empty_answers_are_uncoded(answer: str) -> None:
    assert codes_of([answer]) == [set()]


def test_a_short_code_word_matches_only_a_whole_word() -> None:
    # "gmp" inside another word, "ema" inside "schema" and "emails": no match
    assert codes_of(["gmpx lines", "a schema of emails", "qcqa"]) == [set(), set(), set()]


def test_a_short_answer_does_not_match_inside_a_long_term() -> None:
    # "training" is a word of "Hands-on practical training", but the answer says nothing more
    assert codes_of(["training", "practical"]) == [set(), set()]


def test_scores_are_those_of_the_best_term_and_reach_min_score() -> None:
    rows = code_answers(["work in the cleanrom", "GMP"], SKILLS)
    assert rows["score"].between(90, 100).all()
    assert rows.loc[rows["position"] == 1, "score"].item() == 100
    assert rows.loc[rows["position"] == 0, "score"].item() < 100  # fuzzy, not exact


def test_identical_answers_get_identical_codes_and_null_text_none() -> None:
    answers = pa.array(["GMP", None, "gmp!", "GMP"], pa.string())
    rows = code_answers(answers, SKILLS)
    assert rows["position"].tolist() == [0, 2, 3] and set(rows["code"]) == {"gmp"}


def test_code_free_text_keys_each_code_to_its_respondent_and_question() -> None:
    answers = pd.DataFrame(
        {
            "survey_id": ["s", "s", "s", "s"],
            "wave": ["1", "1", "1", "2"],
            "respondent_key": ["a", "b", "c", "a"],
            "question_id": ["skills", "skills", "skills", "other"],
            "text": ["QC and EMA", "nothing", "cleanroom", "GMP"],
        }
    )
    rows = code_free_text(answers, {"skills": SKILLS})
    assert rows.columns.tolist() == [
        "survey_id",
        "wave",
        "respondent_key",
        "question_id",
        "code",
        "score",
    ]
    got = sorted(zip(rows["respondent_key"], rows["code"], strict=True))
    assert got == [("a", "qc_qa"), ("a", "regulatory_strategy"), ("c", "gmp")]
    assert set(rows["question_id"]) == {"skills"}  # a question without a scheme is not coded


def test_no_scheme_or_no_answers_give_an_empty_table_with_the_columns() -> None:
    empty = pd.DataFrame(
        {c: pd.Series([], dtype="string") for c in ("survey_id", "wave", "respondent_key")}
    ).assign(question_id=pd.Series([], dtype="string"), text=pd.Series([], dtype="string"))
    assert code_free_text(empty, {"skills": SKILLS}).empty
    assert list(code_free_text(empty, {}).columns)[-1] == "score"


def test_the_sample_schemes_code_the_sample_answers_as_expected() -> None:
    """The sample's codebook and skills.csv (synonyms column + codebook synonyms) on the answer
    pools the generator draws from: each pool answer gets the codes a reader would give it."""
    survey = paths.PROJECT / "data" / "raw" / "atmp2030"
    codebook = load_codebook(survey / "survey.yaml")
    schemes = coding_schemes(codebook, load_reference(codebook, survey))
    assert set(schemes) == {"other_skills", "training_special"}
    assert {c.code for c in schemes["training_special"].codes} == set(
        codebook.codes["training_theme"]
    )
    special = dict(
        zip(
            texts.TRAINING_SPECIAL,
            codes_of(list(texts.TRAINING_SPECIAL), schemes["training_special"]),
            strict=True,
        )
    )
    assert special["Träning kräver tillgång till renrum, som vi sällan har."] == {"gmp_access"}
    assert special["Få patienter per år, så personalen får sällan öva."] == {"few_patients"}
    assert special["Acess to the clean room and few courses in Sweden."] == {
        "gmp_access",
        "few_courses",
    }
    assert special[
        "Interdisciplinairy teams need practical training together, not separate courses."
    ] == {"interdisciplinary", "hands_on"}
    for uncodable in ("Nothing special.", "n/a", "Vet ej", "-", "Budget for training is limited."):
        assert special[uncodable] == set(), uncodable
    assert sum(1 for got in special.values() if got) == 22  # of 28 pool answers
    skills = dict(
        zip(
            texts.OTHER_SKILLS,
            codes_of(list(texts.OTHER_SKILLS), schemes["other_skills"]),
            strict=True,
        )
    )
    assert skills["Kunskap om sjukhusundantaget och ersättningsmodeller"] == {
        "hospital_exemption",
        "health_economics",
    }
    assert skills["Interaction with Läkemedelsverket and EMA (scientific advice)"] == {
        "regulatory_strategy"
    }
    assert skills["Aseptic technique & cleanroom behaviour"] == {"gmp"}
    assert skills["Nothing more than listed."] == set()
    assert skills["Legal & IP questions around gene editing"] == set()


def test_a_hundred_thousand_distinct_answers_are_coded_in_seconds() -> None:
    """Scale: 100,000 answers, all different (a number appended), against the sample's skill
    scheme; identical answers would be scored once."""
    survey = paths.PROJECT / "data" / "raw" / "atmp2030"
    codebook = load_codebook(survey / "survey.yaml")
    scheme = coding_schemes(codebook, load_reference(codebook, survey))["other_skills"]
    pool = np.array(texts.OTHER_SKILLS, dtype=object)
    rng = np.random.default_rng(1)
    answers = [f"{pool[i]} {n}" for n, i in enumerate(rng.integers(len(pool), size=100_000))]
    start = time.perf_counter()
    rows = code_answers(answers, scheme)
    elapsed = time.perf_counter() - start
    assert rows["position"].nunique() > 80_000
    assert elapsed < 60, elapsed  # about 10 s on one busy core of a 2-core machine
