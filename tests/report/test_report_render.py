"""Report step: one report rendered from hand-made marts, checked as a reader would."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.report.report_html import MartNumber, mart_numbers, mart_suppression, mart_value
from tests.report.report_marts import OTHER_WAVE, SURVEY, WAVE, mart_connection, report_meta
from transforms.report.context import build_report_context
from transforms.report.render import ReportPaths, render_report
from transforms.report.xlsx import write_tables_xlsx

pytestmark = pytest.mark.e2e  # every test reads one full report: HTML, PDF and workbook


@dataclass(frozen=True)
class Rendered:
    con: duckdb.DuckDBPyConnection
    context: dict[str, object]
    paths: ReportPaths
    html: str
    numbers: list[MartNumber]
    pdf: PdfReader


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    out_dir = tmp_path_factory.mktemp("reports") / SURVEY / WAVE
    out_dir.mkdir(parents=True)
    (out_dir / "data_quality.html").write_text("<p>written by the validation step</p>")
    con = mart_connection()
    context = build_report_context(con, SURVEY, WAVE, report_meta())
    paths = render_report(context, out_dir)
    html = paths.html.read_text(encoding="utf-8")
    return Rendered(con, context, paths, html, mart_numbers(html), PdfReader(paths.pdf))


def _numbers(rendered: Rendered, section: str, field: str, **key: str) -> list[MartNumber]:
    return [
        n for n in rendered.numbers if n.section == section and n.field == field and n.key == key
    ]


def _shown_matches(text: str, value: float) -> bool:
    """The reader's text is the mart value formatted: '1,234', '62%', '2.6', '0.78', and for
    changes '+112', '−20' and '+5 pp' (percentage points)."""
    plain = text.replace(",", "").replace("\u2212", "-")
    if plain.endswith("%"):
        return math.isclose(float(plain[:-1]), value * 100, abs_tol=0.5)
    if plain.endswith(" pp"):
        return math.isclose(float(plain[:-3]), value * 100, abs_tol=0.5)
    return math.isclose(float(plain), value, abs_tol=0.5)


def test_every_number_shown_equals_its_mart_row(rendered: Rendered) -> None:
    assert len(rendered.numbers) > 100
    for number in rendered.numbers:
        value, suppressed = mart_value(rendered.con, SURVEY, WAVE, number)
        if number.suppressed:
            assert suppressed, number
            continue
        if value is None:
            assert number.value == "" and number.text == "–", number
            continue
        assert isinstance(value, int | float), number
        assert float(number.value) == pytest.approx(float(value)), number
        assert _shown_matches(number.text, float(value)), number


def test_key_findings_state_the_total_hires_and_their_interval_from_the_mart(
    rendered: Rendered,
) -> None:
    key = {"role_code": "all", "horizon": "5y", "org_sector": "all"}
    total = _numbers(rendered, "key-findings", "total", **key)
    low = _numbers(rendered, "key-findings", "ci_low", **key)
    high = _numbers(rendered, "key-findings", "ci_high", **key)
    assert [n.text for n in total] == ["648", "648"]  # the key-figures panel, then the text
    assert float(total[0].value) == pytest.approx(648.4)
    assert [n.text for n in low + high] == ["493", "804"]  # the panel: the text has none
    finding = re.search(r'<li id="finding-hiring">(.*?)</li>', rendered.html, re.S)
    assert finding is not None
    text = re.sub(r"<[^>]+>", "", finding.group(1))
    assert "about 648 people with specialist ATMP knowledge (95% CI 493–804)" in text
    assert "191 (95% CI 145–237) within one year" in text


def test_key_findings_name_the_sector_with_least_difficulty_and_the_top_skills(
    rendered: Rendered,
) -> None:
    text = re.sub(r"<[^>]+>", "", rendered.html)
    assert "In 3 of 4 sectors with enough respondents, more than half" in text
    # 9 organisations (Kish n_eff 7): the finding says the share is of low precision
    assert (
        "the least difficulty is reported in the large pharmaceutical company sector (22%, "
        "95% CI 10%–33%, low precision), below every other sector beyond the margin of error"
        in text
    )
    assert "GMP (74% of organisations" in text
    assert "potency and purity assays (69%" in text
    assert "and viral vector production (66%" in text
    assert "For 6 of 7 skills, expected hires over five years exceed the training places" in text


def test_the_report_reads_only_the_wave_it_is_asked_for(rendered: Rendered) -> None:
    # wave 2024 has 5% more hires; the findings must show wave 2022's 648, never 681
    shown = {n.text for n in rendered.numbers if n.field == "total"}
    assert "648" in shown
    assert "681" not in shown


def test_suppressed_cells_show_the_label_and_never_a_number(rendered: Rendered) -> None:
    hidden = [n for n in rendered.numbers if n.suppressed]
    assert hidden
    for number in hidden:
        assert number.value == ""
        assert number.text in {"[c]", "[c2]", "–"}
        assert not re.search(r"\d", number.text.replace("[c2]", ""))
    economist = [n for n in hidden if n.key.get("role_code") == "health_economist"]
    assert {n.text for n in economist if n.field == "total"} == {"[c]"}
    assert '<td class="suppressed"><span class="num suppressed"' in rendered.html


def test_a_cell_hidden_to_protect_another_is_marked_c2_and_never_like_a_small_count(
    rendered: Rendered,
) -> None:
    marked = {"primary": set(), "secondary": set()}
    for number in rendered.numbers:
        if not number.suppressed or number.text == "–" or number.mart == "mart_weighting":
            continue
        suppression = mart_suppression(rendered.con, SURVEY, WAVE, number)
        if suppression in marked:
            marked[suppression].add(number.text)
    assert marked == {"primary": {"[c]"}, "secondary": {"[c2]"}}
    assert "[c2]: not published, because it would let a [c] figure be worked out" in rendered.html


def test_every_number_column_of_the_workbook_holds_only_numbers(rendered: Rendered) -> None:
    workbook = load_workbook(rendered.paths.xlsx)
    tables = rendered.context["tables"]
    assert isinstance(tables, dict)
    checked = 0
    for sheet, table in zip(workbook.worksheets[1:], tables.values(), strict=True):
        spans = {"label": 1, "number": 1, "interval": 2, "estimate": 3}
        kinds = [c.kind for c in table.columns for _ in range(spans[c.kind])]
        for row in sheet.iter_rows(min_row=3, max_row=2 + len(table.rows), values_only=True):
            for kind, value in zip(kinds, row, strict=False):
                if kind != "label":
                    assert value is None or isinstance(value, int | float), (sheet.title, row)
                    checked += value is None
        markers = [c.value for c in sheet[2]]
        assert not [h for h in markers if h and str(h).startswith("Not published:")] or any(
            v in ("[c]", "[c2]")
            for row in sheet.iter_rows(min_row=3, values_only=True)
            for v in row
        )
    assert checked > 20  # hidden and missing cells are empty, not text


def test_the_pdf_has_pages_and_the_synthetic_notice_on_page_one(rendered: Rendered) -> None:
    pages = rendered.pdf.pages
    assert len(pages) >= 8
    first = " ".join(pages[0].extract_text().split())
    assert "This report is generated from synthetic demonstration data." in first
    assert "No figure describes real organisations." in first
    assert f"Page 1 of {len(pages)}" in first


def test_the_pdf_table_of_contents_gives_the_page_each_section_starts_on(
    rendered: Rendered,
) -> None:
    pages = rendered.pdf.pages
    toc = dict(re.findall(r"^(Method|Data quality)[ .]*?(\d+)\s*$", pages[0].extract_text(), re.M))
    assert set(toc) == {"Method", "Data quality"}
    for heading, page in toc.items():
        assert re.search(rf"^{heading}$", pages[int(page) - 1].extract_text(), re.M), heading


def test_the_html_is_self_contained(rendered: Rendered) -> None:
    html = rendered.html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "@import" not in html
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert len(sources) == 7  # the first wave: no chart of the change between waves
    assert all(src.startswith("data:image/svg+xml;base64,") for src in sources)
    assert all(re.search(r'<img src="[^"]+" alt="[^"]{20,}">', html) for _ in sources)


def test_figures_and_tables_are_written_beside_the_report(rendered: Rendered) -> None:
    paths = rendered.paths
    assert sorted(p.name for p in paths.figures) == sorted(
        p.name for p in (paths.out_dir / "figures").iterdir()
    )
    assert len(paths.figures) == 7
    assert all(p.read_bytes().startswith(b"<?xml") for p in paths.figures)
    assert (paths.out_dir / "data_quality.html").exists(), "the validation step's page is kept"
    assert not [p for p in paths.out_dir.parent.iterdir() if p.name.startswith(".")]


def test_the_workbook_has_a_sheet_for_every_table_in_the_report(rendered: Rendered) -> None:
    workbook = load_workbook(rendered.paths.xlsx)
    n_tables = len(re.findall(r'<figure class="table"', rendered.html))
    assert n_tables == 17  # the first wave: no comparison with a later wave; 2 open answers
    assert workbook.sheetnames[0] == "About"
    assert len(workbook.sheetnames) == n_tables + 1
    sheet = workbook["Hiring by role"]
    assert sheet.cell(2, 1).font.bold
    headers = [c.value for c in sheet[2]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["Health economist"][1] is None  # hidden: an empty numeric cell ...
    hidden = headers.index("Not published: Hires within 1 year")
    assert rows["Health economist"][hidden] == "[c]"  # ... its marker beside it
    assert rows["Health economist"][2] is None
    assert rows["All roles"][4] == pytest.approx(648.4)
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any(str(note).startswith("[c]: not published") for note in notes)
    assert sheet.column_dimensions["A"].width > 20


def test_the_workbook_shows_a_hidden_side_of_a_wave_comparison_as_the_label(
    tmp_path: Path,
) -> None:
    later = build_report_context(
        mart_connection(), SURVEY, OTHER_WAVE, report_meta(wave=OTHER_WAVE)
    )
    write_tables_xlsx(list(later["tables"].values()), later["meta"], tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["Waves, hires 5y"]
    headers = [c.value for c in sheet[2]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["Health economist"][1:4] == (None, None, None)
    assert rows["Health economist"][7] is None  # the change of a hidden pair
    marker = headers.index(f"Not published: {headers[1]}")
    assert rows["Health economist"][marker] == "[c]"
    assert rows["Health economist"][headers.index("Not published: Change")] == "[c2]"  # for a side
    assert rows["All roles"][7] == pytest.approx(648.4 * 0.05)  # wave 2024 has 5% more hires
    assert sheet.cell(2, 8).value == "Change"
    assert sheet["H3"].number_format.startswith("+")


def test_the_workbook_marks_low_precision_and_gives_the_flag_as_a_column(
    rendered: Rendered,
) -> None:
    workbook = load_workbook(rendered.paths.xlsx)
    sheet = workbook["Hiring by role"]
    headers = [c.value for c in sheet[2]]
    flags = [h for h in headers if h.startswith("Low precision:")]
    assert flags == [
        "Low precision: Hires within 1 year",
        "Low precision: Hires within 5 years",
    ]
    assert headers[4] == "Hires within 5 years"  # the table's own columns keep their places
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}
    qp, economist = rows["Qualified Person (QP)"], rows["Health economist"]
    assert qp[1].value == pytest.approx(9.0)  # still a number, marked by its display format
    assert qp[1].number_format == '#,##0"‡"'
    assert qp[4].number_format == "#,##0"
    one, five = (headers.index(flag) for flag in flags)
    assert (qp[one].value, qp[five].value) == (True, False)
    assert (economist[one].value, economist[five].value) == (None, None)  # suppressed: no flag
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any(str(note).startswith("‡ Low precision: interpret with caution") for note in notes)
    assert "Low precision: Organisations in population" not in [
        c.value for c in workbook["Sample"][2]
    ]
    about = [row[0] for row in workbook["About"].iter_rows(values_only=True)]
    assert "Low precision" in about


def _figure_alt_texts(node: object) -> list[str]:
    """Alt texts of the Figure elements in a tagged PDF's structure tree."""
    node = node.get_object()  # type: ignore[attr-defined]
    if isinstance(node, list):
        return [alt for child in node for alt in _figure_alt_texts(child)]
    if not isinstance(node, dict):
        return []
    found = [str(node["/Alt"])] if node.get("/S") == "/Figure" and "/Alt" in node else []
    if "/K" in node:
        found += _figure_alt_texts(node["/K"])
    return found


