"""The one wiring point: what a rapport process is built from.

``Rapport(settings)`` owns the database engine and its session factory (and, as they arrive, the
mailer and the document renderer). Every edge gets its use cases from here: the CLI
(``cli/common.py``), the API (``api/app.py`` and ``api/deps.py``), the benchmarks and the tests.
Nothing else builds an engine; the edges import neither SQLAlchemy nor ``rapport.db`` (except the
migration command, ``rapport db upgrade``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from rapport.config import Settings
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.services.context import Ctx, transaction, utc_now


class Rapport:
    """The process's database (and later its mailer and renderer), built once from settings."""

    def __init__(self, settings: Settings, **engine_options: Any) -> None:
        self.settings = settings
        self._engine = make_engine(settings.database_url, **engine_options)
        self._factory = session_factory(self._engine)

    @property
    def engine(self) -> Engine:
        """The engine (for migrations, benchmarks and test fixtures; services use a Ctx)."""
        return self._engine

    @property
    def factory(self) -> sessionmaker[Session]:
        """The session factory behind every use case."""
        return self._factory

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    @contextmanager
    def use_case(
        self,
        *,
        user_id: str | None = None,
        work_date: dt.date | None = None,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> Iterator[Ctx]:
        """One use case in one transaction, as ``user_id`` on ``work_date`` (settings' defaults)."""
        with transaction(
            self._factory,
            user_id=user_id or self.settings.user_id,
            work_date=work_date or self.settings.today(),
            now=now,
        ) as ctx:
            yield ctx

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the database to ``revision`` (``rapport db upgrade``, ``make run``, tests)."""
        from rapport.db.migrate import upgrade  # alembic loads only for this command

        upgrade(self._engine, revision)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Rapport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.dispose()


def for_url(url: str, **engine_options: Any) -> Rapport:
    """A Rapport on ``url`` with otherwise default settings (tests and benchmarks)."""
    return Rapport(Settings(database_url=url), **engine_options)
