"""Contact benchmarks: generating contacts, importing and exporting a CSV file.

    python -m bench.bench_contacts [--contacts N] [--rows N] [--backends sqlite,postgresql]

Each figure has a baseline measured in the same run on the same backend: a bare
``INSERT … SELECT`` of the same number of contact rows (number, type and name only) into a fresh
schema with the same indexes, in the same batches. Targets: generation ≥ 100,000 contacts/s on
SQLite; import ≥ 20,000 rows/s.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sqlalchemy import Integer, String, cast, func, insert, literal, select
from sqlalchemy.orm import Session, sessionmaker

from bench.common import HEADER, backends, database, machine_load, report, reproduce, timed
from rapport.db.models import Contact
from rapport.services.contacts.files import export_contacts, import_contacts
from rapport.services.context import transaction
from rapport.services.demo import ensure_setup
from rapport.services.demo._generator import BATCH, generate

USER = "BENCH"


def bare_insert_seconds(factory: sessionmaker[Session], rows: int) -> float:
    """The baseline: contact rows with number, type and name, INSERT … SELECT in batches."""
    with timed() as timer, transaction(factory, user_id=USER) as ctx:
        for low in range(0, rows, BATCH):
            high = min(low + BATCH, rows) - 1
            seq = select(literal(low, Integer).label("p")).cte("seq", recursive=True)
            seq = seq.union_all(select(seq.c.p + 1).where(seq.c.p < high))
            no = "B" + func.substr(cast(literal(10**8, Integer) + seq.c.p, String), 2)
            source = select(no, literal("Company"), "Contact " + cast(seq.c.p, String))
            ctx.session.execute(insert(Contact).from_select(["no", "type", "name"], source))
    return timer.seconds


def bench_generate(backend: str, count: int) -> None:
    """Generating ``count`` contacts with the demo generator."""
    with database(backend, "base") as factory:
        baseline = bare_insert_seconds(factory, count)
    report("bare INSERT…SELECT (baseline)", backend, count, baseline, baseline)
    with database(backend, "generate") as factory:
        with transaction(factory, user_id=USER) as ctx:
            ensure_setup(ctx)
        with timed() as timer:
            generate(factory, count, user_id=USER)
    report("generate contacts", backend, count, timer.seconds, baseline)


def make_csv(rows: int, folder: Path) -> tuple[Path, float]:
    """A CSV of ``rows`` generated contacts (exported from SQLite); returns it and export time."""
    path = folder / "contacts.csv"
    with database("sqlite", "source") as factory:
        generate(factory, rows, user_id=USER)
        with timed() as timer, transaction(factory, user_id=USER) as ctx:
            export_contacts(ctx, path)
    return path, timer.seconds


def bench_import(backend: str, path: Path, rows: int) -> None:
    """Importing the CSV into an empty contact table, then again (every row an update)."""
    with database(backend, "base") as factory:
        baseline = bare_insert_seconds(factory, rows)
    report("bare INSERT…SELECT (baseline)", backend, rows, baseline, baseline)
    with database(backend, "import") as factory:
        with transaction(factory, user_id=USER) as ctx:
            ensure_setup(ctx)
        with timed() as first, transaction(factory, user_id=USER) as ctx:
            import_contacts(ctx, path)
        report("import CSV (new contacts)", backend, rows, first.seconds, baseline)
        with timed() as again, transaction(factory, user_id=USER) as ctx:
            import_contacts(ctx, path)
        report("re-import CSV (updates)", backend, rows, again.seconds, baseline)
        with timed() as out, transaction(factory, user_id=USER) as ctx:
            export_contacts(ctx, path.with_name(f"export-{backend}.csv"))
        report("export CSV", backend, rows, out.seconds, baseline)


def main(argv: list[str] | None = None) -> None:
    """Run the contact benchmarks and print their result lines."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_contacts")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts to generate")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the CSV to import")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    reproduce("bench.bench_contacts", [f"--contacts {args.contacts}", f"--rows {args.rows}",
                                       f"--backends {args.backends}"])
    print(f"# {machine_load()}", flush=True)
    print(HEADER, flush=True)
    chosen = backends(args.backends)
    for backend in chosen:
        bench_generate(backend, args.contacts)
    with tempfile.TemporaryDirectory(prefix="rapport_bench_csv_") as folder:
        path, seconds = make_csv(args.rows, Path(folder))
        for backend in chosen:
            bench_import(backend, path, args.rows)
    print(f"# {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
