"""Ctrl-C (SIGINT) and SIGTERM stop a command cleanly: its transaction rolls back.

Python turns SIGINT into ``KeyboardInterrupt`` in the main thread, but SIGTERM by default ends
the process at once, leaving the database to discard the open transaction on its own and the
user without a word. While a command runs, both signals raise ``Interrupted`` in the main
thread instead, wherever it is. It is a ``KeyboardInterrupt`` on purpose: the unit of work rolls
back on any exception (``services.context.transaction``), SQLAlchemy discards the connection of
a statement it interrupted, and psycopg cancels a query running on the server for a
``KeyboardInterrupt``. The entry point then reports "interrupted" and exits with 128 + the
signal's number: 130 for SIGINT, 143 for SIGTERM (see ``rapport.cli.exits``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A stop signal (SIGINT or SIGTERM) received while a command ran."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class Received:
    """The first stop signal received (None: none), and whether the command is already being
    wound up — then further signals are ignored, so its last words are never cut short."""

    signum: int | None = None
    finishing: bool = False

    @property
    def status(self) -> int:
        """The exit status of a command stopped by the signal: 128 + its number."""
        return 128 + (self.signum or signal.SIGINT)


@contextmanager
def raised_as_interrupted() -> Iterator[Received]:
    """While the block runs, SIGINT and SIGTERM raise ``Interrupted`` in the main thread.

    The previous handlers are restored afterwards (tests run many commands in one process).
    Outside the main thread signals cannot be handled, and nothing is changed.
    """
    received = Received()
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if received.finishing:
            return
        received.signum = received.signum or signum
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, interrupt) for sig in SIGNALS}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            if handler is not None:  # None: installed outside Python, cannot be put back
                signal.signal(sig, handler)
