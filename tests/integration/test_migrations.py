"""The Alembic migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from rapport.db.models import Base
from rapport.db.schema import described_by_models


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                      "include_name": described_by_models})
        assert compare_metadata(context, Base.metadata) == []


def test_every_model_table_exists_after_upgrade(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_criteria_engine_indexes_exist(engine: Engine) -> None:
    inspector = inspect(engine)
    contact_indexes = {ix["name"] for ix in inspector.get_indexes("contact")}
    assert {"ix_contact_company_no", "ix_contact_line_order"} <= contact_indexes
    ile_indexes = {ix["name"] for ix in inspector.get_indexes("interaction_log_entry")}
    assert {"ix_ile_contact_date", "ix_ile_template_date"} <= ile_indexes
    mg_indexes = {ix["name"] for ix in inspector.get_indexes("contact_mailing_group")}
    assert "ix_contact_mailing_group_mailing_group_code" in mg_indexes


def test_the_email_expression_index_survives_every_migration(engine: Engine) -> None:
    """SQLAlchemy cannot reflect an expression index on SQLite, so the model comparison above
    skips it there; ask each catalogue directly that the upgraded database has it."""
    if engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contact'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE tablename = 'contact'"
    with engine.connect() as conn:
        names = set(conn.execute(text(query)).scalars())
    assert "ix_contact_email_lower" in names
