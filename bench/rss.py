"""The process's resident memory while a step runs: how far it rises above where it started.

A set-based step keeps the rows in the database, so the process's memory must not grow with the
number of rows it touches; ``peak_rise`` samples ``/proc/self/statm`` every few milliseconds on a
thread while the block runs (Linux; elsewhere it reports nothing).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int | None:
    """Resident set size of this process, or None where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except OSError:
        return None


@dataclass
class Rise:
    """Peak resident memory above the start of the block, in bytes (None when unknown)."""

    bytes: int | None = None

    @property
    def megabytes(self) -> str:
        return "n/a" if self.bytes is None else f"{self.bytes / 2**20:+.0f} MB"


@contextmanager
def peak_rise(interval: float = 0.005) -> Iterator[Rise]:
    """``with peak_rise() as rise: …`` then ``rise.megabytes``."""
    rise = Rise()
    start = rss_bytes()
    if start is None:
        yield rise
        return
    peak = start
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(interval):
            now = rss_bytes()
            if now is not None and now > peak:
                peak = now

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield rise
    finally:
        done.set()
        sampler.join()
        end = rss_bytes() or start
        rise.bytes = max(peak, end) - start
