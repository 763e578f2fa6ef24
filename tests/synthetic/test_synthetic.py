"""Synthetic sample: deterministic, well-formed and consistent with the public ATMP2030 facts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tests import paths
from transforms.ingest.codebook import load_codebook
from transforms.synthetic import generate_sample

QUALTRICS = "atmp2030/2022/atmp2030_2022_qualtrics_SYNTHETIC.csv"
SURVEYMONKEY = "atmp2030/2024/atmp2030_2024_surveymonkey_SYNTHETIC.xlsx"
FRAME = "reference/atmp2030_population_frame.csv"
DIFFICULT = ("Very difficult", "Extremely difficult")
RATED = ("Not difficult", "Somewhat difficult", *DIFFICULT)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    generate_sample(out)
    return out


def read_qualtrics(path: Path) -> pd.DataFrame:
    """The export as strings, columns named by the ImportId of header row 3."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    keys = [json.loads(cell)["ImportId"] for cell in rows[2]]
    return pd.DataFrame(rows[3:], columns=keys).replace("", pd.NA)


def read_surveymonkey(path: Path) -> pd.DataFrame:
    """The export as strings, columns named 'question | row-2 label' (metadata: row 1 alone)."""
    book = load_workbook(path, read_only=True)  # read-only keeps the file open until closed
    try:
        rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    finally:
        book.close()
    keys, question = [], ""
    for top, label in zip(rows[0], rows[1], strict=True):
        question = top if top is not None else question
        keys.append(f"{question} | {label}" if label is not None else question)
    data = [[None if v is None else str(v) for v in r] for r in rows[2:]]
    return pd.DataFrame(data, columns=keys).astype("string")


def wave_frame(raw: Path, wave: str) -> tuple[pd.DataFrame, dict[str, dict[str, str]]]:
    """Respondents (previews dropped) with sector and size codes, and the wave's column keys."""
    codebook = load_codebook(raw / "atmp2030/survey.yaml")
    q = {question.id: question for question in codebook.questions}
    data = (
        read_qualtrics(raw / QUALTRICS) if wave == "2022" else read_surveymonkey(raw / SURVEYMONKEY)
    )
    if wave == "2022":
        data = data[data["status"] != "Survey Preview"]
    for name in ("org_sector", "org_size_band"):
        column = q[name].waves[wave].column
        data[name] = data[column].map(q[name].value_map)
    items = {name: dict(q[name].waves[wave].items or {}) for name in q if q[name].waves[wave].items}
    return data.reset_index(drop=True), items


def weights(raw: Path, data: pd.DataFrame) -> pd.Series:
    """Post-stratification weights: organisations / respondents per sector x size cell."""
    frame = pd.read_csv(raw / FRAME).set_index(["org_sector", "org_size_band"])["organisations"]
    cell = pd.MultiIndex.from_frame(data[["org_sector", "org_size_band"]])
    n = data.groupby(["org_sector", "org_size_band"]).size()
    return pd.Series(frame.reindex(cell).to_numpy() / n.reindex(cell).to_numpy(), index=data.index)


def weighted_5y(raw: Path, wave: str) -> tuple[float, float]:
    """Weighted five-year hires (sum over roles) and its stratified standard error."""
    data, items = wave_frame(raw, wave)
    data = data.dropna(subset=["org_sector", "org_size_band"])
    hires = data[list(items["hires_5y"].values())].apply(pd.to_numeric, errors="coerce")
    per_org = hires.sum(axis=1, min_count=1).fillna(0)
    w = weights(raw, data)
    frame = pd.read_csv(raw / FRAME).set_index(["org_sector", "org_size_band"])["organisations"]
    variance = 0.0
    for cell, group in per_org.groupby([data["org_sector"], data["org_size_band"]]):
        if len(group) > 1:
            variance += frame[cell] ** 2 * group.var(ddof=1) / len(group)
    return float((per_org * w).sum()), float(np.sqrt(variance))


def difficulty_shares(raw: Path, wave: str) -> pd.Series:
    """Per sector: share of rated roles found very or extremely difficult to recruit."""
    data, items = wave_frame(raw, wave)
    ratings = data[list(items["recruitment_difficulty"].values())]
    long = ratings.assign(sector=data["org_sector"]).melt(id_vars="sector").dropna()
    long = long[long["value"].isin(RATED)]
    return long.assign(hard=long["value"].isin(DIFFICULT)).groupby("sector")["hard"].mean()


