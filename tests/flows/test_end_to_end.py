"""End to end: the Prefect flow on the committed sample, under Prefect's test harness."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import Settings
from flows.summary import RunSummary
from tests import paths
from tests.a11y import axe
from tests.flows import snapshot
from tests.leaks import EMAIL, ValueScan
from transforms.core.canonical import TABLES
from transforms.ingest.codebook import load_codebook
from transforms.ingest.readers import read_export

pytestmark = pytest.mark.e2e

SAMPLE = paths.SAMPLE
_SPAN = re.compile(r"<[^>]*\bdata-mart=\"(?P<mart>[^\"]+)\"[^>]*>")
_ATTR = re.compile(r'data-(?P<name>[a-z]+)="(?P<value>[^"]*)"')


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, RunSummary]:
    # Prefect is imported here, not at the top: every xdist worker collects this module, and
    # `tasks.py test-fast` (which deselects it) should not pay seconds of imports in each.
    from prefect.testing.utilities import prefect_test_harness

    from flows.pipeline import skillgap_run

    settings = _sample_run_settings(tmp_path_factory.mktemp("run"))
    with prefect_test_harness(server_startup_timeout=120):
        summary = skillgap_run(settings=settings)
    return settings, summary


def _sample_run_settings(out: Path) -> Settings:
    """The sample, run into `out`, with the salt the committed snapshot was made with."""
    return Settings(
        survey_dir=SAMPLE,
        curated_dir=out / "curated",
        reports_dir=out / "reports",
        salt="end-to-end-test-salt",
    )


def test_the_run_writes_reports_and_warehouse_for_both_waves(
    run: tuple[Settings, RunSummary],
) -> None:
    settings, _ = run
    assert settings.warehouse_path.stat().st_size > 0
    for wave in ("2022", "2024"):
        folder = settings.reports_dir / "atmp2030" / wave
        for name in ("report.html", "report.pdf", "tables.xlsx", "data_quality.html"):
            assert (folder / name).stat().st_size > 0, name


def test_every_table_of_every_wave_reconciles(run: tuple[Settings, RunSummary]) -> None:
    settings, summary = run
    assert {(r["wave"], r["table_name"]) for r in summary.reconciliation} == {
        (w, t) for w in ("2022", "2024") for t in TABLES
    }
    for row in summary.reconciliation:
        assert row["rows_in"] == row["rows_curated"] + row["rows_quarantined"], row
    for wave in ("2022", "2024"):
        folder = settings.curated_dir / "atmp2030" / wave
        raw_rows = sum(
            len(read_export(SAMPLE / f).data)
            for f in load_codebook(SAMPLE / "survey.yaml").waves[wave].files
        )
        kept = len(pd.read_parquet(folder / "respondent.parquet"))
        dropped = len(pd.read_parquet(folder / "quarantine" / "respondent.parquet"))
        assert kept + dropped == raw_rows


def _pii_values() -> set[str]:
    codebook = load_codebook(SAMPLE / "survey.yaml")
    values: set[str] = set()
    for spec in codebook.waves.values():
        for name in spec.files:
            export = read_export(SAMPLE / name)
            for ref in (*spec.pii_columns, spec.respondent_id):
                values |= {v for v in export.column(ref).dropna() if len(v) >= 4}
    return values


def _published_text(settings: Settings) -> dict[Path, str]:
    texts: dict[Path, str] = {}
    for root in (settings.curated_dir, settings.reports_dir):
        for path in root.rglob("*"):
            if not path.is_file() or path.name == ".salt":
                continue
            if path.suffix == ".parquet":
                texts[path] = pd.read_parquet(path).to_csv()
            elif path.suffix == ".pdf":
                texts[path] = "\n".join(page.extract_text() for page in PdfReader(path).pages)
            elif path.suffix == ".xlsx":
                sheets = pd.read_excel(path, sheet_name=None, header=None)
                texts[path] = "\n".join(s.to_csv() for s in sheets.values())
            elif path.suffix == ".duckdb":
                with duckdb.connect(str(path), read_only=True) as con:
                    names = [
                        r[0]
                        for r in con.execute(
                            "select table_name from information_schema.tables"
                        ).fetchall()
                    ]
                    texts[path] = "\n".join(con.table(n).df().to_csv() for n in names)
            else:
                texts[path] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def test_no_pii_reaches_curated_data_or_reports(run: tuple[Settings, RunSummary]) -> None:
    settings, _ = run
    pii = _pii_values()
    assert len(pii) > 100  # e-mails, IPs, names and response ids of both waves
    scan = ValueScan(pii)  # one pass over each file for all values (tests/leaks.py)
    for path, text in _published_text(settings).items():
        leaked = scan.found_in(text)
        assert not leaked, f"{path} contains {len(leaked)} personal values: {leaked[:3]}"
        email = EMAIL.search(text)
        assert email is None, f"{path} contains an e-mail address: {email.group(0)!r}"


def _report_numbers(html: str) -> list[dict[str, str]]:
    return [dict(_ATTR.findall(tag.group(0))) for tag in _SPAN.finditer(html)]


def test_the_2022_report_states_five_year_hires_above_500_with_an_interval(
    run: tuple[Settings, RunSummary],
) -> None:
    settings, _ = run
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        total, low, high = con.execute(
            "select total, ci_low, ci_high from mart_hiring_demand where survey_id = 'atmp2030' "
            "and wave = '2022' and role_code = 'all' and org_sector = 'all' and horizon = '5y'"
        ).fetchone()
    assert total > 500 and low < total < high
    html = (settings.reports_dir / "atmp2030" / "2022" / "report.html").read_text("utf-8")
    shown = [n for n in _report_numbers(html) if n.get("mart") == "mart_hiring_demand"]
    values = {round(float(n["value"]), 6) for n in shown if n.get("value")}
    assert round(total, 6) in values and round(low, 6) in values and round(high, 6) in values


def test_the_2024_and_trend_reports_show_both_waves_and_the_2022_report_none_of_2024(
    run: tuple[Settings, RunSummary],
) -> None:
    settings, _ = run
    wanted = {
        *("estimate_earlier", "ci_low_earlier", "ci_high_earlier"),
        *("estimate_later", "ci_low_later", "ci_high_later"),
        *("difference", "difference_ci_low", "difference_ci_high"),
    }
    key = "compared_wave=2022;measure=hires_5y;item_code=all;org_sector=all"
    for folder in ("2024", "trend"):
        html = (settings.reports_dir / "atmp2030" / folder / "report.html").read_text("utf-8")
        shown = {
            n["field"]
            for n in _report_numbers(html)
            if n.get("mart") == "mart_wave_comparison" and n.get("key") == key and n.get("value")
        }
        assert wanted <= shown, (folder, wanted - shown)
    later = (settings.reports_dir / "atmp2030" / "2024" / "report.html").read_text("utf-8")
    assert 'id="finding-change"' in later
    first = (settings.reports_dir / "atmp2030" / "2022" / "report.html").read_text("utf-8")
    assert not [n for n in _report_numbers(first) if n.get("mart") == "mart_wave_comparison"]
    assert 'id="finding-change"' not in first and "is the first wave of the survey" in first


def test_every_number_in_the_report_equals_its_mart_value(run: tuple[Settings, RunSummary]) -> None:
    settings, _ = run
    checked = 0
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for wave in ("2022", "2024"):
            html = (settings.reports_dir / "atmp2030" / wave / "report.html").read_text("utf-8")
            for number in _report_numbers(html):
                if not number.get("value") or not number.get("key"):
                    continue
                checked += _check_number(con, wave, number)
    assert checked >= 10


def test_a_hidden_cell_shows_the_marker_of_its_own_suppression_and_never_a_number(
    run: tuple[Settings, RunSummary],
) -> None:
    """Every hidden number of both wave reports and the trend report: "[c]" where its mart row
    is primarily suppressed, "[c2]" where secondarily (hidden only to protect another cell);
    never "<5", which a reader takes for a value."""
    from tests.report.report_html import mart_numbers, mart_suppression

    settings, _ = run
    seen: dict[str, int] = {"[c]": 0, "[c2]": 0}
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for wave in ("2022", "2024"):
            html = (settings.reports_dir / "atmp2030" / wave / "report.html").read_text("utf-8")
            assert "&lt;5" not in html and "<5" not in re.sub(r"<[^>]+>", "", html)
            marked: dict[tuple[str, str], set[str]] = {}
            for number in mart_numbers(html):
                if not number.suppressed:
                    continue
                kind = mart_suppression(con, "atmp2030", wave, number)
                expected = "[c2]" if kind == "secondary" else "[c]"
                # the row's marker, or "–" for a statistic beside it (an interval bound, a
                # rate), so that a hidden row reads its marker once
                assert number.text in (expected, "–"), (number, kind)
                row = (number.mart, repr(sorted(number.key.items())))
                marked.setdefault(row, set()).add(number.text)
                seen[number.text] = seen.get(number.text, 0) + 1
            unmarked = [row for row, texts in marked.items() if texts == {"–"}]
            assert not unmarked, unmarked  # every hidden row shows its marker somewhere
    trend = (settings.reports_dir / "atmp2030" / "trend" / "report.html").read_text("utf-8")
    assert "&lt;5" not in trend
    assert seen["[c]"] > 0 and seen["[c2]"] > 0, seen  # the sample has both kinds


def test_no_numeric_column_of_any_published_workbook_holds_text(
    run: tuple[Settings, RunSummary],
) -> None:
    """In every sheet of every tables.xlsx a column that holds a number holds only numbers
    and empty cells: a hidden cell is empty, its marker in the "Not published:" column beside
    it, so SUM, sort and pivot tables work."""
    from openpyxl import load_workbook

    settings, _ = run
    checked = 0
    for name in ("2022", "2024", "trend"):
        workbook = load_workbook(settings.reports_dir / "atmp2030" / name / "tables.xlsx")
        for sheet in workbook.worksheets[1:]:  # the About sheet is text
            header_row = (
                next(i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0]) + 1
            )  # the table title, then its header row
            rows = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
            body = rows[: next((i for i, r in enumerate(rows) if r[0] is None), len(rows))]
            for column in range(1, sheet.max_column):
                values = [r[column] for r in body if column < len(r) and r[column] is not None]
                if any(isinstance(v, int | float) for v in values):
                    text = [v for v in values if not isinstance(v, int | float)]
                    assert not text, (name, sheet.title, column, text[:3])
                    checked += 1
    assert checked > 50


def _check_number(con: duckdb.DuckDBPyConnection, wave: str, number: dict[str, str]) -> int:
    key: dict[str, Any] = dict(pair.split("=", 1) for pair in number["key"].split(";") if pair)
    key.update(survey_id="atmp2030", wave=wave)
    where = " and ".join(f"{column} = ?" for column in key)
    rows = con.execute(
        f'select "{number["field"]}" from {number["mart"]} where {where}', list(key.values())
    ).fetchall()
    assert len(rows) == 1, (number, rows)
    assert rows[0][0] == pytest.approx(float(number["value"]), rel=1e-9), number
    return 1


def test_the_pdf_has_pages_and_opens_with_the_synthetic_notice(
    run: tuple[Settings, RunSummary],
) -> None:
    settings, _ = run
    for wave in ("2022", "2024"):
        reader = PdfReader(settings.reports_dir / "atmp2030" / wave / "report.pdf")
        assert len(reader.pages) >= 4
        assert "synthetic" in reader.pages[0].extract_text().lower()


def test_the_sql_command_counts_respondents_after_a_run(run: tuple[Settings, RunSummary]) -> None:
    settings, _ = run
    db = str(settings.warehouse_path)
    query = "select sum(n_respondents) as n from mart_sample where org_sector = 'all'"
    result = CliRunner().invoke(app, ["sql", query, "--db", db, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert int(float(result.output.splitlines()[1])) > 250
    refused = CliRunner().invoke(app, ["sql", "delete from mart_sample", "--db", db])
    assert refused.exit_code != 0
    # respondent rows are only in the internal warehouse, which says what it holds
    inside = CliRunner().invoke(
        app, ["sql", "select count(*) as n from respondent", "--db", db, "--internal"]
    )
    assert (
        inside.exit_code == 0 and "warning: " in inside.output and "never publish" in inside.output
    )


def test_the_published_warehouse_holds_only_what_the_reports_publish(
    run: tuple[Settings, RunSummary],
) -> None:
    """Marts (disclosure-controlled), reference tables and the data dictionary; no row per
    respondent and no free text; every table and column described (COMMENT ON)."""
    settings, _ = run
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() where not internal"
        ).fetchall()
        comments = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
        dictionary = con.execute("select count(*) from data_dictionary").fetchone()
    assert "data_dictionary" in tables and "mart_hiring_demand" in tables
    assert not con_views(settings.warehouse_path)
    assert all(t.startswith(("mart_", "ref_")) or t == "data_dictionary" for t in tables), tables
    for name in TABLES:  # the canonical tables, respondent_weight, free text
        assert name not in tables
    assert "respondent_weight" not in tables and "free_text" not in tables
    assert not [c for c in columns if c[1] in ("respondent_key", "source_row", "source_file")]
    assert all(comments[t] for t in tables), comments
    undocumented = [(t, c) for t, c, note in columns if t.startswith("mart_") and not note]
    assert not undocumented, undocumented
    assert dictionary is not None and dictionary[0] == len(columns) - 4  # but its own 4
    with duckdb.connect(str(settings.internal_warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from respondent").fetchone()[0] > 250  # type: ignore[index]


def con_views(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [
            r[0]
            for r in con.execute(
                "select view_name from duckdb_views() where not internal"
            ).fetchall()
        ]


def test_curated_tables_and_marts_equal_the_committed_snapshot(
    run: tuple[Settings, RunSummary], snapshot_update: bool
) -> None:
    settings, _ = run
    if snapshot_update:
        snapshot.write_snapshot(snapshot.published_files(settings.curated_dir, "atmp2030"))
    problems = snapshot.run_differences(settings.curated_dir, "atmp2030")
    assert not problems, problems


def test_the_closing_summary_lists_every_output_and_each_exists(
    run: tuple[Settings, RunSummary],
) -> None:
    settings, summary = run
    text = summary.markdown()
    for wave in ("2022", "2024"):
        folder = settings.reports_dir / "atmp2030" / wave
        for name in ("report.html", "report.pdf", "tables.xlsx", "data_quality.html", "figures"):
            assert f"`{folder / name}`" in text, name
            assert (folder / name).exists(), name
        assert f"`{settings.curated_dir / 'atmp2030' / wave}`" in text
    trend = settings.reports_dir / "atmp2030" / "trend"
    for name in ("report.html", "report.pdf", "tables.xlsx"):
        assert f"`{trend / name}`" in text and (trend / name).stat().st_size > 0, name
    assert f"`{settings.curated_dir / 'marts'}`" in text and len(summary.marts) >= 10
    assert all(Path(mart).is_file() for mart in summary.marts)


def test_reports_summarise_open_answers_and_print_only_the_waves_reviewed_quotes(
    run: tuple[Settings, RunSummary],
) -> None:
    """The open-answers chapter of each wave's report gives each coded question's shares from
    mart_text_coding; no answer of free_text reaches the report (HTML, PDF or workbook), only
    the codebook's reviewed quotes of that wave, escaped."""
    from markupsafe import escape

    settings, _ = run
    codebook = load_codebook(SAMPLE / "survey.yaml")
    for wave in ("2022", "2024"):
        folder = settings.reports_dir / "atmp2030" / wave
        html = (folder / "report.html").read_text("utf-8")
        section = html[html.index('<section id="open-answers">') :]
        section = section[: section.index("</section>")]
        shown = [dict(_ATTR.findall(t.group(0))) for t in _SPAN.finditer(section)]
        coded = {n["key"].split(";")[0] for n in shown if n.get("mart") == "mart_text_coding"}
        assert coded == {"question_id=other_skills", "question_id=training_special"}
        assert any(n.get("field") == "share" and n.get("value") for n in shown)
        quotes = {q.text for q in codebook.quotes["training_special"] if q.wave == wave}
        others = {q.text for q in codebook.quotes["training_special"] if q.wave != wave}
        assert quotes and all(str(escape(q)) in section for q in quotes)
        pdf = "\n".join(page.extract_text() for page in PdfReader(folder / "report.pdf").pages)
        sheets = pd.read_excel(folder / "tables.xlsx", sheet_name=None, header=None)
        workbook = "\n".join(s.to_csv() for s in sheets.values())
        answers = pd.read_parquet(settings.curated_dir / "atmp2030" / wave / "free_text.parquet")
        texts = {t for t in answers["text"] if len(t) >= 12} - quotes
        assert len(texts) > 40 and others <= texts | others
        for text in texts:
            for form in {text, str(escape(text))}:
                assert form not in html, (wave, text)
            assert text.split("\n")[0] not in pdf and text not in workbook, (wave, text)
        for text in others - quotes:
            assert str(escape(text)) not in html, (wave, text)  # another wave's quote


