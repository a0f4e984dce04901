"""``rapport interactions``: Interaction log entries: list, create, finish, postpone, resume, cancel, evaluate, statistics."""

from __future__ import annotations

import typer

app = typer.Typer(help="Interaction log entries: list, create, finish, postpone, resume, cancel, evaluate, statistics.", no_args_is_help=True)
