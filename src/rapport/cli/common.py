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
    from pydantic import ValidationError

    from rapport.config import Settings
    from rapport.errors import SettingsError
    from rapport.services.context import Ctx
    from rapport.wiring import Rapport

# Names, codes and messages are printed as they are: "[red]" in a contact's name is text, not
# a style (and "[/]" no crash). A print that styles its own words passes markup=True and
# escapes whatever data it shows.
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


@dataclass
class CliState:
    """Global options given before the sub-command (``rapport --user U1 --work-date …``), and
    whether a use case of this command has committed (``saved``: an interrupted command then
    says so rather than "nothing was changed")."""

    user_id: str | None = None
    work_date: dt.date | None = None
    debug: bool = False
    saved: bool = False

    def reset(self) -> None:
        """Forget the previous command's options (tests run many commands in one process)."""
        self.user_id, self.work_date, self.debug, self.saved = None, None, False, False


state = CliState()


@lru_cache(maxsize=1)
def wiring() -> Rapport:
    """The process's wiring point on the configured database (built on first use, not at import).

    Imported here rather than at module level so that ``rapport --help`` loads no database code.
    """
    from rapport.wiring import Rapport

    configured = settings()
    try:
        return Rapport(configured)
    except Exception as exc:  # building the engine only reads the URL: one it cannot use
        raise url_error(exc) from None


def url_error(exc: Exception) -> SettingsError:
    """RAPPORT_DATABASE_URL cannot be used; told without the URL, which may hold a password."""
    from rapport.errors import SettingsError

    missing = exc.name if isinstance(exc, ImportError) else None
    why = f"its driver {missing} is not installed" if missing else type(exc).__name__
    return SettingsError(
        f"Setting RAPPORT_DATABASE_URL cannot be used ({why}): write it as sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST:PORT/DATABASE", field="RAPPORT_DATABASE_URL", reason=why)


def forget_wiring() -> None:
    """Dispose of the wiring point and forget the settings (tests that change RAPPORT_*)."""
    from rapport.config import get_settings

    if wiring.cache_info().currsize:
        wiring().dispose()
    wiring.cache_clear()
    get_settings.cache_clear()


def settings() -> Settings:
    """The process's settings (RAPPORT_*), read once; a setting that cannot be used is a
    SettingsError naming it."""
    from pydantic import ValidationError

    from rapport.config import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        raise settings_error(exc) from None


def settings_error(exc: ValidationError) -> SettingsError:
    """The first setting pydantic refused, named as the user sets it (RAPPORT_X)."""
    from rapport.errors import SettingsError

    error = exc.errors()[0]
    name = "RAPPORT_" + "_".join(str(part) for part in error["loc"]).upper()
    reason = error["msg"].removeprefix("Value error, ")
    given = "" if repr(error["input"]) in reason else f" (given: {error['input']!r})"
    return SettingsError(f"Setting {name}: {reason[:1].lower()}{reason[1:]}{given}",
                         field=name, reason=reason)


def user_id() -> str:
    """The acting user: the global --user, else the configured one."""
    return state.user_id or settings().user_id


@contextmanager
def use_case(*, readonly: bool = False) -> Iterator[Ctx]:
    """One transaction for one command, as the global --user on the global --work-date.

    A command that only reads says ``readonly=True``: it never waits for a running change.
    """
    with wiring().use_case(user_id=user_id(), work_date=state.work_date, readonly=readonly) as ctx:
        ctx.after_commit(mark_saved)  # the first thing to run once the commit succeeded
        yield ctx


def mark_saved() -> None:
    """Note that this command's change has been committed (see CliState)."""
    state.saved = True
