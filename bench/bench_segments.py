"""Segment criteria benchmark: Add / Refine / Go Back / preview against bare SQL, and naive ORM.

    python -m bench.bench_segments [--contacts 1000000] [--naive-contacts 100000]
                                   [--engines sqlite,postgresql] [--repeat 3]

On a generated contact base (``rapport.services.demo._generator``: 30 % in mailing group NEWS, all
of them with correspondence type Email) each engine runs, timing the best of ``--repeat`` runs:

(a) Add Contacts, Contact.correspondence_type=Email + Mailing Group=NEWS (~30 % of the base), vs
    a bare ``INSERT INTO segment_line (segment_no, line_no, contact_no) SELECT …`` of the same rows;
(b) Refine that segment to the companies in industry groups RETAIL|WHOLESALE (~29 %), vs a bare
    ``DELETE … WHERE NOT EXISTS`` of the same lines from a copy of the segment;
(c) Go Back of that Refine, vs a bare ``INSERT … SELECT`` of those lines back into the copy;
(d) preview counts of (a) and (b), vs a bare ``SELECT count(*)`` with the same filters.

Then Add Contacts on a ``--naive-contacts`` base, set-based vs a naive per-row ORM loop (load
contacts, test each section per contact with ORM queries, add SegmentLine objects one by one).
Targets: every ratio ≤ 3, speed-up ≥ 50. PostgreSQL: RAPPORT_BENCH_PG_URL (an admin URL; a
private database is created and dropped), default postgresql+psycopg://postgres@127.0.0.1/postgres.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Executable,
    MetaData,
    Table,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

from bench.common import fresh_engine
from rapport.db import models as m
from rapport.db.session import session_factory
from rapport.domain.enums import CriteriaAction
from rapport.services.context import transaction
from rapport.services.criteria import add_contacts, filter_texts, go_back, preview, refine_contacts
from rapport.services.demo import generate
from rapport.services.tables import LINE, LINE_DATA

PG_ADMIN = os.environ.get(
    "RAPPORT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# The filters as the CLI hands them over: every timed step parses them, as a command does.
ADD = filter_texts(["Contact.correspondence_type=Email", "Mailing Group.mailing_group_code=NEWS"])
REFINE = filter_texts(["Industry Group.industry_group_code=RETAIL|WHOLESALE"])
# The bare statements a person would write by hand for the same rows (constants: no user input).
# (a): the strictest baseline, numbered in key order (no sort), three columns, no defaulting.
BARE_ADD = """INSERT INTO segment_line (segment_no, line_no, contact_no)
    SELECT 'BASE', 10000 * row_number() OVER (ORDER BY c.no), c.no FROM contact c
    WHERE c.correspondence_type = 'Email' AND EXISTS (SELECT 1 FROM contact_mailing_group g
    WHERE g.contact_no = c.no AND g.mailing_group_code = 'NEWS')"""
BARE_COUNT_ADD = """SELECT count(*) FROM contact c
    WHERE c.correspondence_type = 'Email' AND EXISTS (SELECT 1 FROM contact_mailing_group g
    WHERE g.contact_no = c.no AND g.mailing_group_code = 'NEWS')"""
REFINE_MISS = """NOT EXISTS (SELECT 1 FROM contact c JOIN contact_industry_group ig
    ON ig.contact_no = c.company_no WHERE c.no = segment_line.contact_no
    AND ig.industry_group_code IN ('RETAIL', 'WHOLESALE'))"""
BARE_DELETE = """DELETE FROM segment_line WHERE segment_no = 'BASECOPY'
    AND NOT EXISTS (SELECT 1 FROM contact c JOIN contact_industry_group ig
    ON ig.contact_no = c.company_no WHERE c.no = segment_line.contact_no
    AND ig.industry_group_code IN ('RETAIL', 'WHOLESALE'))"""
BARE_COUNT_REFINE = """SELECT count(*) FROM segment_line WHERE segment_no = 'BENCH'
    AND NOT EXISTS (SELECT 1 FROM contact c JOIN contact_industry_group ig
    ON ig.contact_no = c.company_no WHERE c.no = segment_line.contact_no
    AND ig.industry_group_code IN ('RETAIL', 'WHOLESALE'))"""
LINE_COLUMNS = ["segment_no", "line_no", *LINE_DATA]
#: Holds the lines the bare DELETE removes, so the bare INSERT can put them back.
GONE = Table("bench_gone", MetaData(), *(Column(c.name, c.type) for c in LINE.columns))

Factory = sessionmaker[Session]


def timed(action: Callable[[], Any], repeat: int, reset: Callable[[], Any] | None = None) -> float:
    """The best wall time of ``repeat`` runs of ``action`` (``reset`` runs untimed after each)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
        if reset is not None:
            reset()
    return best