def test_the_pdf_is_tagged_and_every_figure_keeps_its_alt_text(rendered: Rendered) -> None:
    tree = rendered.pdf.root_object["/StructTreeRoot"]
    alts = _figure_alt_texts(tree)
    figures = rendered.context["figures"]
    assert isinstance(figures, dict)
    assert alts == [f.chart.alt_text for f in figures.values()]


def test_a_wave_that_analyses_test_responses_says_so_on_the_first_page() -> None:
    from tests import paths
    from transforms.ingest.codebook import load_codebook
    from transforms.report.publish import report_meta as publish_meta
    from transforms.validate.curated import CuratedWave

    codebook = load_codebook(paths.PROJECT / "tests/fixtures/codebook/tiny/survey.yaml")
    wave = codebook.waves["2023"].model_copy(update={"accept_statuses": ("test",)})
    testing = codebook.model_copy(update={"waves": {"2023": wave}})
    curated = CuratedWave("tiny", "2023", paths.PROJECT, [], [])
    meta = publish_meta(testing, curated, min_cell=5, confidence=0.95)
    assert meta.notice_text is not None
    assert meta.notice_text.startswith("NOT FOR PUBLICATION: this wave analyses test responses")
    plain = publish_meta(codebook, curated, min_cell=5, confidence=0.95)
    assert "NOT FOR PUBLICATION" not in (plain.notice_text or "")


