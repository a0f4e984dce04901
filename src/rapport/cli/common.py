"""What every CLI command shares: the wiring point, one transaction per command, the consoles.

Every ``rapport`` process imports this module, ``rapport --help`` too, so the settings
(pydantic-settings) and the wiring point (SQLAlchemy) are imported on first use, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from rapport.config import Settings
    from rapport.services.context import Ctx
    from rapport.wiring import Rapport

console = Console()
err_console = Console(stderr=True)


@dataclass
class CliState:
    """Global options given before the sub-command (``rapport --user U1 --work-date …``)."""

    user_id: str | None = None
    work_date: dt.date | None = None


state = CliState()


@lru_cache(maxsize=1)
def wiring() -> Rapport:
    """The process's wiring point on the configured database (built on first use, not at import).

    Imported here rather than at module level so that ``rapport --help`` loads no database code.
    """
    from rapport.wiring import Rapport

    return Rapport(settings())


def forget_wiring() -> None:
    """Dispose of the wiring point and forget the settings (tests that change RAPPORT_*)."""
    from rapport.config import get_settings

    if wiring.cache_info().currsize:
        wiring().dispose()
    wiring.cache_clear()
    get_settings.cache_clear()


def settings() -> Settings:
    """The process's settings (RAPPORT_*), read once."""
    from rapport.config import get_settings

    return get_settings()


def user_id() -> str:
    """The acting user: the global --user, else the configured one."""
    return state.user_id or settings().user_id


@contextmanager
def use_case() -> Iterator[Ctx]:
    """One transaction for one command, as the global --user on the global --work-date."""
    with wiring().use_case(user_id=user_id(), work_date=state.work_date) as ctx:
        yield ctx