def database(kind: str) -> AbstractContextManager[Engine]:
    """A fresh migrated database of that engine, removed afterwards."""
    return fresh_engine(kind, "segments")


def build_base(engine: Engine, contacts: int) -> Factory:
    """Generate the contact base set-based, add the segments, and gather planner statistics."""
    factory = session_factory(engine)
    start = time.perf_counter()
    generate(factory, contacts, user_id="BENCH")
    with transaction(factory, user_id="BENCH") as ctx:
        for no in ("BENCH", "BASE", "BASECOPY", "EMPTY", "NAIVE"):
            ctx.session.add(m.SegmentHeader(no=no, description="Bench", date=ctx.work_date))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    print(f"  base: {contacts:,} contacts generated in {time.perf_counter() - start:.1f} s")
    return factory


def run(factory: Factory, action: Callable[..., Any]) -> Any:
    with transaction(factory, user_id="BENCH") as ctx:
        return action(ctx)


def execute(factory: Factory, statement: Executable) -> int:
    """Run one statement in its own transaction; the rows it changed."""
    with factory.begin() as session:
        return m.rowcount(session.execute(statement))


def report(label: str, real: float, base: float, rows: int) -> float:
    ratio = real / base if base else float("inf")
    verdict = "ok" if ratio <= 3 else "MISSES target ≤ 3"
    figures = f"{real:7.3f} s | bare {base:7.3f} s | ratio {ratio:5.2f}"
    print(f"  {label:<34} {rows:>9,} rows  {figures} {verdict}")
    return ratio


def bench_big(factory: Factory, repeat: int) -> None:
    """(a)–(d) on the big base; the database is left as it was."""
    added = bench_add(factory, repeat)
    removed = bench_refine_and_undo(factory, repeat)
    count_add = lambda: run(factory, lambda ctx: preview(ctx, "EMPTY", CriteriaAction.ADD, ADD))  # noqa: E731
    count_refine = lambda: run(  # noqa: E731
        factory, lambda ctx: preview(ctx, "BENCH", CriteriaAction.REFINE, REFINE)
    )
    report("(d) preview count of (a)", timed(count_add, repeat),
           timed(lambda: _scalar(factory, BARE_COUNT_ADD), repeat), added)  # fmt: skip
    report("(d) preview count of (b)", timed(count_refine, repeat),
           timed(lambda: _scalar(factory, BARE_COUNT_REFINE), repeat), removed)  # fmt: skip
    run(factory, lambda ctx: go_back(ctx, "BENCH"))


def bench_add(factory: Factory, repeat: int) -> int:
    """(a): the last Add stays in segment BENCH for (b)."""
    times = []
    for attempt in range(repeat):
        start = time.perf_counter()
        added = run(factory, lambda ctx: add_contacts(ctx, "BENCH", ADD)).added
        times.append(time.perf_counter() - start)
        if attempt < repeat - 1:
            run(factory, lambda ctx: go_back(ctx, "BENCH"))
    base = timed(lambda: execute(factory, text(BARE_ADD)), repeat, lambda: _clear(factory, "BASE"))
    report("(a) add contacts", min(times), base, added)
    return int(added)