def test_every_table_and_figure_ends_with_its_source_and_base(rendered: Rendered) -> None:
    figures = re.findall(r"<figure .*?</figure>", rendered.html, re.S)
    assert len(figures) == 7 + 17
    sources = [re.findall(r'class="source">([^<]+)<', figure) for figure in figures]
    assert all(len(found) == 1 for found in sources), "one Source line under each"
    lines = [found[0] for found in sources]
    assert all(line.startswith(f"Source: ATMP2030 survey, wave {WAVE}; n = ") for line in lines)
    hiring = re.search(r'id="table-hiring-by-role".*?class="source">([^<]+)<', rendered.html, re.S)
    assert hiring is not None
    bases = rendered.con.execute(
        "select min(n_respondents), max(n_respondents) from mart_hiring_demand "
        "where wave = ? and org_sector = 'all' and n_respondents is not null",
        [WAVE],
    ).fetchone()
    assert bases is not None
    low, high = bases
    n = f"{int(low)}" if low == high else f"{int(low)}–{int(high)}"
    assert (
        hiring.group(1) == f"Source: ATMP2030 survey, wave {WAVE}; n = {n} organisations answering."
    )


def test_the_cover_says_who_publishes_when_under_which_licence_and_how_to_cite(
    rendered: Rendered,
) -> None:
    first = " ".join(rendered.pdf.pages[0].extract_text().split())
    for text in ("Publisher Agency for Skills", "Published 3 November 2022", "Version 1.1"):
        assert text in first
    assert "Contact stats@agency.example" in first and "Licence CC BY 4.0" in first
    assert "Do not cite: this report rests on synthetic data." in first
    assert (
        "Agency for Skills (2022). ATMP2030 competence-needs survey: report of wave 2022, "
        "version 1.1. https://agency.example/"  # the PDF's text breaks the URL at its line end
    ) in first
    about = {
        row[0]: row[1]
        for row in load_workbook(rendered.paths.xlsx)["About"].iter_rows(values_only=True)
        if row[0]
    }
    assert about["Licence"] == "CC BY 4.0" and about["Cite as"].startswith("Agency for Skills")
    hiring = [
        row[0]
        for row in load_workbook(rendered.paths.xlsx)["Hiring by role"].iter_rows(values_only=True)
        if row[0]
    ]
    assert any(str(line).startswith("Source: ATMP2030 survey, wave 2022; n = ") for line in hiring)


