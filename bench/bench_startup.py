"""Start-up benchmark: whole ``rapport`` processes against the bare process doing the same work.

    python -m bench.bench_startup [--contacts 100000] [--runs 11] [--engines sqlite,postgresql]

Every figure is the median wall time of ``--runs`` runs of a new process (after one untimed run
that warms the page cache and the byte-code cache), the subject and its baseline taking turns:

(a) ``rapport --help`` against ``python -c pass`` with the same interpreter (target ≤ 0.4 s);
(b) ``rapport segments preview SEG0001 --action add --filter "Mailing Group.code=NEWS"`` on a
    database of ``--contacts`` contacts made by ``rapport demo --contacts N`` (30 % in NEWS) and
    an empty segment made by ``rapport segments create``, against the database client counting
    the same contacts with one bare ``SELECT count(*)`` (``sqlite3 FILE …``, ``psql URL -c …``);
    both counts must agree. Target ≤ 1.5×.

The database client must be installed (``apt-get install -y sqlite3 postgresql-client``); an
engine whose client is missing is skipped with a note. PostgreSQL: RAPPORT_BENCH_PG_URL (an admin
URL; a private database is created and dropped), default
postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from bench.common import backends, fresh_engine, machine_load, reproduce

RAPPORT = str(Path(sys.executable).with_name("rapport"))
FILTER = "Mailing Group.code=NEWS"
# The contacts Add Contacts would put on the empty segment: in NEWS, neither privacy-blocked
# nor excluded from segments (see criteria._selection; no contact is on a line yet).
BARE_COUNT = (
    "SELECT count(*) FROM contact c WHERE NOT c.privacy_blocked AND NOT c.exclude_from_segment"
    " AND EXISTS (SELECT 1 FROM contact_mailing_group g"
    " WHERE g.contact_no = c.no AND g.mailing_group_code = 'NEWS')"
)
CLIENTS = {"sqlite": "sqlite3", "postgresql": "psql"}


def run(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds of one process (it must succeed) and its standard output."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    return seconds, done.stdout


def medians(subject: Sequence[str], baseline: Sequence[str], runs: int,
            env: dict[str, str] | None = None) -> tuple[float, float, str, str]:
    """Median seconds of subject and baseline, run in turns after one warm-up run of each."""
    _, subject_out = run(subject, env)
    _, baseline_out = run(baseline, env)
    subject_times, baseline_times = [], []
    for _ in range(runs):
        subject_times.append(run(subject, env)[0])
        baseline_times.append(run(baseline, env)[0])
    return (statistics.median(subject_times), statistics.median(baseline_times),
            subject_out, baseline_out)


def line(name: str, backend: str, rows: int, seconds: float, baseline: str,
         base_seconds: float, target: str) -> None:
    """One result line: figure, baseline, ratio (subject / baseline) and the target."""
    print(f"{name} | {backend} | {rows} | {seconds:.3f} s | {baseline} {base_seconds:.3f} s | "
          f"ratio {seconds / base_seconds:.2f} | target {target}", flush=True)


def bench_help(runs: int) -> None:
    """(a) ``rapport --help`` against a bare interpreter start."""
    seconds, base, _, _ = medians([RAPPORT, "--help"], [sys.executable, "-c", "pass"], runs)
    line("rapport --help", "-", 0, seconds, "python -c pass", base,
         "≤ 0.4 s " + ("(met)" if seconds <= 0.4 else "(missed)"))


def client_command(backend: str, engine: Engine) -> list[str]:
    """The database client counting the same contacts (no header, bare number)."""
    url = engine.url
    if backend == "sqlite":
        return [CLIENTS[backend], str(url.database), BARE_COUNT]
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return [CLIENTS[backend], plain, "-X", "-A", "-t", "-c", BARE_COUNT]


def build(engine: Engine, contacts: int) -> tuple[dict[str, str], str]:
    """Generate the contacts and an empty segment with the real commands: the process
    environment and the segment's number."""
    engine.dispose()  # the generator's bulk connection wants the SQLite file to itself
    env = {**os.environ, "RAPPORT_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "RAPPORT_USER_ID": "BENCH"}
    started = time.perf_counter()
    run([RAPPORT, "demo", "--contacts", str(contacts)], env)
    created = re.search(r"Created segment (\S+) ", run([RAPPORT, "segments", "create"], env)[1])
    assert created, "segments create printed no segment number"
    print(f"# {contacts:,} contacts generated in {time.perf_counter() - started:.1f} s",
          flush=True)
    return env, created[1]


def bench_preview(backend: str, contacts: int, runs: int) -> None:
    """(b) a preview count in its own process against the database client's count."""
    if shutil.which(CLIENTS[backend]) is None:
        print(f"# {CLIENTS[backend]} is not installed: {backend} preview skipped", flush=True)
        return
    with fresh_engine(backend, "startup") as engine:
        env, segment = build(engine, contacts)
        preview = [RAPPORT, "segments", "preview", segment, "--action", "add", "--filter", FILTER]
        seconds, base, shown, counted = medians(preview, client_command(backend, engine), runs,
                                                env)
        found = re.search(r"would add (\d+) line", shown)
        assert found and int(found[1]) == int(counted.strip()), (shown, counted)
        line("rapport segments preview", backend, int(counted), seconds,
             f"{CLIENTS[backend]} SELECT count(*)", base,
             "≤ 1.5× " + ("(met)" if seconds <= 1.5 * base else "(missed)"))


def main(argv: list[str] | None = None) -> None:
    """Run the start-up benchmark and print its result lines and the command to reproduce them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    reproduce("bench.bench_startup", argv if argv is not None else sys.argv[1:])
    print(f"# {machine_load()}", flush=True)
    print("name | backend | rows | median | baseline median | ratio | target", flush=True)
    bench_help(args.runs)
    for backend in backends(args.engines):
        bench_preview(backend, args.contacts, args.runs)
    print(f"# {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
