"""Start-up of a ``rapport`` process: the cyclic garbage collector rests while the command loads.

Loading what a command needs (SQLAlchemy, the models, an area's services, Typer's parameter
types) builds about 100,000 objects that live as long as the process: modules, classes,
functions. With the collector on, building them triggers collections that scan them again and
again, and the interpreter scans them all once more when the process ends; together that was
about a quarter of a ``rapport segments preview`` process (README, Benchmarks, Start-up).

So the entry point (``cli.main.main``) runs its command inside ``collector_rests(main)``: the
collector is off while the root command resolves the area (which imports it), and the root
callback, which runs once that is done and before the command itself, calls
``command_starts()``: what start-up built moves to the collector's permanent generation
(``gc.freeze``), which no collection scans, and the collector is on again, as usual, for the
command's own work.

Only a process started to run one command does this: one whose ``__main__`` is the entry point
(the ``rapport`` script, ``python -c "from rapport.cli.main import main; main()"``), and only
for its first command. A test runner calling ``main()`` in its own process
(``tests/e2e/cli_support.run_main``) keeps its collector as it is: freezing would keep the
runner's garbage of that moment for the rest of its session.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["collector_rests", "command_starts"]


class _Start:
    """Whether this process has run a command yet, and whether the collector rests for it."""

    started = False
    resting = False


def _runs_one_command(entry: Callable[[], None]) -> bool:
    """Whether the process was started for ``entry``: its ``__main__`` imported it to call it."""
    return getattr(sys.modules.get("__main__"), entry.__name__, None) is entry


@contextmanager
def collector_rests(entry: Callable[[], None]) -> Iterator[None]:
    """Around the command of a process started for ``entry``: the collector is off until
    ``command_starts()``, or until the command ends without starting (help, a usage error)."""
    if _Start.started or not gc.isenabled() or not _runs_one_command(entry):
        yield
        return
    _Start.started = _Start.resting = True
    gc.disable()
    try:
        yield
    finally:
        if _Start.resting:
            _Start.resting = False
            gc.enable()


def command_starts() -> None:
    """Everything the command needs is loaded: freeze it and let the collector work again."""
    if _Start.resting:
        _Start.resting = False
        gc.freeze()
        gc.enable()
