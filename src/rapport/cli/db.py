"""``rapport db``: database maintenance."""

from __future__ import annotations

import typer

from rapport.cli.common import console, settings
from rapport.db.engine import make_engine
from rapport.db.migrate import upgrade as run_upgrade

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database (RAPPORT_DATABASE_URL) to the latest schema."""
    url = settings().database_url
    engine = make_engine(url)
    try:
        run_upgrade(engine, revision)
    finally:
        engine.dispose()
    console.print(f"database migrated to {revision}")
