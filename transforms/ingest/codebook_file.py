"""Ingest step, codebook file: survey.yaml read safely, before any of it is validated."""

from __future__ import annotations

from pathlib import Path

import yaml

from transforms.core.errors import CodebookError, ExportReadError

MAX_CODEBOOK_BYTES = 5_000_000  # a codebook of thousands of questions is well under this
_BOMS = (("utf-16", (b"\xff\xfe", b"\xfe\xff")), ("utf-8-sig", (b"\xef\xbb\xbf",)))


def read_codebook_yaml(path: Path) -> object:
    """The parsed YAML of a codebook file; a clear CodebookError for anything else: a missing
    or unreadable file, a folder, a file over MAX_CODEBOOK_BYTES, text that is not UTF-8 (or
    UTF-16 with its byte-order mark), invalid YAML, and YAML aliases (`*name`), which a
    codebook never needs and which can make a tiny file expand beyond any memory."""
    try:
        if path.is_dir():
            raise CodebookError("the codebook path is a folder, not a file", file=path)
        if path.stat().st_size > MAX_CODEBOOK_BYTES:
            raise CodebookError(
                f"the codebook is {path.stat().st_size:,} bytes, more than a codebook can be "
                f"({MAX_CODEBOOK_BYTES:,})",
                file=path,
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CodebookError("codebook not found", file=path) from exc
    except OSError as exc:
        raise CodebookError(f"the codebook cannot be read: {exc.strerror}", file=path) from exc
    text = _decode(data, path)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise CodebookError(
                    f"the codebook uses a YAML alias (*{event.anchor}) at line "
                    f"{mark.line + 1 if mark else '?'}; write the value out instead",
                    file=path,
                )
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"codebook is not valid YAML: {exc}", file=path) from exc


def _decode(data: bytes, path: Path) -> str:
    for encoding, marks in _BOMS:
        if data.startswith(marks):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CodebookError(
            f"the codebook is not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} is "
            "not UTF-8 (saved as Windows-1252 or Latin-1?); save the file as UTF-8",
            file=path,
            row=line,
        ) from exc


def outside_survey(survey_dir: Path, name: str, *, allowed: bool = False) -> str | None:
    """Why an export named in `files` may not be read, when it lies outside the survey folder
    (an absolute path, `../`, or a symlink that leads out) and the codebook does not allow it
    (`survey.exports_outside`). None when it may be read."""
    if allowed:
        return None
    folder = survey_dir.resolve()
    target = (survey_dir / name).resolve()
    if target == folder or folder in target.parents:
        return None
    return (
        f"the export {name!r} lies outside the survey folder ({target}); a codebook reads "
        "only exports inside its own folder, unless its survey section says exports_outside: "
        "true"
    )


def export_path(survey_dir: Path, wave: str, name: str, *, allowed: bool = False) -> Path:
    """The path of an export the wave lists, once it may be read: inside the survey folder (or
    ``allowed`` outside it) and there; else an ExportReadError naming it."""
    path = survey_dir / name
    outside = outside_survey(survey_dir, name, allowed=allowed)
    if outside is not None:
        raise ExportReadError(outside, file=path)
    if not path.exists():
        raise ExportReadError(f"wave {wave} lists an export that does not exist", file=path)
    return path
