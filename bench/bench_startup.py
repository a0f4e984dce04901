"""Start-up benchmark: whole ``rapport`` processes against the bare process doing the same work.

    python -m bench.bench_startup [--contacts 100000,1000000] [--runs 11]
                                  [--engines sqlite,postgresql] [--against SRC]

Every figure is the median wall time of ``--runs`` runs of a new process (after one untimed run
that warms the page cache and the byte-code cache), the subject and its baseline taking turns;
each line ends with the median CPU time (user + system) of both, which a loaded machine inflates
less than wall time (on PostgreSQL the server's work is not in it, only the client process's):

(a) ``rapport --help`` against ``python -c pass`` with the same interpreter (target ≤ 0.4 s);
(b) ``rapport segments preview SEG… --action add --filter "Mailing Group.code=NEWS"`` against
    the database client counting the same contacts with one bare ``SELECT count(*)``
    (``sqlite3 FILE …``, ``psql URL -c …``); both counts must agree. Target ≤ 1.5×. One database
    per engine grows through the sizes of ``--contacts`` in turn: ``rapport demo --contacts N``
    adds the contacts up to the next size (30 % of them in NEWS), and ``rapport segments
    create`` makes the empty segment once;
(c) floors, against the same client: Python counting the same contacts with its driver and
    nothing else (``python -c "import sqlite3 …"``, ``import psycopg …``), what any Python
    process doing the count pays at least; and a process that loads what the preview loads
    before it connects (the ``segments`` area as the root command builds it for ``preview``,
    the wiring point, the driver; the collector resting as in ``rapport.cli.startup``) and
    stops there, which leaves the preview's own work (settings, engine, schema check, the
    count) as the difference;
    against ``python -c pass``: ``python -c "import sqlalchemy"``.

With ``--against SRC`` (an earlier release's ``src/``, e.g. from ``git archive``), ``--help`` and
each preview are also timed against the same command on that tree, in turns, so that both meet
the same load: the fair before/after comparison on a shared machine.

Every process may write its byte-code cache: ``PYTHONDONTWRITEBYTECODE`` is removed from the
environment of the timed processes, so the warm-up run leaves rapport's modules compiled, as an
installed rapport has them (pip compiles them when it installs); with it set, every process
compiled rapport's hundred-odd modules again (about 75 ms of a preview).

The database client must be installed (``apt-get install -y sqlite3 postgresql-client``); an
engine whose client is missing is skipped with a note. PostgreSQL: RAPPORT_BENCH_PG_URL (an admin
URL; a private database is created and dropped), default
postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from bench.common import backends, fresh_engine, machine_load, reproduce

PYTHON = sys.executable
#: The environment of every timed process: this one, allowed to write its byte-code cache.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
RAPPORT = str(Path(PYTHON).with_name("rapport"))
FILTER = "Mailing Group.code=NEWS"
# The contacts Add Contacts would put on the empty segment: in NEWS, neither privacy-blocked
# nor excluded from segments (see criteria._selection; no contact is on a line yet).
BARE_COUNT = (
    "SELECT count(*) FROM contact c WHERE NOT c.privacy_blocked AND NOT c.exclude_from_segment"
    " AND EXISTS (SELECT 1 FROM contact_mailing_group g"
    " WHERE g.contact_no = c.no AND g.mailing_group_code = 'NEWS')"
)
CLIENTS = {"sqlite": "sqlite3", "postgresql": "psql"}
DRIVERS = {"sqlite": "sqlite3", "postgresql": "psycopg"}
#: What a preview process loads before its command connects, loaded as it loads it (a floor).
PREVIEW_LOADS = (
    "import gc; gc.disable(); import typer.main, rapport.wiring, {driver}; "
    "from rapport.cli.main import app; from rapport.cli.registry import BY_NAME; "
    "typer.main.get_command(app).load(BY_NAME['segments'], 'preview'); gc.freeze(); "
    "gc.enable()"
)


@dataclass
class Ran:
    """One process: wall seconds, CPU seconds (user + system) and its standard output."""

    seconds: float
    cpu: float
    out: str


def run(command: Sequence[str], env: dict[str, str] | None = None) -> Ran:
    """Run one process (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Ran(seconds, cpu, done.stdout)


@dataclass
class Pair:
    """Medians of a subject and its baseline run in turns: wall and CPU seconds, and the
    output of each one's warm-up run."""

    seconds: float
    base_seconds: float
    cpu: float
    base_cpu: float
    out: str
    base_out: str


def medians(subject: Sequence[str], baseline: Sequence[str], runs: int,
            env: dict[str, str] | None = None) -> Pair:
    """Median seconds of subject and baseline, run in turns after one warm-up run of each."""
    subject_out = run(subject, env).out
    baseline_out = run(baseline, env).out
    subjects, baselines = [], []
    for _ in range(runs):
        subjects.append(run(subject, env))
        baselines.append(run(baseline, env))
    return Pair(statistics.median(r.seconds for r in subjects),
                statistics.median(r.seconds for r in baselines),
                statistics.median(r.cpu for r in subjects),
                statistics.median(r.cpu for r in baselines), subject_out, baseline_out)


def line(name: str, backend: str, rows: int, pair: Pair, baseline: str, target: str) -> None:
    """One result line: figure, baseline, ratio (subject / baseline) and the target; then the
    CPU time (user + system) of each, which a loaded machine inflates less than wall time."""
    print(f"{name} | {backend} | {rows} | {pair.seconds:.3f} s | {baseline} "
          f"{pair.base_seconds:.3f} s | ratio {pair.seconds / pair.base_seconds:.2f} | "
          f"target {target} | cpu {pair.cpu:.3f} s vs {pair.base_cpu:.3f} s", flush=True)


def on_tree(source: str, command: Sequence[str]) -> list[str]:
    """``command`` run on the rapport of another source tree (``--against``)."""
    return ["env", f"PYTHONPATH={source}", *command]


def bench_help(runs: int, against: str | None = None) -> None:
    """(a) ``rapport --help`` against a bare interpreter start, and SQLAlchemy's import (c)."""
    bare = [PYTHON, "-c", "pass"]
    pair = medians([RAPPORT, "--help"], bare, runs, ENV)
    line("rapport --help", "-", 0, pair, "python -c pass",
         "≤ 0.4 s " + ("(met)" if pair.seconds <= 0.4 else "(missed)"))
    if against:
        pair = medians([RAPPORT, "--help"], on_tree(against, [RAPPORT, "--help"]), runs, ENV)
        line("rapport --help, this tree vs --against", "-", 0, pair, "--against", "-")
    pair = medians([PYTHON, "-c", "import sqlalchemy"], bare, runs, ENV)
    line("floor: python -c 'import sqlalchemy'", "-", 0, pair, "python -c pass", "-")


@dataclass
class Base:
    """One engine's database as it grows: its URL, the process environment, the segment."""

    backend: str
    engine: Engine
    env: dict[str, str]
    contacts: int = 0
    segment: str = ""

    def grow(self, contacts: int) -> None:
        """Generate the contacts missing up to ``contacts`` (and the empty segment, once)."""
        started = time.perf_counter()
        run([RAPPORT, "demo", "--contacts", str(contacts - self.contacts)], self.env)
        self.contacts = contacts
        if not self.segment:
            made = run([RAPPORT, "segments", "create"], self.env).out
            created = re.search(r"Created segment (\S+) ", made)
            assert created, f"segments create printed no segment number: {made}"
            self.segment = created[1]
        print(f"# {self.backend}: {contacts:,} contacts, generated in "
              f"{time.perf_counter() - started:.1f} s", flush=True)


def client_command(base: Base) -> list[str]:
    """The database client counting the same contacts (no header, bare number)."""
    url = base.engine.url
    if base.backend == "sqlite":
        return [CLIENTS["sqlite"], str(url.database), BARE_COUNT]
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return [CLIENTS["postgresql"], plain, "-X", "-A", "-t", "-c", BARE_COUNT]


def driver_command(base: Base) -> list[str]:
    """Python counting the same contacts with its driver and nothing else (a floor)."""
    url = base.engine.url
    if base.backend == "sqlite":
        connect = f"import sqlite3; conn = sqlite3.connect({str(url.database)!r})"
    else:
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        connect = f"import psycopg; conn = psycopg.connect({plain!r})"
    return [PYTHON, "-c", f"{connect}; print(conn.execute({BARE_COUNT!r}).fetchone()[0])"]


def bench_preview(base: Base, runs: int, against: str | None = None) -> None:
    """(b) a preview count in its own process against the database client's count, and the
    floors of (c) against the same client."""
    client = CLIENTS[base.backend]
    preview = [RAPPORT, "segments", "preview", base.segment, "--action", "add",
               "--filter", FILTER]
    pair = medians(preview, client_command(base), runs, base.env)
    found = re.search(r"would add (\d+) line", pair.out)
    assert found and int(found[1]) == int(pair.base_out.strip()), (pair.out, pair.base_out)
    rows = int(pair.base_out)
    line(f"rapport segments preview, {base.contacts:,} contacts", base.backend, rows, pair,
         f"{client} SELECT count(*)",
         "≤ 1.5× " + ("(met)" if pair.seconds <= 1.5 * pair.base_seconds else "(missed)"))
    if against:
        pair = medians(preview, on_tree(against, preview), runs, base.env)
        assert pair.out == pair.base_out, (pair.out, pair.base_out)
        line(f"preview, this tree vs --against, {base.contacts:,} contacts", base.backend, rows,
             pair, "--against", "-")
    pair = medians(driver_command(base), client_command(base), runs, base.env)
    assert int(pair.out) == rows, (pair.out, rows)
    line(f"floor: python + driver count, {base.contacts:,} contacts", base.backend, rows, pair,
         f"{client} SELECT count(*)", "-")
    loads = [PYTHON, "-c", PREVIEW_LOADS.format(driver=DRIVERS[base.backend])]
    pair = medians(loads, client_command(base), runs, base.env)
    line(f"floor: what the preview loads, {base.contacts:,} contacts", base.backend, rows,
         pair, f"{client} SELECT count(*)", "-")


def bench_engine(backend: str, sizes: Sequence[int], runs: int, against: str | None) -> None:
    """(b) and (c) on one database of ``backend`` grown through ``sizes``."""
    if shutil.which(CLIENTS[backend]) is None:
        print(f"# {CLIENTS[backend]} is not installed: {backend} preview skipped", flush=True)
        return
    with fresh_engine(backend, "startup") as engine:
        engine.dispose()  # the generator's bulk connection wants the SQLite file to itself
        url = engine.url.render_as_string(hide_password=False)
        base = Base(backend, engine, {**ENV, "RAPPORT_DATABASE_URL": url,
                                      "RAPPORT_USER_ID": "BENCH"})
        for size in sizes:
            base.grow(size)
            bench_preview(base, runs, against)


def sizes_of(text: str) -> list[int]:
    """``100000,1000000`` → the growing sizes of the database."""
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give contact counts ≥ 1, e.g. 100000,1000000")
    return sizes


def main(argv: list[str] | None = None) -> None:
    """Run the start-up benchmark and print its result lines and the command to reproduce them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--contacts", type=sizes_of, default=[100_000, 1_000_000],
                        help="database sizes, comma-separated (default 100000,1000000)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--against", metavar="SRC",
                        help="also time --help and each preview against the same command on the "
                        "rapport of another source tree (PYTHONPATH=SRC, e.g. an earlier "
                        "release's src/), in turns")
    args = parser.parse_args(argv)
    reproduce("bench.bench_startup", argv if argv is not None else sys.argv[1:])
    print(f"# {machine_load()}", flush=True)
    print("name | backend | rows | median | baseline median | ratio | target | cpu medians",
          flush=True)
    bench_help(args.runs, args.against)
    for backend in backends(args.engines):
        bench_engine(backend, args.contacts, args.runs, args.against)
    print(f"# {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
