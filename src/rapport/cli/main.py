"""The ``rapport`` command: sub-apps per business area; domain errors exit 1 with one line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rapport.cli import db as db_cli
from rapport.cli.common import err_console, state
from rapport.cli.options import date_option
from rapport.errors import RapportError

app = typer.Typer(
    help="rapport: contacts, segments and interactions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cli.app, name="db")


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


def _register() -> None:
    """Attach the sub-apps of each business area (imported here so --help stays fast)."""
    from rapport.cli import registry

    registry.register(app)


def main() -> None:
    """Console-script entry point: run the app, print a domain error as one line, exit 1."""
    _register()
    try:
        app()
    except RapportError as exc:
        err_console.print(f"[red]error[/red] [{exc.code}] {exc.message}", highlight=False)
        sys.exit(1)
