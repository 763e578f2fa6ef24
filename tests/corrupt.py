"""Test helper: a generator of corrupted surveys, each a copy of the tiny fixture survey with one
thing broken, as an agency receives them from others (issue #11): damaged, truncated or
misencoded exports, hostile cells, odd numbers and dates, broken and hostile codebooks, paths
and symlinks leaving the survey folder, a wave with no valid row.

`CASES` maps a case name to the function that breaks a fresh copy; `make_case(name, root)`
writes the copy and returns its survey folder. tests/ingest/test_corrupted_inputs.py runs each
through the pipeline's stages.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from tests import paths
from tests.stages import model_survey
from transforms.codebook_tools.check import check_codebook_file
from transforms.core.errors import SkillgapError
from transforms.model.params import ModelParams

FIXTURE = paths.PROJECT / "tests" / "fixtures" / "codebook"
DOC = paths.PROJECT / "docs" / "BAD_INPUTS.md"
EXPORT = "2023/tiny_2023_qualtrics.csv"
CODEBOOK = "survey.yaml"

Break = Callable[[Path], None]  # gets the survey folder (tiny/), breaks one thing in place


def _export(survey: Path) -> Path:
    return survey / EXPORT


def _lines(survey: Path) -> list[str]:
    return _export(survey).read_text("utf-8-sig").splitlines()


def _write_lines(
    survey: Path, lines: list[str], *, encoding: str = "utf-8", end: str = "\n"
) -> None:
    _export(survey).write_bytes(end.join(lines).encode(encoding) + end.encode(encoding))


def _cells(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def _join(cells: list[str]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _set_cell(survey: Path, row: int, column: str, value: str) -> None:
    """Set one answer (row: 0 = the first data row) by its export tag (row 1 of the header)."""
    lines = _lines(survey)
    index = _cells(lines[0]).index(column)
    cells = _cells(lines[3 + row])
    cells[index] = value
    lines[3 + row] = _join(cells)
    _write_lines(survey, lines)


def _edit_codebook(survey: Path, old: str, new: str) -> None:
    path = survey / CODEBOOK
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _use_file(survey: Path, name: str, platform: str | None = "qualtrics") -> Path:
    """Point the codebook at another export file name (its platform kept or changed)."""
    _edit_codebook(survey, f"files: [{EXPORT}]", f"files: [2023/{name}]")
    if platform != "qualtrics":
        _edit_codebook(survey, "platform: qualtrics", f"platform: {platform}")
    return survey / "2023" / name


def _workbook(path: Path, far: bool = False) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["A2"] = "ResponseId", "R_1"
    if far:
        sheet["XFD1048576"] = "x"
    book.save(path)


# --- exports ---------------------------------------------------------------------------
def empty(s: Path) -> None:
    _export(s).write_bytes(b"")


def whitespace_only(s: Path) -> None:
    _export(s).write_text("   \n\n  \n", encoding="utf-8")


def header_only(s: Path) -> None:
    _write_lines(s, _lines(s)[:3])


def first_header_row_only(s: Path) -> None:
    _write_lines(s, _lines(s)[:1])


def truncated(s: Path) -> None:
    data = _export(s).read_bytes()
    _export(s).write_bytes(data[: int(len(data) * 0.7)])


def nul_bytes(s: Path) -> None:
    data = _export(s).read_bytes()
    _export(s).write_bytes(data[:400] + b"\x00\x00\x00" + data[400:])


def utf16(s: Path) -> None:
    _write_lines(s, _lines(s), encoding="utf-16")


def utf16_without_bom(s: Path) -> None:
    _write_lines(s, _lines(s), encoding="utf-16-le")


def cp1252(s: Path) -> None:
    _set_cell(s, 0, "Q10", "Kvalitetssäkring och GMP-förståelse")
    _write_lines(s, _lines(s), encoding="cp1252")


def cr_only(s: Path) -> None:
    _write_lines(s, _lines(s), end="\r")


def crlf(s: Path) -> None:
    _write_lines(s, _lines(s), end="\r\n")


def ragged_longer(s: Path) -> None:
    lines = _lines(s)
    lines[4] += ",an extra cell,and another"
    _write_lines(s, lines)


def ragged_shorter(s: Path) -> None:
    lines = _lines(s)
    lines[4] = _join(_cells(lines[4])[:5])
    _write_lines(s, lines)


def duplicate_column(s: Path) -> None:
    lines = _lines(s)
    out = []
    for line in lines:
        cells = _cells(line)
        out.append(_join([*cells, cells[10]]))  # QID1 (Q1) twice
    _write_lines(s, out)


def _drop_column(s: Path, tag: str) -> None:
    lines = _lines(s)
    index = _cells(lines[0]).index(tag)
    _write_lines(
        s, [_join([c for i, c in enumerate(_cells(line)) if i != index]) for line in lines]
    )


def missing_mapped_column(s: Path) -> None:
    _drop_column(s, "Q1")


def missing_respondent_id(s: Path) -> None:
    _drop_column(s, "ResponseId")


def long_text_100k(s: Path) -> None:
    _set_cell(s, 0, "Q10", "GMP " * 25_000)


def cell_over_limit(s: Path) -> None:
    _set_cell(s, 0, "Q10", "x" * 1_500_000)


def odd_numbers(s: Path) -> None:
    for row, value in enumerate(("1e3", "-5", "3.5", " 7 ", "٣")):
        _set_cell(s, row, "Q4_1", value)


def odd_dates(s: Path) -> None:
    _set_cell(s, 0, "RecordedDate", "31/02/2023")
    _set_cell(s, 1, "RecordedDate", "yesterday")


def delimiter_in_option(s: Path) -> None:
    lines = _lines(s)  # the joined option written without its quotes: the row gets ragged
    lines[3] = lines[3].replace(
        '"Short course (1-5 days),On-the-job training, mentoring, or job rotation"',
        "Short course (1-5 days),On-the-job training, mentoring, or job rotation",
    )
    _write_lines(s, lines)


def formula_in_free_text(s: Path) -> None:
    _set_cell(s, 0, "Q10", '=HYPERLINK("http://example.invalid","click")')
    _set_cell(s, 1, "Q9_4_TEXT", "+SUM(A1:A9)")


def script_in_free_text(s: Path) -> None:
    _set_cell(s, 0, "Q10", "<script>alert('x')</script><img src=x onerror=alert(1)>")


def formula_in_label(s: Path) -> None:
    _set_cell(s, 0, "Q1", "=cmd|' /C calc'!A0")


def script_in_label(s: Path) -> None:
    _set_cell(s, 1, "Q2", "<script>alert(1)</script>")


def semicolons(s: Path) -> None:
    _write_lines(s, [";".join(_cells(line)).replace('"', "") for line in _lines(s)])


def tabs(s: Path) -> None:
    _write_lines(s, ["\t".join(_cells(line)) for line in _lines(s)])


def bom_and_crlf(s: Path) -> None:
    _write_lines(s, _lines(s), encoding="utf-8-sig", end="\r\n")


def every_row_a_preview(s: Path) -> None:
    for row in range(len(_lines(s)) - 3):
        _set_cell(s, row, "Status", "Survey Preview")


def no_sector_given(s: Path) -> None:
    for row in range(len(_lines(s)) - 3):
        _set_cell(s, row, "Q1", "")


def duplicate_respondent_ids(s: Path) -> None:
    _set_cell(s, 1, "ResponseId", "R_1")


def export_is_a_folder(s: Path) -> None:
    _export(s).unlink()
    _export(s).mkdir()


def dangling_symlink(s: Path) -> None:
    _export(s).unlink()
    _export(s).symlink_to(s / "nowhere.csv")


def symlink_leaving_the_survey(s: Path) -> None:
    _export(s).unlink()
    _export(s).symlink_to("/etc/hostname")


def random_bytes(s: Path) -> None:
    _export(s).write_bytes(bytes(range(256)) * 40)


def export_is_a_zip(s: Path) -> None:
    data = _export(s).read_bytes()
    with zipfile.ZipFile(_export(s), "w") as archive:
        archive.writestr("tiny.csv", data)


def export_is_gzip(s: Path) -> None:
    _export(s).write_bytes(gzip.compress(_export(s).read_bytes()))


def very_wide(s: Path) -> None:
    lines = _lines(s)
    extra = [f"X{i}" for i in range(5000)]
    _write_lines(s, [_join([*_cells(line), *extra]) for line in lines])


def another_platforms_file(s: Path) -> None:
    path = paths.PROJECT / "tests" / "fixtures" / "exports" / "surveymonkey.csv"
    _export(s).write_bytes(path.read_bytes())


def truncated_xlsx(s: Path) -> None:
    path = _use_file(s, "tiny.xlsx", "surveymonkey")
    _workbook(path)
    path.write_bytes(path.read_bytes()[:300])


def encrypted_xlsx(s: Path) -> None:
    path = _use_file(s, "tiny.xlsx", "surveymonkey")  # an encrypted workbook is an OLE file
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 4000)


def huge_xlsx(s: Path) -> None:
    _workbook(_use_file(s, "tiny.xlsx", "surveymonkey"), far=True)


def empty_zip_xlsx(s: Path) -> None:
    zipfile.ZipFile(_use_file(s, "tiny.xlsx", "surveymonkey"), "w").close()


def corrupt_sav(s: Path) -> None:
    _use_file(s, "tiny.sav", "spss").write_bytes(b"$FL2@(#) SPSS DATA FILE" + b"\x07" * 500)


# --- codebooks --------------------------------------------------------------------------
def bad_yaml(s: Path) -> None:
    (s / CODEBOOK).write_text("survey: {id: tiny, title: [unclosed\n", encoding="utf-8")


def codebook_a_list(s: Path) -> None:
    (s / CODEBOOK).write_text("- survey\n- waves\n", encoding="utf-8")


def codebook_empty(s: Path) -> None:
    (s / CODEBOOK).write_text("", encoding="utf-8")


def wrong_type(s: Path) -> None:
    _edit_codebook(s, 'waves:\n  "2023":', 'waves: just text\nold_waves:\n  "2023":')


def unknown_key(s: Path) -> None:
    (s / CODEBOOK).write_text((s / CODEBOOK).read_text("utf-8") + "colour: blue\n", "utf-8")


def value_map_to_unknown_code(s: Path) -> None:
    _edit_codebook(
        s, "Large pharmaceutical company: large_pharma", "Large pharmaceutical company: big_pharma"
    )


def value_maps_colliding(s: Path) -> None:
    _edit_codebook(
        s, "Hospital or healthcare region: hospital", "Hospital or healthcare region: sme"
    )


def parent_path_in_files(s: Path) -> None:
    _edit_codebook(s, f"files: [{EXPORT}]", "files: [../../../../../etc/hostname]")


def absolute_path_in_files(s: Path) -> None:
    _edit_codebook(s, f"files: [{EXPORT}]", "files: [/etc/hostname]")


def taxonomy_symlink_leaving(s: Path) -> None:
    roles = s.parent / "reference" / "roles.csv"
    roles.unlink()
    roles.symlink_to("/etc/passwd")


def taxonomy_missing(s: Path) -> None:
    _edit_codebook(s, "role: ../reference/roles.csv", "role: ../../../nowhere/roles.csv")


def codebook_cp1252(s: Path) -> None:
    text = (s / CODEBOOK).read_text("utf-8").replace("Tiny test survey", "Liten enkät – åäö")
    (s / CODEBOOK).write_bytes(text.encode("cp1252"))


def codebook_utf16(s: Path) -> None:
    (s / CODEBOOK).write_bytes((s / CODEBOOK).read_text("utf-8").encode("utf-16"))


def alias_bomb(s: Path) -> None:
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = (s / CODEBOOK).read_text("utf-8")
    (s / CODEBOOK).write_text(text + "bomb:\n" + "".join(f"  {line}\n" for line in levels))


def huge_codebook(s: Path) -> None:
    text = (s / CODEBOOK).read_text("utf-8")
    (s / CODEBOOK).write_text(text + ("# padding " * 100 + "\n") * 6000, encoding="utf-8")


def unknown_platform(s: Path) -> None:
    _edit_codebook(s, "platform: qualtrics", "platform: typeform")


def unknown_target(s: Path) -> None:
    _edit_codebook(s, "target: hiring_need.headcount", "target: hiring_need.salary")


def unknown_wave_in_question(s: Path) -> None:
    _edit_codebook(s, '      "2023": {column: QID1}', '      "2019": {column: QID1}')


def ordinal_value_outside_scale(s: Path) -> None:
    _edit_codebook(
        s,
        "Extremely difficult: 4}\n    missing_values",
        "Extremely difficult: 7}\n    missing_values",
    )


def _frame(s: Path, rows: list[str]) -> None:
    (s.parent / "reference" / "frame.csv").write_text(
        "org_sector,org_size_band,organisations\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    _edit_codebook(
        s,
        "  title: Tiny test survey\n",
        "  title: Tiny test survey\n  population_frame: ../reference/frame.csv\n",
    )


def frame_negative_count(s: Path) -> None:
    _frame(s, ["large_pharma,large,-3", "hospital,medium,4", "sme,small,5"])


def frame_unknown_sector(s: Path) -> None:
    _frame(s, ["martians,large,3", "hospital,medium,4", "sme,small,5"])


def frame_smaller_than_respondents(s: Path) -> None:
    _frame(s, ["large_pharma,large,0", "hospital,medium,0", "sme,small,0"])


def codebook_is_a_folder(s: Path) -> None:
    (s / CODEBOOK).unlink()
    (s / CODEBOOK).mkdir()


def codebook_missing(s: Path) -> None:
    (s / CODEBOOK).unlink()


def wave_without_files(s: Path) -> None:
    _edit_codebook(s, f"files: [{EXPORT}]", "files: []")


def survey_id_with_path(s: Path) -> None:
    _edit_codebook(s, "  id: tiny\n", "  id: ../../escape\n")


CASES: dict[str, Break] = {
    f.__name__: f
    for f in (
        empty, whitespace_only, header_only, first_header_row_only, truncated, nul_bytes,
        utf16, utf16_without_bom, cp1252, cr_only, crlf, ragged_longer, ragged_shorter,
        duplicate_column, missing_mapped_column, missing_respondent_id, long_text_100k,
        cell_over_limit, odd_numbers, odd_dates, delimiter_in_option, formula_in_free_text,
        script_in_free_text, formula_in_label, script_in_label, semicolons, tabs,
        bom_and_crlf, every_row_a_preview, no_sector_given, duplicate_respondent_ids,
        export_is_a_folder, dangling_symlink, symlink_leaving_the_survey, random_bytes,
        export_is_a_zip, export_is_gzip, very_wide, another_platforms_file, truncated_xlsx,
        encrypted_xlsx, huge_xlsx, empty_zip_xlsx, corrupt_sav, bad_yaml, codebook_a_list,
        codebook_empty, wrong_type, unknown_key, value_map_to_unknown_code,
        value_maps_colliding, parent_path_in_files, absolute_path_in_files,
        taxonomy_symlink_leaving, taxonomy_missing, codebook_cp1252, codebook_utf16,
        alias_bomb, huge_codebook, unknown_platform, unknown_target, unknown_wave_in_question,
        ordinal_value_outside_scale, frame_negative_count, frame_unknown_sector,
        frame_smaller_than_respondents, codebook_is_a_folder, codebook_missing,
        wave_without_files, survey_id_with_path,
    )
}  # fmt: skip


def make_case(name: str, root: Path) -> Path:
    """A fresh copy of the tiny survey under `root`, broken as the case says; its survey folder."""
    shutil.copytree(FIXTURE, root, symlinks=True)
    survey = root / "tiny"
    CASES[name](survey)
    return survey


def digests(root: Path) -> dict[str, bytes]:
    """Every file under `root` (symlinks as their targets' names): to check nothing changed."""
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            out[key] = str(path.readlink()).encode()
        elif path.is_file():
            out[key] = path.read_bytes()
    return out


def run_stages(survey: Path, curated: Path) -> tuple[list[str], list[dict[str, int]]]:
    """(errors, reconciliation rows) of the stages a run goes through, as a run would stop:
    the codebook check the command starts with (which leaves the exports to the run)."""
    problems = check_codebook_file(survey / "survey.yaml", read_exports=False)
    errors = [p for p in problems if p.is_error]
    if errors:
        assert all(p.file for p in errors), errors  # every problem names its file
        return [p.message for p in errors], []
    try:
        waves, _ = model_survey(survey, curated, salt="x", params=ModelParams(min_cell=1))
    except SkillgapError as exc:
        assert exc.file, exc  # the message names the file
        return [str(exc)], []
    return [], [row for wave in waves for row in wave.reconciliation]


def documented_outcomes(doc: Path = DOC) -> dict[str, str]:
    """Each case's outcome as docs/BAD_INPUTS.md records it: "refused" or "runs"."""
    outcomes = {}
    for line in doc.read_text("utf-8").splitlines():
        if line.startswith("| `"):
            name, outcome = (cell.strip() for cell in line.split("|")[1:3])
            outcomes[name.strip("`")] = outcome.split()[0].rstrip(",")
    return outcomes


def write_doc(target: Path = DOC) -> None:
    """docs/BAD_INPUTS.md: each case and what skillgap says (python -m tests.corrupt)."""
    import tempfile

    rows = []
    for name in CASES:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            survey = make_case(name, root / "raw")
            errors, reconciled = run_stages(survey, root / "curated")
            if errors:
                outcome = "refused (exit 1)"
                said = errors[0].replace(str(root), "…")
            else:
                outcome = "runs, reconciled"
                said = "; ".join(
                    f"{r['table_name']}: {r['rows_in']} in = {r['rows_curated']} curated + "
                    f"{r['rows_quarantined']} quarantined"
                    for r in reconciled
                    if r["table_name"] == "respondent"
                )
        said = " ".join(said.split()).replace("|", "\\|")
        rows.append(f"| `{name}` | {outcome} | {said[:400]} |")
    lines = [
        "# Bad inputs and what skillgap says of them",
        "",
        "<!-- Generated by `.venv/bin/python -m tests.corrupt` from tests/corrupt.py; "
        "tests/ingest/test_corrupted_inputs.py runs every case. -->",
        "",
        f"{len(CASES)} corrupted copies of the tiny test survey (tests/fixtures/codebook), each "
        "run through the checks a run starts with, ingest, validation and the warehouse build. "
        "Each ends in one error that names its file (a run exits 1 with it), or runs with every "
        "table reconciled; none ends in a traceback or a hang, and no raw file is changed.",
        "",
        "| case | outcome | the first message, or the reconciliation |",
        "|---|---|---|",
        *rows,
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    write_doc()
    print(f"wrote {DOC}")
