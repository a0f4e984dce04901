"""What the contact filter indexes cost when contacts are written, and what they buy in criteria.

    python -m bench.bench_indexes [--contacts N] [--backends sqlite,postgresql] [--repeat 3]

The contact table has four indexes for segment criteria on contact fields (salesperson, post
code, search name, country/territory). Each backend runs, on fresh databases:

(a) generating ``--contacts`` contacts with all indexes, then without the four (the ratio is the
    generation rate gained by dropping them);
(b) the preview count of Add Contacts for Contact-section criteria on those fields, best of
    ``--repeat``, with the indexes and without them (planner statistics gathered each time; the
    ratio is how many times slower the criteria are without them).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bench.common import backends, fresh_engine, machine_load, reproduce
from rapport.db import models as m
from rapport.db.session import session_factory
from rapport.domain.enums import CriteriaAction
from rapport.services import demo as demo_generator
from rapport.services.context import transaction
from rapport.services.criteria import FilterText, preview

FILTER_INDEXES = ("ix_contact_salesperson_code", "ix_contact_post_code",
                  "ix_contact_search_name", "ix_contact_country_territory")
CRITERIA = {  # label → Contact-section fields (A5 filter expressions) of the generated base
    "salesperson JL": {"salesperson_code": "JL"},
    "post code 1000..1999": {"post_code": "1000..1999"},
    "search name A*": {"search_name": "A*"},
    "country DK": {"country_region_code": "DK"},
    "country NO, territory NORDIC": {"country_region_code": "NO", "territory_code": "NORDIC"},
}
USER = "BENCH"
Factory = sessionmaker[Session]


def drop_filter_indexes(engine: Engine) -> None:
    with engine.begin() as conn:
        for name in FILTER_INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))  # constant names of this module


def analyze(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def generate(engine: Engine, contacts: int) -> tuple[Factory, float]:
    """Generate the base with a segment to preview against; the seconds generation took."""
    factory = session_factory(engine)
    start = time.perf_counter()
    demo_generator.generate(factory, contacts, user_id=USER)
    seconds = time.perf_counter() - start
    with transaction(factory, user_id=USER) as ctx:
        ctx.session.add(m.SegmentHeader(no="BENCH", description="Bench", date=ctx.work_date))
    analyze(engine)
    return factory, seconds


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def previews(factory: Factory, repeat: int) -> dict[str, tuple[float, int]]:
    """Each criterion's preview count: best seconds and the count."""
    def count(fields: dict[str, str]) -> int:
        with transaction(factory, user_id=USER) as ctx:
            return preview(ctx, "BENCH", CriteriaAction.ADD,
                           [FilterText("Contact", key, text) for key, text in fields.items()])

    return {label: best_of(repeat, partial(count, fields)) for label, fields in CRITERIA.items()}


def bench_backend(backend: str, contacts: int, repeat: int) -> None:
    with fresh_engine(backend, "idx_all") as engine:
        factory, with_all = generate(engine, contacts)
        indexed = previews(factory, repeat)
        drop_filter_indexes(engine)
        analyze(engine)
        bare = previews(factory, repeat)
    with fresh_engine(backend, "idx_none") as engine:
        drop_filter_indexes(engine)
        _, without = generate(engine, contacts)
    print(f"generate | {backend} | {contacts} | with indexes {with_all:.2f} s "
          f"({contacts / with_all:,.0f}/s) | without {without:.2f} s "
          f"({contacts / without:,.0f}/s) | gain {with_all / without:.2f}", flush=True)
    for label in CRITERIA:
        (fast, rows), (slow, same) = indexed[label], bare[label]
        assert rows == same, f"{label}: {rows} rows with the indexes, {same} without"
        print(f"preview {label} | {backend} | {rows} | with indexes {fast:.3f} s | "
              f"without {slow:.3f} s | slower {slow / fast:.1f}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the index benchmark and print its result lines."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_indexes")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    reproduce("bench.bench_indexes", [f"--contacts {args.contacts}",
                                      f"--backends {args.backends}", f"--repeat {args.repeat}"])
    print(f"# {machine_load()}", flush=True)
    for backend in backends(args.backends):
        bench_backend(backend, args.contacts, args.repeat)
    print(f"# {machine_load()}", flush=True)


if __name__ == "__main__":
    main()
