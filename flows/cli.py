"""Orchestration, entry point: the `skillgap` command. Builds Settings and hands them to a flow."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli_codebook import codebook_app
from flows.environment import quiet_local_defaults

app = typer.Typer(
    help="Competence-needs survey exports in; validated, weighted, disclosure-safe estimates, "
    "a DuckDB warehouse and HTML/PDF reports out.",
    no_args_is_help=True,
    add_completion=False,
)

# Options default to None: an option not given leaves the value to SKILLGAP_<NAME> or the
# Settings default (shown in the help), so environment settings are not overridden silently.
SurveyOpt = Annotated[
    str | None, typer.Option(help="Survey folder name under --raw-dir. [default: atmp2030]")
]
SurveyDirOpt = Annotated[
    Path | None, typer.Option(help="Survey folder anywhere on disk (overrides --raw-dir/--survey).")
]
RawOpt = Annotated[
    Path | None,
    typer.Option(help="Folder holding survey folders and reference/. [default: data/raw]"),
]
CuratedOpt = Annotated[
    Path | None,
    typer.Option(help="Folder for curated data and the warehouse. [default: data/curated]"),
]
ReportsOpt = Annotated[
    Path | None, typer.Option(help="Folder for generated reports. [default: reports]")
]
WaveOpt = Annotated[list[str] | None, typer.Option("--wave", help="Wave to run (repeatable).")]
MinCellOpt = Annotated[
    int | None, typer.Option(help="Minimum respondents in a published cell. [default: 5]")
]


def _prefect_environment() -> None:
    """Local, quiet Prefect: its home inside the project, no analytics. Set before import."""
    quiet_local_defaults(Path(".prefect").resolve())


def _settings(**values: Any) -> Any:
    """The one Settings object of the command: options given, else SKILLGAP_* environment
    variables, else the defaults. A bad value stops the command with the setting named."""
    from pydantic import ValidationError

    from flows.settings import Settings

    given = {k: v for k, v in values.items() if v is not None}
    if "waves" in given:
        given["waves"] = tuple(given["waves"])
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        typer.echo(
            f"error: setting {name} (SKILLGAP_{name.upper()} or its option) is "
            f"{first.get('input')!r}: {first['msg']}",
            err=True,
        )
        raise typer.Exit(2) from exc


@app.command()
def run(
    survey: SurveyOpt = None,
    survey_dir: SurveyDirOpt = None,
    raw_dir: RawOpt = None,
    curated_dir: CuratedOpt = None,
    reports_dir: ReportsOpt = None,
    wave: WaveOpt = None,
    min_cell: MinCellOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-ingest waves whose inputs are unchanged.")
    ] = False,
    summary_json: Annotated[
        Path | None,
        typer.Option(help="Also write the run summary (with seconds per stage) as JSON here."),
    ] = None,
) -> None:
    """Ingest, validate, model and report every wave of a survey as one Prefect flow run."""
    from flows.errors import exit_on_skillgap_error

    settings = _survey_settings(
        survey, survey_dir, raw_dir, curated_dir, reports_dir, min_cell, waves=wave, force=force
    )
    from flows.prefect_api import PrefectApi

    with exit_on_skillgap_error():
        from transforms.core.runlock import check_unlocked

        check_unlocked(settings.curated_dir)  # another run writing: stop before Prefect starts
        api = PrefectApi(settings.prefect_startup_timeout).start()  # starts while we import
        from flows.pipeline import skillgap_run

        with api.ready():
            summary = skillgap_run(settings=settings)
    typer.echo(summary.markdown())
    if summary_json is not None:
        summary_json.parent.mkdir(parents=True, exist_ok=True)
        summary_json.write_text(json.dumps(summary.as_dict(), indent=2, default=str) + "\n")


def _check_before_start(settings: Any) -> None:
    """Fail in a second, listing every problem, before Prefect starts: the codebook, its
    reference files and that every export is a readable file (`codebook check` reads them)."""
    from transforms.codebook_tools.check import check_codebook_file
    from transforms.codebook_tools.problems import format_report

    problems = check_codebook_file(
        settings.resolved_survey_dir / "survey.yaml",
        waves=list(settings.waves) or None,
        read_exports=False,
    )
    errors = [p for p in problems if p.is_error]
    if errors:
        typer.echo(format_report(errors), err=True)
        typer.echo("nothing was run: fix these, then run again", err=True)
        raise typer.Exit(1)


def _survey_settings(
    survey: str | None,
    survey_dir: Path | None,
    raw_dir: Path | None,
    curated_dir: Path | None,
    reports_dir: Path | None,
    min_cell: int | None,
    **more: Any,
) -> Any:
    """The settings of a run of a survey (`run`, `serve`, `deploy`), its inputs checked
    first; Prefect's environment set before Prefect is imported."""
    _prefect_environment()
    settings = _settings(
        survey=survey,
        survey_dir=survey_dir,
        raw_dir=raw_dir,
        curated_dir=curated_dir,
        reports_dir=reports_dir,
        min_cell=min_cell,
        **more,
    )
    _check_before_start(settings)
    return settings


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help="Cron schedule, e.g. '0 6 * * 1' (Mondays 06:00).")] = (
        "0 6 * * 1"
    ),
    name: Annotated[str, typer.Option(help="Deployment name.")] = "skillgap-scheduled",
    survey: SurveyOpt = None,
    survey_dir: SurveyDirOpt = None,
    raw_dir: RawOpt = None,
    curated_dir: CuratedOpt = None,
    reports_dir: ReportsOpt = None,
    min_cell: MinCellOpt = None,
) -> None:
    """Run the flow on a cron schedule (long-running; stop with Ctrl+C)."""
    settings = _survey_settings(survey, survey_dir, raw_dir, curated_dir, reports_dir, min_cell)
    from flows.errors import exit_on_skillgap_error
    from flows.prefect_api import PrefectApi

    with exit_on_skillgap_error():
        api = PrefectApi(settings.prefect_startup_timeout).start()
        from prefect import serve as prefect_serve

        from flows.deployment import scheduled_deployment

        with api.ready():
            prefect_serve(scheduled_deployment(settings, cron=cron, name=name))


