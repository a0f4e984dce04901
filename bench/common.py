"""What every benchmark shares: fresh databases, a timer, and one result line per measurement.

A benchmark compares every figure with a baseline measured in the same run (a ratio), because
absolute times on a shared machine drift. Result lines read::

    name | backend | rows | seconds | rows/s | ratio-to-baseline
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from rapport.db.engine import make_engine
from rapport.wiring import Rapport, for_url

PG_URL = os.environ.get("RAPPORT_BENCH_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


@contextmanager
def sqlite_rapport(name: str) -> Iterator[Rapport]:
    """The wiring point on a fresh, migrated SQLite file database, deleted afterwards."""
    with (
        tempfile.TemporaryDirectory(prefix=f"rapport_bench_{name}_") as folder,
        for_url(f"sqlite:///{Path(folder) / 'bench.db'}") as rapport,
    ):
        rapport.upgrade()
        yield rapport


def postgres_available() -> bool:
    """True when the PostgreSQL server for benchmarks answers."""
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not available"
        return False
    finally:
        engine.dispose()


@contextmanager
def postgres_rapport(name: str) -> Iterator[Rapport]:
    """The wiring point on a fresh, migrated database ``rapport_bench_<name>``, dropped after."""
    database = f"rapport_bench_{name}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))  # a generated identifier
    url = make_url(PG_URL).set(database=database).render_as_string(hide_password=False)
    try:
        with for_url(url) as rapport:
            rapport.upgrade()
            yield rapport
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def fresh_rapport(backend: str, name: str) -> AbstractContextManager[Rapport]:
    """The wiring point on a fresh, migrated database of ``backend``, removed afterwards."""
    return sqlite_rapport(name) if backend == "sqlite" else postgres_rapport(name)


@contextmanager
def sqlite_db(name: str) -> Iterator[Engine]:
    """A fresh, migrated SQLite file database, deleted afterwards."""
    with sqlite_rapport(name) as rapport:
        yield rapport.engine


@contextmanager
def postgres_db(name: str) -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database ``rapport_bench_<name>``, dropped afterwards."""
    with postgres_rapport(name) as rapport:
        yield rapport.engine


@contextmanager
def fresh_engine(backend: str, name: str) -> Iterator[Engine]:
    """A fresh, migrated database of ``backend`` (sqlite or postgresql), removed afterwards."""
    with fresh_rapport(backend, name) as rapport:
        yield rapport.engine


@contextmanager
def database(backend: str, name: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh database of ``backend`` (sqlite or postgresql)."""
    with fresh_rapport(backend, name) as rapport:
        yield rapport.factory


def backends(wanted: str) -> list[str]:
    """The backends asked for (comma-separated) that are available on this machine."""
    chosen = [b.strip() for b in wanted.split(",") if b.strip()]
    if "postgresql" in chosen and not postgres_available():
        print(f"# PostgreSQL is not reachable at {PG_URL}: skipped", flush=True)
        chosen.remove("postgresql")
    return chosen


def settle() -> None:
    """Flush the page cache's dirty pages, so that a measurement does not pay for writing out
    what the previous one left behind (a million generated contacts are half a gigabyte)."""
    if hasattr(os, "sync"):
        os.sync()


@dataclass
class Timer:
    """Wall-clock seconds of a ``with`` block (started once earlier writes are on disk)."""

    seconds: float = 0.0

    @contextmanager
    def run(self) -> Iterator[Timer]:
        settle()
        started = time.perf_counter()
        try:
            yield self
        finally:
            self.seconds = time.perf_counter() - started


@contextmanager
def timed() -> Iterator[Timer]:
    """``with timed() as t: …`` then ``t.seconds``."""
    with Timer().run() as timer:
        yield timer


HEADER = "name | backend | rows | seconds | rows/s | ratio-to-baseline"


def report(name: str, backend: str, rows: int, seconds: float,
           baseline_seconds: float | None = None) -> str:
    """Print one result line; the ratio is this rate divided by the baseline's rate."""
    rate = rows / seconds if seconds else float("inf")
    ratio = f"{baseline_seconds / seconds:.2f}" if baseline_seconds and seconds else "1.00"
    line = f"{name} | {backend} | {rows} | {seconds:.2f} | {rate:,.0f} | {ratio}"
    print(line, flush=True)
    return line


def reproduce(module: str, argv: list[str]) -> None:
    """Print the command that reproduces this run."""
    print(f"# reproduce: python -m {module} {' '.join(argv)}".rstrip(), flush=True)


def machine_load() -> str:
    """The 1-minute load average and the CPU count, to judge how busy the machine was."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return "load unknown"
    return f"load average {load:.2f} on {os.cpu_count()} CPUs (python {sys.version.split()[0]})"
