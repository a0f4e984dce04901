"""One connection prepared for a large, set-based write of new rows (the contact generator).

On SQLite, a WAL database writes every page twice: to the log, then into the file at the
checkpoint. A rollback journal writes new pages once, because pages past the file's old end
are never journaled. So when the bulk connection is the only one open on the file, it switches
the file to the rollback journal for its write (with ``synchronous=FULL``, which that journal
needs to survive a power loss) and back to WAL afterwards. While another connection has the
file open, SQLite refuses the switch and the write goes through WAL as always. A connection
opened during a bulk write in rollback mode works, but once the write spills into the file its
readers wait for the commit (up to the busy timeout) instead of reading the state before it.

Foreign keys are not enforced on a bulk connection: whoever writes through it must only write
references it has made sure of in the same transaction. The connection is closed afterwards
and never returned to the pool, so nothing of this leaks into other use cases. On PostgreSQL a
bulk connection is an ordinary one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine

from rapport.db.engine import BUSY_TIMEOUT_MS, is_locked

log = logging.getLogger(__name__)

RESTORE_ATTEMPTS = 100
RESTORE_PAUSE_S = 0.05


@contextmanager
def bulk_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for one large write of new rows; ``conn.info["journal_mode"]`` tells
    whether SQLite writes it through the rollback journal ("delete") or through WAL."""
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            conn.info["journal_mode"] = ""
            yield conn
            return
        raw: Any = conn.connection.driver_connection
        locked = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]
        conn.info["journal_mode"] = "wal"
        try:
            conn.info["journal_mode"] = _switch(raw, "PRAGMA journal_mode=DELETE", locked)
            if conn.info["journal_mode"] == "delete":
                # NORMAL is durable in WAL mode only; a rollback journal needs FULL for that.
                raw.execute("PRAGMA synchronous=FULL")
            raw.execute("PRAGMA foreign_keys=OFF")
            yield conn
        finally:
            # Interrupted inside a statement (Ctrl-C, SIGTERM), the connection is invalidated:
            # the driver's connection is closed, SQLite rolls the write back, and the next
            # connection rapport opens puts the file back into WAL mode.
            if not conn.invalidated:
                if conn.in_transaction():
                    conn.rollback()
                if conn.info["journal_mode"] == "delete":
                    _restore_wal(raw, locked)
                conn.invalidate()  # closed, never back in the pool with foreign keys off


def _switch(raw: Any, pragma: str, locked: type[Exception]) -> str:
    """Try a journal-mode pragma without waiting; the mode the file is in afterwards."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        return str(raw.execute(pragma).fetchone()[0]).lower()
    except locked as exc:  # "database is locked": another connection has the file open
        if not is_locked(exc):
            raise
        return str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _restore_wal(raw: Any, locked: type[Exception]) -> None:
    """Back to WAL; a reader started during the bulk write may hold the file for a moment."""
    for _ in range(RESTORE_ATTEMPTS):
        if _switch(raw, "PRAGMA journal_mode=WAL", locked) == "wal":
            return
        time.sleep(RESTORE_PAUSE_S)
    log.warning("The database stays in rollback-journal mode until rapport opens its next "
                "connection: another connection kept reading for %.0f s",
                RESTORE_ATTEMPTS * RESTORE_PAUSE_S)
