"""Engine construction for SQLite (the embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 30_000
#: The page cache of a SQLite connection once it has written (KiB); until then SQLite's default.
WRITER_CACHE_KIB = 262_144
#: Execution option of a connection whose transaction only reads (services.context.transaction).
READONLY = "rapport_readonly"


def is_locked(exc: Exception) -> bool:
    """Whether a SQLite error says another connection holds the lock it needed."""
    return "locked" in str(exc)


def _sqlite_pragmas(
    dbapi_connection: Any, _record: Any, *, locked: type[Exception], busy_timeout_ms: int
) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work while a segment is logged.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except locked as exc:
        # A bulk write holds the file in rollback-journal mode (db/bulk.py) and switches it back
        # to WAL when it ends; this connection works meanwhile and follows the file's mode.
        if not is_locked(exc):
            raise
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that a use case is
    # one real transaction. A writer says BEGIN IMMEDIATE: it takes the write lock up front, so
    # two writers never deadlock upgrading a read lock. A reader says BEGIN (deferred): WAL
    # serves it a snapshot and it never waits for a writer; query_only makes SQLite refuse any
    # write in it, as PostgreSQL's READ ONLY does (set on every begin: connections are pooled).
    readonly = conn.get_execution_options().get(READONLY, False)
    conn.exec_driver_sql(f"PRAGMA query_only={1 if readonly else 0}")
    if not readonly:
        _writer_cache(conn)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _writer_cache(conn: Any) -> None:
    # A connection's first writing transaction gives it a 256 MB page cache (and it keeps it):
    # writes that touch many rows (Add Contacts, logging a segment, an import's sorts, which
    # take the cache size as their memory) gain from it. A connection that has only read keeps
    # SQLite's default (2 MB): a one-off scan of a large file (a preview count in its own
    # process) filled a large cache with freshly allocated memory and took about half as long
    # again as the same scan with the default cache (README, Benchmarks, Start-up).
    info = conn.connection.info
    if not info.get("rapport_writer_cache"):
        conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
        info["rapport_writer_cache"] = True


def _postgresql_begin(conn: Any) -> None:
    # A read-only use case is refused any write by the server itself.
    if conn.get_execution_options().get(READONLY, False):
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")


def make_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, **kwargs: Any) -> Engine:
    """An Engine for ``url`` with the pragmas and options rapport relies on.

    On SQLite a writer waits up to ``busy_timeout_ms`` for another writer's lock.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        locked = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]
        connect = partial(_sqlite_connect, locked=locked, busy_timeout_ms=busy_timeout_ms)
        event.listen(engine, "connect", connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "begin", _postgresql_begin)
    return engine


def _sqlite_connect(
    dbapi_connection: Any, record: Any, *, locked: type[Exception], busy_timeout_ms: int
) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; we emit BEGIN ourselves
    _sqlite_pragmas(dbapi_connection, record, locked=locked, busy_timeout_ms=busy_timeout_ms)


def is_postgresql(engine: Engine) -> bool:
    """True when the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"
