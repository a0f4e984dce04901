"""``rapport contacts``: Contacts: list, show, import and export (CSV/XLSX)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Contacts: list, show, import and export (CSV/XLSX).", no_args_is_help=True)
