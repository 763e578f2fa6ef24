"""Disclosure control: secondary suppression, tried against an attacker who has the marts.

Given rows (minimum cell size 3): sectors pharma, sme and cdmo, four respondents each in one
stratum of ten organisations. 5-year qc hires: pharma 4, 2, 1; sme 3, 1, 2; cdmo 5 (one
contributor: primary suppression). gmp hires: pharma 1, 1, 2; sme 2, 2, 1; cdmo 1, 3, 2.
Difficulty of qc: rated by four in pharma and sme, two in cdmo (primary). The frame has a cell
cdmo/large with one respondent (primary). The committed sample is modelled once more at the end.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests import paths
from tests.model.disclosure_attack import published_system, recovered
from tests.model.warehouse_rows import (
    SURVEY,
    Respondent,
    build,
    canonical,
    hiring,
    one,
    respondent_tables,
    rows,
)
from transforms.model import warehouse as warehouse_module
from transforms.model.build import ModelResult
from transforms.model.disclosure.suppress import Cell, determined, protect
from transforms.model.params import ModelParams

PARAMS = ModelParams(min_cell=3)
SECTORS = ("pharma", "sme", "cdmo")
RESPONDENTS = [
    Respondent(f"{s[0]}{i}", s, "small", f"{s}/small", 2.5) for s in SECTORS for i in (1, 2, 3, 4)
] + [Respondent("c5", "cdmo", "large", "cdmo/large", 5.0)]
HIRES = [
    *[("p1", "qc", "5y", 4), ("p2", "qc", "5y", 2), ("p3", "qc", "5y", 1)],
    *[("s1", "qc", "5y", 3), ("s2", "qc", "5y", 1), ("s3", "qc", "5y", 2)],
    ("c1", "qc", "5y", 5),
    *[("p1", "gmp", "5y", 1), ("p2", "gmp", "5y", 1), ("p3", "gmp", "5y", 2)],
    *[("s1", "gmp", "5y", 2), ("s2", "gmp", "5y", 2), ("s4", "gmp", "5y", 1)],
    *[("c1", "gmp", "5y", 1), ("c2", "gmp", "5y", 3), ("c3", "gmp", "5y", 2)],
]
RATED = ["p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "c1", "c2"]


def _tables() -> dict[str, pd.DataFrame]:
    tables = respondent_tables(RESPONDENTS)
    tables["hiring_need"] = hiring(HIRES)
    tables["recruitment_difficulty"] = canonical(
        "recruitment_difficulty",
        [
            {"respondent_key": k, "role_code": "qc", "difficulty": 1 + 2 * (i % 2)}
            for i, k in enumerate(RATED)
        ],
    )
    tables["ref_role"] = pd.DataFrame(
        {
            "role_code": ["qc", "gmp"],
            "label": ["QC", "GMP"],
            "role_family": ["quality", "manufacturing"],
            "isco_code": None,
        }
    )
    tables["ref_skill"] = pd.DataFrame(
        {
            "skill_code": ["assay", "gmp_skill"],
            "label": ["Assay", "GMP"],
            "skill_family": None,
            "esco_uri": None,
        }
    )
    tables["ref_role_skill"] = pd.DataFrame(
        {"role_code": ["qc", "qc", "gmp"], "skill_code": ["assay", "gmp_skill", "gmp_skill"]}
    )
    tables["ref_population_frame"] = pd.DataFrame(
        {
            "survey_id": SURVEY,
            "org_sector": [*SECTORS, "cdmo"],
            "org_size_band": ["small", "small", "small", "large"],
            "organisations": [10, 10, 10, 5],
        }
    )
    return tables


@pytest.fixture(scope="module")
def published() -> duckdb.DuckDBPyConnection:
    return build(_tables(), PARAMS)


def _suppression(con: duckdb.DuckDBPyConnection, mart: str, **where: str) -> dict[tuple, str]:
    """(code, sector[, size band]) -> 'primary' or 'secondary', for the suppressed rows."""
    found = {}
    for row in rows(con, mart, **where):
        if row["suppressed"]:
            key = tuple(row[c] for c in ("role_code", "org_sector", "org_size_band") if c in row)
            found[key] = str(row["suppression"])
    return found


def test_a_lone_hidden_hiring_cell_gets_partners_so_that_each_line_hides_two(
    published: duckdb.DuckDBPyConnection,
) -> None:
    hidden = _suppression(published, "mart_hiring_demand", horizon="5y")
    assert hidden == {
        ("qc", "cdmo"): "primary",
        ("qc", "sme"): "secondary",
        ("gmp", "sme"): "secondary",
        ("gmp", "cdmo"): "secondary",
    }
    partner = one(published, "mart_hiring_demand", role_code="gmp", horizon="5y", org_sector="sme")
    assert all(pd.isna(partner[c]) for c in ("total", "se", "ci_low", "ci_high", "n_reporting"))
    assert partner["n_respondents"] == 4  # the sector's respondents: not disclosive, published


def test_a_lone_hidden_share_gets_a_partner_sector(published: duckdb.DuckDBPyConnection) -> None:
    hidden = _suppression(published, "mart_recruitment_difficulty", role_code="qc")
    assert hidden.pop(("qc", "cdmo")) == "primary"
    assert list(hidden.values()) == ["secondary"]
    assert one(published, "mart_recruitment_difficulty", role_code="qc", org_sector="all")[
        "share"
    ] == pytest.approx(5 / 10)


def test_a_small_sample_cell_hides_its_neighbour_in_the_sector(
    published: duckdb.DuckDBPyConnection,
) -> None:
    hidden = _suppression(published, "mart_sample")
    assert hidden == {("cdmo", "large"): "primary", ("cdmo", "small"): "secondary"}
    cell = one(published, "mart_sample", org_sector="cdmo", org_size_band="large")
    assert pd.isna(cell["n_respondents"]) and pd.isna(cell["response_rate"])
    assert pd.isna(cell["weight"]) and cell["population"] == 5


def test_no_hidden_cell_can_be_worked_out_from_the_published_marts(
    published: duckdb.DuckDBPyConnection,
) -> None:
    equations, values = published_system(published)
    hidden = [v for v in values if values[v] is None]
    assert len(hidden) >= 10
    assert recovered(equations, values) == set()


def test_without_secondary_suppression_the_attack_recovers_the_hidden_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warehouse_module, "protect_marts", lambda con: set())
    con = build(_tables(), PARAMS)
    equations, values = published_system(con)
    found = recovered(equations, values)
    assert ("total", SURVEY, "2022", "5y", "qc", "cdmo") in found
    assert ("n", "mart_recruitment_difficulty", SURVEY, "2022", "qc", "cdmo") in found
    assert ("sample", SURVEY, "2022", "cdmo", "large") in found


def _two_way(values: list[list[int]], primary: set[tuple[int, int]]) -> tuple[list[Cell], list]:
    """A table with row, column and grand totals as engine cells, with its lines."""
    n_rows, n_cols = len(values), len(values[0])
    cells, lines = [], []
    for r in range(n_rows):
        for c in range(n_cols):
            cells.append(Cell((r, c), {(r, c): 1.0}, (r, c) in primary, (0, 0, values[r][c])))
        cells.append(Cell((r, "T"), {(r, c): 1.0 for c in range(n_cols)}, False, (1, 0, 0)))
        lines.append([*((r, c) for c in range(n_cols)), (r, "T")])
    for c in range(n_cols):
        cells.append(Cell(("T", c), {(r, c): 1.0 for r in range(n_rows)}, False, (1, 0, 0)))
        lines.append([*((r, c) for r in range(n_rows)), ("T", c)])
    every = {(r, c): 1.0 for r in range(n_rows) for c in range(n_cols)}
    cells.append(Cell(("T", "T"), every, False, (2, 0, 0)))
    lines.append([*((r, "T") for r in range(n_rows)), ("T", "T")])
    lines.append([*(("T", c) for c in range(n_cols)), ("T", "T")])
    return cells, lines


def test_the_engine_closes_a_rectangle_around_a_lone_hidden_cell() -> None:
    cells, lines = _two_way([[5, 3, 8], [2, 9, 1], [7, 7, 7]], {(0, 1)})
    chosen = protect(cells, lines)
    assert chosen == [(0, 0), (1, 0), (1, 1)]
    assert determined(cells, {(0, 1), *chosen}) == []


def test_the_engine_catches_a_hidden_cell_bridging_two_protected_blocks() -> None:
    blocks = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    cells, lines = _two_way([[1] * 4 for _ in range(4)], blocks)
    assert determined(cells, blocks) == [(0, 2)]  # every line hides two, yet (0, 2) is known
    chosen = protect(cells, lines)
    assert determined(cells, blocks | set(chosen)) == []


# ---------------------------------------------------------------------------------------------
# The committed sample
# ---------------------------------------------------------------------------------------------

SAMPLE = paths.SAMPLE


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ModelResult:
    from tests.stages import model_survey

    out = tmp_path_factory.mktemp("sample")
    return model_survey(SAMPLE, out, salt="disclosure", params=ModelParams())[1]


@pytest.fixture(scope="module")
def sample(built: ModelResult) -> duckdb.DuckDBPyConnection:
    """The published warehouse of the sample: all that a reader can query."""
    return duckdb.connect(str(built.warehouse), read_only=True)


@pytest.fixture(scope="module")
def internal(built: ModelResult) -> duckdb.DuckDBPyConnection:
    """The internal warehouse: the marts beside the estimates they were made from."""
    assert built.internal is not None
    return duckdb.connect(str(built.internal), read_only=True)


@pytest.mark.e2e  # `sample`: the committed sample ingested, curated and modelled
def test_no_hidden_cell_of_the_sample_can_be_worked_out(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    equations, values = published_system(sample)
    assert sum(1 for v in values.values() if v is None) > 100
    assert recovered(equations, values) == set()


# count columns that are respondents (numerators of published shares are published with them)
RESPONDENT_COUNTS = ("n_respondents", "n_reporting", "n_base", "n_earlier", "n_later")


@pytest.mark.e2e  # `sample`: the committed sample ingested, curated and modelled
def test_no_published_count_of_the_sample_is_under_the_minimum(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    minimum = ModelParams().min_cell
    for mart in [r[0] for r in sample.sql("show tables").fetchall() if r[0].startswith("mart_")]:
        columns = [c for c in sample.table(mart).columns if c in RESPONDENT_COUNTS]
        for column in columns:
            small = sample.execute(
                f"select count(*) from {mart} where {column} > 0 and {column} < ?", [minimum]
            ).fetchone()
            assert small == (0,), f"{mart}.{column} shows a count under {minimum}"


@pytest.mark.e2e  # `sample`: the committed sample ingested, curated and modelled
def test_every_published_estimate_of_the_sample_rests_on_enough_respondents(
    internal: duckdb.DuckDBPyConnection,
) -> None:
    sample = internal
    minimum = ModelParams().min_cell
    checks = {
        "mart_hiring_demand": "select count(*) from mart_hiring_demand as m "
        "join int_total_estimates as e on e.measure = 'hiring' and e.item_code = m.role_code "
        "and e.survey_id = m.survey_id and e.wave = m.wave and e.horizon = m.horizon "
        "and e.org_sector = m.org_sector where m.total is not null and (e.n_respondents < $m "
        "or (e.n_reporting > 0 and e.n_reporting < $m))",
        "mart_skill_gap": "select count(*) from mart_skill_gap as m "
        "join int_total_estimates as e on e.measure = 'skill_family_demand' "
        "and e.item_code = m.skill_code || '/' || m.role_family and e.survey_id = m.survey_id "
        "and e.wave = m.wave and e.org_sector = 'all' where m.gap is not null "
        "and e.n_reporting > 0 and e.n_reporting < $m",
        "mart_recruitment_difficulty": "select count(*) from mart_recruitment_difficulty as m "
        "join int_share_estimates as e on e.measure = 'recruitment_difficulty' "
        "and e.item_code = m.role_code and e.survey_id = m.survey_id and e.wave = m.wave "
        "and e.org_sector = m.org_sector where m.share is not null and e.n_respondents < $m",
        "mart_skill_shortage": "select count(*) from mart_skill_shortage as m "
        "join int_share_estimates as e on e.measure = 'skill_shortage' "
        "and e.item_code = m.skill_code and e.survey_id = m.survey_id and e.wave = m.wave "
        "and e.org_sector = m.org_sector where m.share is not null and e.n_respondents < $m",
    }
    for mart, sql in checks.items():
        assert sample.execute(sql, {"m": minimum}).fetchone() == (0,), mart
    leaks = sample.execute(
        "select count(*) from mart_wave_comparison "
        "where (suppressed_earlier and estimate_earlier is not null) "
        "or (suppressed_later and estimate_later is not null) "
        "or (suppressed and difference is not null)"
    ).fetchone()
    assert leaks == (0,)
    hidden = sample.execute(
        "select count(*) from mart_wave_comparison where suppressed and measure = 'hires_5y'"
    ).fetchone()
    assert hidden is not None and hidden[0] > 0
