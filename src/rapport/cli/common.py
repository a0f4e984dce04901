"""What every CLI command shares: settings, the session factory, one transaction per command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from rapport.config import Settings, get_settings
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.services.context import Ctx, transaction

console = Console()
err_console = Console(stderr=True)


@dataclass
class CliState:
    """Global options given before the sub-command (``rapport --user U1 --work-date …``)."""

    user_id: str | None = None
    work_date: dt.date | None = None


state = CliState()


@lru_cache(maxsize=1)
def factory() -> sessionmaker[Session]:
    """The session factory on the configured database (built on first use, not at import)."""
    return session_factory(make_engine(get_settings().database_url))


def settings() -> Settings:
    return get_settings()


def user_id() -> str:
    """The acting user: the global --user, else the configured one."""
    return state.user_id or get_settings().user_id


@contextmanager
def use_case() -> Iterator[Ctx]:
    """One transaction for one command, as the global --user on the global --work-date."""
    with transaction(
        factory(),
        user_id=user_id(),
        work_date=state.work_date or get_settings().today(),
    ) as ctx:
        yield ctx
