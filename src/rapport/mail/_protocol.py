"""The mail adapter's contract: a mailer opens connections, a connection sends messages."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class MailConnection(Protocol):
    """One open connection to a mail server, reused for a batch of messages."""

    def send(self, message: bytes, *, sender: str, recipient: str) -> None:
        """Hand one finished message over for ``recipient``; returns once it is accepted.

        Raises ``Refused`` (the server's code and reason) or ``ConnectionLost``.
        """


class Mailer(Protocol):
    """Where e-mail goes: opens one connection per batch of messages."""

    def connect(self) -> AbstractContextManager[MailConnection]:
        """An open connection, closed when the block ends; ``MailServerUnavailable`` if not."""
        ...
