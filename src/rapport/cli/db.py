"""``rapport db``: database maintenance."""

from __future__ import annotations

import typer

from rapport.cli.common import console, wiring

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument(
        "head", help="Target schema revision (default: the latest).")) -> None:
    """Migrate the database (RAPPORT_DATABASE_URL) to the latest schema."""
    wiring().upgrade(revision)
    console.print(f"database migrated to {revision}")
