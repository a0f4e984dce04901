"""Builders for the setup/contacts tests: a basic marketing setup, segment lines, interactions,
and a whole-database snapshot for "nothing changed" assertions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import RapportError
from rapport.services.context import Ctx
from rapport.services.segments import lines_changed
from tests.builders import unique
from tests.conftest import TxFactory

Snapshot = dict[str, list[tuple[Any, ...]]]


def basic_setup(session: Session, **setup: Any) -> None:
    """Series CONT/CAMP/SEG, salespeople SP1/SP2 (SPX blocked), language DEU, marketing setup."""
    session.add_all([
        m.NumberSeries(code="CONT", description="Contacts", starting_no="CT0001"),
        m.NumberSeries(code="CAMP", description="Campaigns", starting_no="CP0001"),
        m.NumberSeries(code="SEG", description="Segments", starting_no="SEG0001"),
        m.Salesperson(code="SP1", name="Sam Seller"),
        m.Salesperson(code="SP2", name="Sue Second"),
        m.Salesperson(code="SPX", name="Blocked Bill", blocked=True),
        m.Language(code="DEU", name="German"),
        m.Territory(code="NORTH", name="North"),
        m.Territory(code="SOUTH", name="South"),
        m.CountryRegion(code="NO", name="Norway"),
        m.CountryRegion(code="SE", name="Sweden"),
    ])
    session.flush()
    values: dict[str, Any] = dict(id=1, contact_nos="CONT", campaign_nos="CAMP", segment_nos="SEG")
    values.update(setup)
    session.add(m.MarketingSetup(**values))
    session.flush()


def put_on_segment(session: Session, contact_no: str, segment_no: str | None = None) -> str:
    """A segment header (created if new) with one line for the contact."""
    no = segment_no or unique("SG")
    if session.get(m.SegmentHeader, no) is None:
        session.add(m.SegmentHeader(no=no, description="Test segment"))
        session.flush()
    session.add(m.SegmentLine(segment_no=no, line_no=10000, contact_no=contact_no))
    session.flush()
    lines_changed(session, no, 1)
    return no


def log_interaction(session: Session, contact_no: str | None, **kw: Any) -> int:
    """An interaction log entry for a contact (written directly)."""
    contact = session.get(m.Contact, contact_no) if contact_no else None
    values: dict[str, Any] = dict(
        contact_no=contact_no, contact_company_no=contact.company_no if contact else None,
        date=dt.date(2025, 3, 10), description="Logged", user_id="U1")
    values.update(kw)
    entry = m.InteractionLogEntry(**values)
    session.add(entry)
    session.flush()
    return entry.entry_no


def db_snapshot(factory: sessionmaker[Session]) -> Snapshot:
    """Every row of every table, to compare before and after a refused operation."""
    with factory() as session:
        return {
            table.name: sorted(
                (tuple(row) for row in session.execute(select(table))), key=repr)
            for table in m.Base.metadata.sorted_tables
        }


def assert_refused(
    tx: TxFactory, factory: sessionmaker[Session], action: Callable[[Ctx], object],
    error: type[RapportError], *, code: str | None = None, match: str | None = None,
) -> RapportError:
    """Run ``action`` in a transaction: it must raise ``error`` and leave the database unchanged."""
    before = db_snapshot(factory)
    with pytest.raises(error, match=match) as info, tx() as ctx:
        action(ctx)
    if code is not None:
        assert info.value.code == code
    assert db_snapshot(factory) == before
    return info.value
