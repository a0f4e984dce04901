"""Running two use cases at once on two connections, for the tests that prove locking."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_at_once(*actions: Callable[[], None], timeout: float = 30) -> list[BaseException]:
    """Run each action in a thread of its own, wait for all of them; what they raised."""
    errors: list[BaseException] = []

    def guarded(action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                action()
            except BaseException as exc:  # reported to the test, which asserts on it
                errors.append(exc)
        return run

    threads = [threading.Thread(target=guarded(action)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return errors
