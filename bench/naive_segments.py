"""Add Contacts set-based vs the way the reference runs it: one contact at a time, one line at a
time, through the ORM (a naive per-row loop), on the same base."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.context import transaction
from rapport.services.criteria import add_contacts, go_back

Factory = sessionmaker[Session]


def naive_add(factory: Factory, segment_no: str) -> int:
    """Test every contact with ORM queries and add matching ones as SegmentLine objects."""
    with transaction(factory, user_id="BENCH") as ctx:
        s = ctx.session
        header = s.get(m.SegmentHeader, segment_no)
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
                m.SegmentLine.segment_no == segment_no, m.SegmentLine.contact_no == contact.no
            )
            if s.scalar(existing.limit(1)) is not None:
                continue
            line_no += 10_000
            s.add(m.SegmentLine(segment_no=header.no, line_no=line_no, contact_no=contact.no,
                                contact_company_no=contact.company_no,
                                contact_excluded=contact.exclude_from_segment,
                                salesperson_code=header.salesperson_code
                                or contact.salesperson_code,
                                correspondence_type=contact.correspondence_type))
        s.flush()
        return line_no // 10_000


def bench_naive(factory: Factory, repeat: int, filters: Any) -> None:
    """Set-based Add Contacts vs the naive per-row ORM loop on the same base."""
    def add() -> Any:
        with transaction(factory, user_id="BENCH") as ctx:
            return add_contacts(ctx, "BENCH", filters).added

    def undo() -> None:
        with transaction(factory, user_id="BENCH") as ctx:
            go_back(ctx, "BENCH")

    fast = float("inf")
    added = 0
    for _ in range(repeat):
        start = time.perf_counter()
        added = add()
        fast = min(fast, time.perf_counter() - start)
        undo()
    start = time.perf_counter()
    naive_count = naive_add(factory, "EMPTY")
    slow = time.perf_counter() - start
    assert naive_count == added, (naive_count, added)
    speedup = slow / fast
    verdict = "ok" if speedup >= 50 else "MISSES target ≥ 50"
    print(f"  add contacts set-based vs naive ORM {added:>9,} rows  {fast:7.3f} s | naive "
          f"{slow:7.2f} s | speed-up {speedup:6.1f}x {verdict}", flush=True)
