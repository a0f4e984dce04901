"""What looking for suspected duplicates costs on a large contact base, and that it never reads
the whole contact table per contact.

    python -m bench.bench_duplicates [--contacts N] [--rows N] [--backends sqlite,postgresql]

On each backend, on a fresh database with ``--contacts`` generated contacts:

(a) creating one contact looks for stored contacts with the same e-mail or the same name and
    company: the lookup for 200 new contacts like no stored one (the usual case), and for the
    values of 200 stored contacts (generated data shares each e-mail among hundreds of
    contacts, so each such lookup finds hundreds), against the baseline of reading 200 contacts
    by number (the ratio is the lookup's rate over the baseline's);
(b) importing a ``--rows``-row CSV of new contacts (generated, renumbered: their e-mails and
    names are those of the base, every row a suspect, the worst case) with the duplicate report,
    against the same import without it (the ratio is the import's rate with the report over its
    rate without it; best of 2 each after a warm-up import; every import is rolled back), and
    the time of the report's statements within it (the keys the file shares, the listing, the
    count);
(c) generating ``--contacts`` contacts with the index on ``lower(email)`` that (a) and (b) use,
    against generating them without it (the ratio is the rate with it over the rate without).

For each statement the plan is printed with the number of full scans of the contact table it
contains: 0 on a million contacts (every match is an index lookup). On a small base PostgreSQL
may rather read the table once for the whole statement (a hash), never once per row.
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.common import HEADER, backends, database, machine_load, report, reproduce, timed
from rapport.db import models as m
from rapport.services.contacts import DuplicateReport
from rapport.services.contacts import _duplicates as single
from rapport.services.contacts.files import _files as import_files
from rapport.services.contacts.files import export_contacts, import_contacts
from rapport.services.contacts.files._duplicates import suspected_duplicates
from rapport.services.context import transaction
from rapport.services.demo._generator import generate

USER = "BENCH"
SAMPLE = 200
REPEAT = 2
Factory = sessionmaker[Session]


#: A full scan of the contact table (or of one of its aliases) in SQLite's plan.
#: The start of the statement that counts the suspects of an import.
_COUNT = "count_1 \nFROM tmp_contact_import LEFT OUTER JOIN"
_SQLITE_CONTACT_SCAN = re.compile(r"^SCAN (contact(_\d+)?|email_c|name_c)( |$)")


class _RolledBack(Exception):
    """Ends a measured use case so that it rolls back."""


def full_scans(conn: Connection, statement: str, parameters: Any) -> tuple[int, list[str]]:
    """The plan of ``statement`` and how many full scans of the contact table it has."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    if conn.dialect.name == "sqlite":
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        lines = [str(row[-1]) for row in cursor.fetchall()]
        scans = [line for line in lines if _SQLITE_CONTACT_SCAN.match(line)]
    else:
        cursor.execute("EXPLAIN " + statement, parameters)
        lines = [str(row[0]) for row in cursor.fetchall()]
        scans = [line for line in lines if "Seq Scan on contact" in line]
    return len(scans), lines


