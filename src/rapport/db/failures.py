"""What a database failure means to a user: one line naming the database and the cause.

The driver's own message often carries SQL text and bound parameters (personal data); none of
it reaches the user. The URL is shown without its password.
"""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from rapport.errors import DatabaseUnavailableError

#: (fragment of the driver's message, reason, what the user is told, whether to try again)
_CAUSES: tuple[tuple[tuple[str, ...], str, str, bool], ...] = (
    (("database is locked", "database table is locked"), "busy",
     "another change is running on this database; try again when it has finished", True),
    (("disk is full", "no space left", "could not extend file"), "disk full",
     "the disk holding the database is full; nothing was changed", False),
    (("readonly database", "read-only", "read only"), "read-only",
     "the database file or its folder is read-only; nothing was changed", False),
    (("unable to open database file",), "cannot open",
     "the database file cannot be opened (missing folder or no permission)", False),
    (("password authentication failed", "authentication failed"), "authentication",
     "the database refused the user name or password", False),
    (("does not exist",), "missing database", "the database does not exist", False),
    (("connection refused", "could not connect", "could not translate host", "timeout expired",
      "server closed the connection", "terminating connection", "connection is closed",
      "no route to host", "name or service not known"), "unreachable",
     "the database server cannot be reached", True),
)  # fmt: skip


def describe(exc: OperationalError, url: URL) -> DatabaseUnavailableError:
    """The user's view of an operational failure of the database at ``url``."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    where = url.render_as_string(hide_password=True)
    for fragments, reason, told, retry in _CAUSES:
        if any(fragment in text for fragment in fragments):
            return DatabaseUnavailableError(f"Database {where}: {told}", reason=reason, retry=retry)
    first_line = text.splitlines()[0] if text else "unknown failure"
    return DatabaseUnavailableError(
        f"Database {where} failed: {first_line}", reason="database failure"
    )
