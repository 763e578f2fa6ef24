"""Reference data: typed tables from the CSVs the codebook names; errors name file, row, column."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.core.errors import ReferenceDataError
from transforms.ingest.codebook import Codebook
from transforms.ingest.reference import load_reference, reference_tables

FILES = {
    "roles.csv": (
        "role_code,label,role_family,isco_code\nqc,QC analyst,quality,2113\ngmp,GMP operator,,\n"
    ),
    "skills.csv": (
        "skill_code,label,skill_family,esco_uri\ngmp_skill,GMP,quality,\nassay,Assays,,\n"
    ),
    "role_skill.csv": "role_code,skill_code\nqc,gmp_skill\nqc,assay\ngmp,gmp_skill\n",
    "training_offer.csv": (
        "offer_id,provider,programme,level,credits,places_per_year,first_year,last_year,skills,source\n"
        "ki1,KI,Pre-GMP course,advanced,3,20,2025,,gmp_skill;assay,https://ki.se\n"
        "rs1,Research school,PhD courses,doctoral,,15,2023,2027,assay,\n"
    ),
    "frame.csv": "org_sector,org_size_band,organisations\npharma,large,10\nsme,small,25\n",
}


def _codebook(**survey: object) -> Codebook:
    return Codebook.model_validate(
        {
            "survey": {"id": "demo", "title": "Demo", "population_frame": "../ref/frame.csv"}
            | survey,
            "taxonomies": {
                "role": "../ref/roles.csv",
                "skill": "../ref/skills.csv",
                "role_skill": "../ref/role_skill.csv",
                "training_offer": "../ref/training_offer.csv",
            },
            "codes": {
                "org_sector": {"pharma": "Pharma", "sme": "SME"},
                "org_size_band": {"large": "Large", "small": "Small"},
                "training_format": {"short_course": "Short course"},
            },
            "waves": {},
            "questions": [],
        }
    )


@pytest.fixture
def survey_dir(tmp_path: Path) -> Path:
    (tmp_path / "ref").mkdir()
    for name, text in FILES.items():
        (tmp_path / "ref" / name).write_text(text, encoding="utf-8")
    (tmp_path / "demo").mkdir()
    return tmp_path / "demo"


def _replace(survey_dir: Path, name: str, old: str, new: str) -> Path:
    path = survey_dir.parent / "ref" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_reference_tables_are_read_with_their_types(survey_dir: Path) -> None:
    reference = load_reference(_codebook(), survey_dir)
    assert list(reference.roles["role_code"]) == ["qc", "gmp"]
    assert reference.roles["isco_code"].isna().tolist() == [False, True]
    offer = reference.training_offer
    assert str(offer["places_per_year"].dtype) == "Int64"
    assert offer["last_year"].isna().tolist() == [True, False]
    assert offer["credits"].tolist()[0] == 3.0
    assert reference.population_frame["organisations"].sum() == 35


def test_a_non_numeric_places_per_year_names_file_row_column_and_value(survey_dir: Path) -> None:
    path = _replace(survey_dir, "training_offer.csv", ",15,2023", ",fifteen,2023")
    with pytest.raises(
        ReferenceDataError, match="places_per_year must be a whole number"
    ) as caught:
        load_reference(_codebook(), survey_dir)
    error = caught.value
    assert (error.file, error.row, error.column, error.value) == (
        str(path),
        3,
        "places_per_year",
        "fifteen",
    )


def test_a_role_skill_code_not_in_roles_is_named(survey_dir: Path) -> None:
    _replace(survey_dir, "role_skill.csv", "gmp,gmp_skill", "qp,gmp_skill")
    with pytest.raises(ReferenceDataError, match="not a known role") as caught:
        load_reference(_codebook(), survey_dir)
    assert (caught.value.row, caught.value.column, caught.value.value) == (4, "role_code", "qp")


def test_a_training_offer_skill_not_in_the_taxonomy_is_named(survey_dir: Path) -> None:
    _replace(survey_dir, "training_offer.csv", "gmp_skill;assay", "gmp_skill;cryo")
    with pytest.raises(ReferenceDataError, match="skills lists a code") as caught:
        load_reference(_codebook(), survey_dir)
    assert (caught.value.row, caught.value.value) == (2, "cryo")


def test_an_offer_ending_before_it_starts_is_refused(survey_dir: Path) -> None:
    _replace(survey_dir, "training_offer.csv", "2023,2027", "2023,2021")
    with pytest.raises(ReferenceDataError, match="last_year is before first_year 2023"):
        load_reference(_codebook(), survey_dir)


def test_a_missing_column_and_a_duplicate_code_are_named(survey_dir: Path) -> None:
    _replace(survey_dir, "frame.csv", "organisations", "orgs")
    with pytest.raises(ReferenceDataError, match="lacks column 'organisations'"):
        load_reference(_codebook(), survey_dir)
    _replace(survey_dir, "frame.csv", "orgs", "organisations")
    _replace(survey_dir, "roles.csv", "gmp,GMP", "qc,GMP")
    with pytest.raises(ReferenceDataError, match="role_code must be unique") as caught:
        load_reference(_codebook(), survey_dir)
    assert caught.value.row == 3


def test_a_frame_sector_outside_the_codebook_codes_is_named(survey_dir: Path) -> None:
    _replace(survey_dir, "frame.csv", "sme,small", "biotech,small")
    with pytest.raises(ReferenceDataError, match="not a known code") as caught:
        load_reference(_codebook(), survey_dir)
    assert (caught.value.column, caught.value.value) == ("org_sector", "biotech")


def test_a_missing_file_is_named(survey_dir: Path) -> None:
    with pytest.raises(ReferenceDataError, match="not found") as caught:
        load_reference(_codebook(population_frame="../ref/nope.csv"), survey_dir)
    assert str(caught.value.file).endswith("nope.csv")


def test_without_a_frame_the_population_frame_is_empty(survey_dir: Path) -> None:
    reference = load_reference(_codebook(population_frame=None), survey_dir)
    assert reference.population_frame.empty
    assert list(reference.population_frame.columns) == [
        "org_sector",
        "org_size_band",
        "organisations",
    ]


def test_warehouse_reference_tables_carry_the_survey_on_frame_and_codes(survey_dir: Path) -> None:
    codebook = _codebook()
    tables = reference_tables([(codebook, load_reference(codebook, survey_dir))])
    assert set(tables) == {
        "ref_role",
        "ref_skill",
        "ref_role_skill",
        "ref_training_offer",
        "ref_population_frame",
        "ref_code",
    }
    assert list(tables["ref_population_frame"].columns)[:2] == ["survey_id", "org_sector"]
    codes = tables["ref_code"]
    assert codes[codes["code_list"] == "training_format"]["label"].tolist() == ["Short course"]
    assert set(codes["survey_id"]) == {"demo"}


def test_a_catalogue_without_the_illustrative_column_holds_only_real_offers(
    survey_dir: Path,
) -> None:
    offers = load_reference(_codebook(), survey_dir).training_offer
    assert offers["illustrative"].tolist() == [False, False]


def test_illustrative_offers_are_read_and_a_value_that_is_no_yes_or_no_is_named(
    survey_dir: Path,
) -> None:
    path = _replace(
        survey_dir, "training_offer.csv", "skills,source\n", "skills,source,illustrative\n"
    )
    _replace(survey_dir, "training_offer.csv", "https://ki.se\n", "https://ki.se,yes\n")
    _replace(survey_dir, "training_offer.csv", "assay,\n", "assay,,FALSE\n")
    assert load_reference(_codebook(), survey_dir).training_offer["illustrative"].tolist() == [
        True,
        False,
    ]
    _replace(survey_dir, "training_offer.csv", "assay,,FALSE\n", "assay,,maybe\n")
    with pytest.raises(ReferenceDataError, match="illustrative must be true or false") as caught:
        load_reference(_codebook(), survey_dir)
    error = caught.value
    assert (error.file, error.row, error.column, error.value) == (
        str(path),
        3,
        "illustrative",
        "maybe",
    )
