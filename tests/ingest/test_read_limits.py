"""The limits a read keeps to are settings (file size, cell length, sheet extent, time), and the
error that hits one names the file and the setting; a file outside the survey folder is refused
before it is hashed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from flows.settings import Settings
from tests import paths
from transforms.core.errors import ExportReadError
from transforms.ingest.codebook import load_codebook
from transforms.ingest.fingerprint import wave_fingerprint
from transforms.ingest.readers import read_export
from transforms.ingest.readers.base import known_sha256
from transforms.ingest.readers.limits import ReadLimits, within_time

QUALTRICS = paths.PROJECT / "tests" / "fixtures" / "exports" / "qualtrics_import_id.csv"
TINY = paths.PROJECT / "tests" / "fixtures" / "codebook" / "tiny"


def test_settings_carry_the_read_limits_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SKILLGAP_MAX_CELL_CHARS", "5000")
    monkeypatch.setenv("SKILLGAP_READ_TIMEOUT_SECONDS", "2.5")
    limits = Settings().read_limits()
    assert limits.max_cell_chars == 5000
    assert limits.read_timeout_seconds == 2.5
    assert limits.max_export_bytes == ReadLimits().max_export_bytes


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_cell_chars must be at least 1"):
        ReadLimits(max_cell_chars=0)


def test_an_export_larger_than_the_size_limit_names_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    shutil.copy(QUALTRICS, path)
    size = path.stat().st_size
    with pytest.raises(ExportReadError, match="setting max_export_bytes") as error:
        read_export(path, limits=ReadLimits(max_export_bytes=size - 1))
    assert f"{size:,} bytes" in str(error.value) and error.value.file == str(path)
    assert read_export(path, limits=ReadLimits(max_export_bytes=size)).data.shape[0] > 0


def test_a_cell_longer_than_a_lowered_limit_names_row_column_and_setting(tmp_path: Path) -> None:
    lines = QUALTRICS.read_text("utf-8").splitlines()
    cells = lines[3].split(",")
    lines[3] = ",".join(['"' + "x" * 300 + '"', *cells[1:]])
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ExportReadError, match=r"longer than 200,.*setting max_cell_chars") as e:
        read_export(path, limits=ReadLimits(max_cell_chars=200))
    assert e.value.row == 4 and e.value.column == "column 1"
    assert read_export(path, limits=ReadLimits(max_cell_chars=300)).data.shape[0] > 0


def test_a_sheet_spanning_more_cells_than_the_limit_names_the_setting(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Respondent ID"
    sheet["J100"] = "x"  # 100 rows x 10 columns
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    with pytest.raises(ExportReadError, match=r"1,000 cells, more than the 999 .*max_xlsx_cells"):
        read_export(path, limits=ReadLimits(max_xlsx_cells=999))


def test_a_read_that_does_not_finish_in_time_is_stopped_with_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("x\n")
    started = time.perf_counter()
    with pytest.raises(ExportReadError, match=r"did not finish within 0.2 s .*read_timeout"):
        within_time(path, ReadLimits(read_timeout_seconds=0.2), lambda: time.sleep(30), "reading")
    assert time.perf_counter() - started < 5  # the caller does not wait for the blocked read


def test_an_error_inside_a_timed_read_is_raised_as_it_was(tmp_path: Path) -> None:
    def fails() -> None:
        raise ExportReadError("damaged", file=tmp_path / "x.csv", row=3)

    with pytest.raises(ExportReadError, match="damaged") as error:
        within_time(tmp_path / "x.csv", ReadLimits(), fails, "reading")
    assert error.value.row == 3


def test_an_export_outside_the_survey_folder_is_refused_before_it_is_hashed(
    tmp_path: Path,
) -> None:
    survey = tmp_path / "tiny"
    shutil.copytree(TINY, survey)
    codebook = load_codebook(survey / "survey.yaml")
    wave = next(iter(codebook.waves))
    name = codebook.waves[wave].files[0]
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((survey / name).read_bytes() + b"\n")  # bytes no other test hashed
    (survey / name).unlink()
    (survey / name).symlink_to(outside)
    with pytest.raises(ExportReadError, match="lies outside the survey folder"):
        wave_fingerprint(codebook, survey / "survey.yaml", survey, wave, salt="x")
    assert known_sha256(outside) is None  # never read


def test_a_missing_export_is_named_by_the_change_check(tmp_path: Path) -> None:
    survey = tmp_path / "tiny"
    shutil.copytree(TINY, survey)
    codebook = load_codebook(survey / "survey.yaml")
    wave = next(iter(codebook.waves))
    (survey / codebook.waves[wave].files[0]).unlink()
    with pytest.raises(ExportReadError, match=f"wave {wave} lists an export that does not exist"):
        wave_fingerprint(codebook, survey / "survey.yaml", survey, wave, salt="x")