def bench_refine_and_undo(factory: Factory, repeat: int) -> int:
    """(b) and (c): Refine BENCH and Go Back, vs a bare DELETE and INSERT on a copy."""
    removed = run(factory, lambda ctx: preview(ctx, "BENCH", CriteriaAction.REFINE, REFINE))
    refine = lambda: run(factory, lambda ctx: refine_contacts(ctx, "BENCH", REFINE))  # noqa: E731
    undo = lambda: run(factory, lambda ctx: go_back(ctx, "BENCH"))  # noqa: E731
    times = [(timed(refine, 1), timed(undo, 1)) for _ in range(repeat)]
    copy = select(literal("BASECOPY"), *[LINE.c[n] for n in LINE_COLUMNS[1:]])
    execute(
        factory, insert(LINE).from_select(LINE_COLUMNS, copy.where(LINE.c.segment_no == "BENCH"))
    )
    engine = factory.kw["bind"]
    GONE.create(engine)
    gone = select(LINE).where(LINE.c.segment_no == "BASECOPY", text(REFINE_MISS))
    execute(factory, insert(GONE).from_select(LINE_COLUMNS, gone))
    back = insert(LINE).from_select(LINE_COLUMNS, select(GONE))
    bare = [
        (
            timed(lambda: execute(factory, text(BARE_DELETE)), 1),
            timed(lambda: execute(factory, back), 1),
        )
        for _ in range(repeat)
    ]
    report(
        "(b) refine to industry groups", min(t[0] for t in times), min(b[0] for b in bare), removed
    )
    report("(c) go back of the refine", min(t[1] for t in times), min(b[1] for b in bare), removed)
    GONE.drop(engine)
    _clear(factory, "BASECOPY")
    return removed


def _clear(factory: Factory, segment: str) -> None:
    with factory.begin() as session:
        session.execute(text("DELETE FROM segment_line WHERE segment_no = :s"), {"s": segment})


def _scalar(factory: Factory, sql: str) -> int:
    with factory() as session:
        return int(session.execute(text(sql)).scalar_one())


def naive_add(factory: Factory) -> int:
    """Add Contacts the way the reference runs it: one contact at a time, one line at a time."""
    with transaction(factory, user_id="BENCH") as ctx:
        s = ctx.session
        header = s.get(m.SegmentHeader, "NAIVE")
        assert header is not None
        order = (m.Contact.company_name, m.Contact.company_no, m.Contact.type, m.Contact.name)
        line_no = 0
        for contact in s.scalars(select(m.Contact).order_by(*order)):
            if contact.correspondence_type != "Email":
                continue
            if s.get(m.ContactMailingGroup, (contact.no, "NEWS")) is None:
                continue
            if contact.exclude_from_segment or contact.privacy_blocked:
                continue
            existing = select(m.SegmentLine.line_no).where(
                m.SegmentLine.segment_no == "NAIVE", m.SegmentLine.contact_no == contact.no
            )
            if s.scalar(existing.limit(1)) is not None:
                continue
            line_no += 10_000
            s.add(_naive_line(header, contact, line_no))
        s.flush()
        return line_no // 10_000


def _naive_line(header: m.SegmentHeader, contact: m.Contact, line_no: int) -> m.SegmentLine:
    return m.SegmentLine(
        segment_no=header.no,
        line_no=line_no,
        contact_no=contact.no,
        contact_company_no=contact.company_no,
        contact_excluded=contact.exclude_from_segment,
        description=header.description,
        salesperson_code=header.salesperson_code or contact.salesperson_code,
        correspondence_type=contact.correspondence_type,
        date=header.date,
    )


def bench_naive(factory: Factory, repeat: int) -> None:
    """Set-based Add Contacts vs the naive per-row ORM loop on the same base."""
    undo = lambda: run(factory, lambda ctx: go_back(ctx, "BENCH"))  # noqa: E731
    added = run(factory, lambda ctx: add_contacts(ctx, "BENCH", ADD)).added
    undo()
    fast = timed(lambda: run(factory, lambda ctx: add_contacts(ctx, "BENCH", ADD)), repeat, undo)
    start = time.perf_counter()
    naive_count = naive_add(factory)
    slow = time.perf_counter() - start
    assert naive_count == added, (naive_count, added)
    speedup = slow / fast
    verdict = "ok" if speedup >= 50 else "MISSES target ≥ 50"
    print(f"  add contacts set-based vs naive ORM {added:>9,} rows  {fast:7.3f} s | naive "
          f"{slow:7.2f} s | speed-up {speedup:6.1f}x {verdict}")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Run the segment benchmarks and print their figures and ratios."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_segments")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--naive-contacts", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"rapport segment benchmark: python -m bench.bench_segments --contacts {args.contacts} "
        f"--naive-contacts {args.naive_contacts} --engines {args.engines} --repeat {args.repeat}"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()} at start")
    for kind in args.engines.split(","):
        print(f"[{kind}] {args.contacts:,}-contact base")
        with database(kind) as engine:
            bench_big(build_base(engine, args.contacts), args.repeat)
        print(f"[{kind}] {args.naive_contacts:,}-contact base")
        with database(kind) as engine:
            bench_naive(build_base(engine, args.naive_contacts), args.repeat)
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
