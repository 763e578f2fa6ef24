"""Inputs that used to end in a traceback, a crash or a hang get one clear error instead: a
codebook in another encoding, a YAML alias bomb, a codebook path that is a folder, an empty ZIP
named .xlsx, a cell of ten million characters, a workbook with one cell at XFD1048576."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests import paths
from transforms.core.errors import CodebookError, ExportReadError
from transforms.ingest.codebook import load_codebook
from transforms.ingest.readers import read_export
from transforms.ingest.readers.limits import DEFAULT_LIMITS

SAMPLE_CODEBOOK = paths.SAMPLE / "survey.yaml"
QUALTRICS = paths.PROJECT / "tests" / "fixtures" / "exports" / "qualtrics_import_id.csv"


def test_a_codebook_saved_as_windows_1252_names_the_line_of_the_first_bad_byte(
    tmp_path: Path,
) -> None:
    path = tmp_path / "survey.yaml"
    path.write_bytes(SAMPLE_CODEBOOK.read_text("utf-8").encode("cp1252", errors="replace"))
    with pytest.raises(CodebookError, match=r"not UTF-8 text: byte 0x[0-9a-f]{2} on line \d+"):
        load_codebook(path)


def test_a_codebook_saved_as_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_bytes(SAMPLE_CODEBOOK.read_text("utf-8").encode("utf-16"))
    assert load_codebook(path).survey.id == "atmp2030"


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "survey.yaml"
    path.write_text(SAMPLE_CODEBOOK.read_text("utf-8") + "\n" + "\n".join(levels) + "\n")
    started = time.perf_counter()
    with pytest.raises(CodebookError, match=r"YAML alias \(\*a0\) at line \d+"):
        load_codebook(path)
    assert time.perf_counter() - started < 5


def test_a_codebook_path_that_is_a_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="is a folder, not a file"):
        load_codebook(tmp_path)


def test_an_empty_zip_named_xlsx_is_not_taken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    zipfile.ZipFile(path, "w").close()  # only the end-of-archive record: "PK\x05\x06"
    with pytest.raises(ExportReadError, match="ZIP archive, not a survey export"):
        read_export(path)


def test_a_cell_longer_than_the_limit_names_its_row(tmp_path: Path) -> None:
    lines = QUALTRICS.read_text("utf-8").splitlines()
    huge = '"' + "x" * (DEFAULT_LIMITS.max_cell_chars * 10) + '"'
    cells = lines[3].split(",")
    lines[3] = ",".join([huge, *cells[1:]])
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ExportReadError, match=r"longer than 1,000,000 characters") as error:
        read_export(path)
    assert error.value.row == 4 and error.value.file == str(path)


def test_a_workbook_reaching_the_last_cell_of_the_sheet_is_refused_before_it_is_parsed(
    tmp_path: Path,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Respondent ID"
    sheet["A2"] = "1"
    sheet["XFD1048576"] = "x"  # the parser would allocate 16,384 x 1,048,576 cells and abort
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    with pytest.raises(ExportReadError, match="reaches row 1,048,576 and column 16,384") as e:
        read_export(path)
    assert f"{DEFAULT_LIMITS.max_xlsx_cells:,}" in str(e.value)
