"""``rapport setup``: Marketing setup, salespeople, users, templates, campaigns and code tables."""

from __future__ import annotations

import typer

app = typer.Typer(help="Marketing setup, salespeople, users, templates, campaigns and code tables.", no_args_is_help=True)
