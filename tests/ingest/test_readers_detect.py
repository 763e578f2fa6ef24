"""Platform detection and read_export dispatch: signatures, overrides and unreadable files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests import paths
from transforms.core.errors import ExportReadError
from transforms.ingest.readers import detect_platform, read_export

FIXTURES = paths.FIXTURES / "exports"


def surveymonkey_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Respondent ID", "Collector ID", "Question"])
    sheet.append([None, None, "Response"])
    sheet.append([1, 2, "yes"])
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("qualtrics_import_id.csv", "qualtrics"),
        ("qualtrics_python_dict.csv", "qualtrics"),
        ("qualtrics_legacy.csv", "qualtrics"),
        ("surveymonkey.csv", "surveymonkey"),
    ],
)
def test_detect_platform_recognises_each_fixture_by_its_header(name: str, platform: str) -> None:
    assert detect_platform(FIXTURES / name) == platform


def test_detect_platform_recognises_a_surveymonkey_workbook(tmp_path: Path) -> None:
    assert detect_platform(surveymonkey_xlsx(tmp_path / "sm.xlsx")) == "surveymonkey"


def test_detect_platform_reads_the_content_not_the_file_name(tmp_path: Path) -> None:
    renamed = surveymonkey_xlsx(tmp_path / "actually_a_workbook.csv")
    assert detect_platform(renamed) == "surveymonkey"
    assert read_export(renamed).data["Question | Response"].tolist() == ["yes"]


def test_read_export_dispatches_to_the_detected_reader() -> None:
    assert read_export(FIXTURES / "qualtrics_import_id.csv").platform == "qualtrics"
    assert read_export(FIXTURES / "surveymonkey.csv").platform == "surveymonkey"


def test_read_export_accepts_a_platform_that_matches_the_file() -> None:
    export = read_export(FIXTURES / "qualtrics_legacy.csv", platform="qualtrics")
    assert export.platform == "qualtrics"


def test_read_export_refuses_a_forced_platform_that_the_file_contradicts() -> None:
    with pytest.raises(ExportReadError, match="read as qualtrics but it looks like a surveymonkey"):
        read_export(FIXTURES / "surveymonkey.csv", platform="qualtrics")


def test_read_export_rejects_an_unknown_platform_name() -> None:
    with pytest.raises(ExportReadError, match="unknown platform 'typeform'"):
        read_export(FIXTURES / "surveymonkey.csv", platform="typeform")


def test_detect_platform_rejects_a_file_of_no_known_platform(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,age\nAda,36\n")
    with pytest.raises(ExportReadError, match="platform is not recognised") as caught:
        detect_platform(path)
    assert caught.value.file == str(path)


def test_read_export_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExportReadError, match="does not exist"):
        read_export(tmp_path / "nope.csv")


def test_read_export_rejects_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ExportReadError, match="empty"):
        read_export(path)


def test_read_export_rejects_a_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n\r\n  \n")
    with pytest.raises(ExportReadError, match="empty"):
        read_export(path)


def test_read_export_rejects_binary_data_with_a_csv_name(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ExportReadError, match="PNG image"):
        read_export(path)
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes([0, 159, 146, 150, 1, 2, 3, 0, 7]) * 50)
    with pytest.raises(ExportReadError, match="binary"):
        read_export(noise)


def test_read_export_rejects_a_header_only_export(tmp_path: Path) -> None:
    path = tmp_path / "header_only.csv"
    lines = (FIXTURES / "qualtrics_python_dict.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    with pytest.raises(ExportReadError, match="no data rows"):
        read_export(path)


def test_read_export_refuses_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ExportReadError, match="ZIP archive"):
        read_export(path)
