"""Which schema this code needs, and whether a database has it, checked without Alembic.

Alembic takes a noticeable share of a command's start-up, so ordinary commands only compare the
database's ``alembic_version`` with ``HEAD``; a test keeps ``HEAD`` equal to the migrations'
head revision.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

#: The head revision of rapport's migrations (db/migrations/versions).
HEAD = "0010"


def revision_of(conn: Connection) -> str | None:
    """The database's migration revision; None when it has no rapport schema."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
