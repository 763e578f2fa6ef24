"""Orchestration, entry point: `skillgap codebook init|check`, drafting a codebook from an
export and checking a codebook against its exports (logic in transforms.codebook_tools)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

codebook_app = typer.Typer(
    help="Draft a codebook (survey.yaml) from an export; check a codebook against its exports.",
    no_args_is_help=True,
    add_completion=False,
)


@codebook_app.command("init")
def init(
    export: Annotated[Path, typer.Argument(help="The survey platform's export (CSV, XLSX, SAV).")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="survey.yaml to write (default: print the draft)."),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(help="Read the export as this platform (default: detect; else generic)."),
    ] = None,
    wave: Annotated[
        str | None, typer.Option(help="Wave name (default: a year in the folder or file name).")
    ] = None,
    survey_id: Annotated[
        str | None, typer.Option(help="Survey id (default: from the file name).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draft a codebook from one export: questions, types, choice lists, PII, suggested targets."""
    from flows.errors import exit_on_skillgap_error
    from transforms.codebook_tools.draft import REFERENCE_DIR, draft_codebook
    from transforms.codebook_tools.render import render_draft
    from transforms.ingest.readers import read_export
    from transforms.ingest.readers.detect import detect_platform_or_none

    if output is not None and output.exists() and not force:
        typer.echo(f"error: {output} exists; use --force to overwrite it", err=True)
        raise typer.Exit(2)
    folder = (output.parent if output is not None else Path.cwd()).resolve()
    with exit_on_skillgap_error():
        chosen = platform or detect_platform_or_none(export)
        if chosen is None:
            typer.echo("note: no platform signature found; reading it as generic", err=True)
        read = read_export(export, platform=chosen or "generic")
        draft = draft_codebook(
            read,
            file_ref=Path(os.path.relpath(export.resolve(), folder)).as_posix(),
            wave=wave,
            survey_id=survey_id,
            reference_dir=(folder / REFERENCE_DIR).resolve(),
        )
    text = render_draft(draft)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(
        f"wrote {output}: {len(draft.questions)} question(s) with a suggested target, "
        f"{len(draft.unmapped)} under unmapped:, {len(draft.pii)} PII column(s) "
        f"({read.platform}, wave {draft.wave}).\n"
        f"Next: confirm the suggestions, then `skillgap codebook check {output}`."
    )


@codebook_app.command("check")
def check(
    codebook: Annotated[Path, typer.Argument(help="The codebook (survey.yaml) to check.")],
    wave: Annotated[
        list[str] | None, typer.Option("--wave", help="Check only this wave (repeatable).")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Check a codebook and its exports; list every problem. Exit 1 when there are errors."""
    from transforms.codebook_tools.check import check_codebook_file
    from transforms.codebook_tools.problems import format_report

    if output not in ("text", "json"):
        raise typer.BadParameter("--format must be text or json")
    problems = check_codebook_file(codebook, waves=wave)
    if output == "json":
        typer.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        typer.echo(format_report(problems))
    if any(p.is_error for p in problems):
        raise typer.Exit(1)