def sample(factory: Factory) -> list[m.Contact]:
    """Stored contacts spread over the base, as new contacts with their values would be."""
    with factory() as session:
        total = session.scalar(select(m.Contact.no).order_by(m.Contact.no.desc()).limit(1))
        step = max(1, int(str(total)[2:]) // SAMPLE)
        rows = session.execute(select(m.Contact.type, m.Contact.search_name,
                                      m.Contact.company_no, m.Contact.email)
                               .where(text(f"CAST(substr(no, 3) AS INTEGER) % {step} = 0"))
                               .limit(SAMPLE)).all()
    return [m.Contact(no="NEW", type=t, search_name=s,
                      company_no=None if t == "Company" else c, email=e) for t, s, c, e in rows]


def bench_single(backend: str, factory: Factory) -> None:
    """(a): the lookup of one new contact against reading contacts by number."""
    contacts = sample(factory)
    with timed() as baseline, transaction(factory, user_id=USER) as ctx:
        for contact in contacts:
            ctx.session.execute(select(m.Contact).where(m.Contact.no == contact.company_no))
    with timed() as lookup, transaction(factory, user_id=USER) as ctx:
        for contact in contacts:
            single.suspected_duplicates(ctx, contact)
    unlike = [m.Contact(no="NEW", type=c.type, search_name=f"NEW {i}", company_no=c.company_no,
                        email=f"new.{i}@nowhere.example") for i, c in enumerate(contacts)]
    with timed() as unique, transaction(factory, user_id=USER) as ctx:
        for contact in unlike:
            single.suspected_duplicates(ctx, contact)
    report("primary-key read (baseline)", backend, len(contacts), baseline.seconds,
           baseline.seconds)
    report("duplicate lookup, a new contact like no other", backend, len(unlike),
           unique.seconds, baseline.seconds)
    report("duplicate lookup, values of stored contacts", backend, len(contacts),
           lookup.seconds, baseline.seconds)
    with capture(factory, "UNION ALL") as seen, transaction(factory, user_id=USER) as ctx:
        single.suspected_duplicates(ctx, contacts[0])
    print_plan("duplicate lookup", seen)


@contextmanager
def capture(factory: Factory, marker: str) -> Iterator[dict[str, Any]]:
    """The plan of the first statement containing ``marker`` run in the block."""
    engine = factory.kw["bind"]
    seen: dict[str, Any] = {}

    def grab(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if marker in statement and not statement.startswith("EXPLAIN"):
            if "plan" not in seen:
                seen["plan"] = full_scans(conn, statement, parameters)
            seen["started"] = time.perf_counter()

    def done(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if marker in statement and not statement.startswith("EXPLAIN"):
            seen["seconds"] = time.perf_counter() - seen["started"]

    event.listen(engine, "before_cursor_execute", grab)
    event.listen(engine, "after_cursor_execute", done)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)
        event.remove(engine, "after_cursor_execute", done)


def print_plan(what: str, seen: dict[str, Any]) -> None:
    scans, lines = seen["plan"]
    print(f"# plan of the {what}: {scans} full scan(s) of the contact table", flush=True)
    for line in lines:
        if "contact" in line and ("SEARCH" in line or "Index" in line or "SCAN" in line
                                  or "Scan" in line):
            print(f"#   {line.strip()}", flush=True)


def make_csv(rows: int, folder: Path) -> Path:
    """``rows`` generated contacts, renumbered N… so that every row is a new contact."""
    exported = folder / "generated.csv"
    with database("sqlite", "dup_source") as factory:
        generate(factory, rows, user_id=USER)
        with transaction(factory, user_id=USER) as ctx:
            export_contacts(ctx, exported)
    path = folder / "new.csv"
    with exported.open(newline="", encoding="utf-8") as source, \
            path.open("w", newline="", encoding="utf-8") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, reader.fieldnames or [])
        writer.writeheader()
        for row in reader:
            row["no"] = "N" + row["no"]
            row["company_no"] = "N" + row["company_no"] if row["company_no"] else ""
            writer.writerow(row)
    return path


def import_seconds(factory: Factory, path: Path) -> tuple[float, DuplicateReport]:
    """One import of ``path``, rolled back: its seconds and its duplicate report."""
    started = time.perf_counter()
    try:
        with transaction(factory, user_id=USER) as ctx:
            result = import_contacts(ctx, path)
            seconds = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        return seconds, result.duplicates


def bench_import(backend: str, factory: Factory, path: Path, rows: int) -> None:
    """(b): the import with its duplicate report against the same import without it, best of
    ``REPEAT`` each, taking turns after one import that warms the caches."""
    import_seconds(factory, path)
    without = with_report = statements = float("inf")
    spent: list[float] = []

    def timed_report(conn: Connection) -> DuplicateReport:
        started = time.perf_counter()
        try:
            return suspected_duplicates(conn)
        finally:
            spent.append(time.perf_counter() - started)

    for _ in range(REPEAT):
        with patch.object(import_files, "suspected_duplicates", lambda conn: DuplicateReport()):
            without = min(without, import_seconds(factory, path)[0])
        with (capture(factory, "email_c") as listing, capture(factory, _COUNT) as count,
              patch.object(import_files, "suspected_duplicates", timed_report)):
            seconds, found = import_seconds(factory, path)
        with_report, statements = min(with_report, seconds), min(statements, spent[-1])
    report("import CSV without duplicate report (baseline)", backend, rows, without, without)
    report(f"import CSV with duplicate report ({found.total} suspects)", backend, rows,
           with_report, without)
    report("  of which the duplicate report's statements", backend, rows, statements, without)
    print_plan("import's duplicate listing", listing)
    if count:  # counted in a statement of its own only when the listing is full
        print_plan("import's duplicate count", count)


def main(argv: list[str] | None = None) -> None:
    """Run the duplicate benchmarks and print their result lines."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_duplicates")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    reproduce("bench.bench_duplicates", [f"--contacts {args.contacts}", f"--rows {args.rows}",
                                         f"--backends {args.backends}"])
    print(f"# {machine_load()}", flush=True)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="rapport_bench_dup_") as folder:
        path = make_csv(args.rows, Path(folder))
        for backend in backends(args.backends):
            with database(backend, "duplicates_bare") as factory:
                with factory.begin() as session:
                    session.execute(text("DROP INDEX ix_contact_email_lower"))
                with timed() as bare:
                    generate(factory, args.contacts, user_id=USER)
            with database(backend, "duplicates") as factory:
                with timed() as indexed:
                    generate(factory, args.contacts, user_id=USER)
                report("generate without the e-mail index (baseline)", backend, args.contacts,
                       bare.seconds, bare.seconds)
                report("generate with the e-mail index", backend, args.contacts,
                       indexed.seconds, bare.seconds)
                engine = factory.kw["bind"]
                with engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
                bench_single(backend, factory)
                bench_import(backend, factory, path, args.rows)


if __name__ == "__main__":
    main()
