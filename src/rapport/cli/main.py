"""The ``rapport`` command: sub-apps per business area; domain errors exit 1, one line each."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from rapport.cli import db as db_cli
from rapport.cli import demo, serve
from rapport.cli.common import err_console, state
from rapport.cli.options import date_option
from rapport.cli.registry import AreaGroup
from rapport.errors import MultipleErrors, RapportError

# AreaGroup lists every business area (registry.AREAS) and imports one only when it is invoked.
app = typer.Typer(
    cls=AreaGroup,
    help="rapport: contacts, segments and interactions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cli.app, name="db")
demo.register(app)
serve.register(app)


@app.callback()
def main_options(
    user: Annotated[
        str | None, typer.Option("--user", help="Acting user id (default RAPPORT_USER_ID).")
    ] = None,
    work_date: Annotated[
        str | None,
        typer.Option(
            "--work-date", help="Work date YYYY-MM-DD (default: today in RAPPORT_TIME_ZONE)."
        ),
    ] = None,
) -> None:
    """Global options, valid for every command."""
    state.user_id = user
    state.work_date = date_option(work_date, "--work-date")


def print_error(exc: RapportError) -> None:
    """``error [CODE] message``; several problems (MultipleErrors) get one line each below it."""
    problems = exc.errors if isinstance(exc, MultipleErrors) else []
    head = exc.message.split(": ", 1)[0] if problems else exc.message  # the summary, if several
    err_console.print(f"[red]error[/red] [{exc.code}] {escape(head)}", highlight=False)
    for problem in problems:
        err_console.print(f"  [{problem.code}] {problem.message}", highlight=False, markup=False)


def main() -> None:
    """Console-script entry point: run the app, print a domain error, exit 1."""
    try:
        app()
    except RapportError as exc:
        print_error(exc)
        sys.exit(1)
