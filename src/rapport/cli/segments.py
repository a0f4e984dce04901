"""``rapport segments``: Segments: build target groups, undo, save and reuse criteria, log."""

from __future__ import annotations

import typer

app = typer.Typer(help="Segments: build target groups, undo, save and reuse criteria, log.", no_args_is_help=True)