A11Y_PAGES = (
    "2022/report.html",
    "2024/report.html",
    "trend/report.html",
    "2022/data_quality.html",
    "2024/data_quality.html",
)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page", A11Y_PAGES)
def test_axe_core_finds_no_accessibility_violation_in_the_html(
    run: tuple[Settings, RunSummary], page: str, width: int
) -> None:
    browser = axe.chromium()
    settings, _ = run
    passes, violations = axe.run_axe(settings.reports_dir / "atmp2030" / page, width, browser)
    assert passes > 10, "axe checked next to nothing: did the page load?"
    assert not violations, f"{page} at {width} px:\n" + "\n".join(map(str, violations))


def test_the_html_printed_by_a_browser_carries_the_pdfs_running_header(
    run: tuple[Settings, RunSummary], tmp_path: Path
) -> None:
    """Chromium prints the HTML with the running header and page numbers of the PDF, on about
    as many A4 pages as WeasyPrint's PDF (browsers lack string-set; render.py gives them the
    header as a literal)."""
    browser = axe.chromium()
    settings, _ = run
    folder = settings.reports_dir / "atmp2030" / "2022"
    printed = tmp_path / "printed.pdf"
    command = [
        browser,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=20000",
        f"--print-to-pdf={printed}",
        (folder / "report.html").as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    pages = PdfReader(printed).pages
    weasy = len(PdfReader(folder / "report.pdf").pages)
    assert abs(len(pages) - weasy) <= max(3, weasy // 6), (len(pages), weasy)
    second = " ".join(pages[1].extract_text().split())
    assert "wave 2022" in second and "Synthetic data" in second and f"of {len(pages)}" in second


def test_two_clean_runs_with_the_same_salt_give_byte_identical_outputs(
    run: tuple[Settings, RunSummary], tmp_path: Path
) -> None:
    """Curated Parquet, marts, report.html, report.pdf, tables.xlsx and the charts: the same
    bytes from a second clean run (the warehouse files and the run records are not compared:
    DuckDB's file layout and the records' times are not meant to repeat)."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.pipeline import skillgap_run

    first, _ = run
    again = _sample_run_settings(tmp_path)
    with prefect_test_harness(server_startup_timeout=120):
        skillgap_run(settings=again)
    patterns = ("**/*.parquet", "**/report.html", "**/report.pdf", "**/tables.xlsx", "**/*.svg")
    compared = 0
    for root_first, root_again in (
        (first.curated_dir, again.curated_dir),
        (first.reports_dir, again.reports_dir),
    ):
        names = sorted(
            str(p.relative_to(root_first))
            for pattern in patterns
            for p in root_first.glob(pattern)
            if ".staging" not in p.parts
        )
        assert names
        for name in names:
            assert (root_first / name).read_bytes() == (root_again / name).read_bytes(), name
            compared += 1
    assert compared > 40
