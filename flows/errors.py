"""Orchestration, errors: turn a SkillgapError into one clear line and a non-zero exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from transforms.core.errors import SkillgapError


@contextmanager
def exit_on_skillgap_error() -> Iterator[None]:
    try:
        yield
    except SkillgapError as exc:
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from exc
