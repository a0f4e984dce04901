"""The context of one use case: its session, acting user, work date, and after-commit work.

Every service verb takes a ``Ctx`` as its first argument and never commits: the edge opens
``transaction(...)``, calls **one** service, and the block commits on success or rolls back on any
error, so every use case is all or nothing. Work outside the database (e-mail, files) is
registered with ``ctx.after_commit`` and runs only once the commit succeeded.

A use case that only reads opens ``transaction(..., readonly=True)``: on SQLite it starts a
deferred transaction that WAL serves from a snapshot, so it never waits for a running writer
(writers take the write lock up front); on PostgreSQL the transaction is READ ONLY. A failure
of the database itself (busy past the timeout, unreachable, full, read-only) leaves as a
``DatabaseUnavailableError`` naming the database, never as the driver's message with its SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Executable
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rapport.db.engine import READONLY
from rapport.db.failures import describe
from rapport.db.models import rowcount
from rapport.merge import DocumentMerger, DocxMerger


def utc_now() -> dt.datetime:
    """The current instant in UTC (K18: timestamps are stored in UTC)."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Ctx:
    """What a service needs besides its arguments."""

    session: Session
    user_id: str
    work_date: dt.date
    now: Callable[[], dt.datetime] = utc_now
    #: The Word merge engine (built at the wiring point; the default serves tests and tools).
    merger: DocumentMerger = field(default_factory=DocxMerger)
    #: Where new attachments are written when a directory store is configured (else embedded).
    attachment_dir: str | None = None
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction has committed (never if it rolls back)."""
        self._after_commit.append(action)


@contextmanager
def transaction(
    factory: sessionmaker[Session],
    *,
    user_id: str,
    work_date: dt.date | None = None,
    now: Callable[[], dt.datetime] = utc_now,
    readonly: bool = False,
    merger: DocumentMerger | None = None,
    attachment_dir: str | None = None,
) -> Iterator[Ctx]:
    """One use case in one transaction: commit if the block succeeds, roll back if it raises."""
    session = factory()
    ctx = Ctx(
        session=session, user_id=user_id.upper(), work_date=work_date or now().date(), now=now,
        merger=merger or DocxMerger(), attachment_dir=attachment_dir,
    )
    try:
        if readonly:
            session.connection(execution_options={READONLY: True})
        yield ctx
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise describe(exc, session.get_bind().engine.url) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    for action in ctx._after_commit:
        action()


def run(ctx: Ctx, stmt: Executable) -> int:
    """Execute a set-based INSERT/UPDATE/DELETE; the number of rows it touched.

    ORM session synchronisation is off: these statements never touch objects the use case holds.
    """
    options = {"preserve_rowcount": True, "synchronize_session": False}
    return rowcount(ctx.session.execute(stmt.execution_options(**options)))
