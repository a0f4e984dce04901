"""Engine construction for SQLite (the embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 30_000


def is_locked(exc: Exception) -> bool:
    """Whether a SQLite error says another connection holds the lock it needed."""
    return "locked" in str(exc)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, locked: type[Exception]) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work while a segment is logged.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except locked as exc:
        # A bulk write holds the file in rollback-journal mode (db/bulk.py) and switches it back
        # to WAL when it ends; this connection works meanwhile and follows the file's mode.
        if not is_locked(exc):
            raise
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that a use case is
    # one real transaction (BEGIN IMMEDIATE takes the write lock up front: no upgrade deadlocks).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An Engine for ``url`` with the pragmas and options rapport relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        locked = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]
        event.listen(engine, "connect", partial(_sqlite_connect, locked=locked))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_connect(dbapi_connection: Any, record: Any, *, locked: type[Exception]) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; we emit BEGIN ourselves
    _sqlite_pragmas(dbapi_connection, record, locked=locked)


def is_postgresql(engine: Engine) -> bool:
    """True when the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"