def test_the_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = generate_sample(tmp_path / "a")
    second = generate_sample(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for a, b in zip(first, second, strict=True):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a


def test_the_committed_sample_is_what_the_generator_writes(raw: Path) -> None:
    committed = paths.PROJECT / "data" / "raw"
    if not (committed / QUALTRICS).exists():
        pytest.skip("no committed sample")
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        relative = path.relative_to(raw)
        assert (committed / relative).read_bytes() == path.read_bytes(), relative


def test_the_codebook_validates_and_names_only_existing_columns(raw: Path) -> None:
    codebook = load_codebook(raw / "atmp2030/survey.yaml")
    assert codebook.survey.synthetic
    assert "SYNTHETIC" in codebook.survey.title and "SYNTHETIC" in (codebook.survey.notice or "")
    exports = {
        "2022": read_qualtrics(raw / QUALTRICS),
        "2024": read_surveymonkey(raw / SURVEYMONKEY),
    }
    tags = {"ResponseId", "RecordedDate", "Finished", "IPAddress", "RecipientLastName"}
    tags |= {"RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude"}
    tags |= {"LocationLongitude"}
    for wave, spec in codebook.waves.items():
        known = set(exports[wave].columns) | (tags if wave == "2022" else set())
        refs = [spec.respondent_id, spec.submitted_at, *spec.pii_columns]
        for question in codebook.questions:
            source = question.waves[wave]
            refs += [source.column, source.other_text, *(source.items or {}).values()]
        missing = {r for r in refs if r is not None} - known
        assert not missing, (wave, missing)


def test_every_choice_text_in_the_exports_is_in_the_value_maps(raw: Path) -> None:
    codebook = load_codebook(raw / "atmp2030/survey.yaml")
    for wave in ("2022", "2024"):
        data, _ = wave_frame(raw, wave)
        for question in codebook.questions:
            if question.type not in ("single", "ordinal_grid"):
                continue
            source = question.waves[wave]
            columns = [source.column] if source.column else list((source.items or {}).values())
            values = set(pd.unique(data[columns].to_numpy().ravel())) - {pd.NA, None}
            unknown = values - set(question.value_map) - set(question.missing_values)
            assert not unknown, (wave, question.id, unknown)


def test_both_exports_have_about_150_responses_and_the_planted_quirks(raw: Path) -> None:
    q22 = read_qualtrics(raw / QUALTRICS)
    sm24 = read_surveymonkey(raw / SURVEYMONKEY)
    assert 140 <= len(q22) <= 160 and 130 <= len(sm24) <= 150
    assert (q22["status"] == "Survey Preview").sum() == 1
    assert (q22["finished"] == "False").sum() >= 3
    assert (q22 == "10-15").sum().sum() == 1
    sector = "Which type of organisation do you represent? | Response"
    assert sm24[sector].isna().sum() == 1
    assert q22["QID9"].str.contains("On-the-job training, mentoring, or job rotation").any()
    other_skills = "Which other skills does your organisation need that are not listed above?"
    free = pd.concat([q22["QID10_TEXT"], sm24[f"{other_skills} | Open-Ended Response"]]).dropna()
    assert free.str.contains("@example.").sum() >= 2
    assert free.str.contains("<").any() and free.str.contains("&").any()
    training = "What is special about training for ATMP in your organisation?"
    special = {"2022": q22["QID11_TEXT"], "2024": sm24[f"{training} | Open-Ended Response"]}
    for wave, answers in special.items():
        assert 40 <= answers.notna().sum() <= 80, wave  # about 45 % of finished respondents
    assert special["2022"].str.contains("<i>", regex=False).sum() == 1
    assert special["2022"].str.contains("070-123 45 67", regex=False).sum() == 1


def test_five_year_hires_never_fall_below_one_year_hires(raw: Path) -> None:
    for wave in ("2022", "2024"):
        data, items = wave_frame(raw, wave)
        for role, one_col in items["hires_1y"].items():
            one = pd.to_numeric(data[one_col], errors="coerce")
            five = pd.to_numeric(data[items["hires_5y"][role]], errors="coerce")
            both = one.notna() & five.notna()
            assert (five[both] >= one[both]).all(), (wave, role)


def test_every_cell_with_respondents_has_at_least_as_many_organisations(raw: Path) -> None:
    frame = pd.read_csv(raw / FRAME).set_index(["org_sector", "org_size_band"])["organisations"]
    for wave in ("2022", "2024"):
        data, _ = wave_frame(raw, wave)
        n = data.dropna(subset=["org_sector"]).groupby(["org_sector", "org_size_band"]).size()
        assert (frame.reindex(n.index) >= n).all(), wave
        assert set(n.index) == set(frame.index), wave


def test_weighted_five_year_hires_exceed_500_with_the_ci_above_500(raw: Path) -> None:
    total22, se22 = weighted_5y(raw, "2022")
    total24, _ = weighted_5y(raw, "2024")
    assert total22 - 1.96 * se22 > 500
    assert total24 > total22


def test_large_pharma_finds_recruitment_easier_than_every_other_sector(raw: Path) -> None:
    for wave in ("2022", "2024"):
        shares = difficulty_shares(raw, wave)
        others = shares.drop("large_pharma")
        assert shares["large_pharma"] < others.min() - 0.15, (wave, shares.to_dict())


def test_qc_qa_qp_and_gmp_manufacturing_are_the_hardest_roles_to_fill(raw: Path) -> None:
    scarce = {"qc_analyst", "qa_specialist", "qualified_person", "gmp_manufacturing"}
    for wave in ("2022", "2024"):
        data, items = wave_frame(raw, wave)
        by_role = {column: role for role, column in items["recruitment_difficulty"].items()}
        long = data[list(by_role)].rename(columns=by_role).melt().dropna()
        long = long[long["value"].isin(RATED)]
        share = long.assign(hard=long["value"].isin(DIFFICULT)).groupby("variable")["hard"].mean()
        assert set(share.nlargest(4).index) == scarce, (wave, share.round(2).to_dict())