@app.command()
def deploy(
    pool: Annotated[str, typer.Option(help="Work pool to run on (create it first).")],
    cron: Annotated[
        str | None, typer.Option(help="Cron schedule, e.g. '0 6 * * 1'; none: runs on demand.")
    ] = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "skillgap-scheduled",
    survey: SurveyOpt = None,
    survey_dir: SurveyDirOpt = None,
    raw_dir: RawOpt = None,
    curated_dir: CuratedOpt = None,
    reports_dir: ReportsOpt = None,
    min_cell: MinCellOpt = None,
) -> None:
    """Deploy the run to a work pool of the Prefect server at PREFECT_API_URL (docs/DEPLOY.md);
    its workers need the salt in a Secret block or SKILLGAP_SALT, and the folders shared."""
    from flows.errors import exit_on_skillgap_error

    settings = _survey_settings(survey, survey_dir, raw_dir, curated_dir, reports_dir, min_cell)
    from flows.prefect_api import configured_server
    from transforms.ingest.codebook import load_codebook

    with exit_on_skillgap_error():
        url = configured_server()
        from flows.deployment import deploy_to_pool

        survey_id = load_codebook(settings.resolved_survey_dir / "survey.yaml").survey.id
        done = deploy_to_pool(settings, survey_id, pool=pool, cron=cron, name=name)
    typer.echo(f"deployed {done.name} ({done.deployment_id}) to work pool {pool} at {url}")
    typer.echo(f"one writer of survey {survey_id} at a time: concurrency limit {done.writer_limit}")
    if not done.salt_secret:
        typer.echo(
            f"note: the server has no Secret block {settings.salt_block!r}: a run stops unless "
            "its worker has SKILLGAP_SALT (the same on every worker); see docs/DEPLOY.md",
            err=True,
        )
    typer.echo(f"run it now: prefect deployment run '{done.name}'")