def test_the_supply_chapter_lists_every_programme_and_flags_the_illustrative_ones(
    rendered: Rendered,
) -> None:
    table = re.search(r'id="table-training-offers".*?</figure>', rendered.html, re.S)
    assert table is not None
    rows = re.findall(r'<tr>\n<th scope="row">([^<]+)</th>(.*?)</tr>', table.group(0), re.S)
    assert [name for name, _ in rows] == [
        "Doctoral courses in ATMP",  # running in 2022
        "E-learning for nurses (illustrative)",  # running, illustrative after the real ones
        "GMP transfer course",  # planned: starts in 2023
    ]
    cells = {name: re.findall(r">([^<>]+)</", body) for name, body in rows}
    assert "2020–2027" in cells["Doctoral courses in ATMP"]
    assert "running; illustrative, not counted" in cells["E-learning for nurses (illustrative)"]
    assert "planned" in cells["GMP transfer course"] and "from 2023" in cells["GMP transfer course"]
    assert "1 of the 3 entries are illustrative" in table.group(0)
    assert "not counted in the training places or any finding" in table.group(0)


def test_tables_and_figures_are_numbered_in_the_order_they_appear(rendered: Rendered) -> None:
    for kind in ("Table", "Figure"):
        numbers = [
            int(n) for n in re.findall(rf'<span class="label">{kind} (\d+)\.</span>', rendered.html)
        ]
        assert numbers == list(range(1, len(numbers) + 1)), kind


def test_the_key_figures_panel_gives_each_number_with_its_interval_and_base(
    rendered: Rendered,
) -> None:
    panel = re.search(r'<div class="key-figures".*?\n</div>', rendered.html, re.S)
    assert panel is not None
    figures = re.findall(r'<div class="key-figure" role="listitem">(.*?)</div>', panel.group(0))
    assert 4 <= len(figures) <= 6
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", f)) for f in figures]
    assert texts[0].startswith("648people with specialist ATMP knowledge that organisations")
    assert "95% CI 493–804 · n = " in texts[0]
    estimates = [t for t in texts if "CI" in t]
    assert len(estimates) >= 3 and all("organisations answering" in t for t in estimates)
    bases = [n for n in mart_numbers(panel.group(0)) if n.field == "n_respondents"]
    assert len(bases) >= 3  # each a mart number, checked against its row by the test above
