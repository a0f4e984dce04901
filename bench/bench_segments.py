"""Segment criteria benchmark: Add, Refine, Reduce, Go Back of each and previews, against bare SQL.

    python -m bench.bench_segments [--contacts 1000000[,…]] [--engines sqlite,postgresql]
                                   [--repeat 3] [--breakdown] [--naive-contacts 100000]

On a generated contact base (``rapport.services.demo``: 30 % in mailing group NEWS, all of them
Email contacts; industry groups RETAIL|WHOLESALE on ~2/7 of the companies; business relation
PROSP on a third) each engine times, best of ``--repeat``, each run with its commit:

(a) Add Contacts, Contact.correspondence_type=Email + Mailing Group=NEWS (~30 % of the base),
    and its Go Back;
(b) Refine that segment to the companies in industry groups RETAIL|WHOLESALE (~5/7 removed),
    and its Go Back;
(c) Reduce the companies with business relation PROSP (~1/3 removed), and its Go Back;
(d) the preview counts of (a), (b) and (c).

Every figure is printed with two ratios (step time / baseline time, see bench.segment_baselines):
to the bare statement on the same table (the README's ratio before issue 11) and to the narrow
physical baseline — a bare statement moving the same rows through ``(segment_no, line_no,
contact_no)`` in a table without key, index or constraint. Target: ≤ 3 to the narrow baseline;
on PostgreSQL Add ≤ 2 s at 1,000,000 contacts; Go Back no slower than its step. The peak rise of
the process's resident memory during each step is printed too (it must not grow with the rows).

Several ``--contacts`` sizes print a growth table (µs per row touched) at the end. With
``--breakdown`` every step is also run once more, recorded and rolled back, and its statements are
printed with their times — on PostgreSQL with EXPLAIN (ANALYZE, BUFFERS, WAL) parts: selection,
write with index maintenance, each foreign-key trigger — and its largest INSERT is re-run into
copies of its table without foreign keys and without indexes (bench.breakdown).

Then Add Contacts on a ``--naive-contacts`` base, set-based vs a naive per-row ORM loop.
PostgreSQL: RAPPORT_BENCH_PG_URL (an admin URL; a private database is created and dropped).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bench import segment_baselines as bare
from bench.breakdown import Recorder, ablate
from bench.common import fresh_engine, machine_load, settle
from bench.naive_segments import bench_naive
from bench.rss import Rise, peak_rise
from rapport.db import models as m
from rapport.db.session import session_factory
from rapport.domain.enums import CriteriaAction
from rapport.services.context import Ctx, transaction, utc_now
from rapport.services.criteria import (
    add_contacts,
    filter_texts,
    go_back,
    preview,
    reduce_contacts,
    refine_contacts,
)
from rapport.services.demo import generate
from rapport.services.tables import LINE

# The filters as the CLI hands them over: every timed step parses them, as a command does.
ADD = filter_texts(["Contact.correspondence_type=Email", "Mailing Group.mailing_group_code=NEWS"])
REMOVE = {"refine": filter_texts(["Industry Group.industry_group_code=RETAIL|WHOLESALE"]),
          "reduce": filter_texts(["Business Relation.business_relation_code=PROSP"])}
VERBS = {"refine": refine_contacts, "reduce": reduce_contacts}
ACTIONS = {"refine": CriteriaAction.REFINE, "reduce": CriteriaAction.REDUCE}
Factory = sessionmaker[Session]
SEGMENTS = ("BENCH", "BASE", "BASECOPY", "EMPTY")


@dataclass
class Figure:
    """One measured step with its baselines."""

    step: str
    rows: int
    seconds: float
    same: float | None
    narrow: float | None
    rise: Rise

    def line(self) -> str:
        def ratio(base: float | None) -> str:
            return f"{self.seconds / base:6.2f}" if base else "   n/a"
        verdict = ("ok" if self.narrow and self.seconds / self.narrow <= 3
                   else "MISSES ≤ 3" if self.narrow else "")
        same = f"{self.same:7.3f} s" if self.same is not None else "     n/a"
        narrow = f"{self.narrow:7.3f} s" if self.narrow is not None else "     n/a"
        return (f"  {self.step:<28} {self.rows:>9,} rows {self.seconds:7.3f} s | same table "
                f"{same} ratio {ratio(self.same)} | narrow {narrow} ratio "
                f"{ratio(self.narrow)} {verdict:<10} | memory {self.rise.megabytes}")


def run(factory: Factory, action: Callable[[Ctx], Any]) -> Any:
    with transaction(factory, user_id="BENCH") as ctx:
        return action(ctx)


def once(action: Callable[[], Any]) -> tuple[float, Any, Rise]:
    """Seconds, result and memory rise of one run (after the page cache is flushed)."""
    settle()
    with peak_rise() as rise:
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
    return seconds, result, rise


def best_of(repeat: int, action: Callable[[], Any],
            reset: Callable[[], Any] | None = None) -> float:
    """The best seconds of ``repeat`` runs of a baseline; ``reset`` runs untimed after each."""
    best = float("inf")
    for _ in range(repeat):
        best = min(best, once(action)[0])
        if reset is not None:
            reset()
    return best


class SegmentBench:
    """The steps of one engine on one base size (see the module docstring)."""

    def __init__(self, engine: Engine, contacts: int, repeat: int, breakdown: bool) -> None:
        self.factory = session_factory(engine)
        self.contacts, self.repeat, self.breakdown = contacts, repeat, breakdown
        self.recorder = Recorder(engine) if breakdown else None
        self.figures: list[Figure] = []
        self.columns = [c.name for c in LINE.columns if c.name not in ("segment_no", "line_no")]

    def build(self) -> None:
        start = time.perf_counter()
        generate(self.factory, self.contacts, user_id="BENCH")
        with transaction(self.factory, user_id="BENCH") as ctx:
            for no in SEGMENTS:
                ctx.session.add(m.SegmentHeader(no=no, description="Bench", date=ctx.work_date))
        bare.create(self.factory)
        with self.factory.kw["bind"].connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        print(f"  base: {self.contacts:,} contacts generated in "
              f"{time.perf_counter() - start:.1f} s", flush=True)

    def pairs(self, name: str, step: Callable[[Ctx], int]) -> tuple[list[Any], list[Any]]:
        """``repeat`` runs of a step each followed by its Go Back: (seconds, rows, rise) each."""
        steps, backs = [], []
        for _ in range(self.repeat):
            seconds, rows, rise = once(lambda: run(self.factory, step))
            steps.append((seconds, rows, rise))
            back = once(lambda: run(self.factory, lambda ctx: go_back(ctx, "BENCH")))
            backs.append((back[0], rows, back[2]))
        return steps, backs

    def add_figure(self, step: str, runs: list[Any], same: float | None,
                   narrow: float | None) -> Figure:
        seconds, rows, rise = min(runs, key=lambda r: r[0])
        figure = Figure(step, int(rows), seconds, same, narrow, rise)
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def record(self, label: str, action: Callable[[Ctx], Any]) -> None:
        """Run ``action`` once more, recorded and rolled back; print where its time went."""
        if self.recorder is None:
            return
        session = self.factory()
        ctx = Ctx(session=session, user_id="BENCH", work_date=utc_now().date())
        try:
            with self.recorder.recording(session) as recording:
                action(ctx)
        finally:
            session.rollback()
            session.close()
        print(f"    breakdown of {label}: {recording.seconds:.3f} s in "
              f"{len(recording.statements)} statement(s)")
        for line in recording.lines():
            print(line)
        inserts = [s for s in recording.statements if s.sql.lstrip().upper().startswith(
            "INSERT INTO") and s.rows > 1000]
        if inserts:
            biggest = max(inserts, key=lambda s: s.seconds)
            target = biggest.sql.split()[2]
            table = next((t for t in m.Base.metadata.sorted_tables if t.name == target), None)
            if table is not None:
                times = ablate(self.factory, biggest, table)
                shown = ", ".join(f"{k} {v:.3f} s" for k, v in times.items())
                print(f"      the {target} INSERT again, rolled back: {shown}")
        print(flush=True)

    def measure(self) -> None:
        add = lambda ctx: add_contacts(ctx, "BENCH", ADD).added  # noqa: E731
        adds, backs = self.pairs("add", add)
        same = best_of(self.repeat, lambda: bare.execute(self.factory, bare.SAME_ADD),
                       lambda: bare.execute(self.factory, bare.SAME_ADD_BACK))
        narrow = best_of(self.repeat, lambda: bare.execute(self.factory, bare.NARROW_ADD),
                         lambda: bare.execute(self.factory, bare.NARROW_ADD_BACK))
        self.add_figure("(a) add contacts", adds, same, narrow)
        same_back = self._bare_pair(bare.SAME_ADD, bare.SAME_ADD_BACK)
        narrow_back = self._bare_pair(bare.NARROW_ADD, bare.NARROW_ADD_BACK)
        self.add_figure("(a) go back of the add", backs, same_back, narrow_back)
        self.record("(a) add contacts", add)
        run(self.factory, add)
        self.record("(a) go back of the add", lambda ctx: go_back(ctx, "BENCH"))
        bare.narrow_copy_segment(self.factory)
        for name, label in (("refine", "(b) refine"), ("reduce", "(c) reduce")):
            self.measure_removal(name, label)
        self.measure_previews()
        run(self.factory, lambda ctx: go_back(ctx, "BENCH"))

    def _bare_pair(self, fill: str, sql: str) -> float:
        """Best time of the bare ``sql`` that undoes ``fill`` (``fill`` runs untimed before)."""
        best = float("inf")
        for _ in range(self.repeat):
            bare.execute(self.factory, fill)
            best = min(best, once(lambda: bare.execute(self.factory, sql))[0])
        return best

    def measure_removal(self, name: str, label: str) -> None:
        step = lambda ctx: VERBS[name](ctx, "BENCH", REMOVE[name])  # noqa: E731
        removed, backs = self.pairs(name, step)
        factory = self.factory
        bare.same_fill(factory, self.columns)
        bare.same_keep_removed(factory, name, self.columns)
        same_times = []
        for _ in range(self.repeat):
            same_times.append((once(lambda: bare.execute(factory, bare.same_remove(name)))[0],
                               once(lambda: bare.execute(factory, bare.same_restore(
                                   self.columns)))[0]))
        narrow_times = []
        for _ in range(self.repeat):
            bare.narrow_fill(factory)
            gone = once(lambda: bare.execute(factory, bare.narrow_remove(name)))[0]
            back = once(lambda: bare.execute(factory, bare.narrow_restore(name)))[0]
            narrow_times.append((gone, back))
        bare.execute(factory, bare.NARROW_CLEAR)
        bare.execute(factory, "DELETE FROM segment_line WHERE segment_no = 'BASECOPY'")
        self.add_figure(label, removed, min(t[0] for t in same_times),
                        min(t[0] for t in narrow_times))
        self.add_figure(f"{label}: go back", backs, min(t[1] for t in same_times),
                        min(t[1] for t in narrow_times))
        self.record(label, step)
        run(factory, step)
        self.record(f"{label}: go back", lambda ctx: go_back(ctx, "BENCH"))
        run(factory, lambda ctx: go_back(ctx, "BENCH"))

    def measure_previews(self) -> None:
        def count(segment: str, action: CriteriaAction, filters: Any) -> Callable[[Ctx], int]:
            return lambda ctx: preview(ctx, segment, action, filters)
        cases = [("(d) preview of the add", count("EMPTY", CriteriaAction.ADD, ADD),
                  bare.COUNT_ADD)]
        cases += [(f"(d) preview of the {n}", count("BENCH", ACTIONS[n], REMOVE[n]),
                   bare.count_removed(n)) for n in ("refine", "reduce")]
        for label, action, sql in cases:
            runs = [once(lambda action=action: run(self.factory, action))  # type: ignore[misc]
                    for _ in range(self.repeat)]
            base = best_of(self.repeat, lambda sql=sql: bare.scalar(self.factory, sql))  # type: ignore[misc]
            self.add_figure(label, runs, base, base)
            self.record(label, action)


def growth_table(kind: str, benches: list[SegmentBench]) -> None:
    """µs per row touched of every step at every base size: flat means linear in the rows."""
    print(f"[{kind}] growth: seconds (µs per row touched)")
    sizes = " | ".join(f"{b.contacts:,} contacts" for b in benches)
    print(f"  | step | {sizes} |")
    for i, figure in enumerate(benches[0].figures):
        cells = []
        for b in benches:
            f = b.figures[i]
            per_row = f.seconds / f.rows * 1e6 if f.rows else 0.0
            cells.append(f"{f.rows:,} rows {f.seconds:.3f} s ({per_row:.1f} µs)")
        print(f"  | {figure.step} | {' | '.join(cells)} |")


def main(argv: list[str] | None = None) -> None:
    """Run the segment benchmarks and print their figures and ratios."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_segments")
    parser.add_argument("--contacts", default="1000000",
                        help="base size, or several comma-separated for a growth table")
    parser.add_argument("--naive-contacts", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in str(args.contacts).split(",") if s.strip()]
    print(f"rapport segment benchmark: python -m bench.bench_segments --contacts {args.contacts} "
          f"--naive-contacts {args.naive_contacts} --engines {args.engines} "
          f"--repeat {args.repeat}{' --breakdown' if args.breakdown else ''}")
    for kind in args.engines.split(","):
        benches = []
        for contacts in sizes:
            print(f"[{kind}] {contacts:,}-contact base; {machine_load()}", flush=True)
            with fresh_engine(kind, "segments") as engine:
                bench = SegmentBench(engine, contacts, args.repeat, args.breakdown)
                bench.build()
                bench.measure()
                benches.append(bench)
            print(f"[{kind}] done; {machine_load()}", flush=True)
        if len(benches) > 1:
            growth_table(kind, benches)
        if args.naive_contacts:
            print(f"[{kind}] {args.naive_contacts:,}-contact base, naive ORM loop")
            with fresh_engine(kind, "segments_naive") as engine:
                bench = SegmentBench(engine, args.naive_contacts, args.repeat, False)
                bench.build()
                bench_naive(bench.factory, args.repeat, ADD)


if __name__ == "__main__":
    main()