@app.command()
def sql(
    query: Annotated[
        str,
        typer.Argument(help="SQL to run read-only against the warehouse (one or more queries)."),
    ] = "",
    db: Annotated[Path, typer.Option(help="Warehouse file.")] = Path(
        "data/curated/warehouse.duckdb"
    ),
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="Open the internal warehouse (internal.duckdb beside --db): respondent-level "
            "tables and raw free text, which are never to be published.",
        ),
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds a query may run (default: setting sql_timeout_seconds)."),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(help="Memory a query may use, e.g. 2GB (default: setting sql_memory_limit)."),
    ] = None,
) -> None:
    """Query the published warehouse (what the reports publish: marts, reference tables,
    data_dictionary), read-only and sandboxed, and print every result. Only queries run: no
    file, database, extension or setting can be reached; each has a time and memory limit."""
    import duckdb

    from transforms.model import sandbox

    settings = _settings(sql_timeout_seconds=timeout, sql_memory_limit=memory_limit)
    limits = sandbox.QueryLimits(settings.sql_timeout_seconds, settings.sql_memory_limit)
    if output not in ("table", "csv", "json"):
        raise typer.BadParameter("--format must be table, csv or json")
    if not query.strip():
        typer.echo('usage: skillgap sql "select ..." (no SQL statement given)', err=True)
        raise typer.Exit(2)
    if internal:
        db = _internal_warehouse(db)
    if not db.exists():
        typer.echo(f"error: no warehouse at {db}; run `skillgap run` first", err=True)
        raise typer.Exit(2)
    try:
        with sandbox.connect(db, limits) as con:
            results = sandbox.run(con, query, limits)
    except sandbox.SqlUsage as exc:
        typer.echo(f"usage: {exc}", err=True)
        raise typer.Exit(2) from exc
    except sandbox.SqlRefused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except duckdb.Error as exc:  # the warehouse could not be opened
        typer.echo(f"error: cannot open the warehouse {db}: {exc}", err=True)
        raise typer.Exit(1) from exc
    _print_results(results, output)


def _internal_warehouse(db: Path) -> Path:
    """The internal warehouse beside `db`, with the warning it deserves."""
    internal = db.with_name("internal.duckdb")
    typer.echo(
        f"warning: {internal} is the internal warehouse: it holds a row per respondent and the "
        "raw free-text answers, which disclosure control has not touched; never publish what "
        "you read here",
        err=True,
    )
    return internal


def _print_results(results: list[Any], output: str) -> None:
    """Every statement's result as a table, CSV (one statement only) or JSON."""
    if output == "csv" and len(results) > 1:
        typer.echo("error: --format csv prints one result: give one statement", err=True)
        raise typer.Exit(2)
    if output == "csv":
        results[0].frame.to_csv(sys.stdout, index=False)
    elif output == "json":
        records = [
            json.loads(r.frame.to_json(orient="records", date_format="iso")) for r in results
        ]
        typer.echo(json.dumps(records[0] if len(records) == 1 else records, indent=2))
    else:
        for number, result in enumerate(results, start=1):
            if len(results) > 1:
                typer.echo(f"-- statement {number} of {len(results)}: {result.statement}")
            _print_table(result.frame)


def _print_table(frame: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*["" if v is None else str(v) for v in row])
    Console().print(table)
    typer.echo(f"({len(frame)} row{'s' if len(frame) != 1 else ''})")


@app.command()
def sample(
    out: Annotated[Path, typer.Option(help="Folder to write data/raw content into.")] = Path(
        "data/raw"
    ),
    seed: Annotated[int, typer.Option(help="Random seed.")] = 2030,
) -> None:
    """Regenerate the synthetic ATMP2030 demonstration survey (identical bytes per seed)."""
    from transforms.synthetic import generate_sample

    for path in generate_sample(out, seed=seed):
        typer.echo(str(path))


app.add_typer(codebook_app, name="codebook")

if __name__ == "__main__":
    app()
