"""Peak memory of a contact import: a CSV of 100,000 and of 1,000,000 rows, in a child process.

    python -m bench.bench_import_memory [--rows 100000,1000000] [--backends sqlite,postgresql]

For each size a CSV of generated contacts is exported from SQLite (as in bench_contacts). On
each backend the baseline, a bare ``INSERT … SELECT`` of as many contact rows (number, type and
name), is timed first; then a fresh child process imports the CSV into a fresh database holding
the demo setup and reports its seconds, its resident memory just before the import and its
peak (``VmHWM`` from /proc/self/status on Linux, ``getrusage`` elsewhere). The import runs in a
child so that the peak is the import's own, not the generation's or an earlier import's.

Result lines are ``name | backend | rows | seconds | rows/s | ratio-to-baseline``, then one
``peak RSS`` line per import with the CPU time the importing process spent (user and system;
on PostgreSQL the server's work is not in it), which other load on a shared machine moves less
than the seconds. Targets: peak RSS ≤ 300 MB at 1,000,000 rows, flat in the file
size; the import rate of bench_contacts (~20–24k rows/s on SQLite).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_contacts import USER, bare_insert_seconds, make_csv
from bench.common import HEADER, backends, database, machine_load, report, reproduce, settle
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.services.contacts.files import import_contacts
from rapport.services.context import transaction
from rapport.services.demo import ensure_setup

MB = 1024 * 1024


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024 / MB
    return None


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return maxrss / MB if sys.platform == "darwin" else maxrss * 1024 / MB


def child(url: str, path: Path) -> None:
    """In the child process: import ``path`` into the database at ``url``; print the figures."""
    engine = make_engine(url)
    factory = session_factory(engine)
    with factory() as session:  # connect before measuring, like a warm CLI command
        session.connection()
    before = _status_mb("VmRSS") or peak_rss_mb()
    settle()
    started, cpu = time.perf_counter(), os.times()
    with transaction(factory, user_id=USER) as ctx:
        result = import_contacts(ctx, path)
    seconds, done = time.perf_counter() - started, os.times()
    engine.dispose()
    print(json.dumps({"rows": result.rows, "inserted": result.inserted, "seconds": seconds,
                      "user": done.user - cpu.user, "system": done.system - cpu.system,
                      "before_mb": before, "peak_mb": peak_rss_mb()}), flush=True)


def run_child(url: str, path: Path) -> dict[str, float]:
    """Import in a fresh Python process; its figures."""
    done = subprocess.run([sys.executable, "-m", "bench.bench_import_memory", "--child", url,
                           str(path)], check=False, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode:
        raise RuntimeError(f"the import failed in the child process:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def bench_size(backend: str, path: Path, rows: int) -> None:
    """The baseline, then the import of ``path`` in a child process, on fresh databases."""
    with database(backend, "base") as factory:
        baseline = bare_insert_seconds(factory, rows)
    report("bare INSERT…SELECT (baseline)", backend, rows, baseline, baseline)
    with database(backend, "import_memory") as factory:
        with transaction(factory, user_id=USER) as ctx:
            ensure_setup(ctx)
        url = factory.kw["bind"].url.render_as_string(hide_password=False)
        figures = run_child(url, path)
    if figures["inserted"] != rows:
        raise RuntimeError(f"the import created {figures['inserted']} contacts, not {rows}")
    report("import CSV (new contacts, child process)", backend, rows, figures["seconds"],
           baseline)
    size = path.stat().st_size / MB
    print(f"peak RSS | {backend} | {rows} | {figures['peak_mb']:.0f} MB | file {size:.0f} MB"
          f" | before import {figures['before_mb']:.0f} MB | import CPU user "
          f"{figures['user']:.1f} s, system {figures['system']:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the import memory benchmark and print its result lines."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import_memory")
    parser.add_argument("--rows", default="100000,1000000", help="CSV sizes, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", nargs=2, metavar=("URL", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    reproduce("bench.bench_import_memory", [f"--rows {args.rows}",
                                            f"--backends {args.backends}"])
    print(f"# {machine_load()}", flush=True)
    print(HEADER, flush=True)
    chosen = backends(args.backends)
    for rows in (int(r) for r in args.rows.split(",") if r.strip()):
        with tempfile.TemporaryDirectory(prefix="rapport_bench_mem_") as folder:
            path, _ = make_csv(rows, Path(folder))
            for backend in chosen:
                bench_size(backend, path, rows)
    print(f"# {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
