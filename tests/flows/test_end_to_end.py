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

    out = tmp_path_factory.mktemp("run")
    settings = Settings(
        survey_dir=SAMPLE,
        curated_dir=out / "curated",
        reports_dir=out / "reports",
        salt="end-to-end-test-salt",
    )
    with prefect_test_harness(server_startup_timeout=120):
        summary = skillgap_run(settings=settings)
    return settings, summary


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
    result = CliRunner().invoke(
        app, ["sql", "select count(*) as n from respondent", "--db", db, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert int(result.output.splitlines()[1]) > 250
    refused = CliRunner().invoke(app, ["sql", "delete from respondent", "--db", db])
    assert refused.exit_code != 0


def test_curated_tables_and_marts_equal_the_committed_snapshot(
    run: tuple[Settings, RunSummary], snapshot_update: bool
) -> None:
    settings, _ = run
    produced = snapshot.published_files(settings.curated_dir, "atmp2030")
    if snapshot_update:
        snapshot.write_snapshot(produced)
    expected = snapshot.snapshot_files()
    assert sorted(produced) == sorted(expected)
    problems = {
        name: found
        for name, path in expected.items()
        if (found := snapshot.differences(path, produced[name]))
    }
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
