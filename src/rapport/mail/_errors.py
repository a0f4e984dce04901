"""What sending can go wrong with, as the delivery worker needs to tell it apart.

    MailError
    ├── MailServerUnavailable  no connection (refused, TLS or login failed): nothing was sent
    ├── Refused                the server refused this message: ``code`` and its ``reason``;
    │                          ``temporary`` for a 4xx reply (try again later), else 5xx
    └── ConnectionLost         the connection broke during the transaction; ``maybe_accepted``
                               when it broke after the whole message was handed over and
                               before the server's answer (the server may have accepted it)
"""

from __future__ import annotations


class MailError(Exception):
    """Base of the mail adapter's errors; ``str(err)`` says what happened."""


class MailServerUnavailable(MailError):
    """The mail server cannot be reached or refuses us as a client."""


class Refused(MailError):
    """The server answered this message's transaction with an error reply."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason

    @property
    def temporary(self) -> bool:
        """A 4xx reply: the same message may be accepted later."""
        return 400 <= self.code < 500


class ConnectionLost(MailError):
    """The connection broke in the middle of a message."""

    def __init__(self, reason: str, *, maybe_accepted: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.maybe_accepted = maybe_accepted
