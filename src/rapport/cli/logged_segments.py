"""``rapport logged-segments``: Logged segments: list, cancel, un-cancel, delete canceled."""

from __future__ import annotations

import typer

app = typer.Typer(help="Logged segments: list, cancel, un-cancel, delete canceled.", no_args_is_help=True)
