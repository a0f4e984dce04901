"""The context of one use case: its session, acting user, work date, and after-commit work.

Every service verb takes a ``Ctx`` as its first argument and never commits: the edge opens
``transaction(...)``, calls **one** service, and the block commits on success or rolls back on any
error, so every use case is all or nothing. Work outside the database (e-mail, files) is
registered with ``ctx.after_commit`` and runs only once the commit succeeded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Executable
from sqlalchemy.orm import Session, sessionmaker

from rapport.db.models import rowcount


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
) -> Iterator[Ctx]:
    """One use case in one transaction: commit if the block succeeds, roll back if it raises."""
    session = factory()
    ctx = Ctx(
        session=session, user_id=user_id.upper(), work_date=work_date or now().date(), now=now
    )
    try:
        yield ctx
        session.commit()
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
