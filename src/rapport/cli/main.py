"""The ``rapport`` command: sub-apps per business area; how a command ends is ``cli.exits``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rapport.cli import db as db_cli
from rapport.cli import demo, exits, filter_fields, serve
from rapport.cli.common import state
from rapport.cli.exits import print_error
from rapport.cli.interrupts import raised_as_interrupted
from rapport.cli.options import DATE, date_option
from rapport.cli.registry import AreaGroup
from rapport.cli.startup import collector_rests, command_starts

__all__ = ["app", "main", "print_error"]

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
filter_fields.register(app)


@app.callback()
def main_options(
    user: Annotated[str | None, typer.Option(
        "--user", metavar="USER", help="Acting user id (default RAPPORT_USER_ID).")] = None,
    work_date: Annotated[str | None, typer.Option(
        "--work-date", metavar=DATE,
        help="Work date (default: RAPPORT_WORK_DATE, else today in RAPPORT_TIME_ZONE).")] = None,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the full details (traceback) of an internal error.")] = False,
) -> None:
    """Global options, valid for every command."""
    command_starts()  # the command's modules are loaded (see cli.startup)
    state.debug = debug
    state.user_id = user
    state.work_date = date_option(work_date, "--work-date")


def main() -> None:
    """Console-script entry point: run the command; exit 0, 1 (refused), 2 (internal error),
    130 or 143 (interrupted), see ``rapport.cli.exits``."""
    args = sys.argv[1:]
    state.reset()
    with collector_rests(main), raised_as_interrupted() as received:
        status = exits.run(
            lambda: app(args=args, prog_name="rapport", standalone_mode=False), args, received)
    sys.exit(status)
