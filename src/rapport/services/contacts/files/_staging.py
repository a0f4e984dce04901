"""The staging tables of a contact import, and loading rows into them in large batches.

An import first copies the file into two temporary tables (one row per data row, one row per
classification code), so that every later check and write is one SQL statement over the whole
file; two more hold the keys that several rows share, for the duplicate report. Rows are loaded
as plain tuples: PostgreSQL through COPY, SQLite through ``executemany``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    false,
)

from rapport.services.contacts.files._format import BOOL_COLUMNS, FIELD_COLUMNS
from rapport.services.context import Ctx

BATCH_ROWS = 10_000
#: SQLite page caches of an import's connection (KiB): the contact tables, the staging tables.
MAIN_CACHE_KIB = 32_768
TEMP_CACHE_KIB = 16_384

log = logging.getLogger(__name__)

_metadata = MetaData()


def _field_column(name: str) -> Column[Any]:
    if name in BOOL_COLUMNS:
        return Column(name, Boolean, nullable=False)
    return Column(name, Text, nullable=name not in ("type", "name"))


stage = Table(
    "tmp_contact_import",
    _metadata,
    Column("row_no", Integer, primary_key=True, autoincrement=False),
    *(_field_column(name) for name in FIELD_COLUMNS),
    Column("search_name", Text, nullable=False),
    Column("company_name", Text, nullable=False, server_default=""),
    Column("drawn", Boolean, nullable=False, server_default=false()),
    Column("rejected", Boolean, nullable=False, server_default=false()),
    Index("ix_tmp_contact_import_no", "no"),
    prefixes=["TEMPORARY"],
)
stage_class = Table(
    "tmp_contact_import_class",
    _metadata,
    Column("row_no", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("code", Text, nullable=False),
    Index("ix_tmp_contact_import_class_row", "row_no"),
    prefixes=["TEMPORARY"],
)
#: The keys that several rows of the file share (``files._duplicates``), with the first and the
#: last of those rows: few rows each, clustered on the key (SQLite: WITHOUT ROWID).
shared_email = Table(
    "tmp_contact_import_email",
    _metadata,
    Column("email_key", Text, primary_key=True),
    Column("first_row", Integer, nullable=False),
    Column("last_row", Integer, nullable=False),
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)
shared_name = Table(
    "tmp_contact_import_name",
    _metadata,
    Column("type", Text, primary_key=True),
    Column("company_key", Text, primary_key=True),
    Column("search_name", Text, primary_key=True),
    Column("first_row", Integer, nullable=False),
    Column("last_row", Integer, nullable=False),
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)
_TABLES = (stage, stage_class, shared_email, shared_name)
STAGE_COLUMNS = ("row_no", *FIELD_COLUMNS, "search_name")
CLASS_STAGE_COLUMNS = ("row_no", "kind", "code")


def _drop(conn: Connection) -> None:
    for table in reversed(_TABLES):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")  # a constant name


@contextmanager
def staging_tables(ctx: Ctx) -> Iterator[Connection]:
    """Create the (empty) staging tables for the block, on the use case's connection.

    They are dropped when the block succeeds; when it fails, the rollback of the use case
    removes them (temporary tables created in a transaction go with it on both engines).
    """
    conn = ctx.session.connection()
    if conn.dialect.name == "sqlite":
        _stage_on_disk(conn)
    _drop(conn)
    for table in _TABLES:
        table.create(conn)
    yield conn
    _drop(conn)


def _stage_on_disk(conn: Connection) -> None:
    """SQLite: keep this import's memory flat in the file's size.

    rapport's connections keep temporary tables in memory (``temp_store=MEMORY``) and give the
    database a 256 MB page cache; staged in memory, an import grew with its file (1,000,000
    rows: about 1 GB). The import's connection keeps its temporary tables in a temporary file
    instead, with a small cache of their pages, and a smaller database cache, which SQLite's
    sorter also takes as the memory of each sort before it spills to a temporary file (the
    import sorts the whole file for GROUP BY and window functions). The connection is
    detached from the pool: it is closed after this use case, and no other use case inherits
    these settings.
    """
    conn.detach()
    raw: Any = conn.connection.dbapi_connection
    try:
        raw.execute("PRAGMA temp_store=FILE")
    except conn.dialect.dbapi.OperationalError as exc:  # type: ignore[union-attr]
        # Only when this connection already holds temporary tables of its own (SQLite cannot
        # move them inside a transaction): the import still works, staged in memory.
        log.warning("contact import staged in memory: %s", exc)
    raw.execute(f"PRAGMA main.cache_size=-{MAIN_CACHE_KIB}")
    raw.execute(f"PRAGMA temp.cache_size=-{TEMP_CACHE_KIB}")


def analyze(conn: Connection, *tables: Table) -> None:
    """Give PostgreSQL's planner statistics on the loaded staging tables (it has none for
    temporary tables otherwise, and guesses badly): ``tables``, by default the file's two."""
    if conn.dialect.name == "postgresql":
        for table in tables or (stage, stage_class):
            conn.exec_driver_sql(f"ANALYZE {table.name}")  # a constant name


def bulk_insert(conn: Connection, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[object]]) -> None:
    """Insert plain tuples into ``table`` in one batch (COPY on PostgreSQL)."""
    if not rows:
        return
    names = ", ".join(columns)
    # The driver's own bulk paths, on the use case's connection (so inside its transaction).
    raw: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    # Table and column names are constants of this package; the values are bound parameters.
    raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
