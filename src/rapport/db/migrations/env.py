"""Alembic environment: runs against the URL given by rapport (or RAPPORT_DATABASE_URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from rapport.config import get_settings
from rapport.db.engine import make_engine
from rapport.db.models import Base
from rapport.db.schema import described_by_models

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=described_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use a connection handed over by rapport, or open one on the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("rapport migrations run online only")
run_migrations_online()
