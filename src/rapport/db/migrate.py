"""Run Alembic migrations from Python (``rapport db upgrade``, tests, ``make run``)."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, inspect

from rapport.errors import ValidationError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at rapport's migrations, independent of the working directory."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision`` (an unknown revision is a
    ValidationError, e.g. ``rapport db upgrade nosuch``)."""
    cfg = alembic_config()
    with engine.begin() as connection, warnings.catch_warnings():
        # SQLite's batch migrations reflect tables; SQLAlchemy cannot reflect the expression
        # index on lower(email) and says so; the index is kept (test_migrations asks sqlite_master).
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        cfg.attributes["connection"] = connection
        try:
            command.upgrade(cfg, revision)
        except CommandError as exc:
            raise ValidationError(f"Cannot migrate the database to revision {revision!r}: {exc}",
                                  field="revision", reason=str(exc)) from exc


def is_empty_schema(engine: Engine) -> bool:
    """True when the database has no rapport tables yet."""
    return "contact" not in inspect(engine).get_table_names()
