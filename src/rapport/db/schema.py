"""Which schema this code needs, and whether a database has it, checked without Alembic.

Alembic takes a noticeable share of a command's start-up, so ordinary commands only compare the
database's ``alembic_version`` with ``HEAD``; a test keeps ``HEAD`` equal to the migrations'
head revision.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

#: The head revision of rapport's migrations (db/migrations/versions).
HEAD = "0012"


def revision_of(conn: Connection) -> str | None:
    """The database's migration revision; None when it has no rapport schema."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


#: Objects of the schema that the models do not describe (migration 0012's search index: the
#: SQLite FTS5 table with its shadow tables, the PostgreSQL trigram indexes).
OUTSIDE_MODELS = ("contact_search", "ix_contact_trgm_")


def described_by_models(name: str | None, type_: str, parent_names: object = None) -> bool:
    """Whether Alembic's model comparison looks at the object ``name`` (an ``include_name``
    hook): not at the search index, which only migrations create."""
    return not (name and type_ in ("table", "index") and name.startswith(OUTSIDE_MODELS))
