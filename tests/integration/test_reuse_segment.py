"""Reuse Segment: start from a logged segment (SPEC §3.9; scenario 37; A2/Q06; A3/K10)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError
from rapport.services.criteria import (
    add_contacts,
    go_back,
    reuse_criteria,
    reuse_logged_segment,
    save_criteria,
)
from rapport.services.segments import resolved_lines
from tests.builders_segments import (
    contacts,
    criteria_rows,
    filters,
    lines,
    make_ile,
    make_logged_segment,
    make_segment,
    state,
)
from tests.conftest import TxFactory


def _logged(factory: sessionmaker[Session], *entries: tuple[str, dict[str, object]]) -> int:
    logged = make_logged_segment(factory, segment_no="SEG0001")
    for contact, kw in entries:
        make_ile(factory, contact, logged_segment_entry_no=logged, segment_no="SEG0001", **kw)
    return logged


def _campaigns(factory: sessionmaker[Session]) -> list[str | None]:
    with factory() as s:
        line = resolved_lines().subquery()
        return list(s.scalars(select(line.c.campaign_no).order_by(line.c.line_no)))


def test_reuse_segment_takes_each_entrys_contact_and_campaign(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 37."""
    logged = _logged(fixture_db, ("P11", {}), ("P3", {"campaign_no": "CP1"}))
    make_segment(fixture_db)
    with tx() as ctx:
        assert reuse_logged_segment(ctx, "S1", logged) == 2
    assert lines(fixture_db) == [(10000, "P11"), (20000, "P3")]
    assert _campaigns(fixture_db) == [None, "CP1"]
    rows = criteria_rows(fixture_db)
    assert [(r.type, r.action, r.allow_existing_contacts) for r in rows] == [
        ("Action", "Add Contacts", True),
        ("Filter", "Add Contacts", False),
    ]
    assert rows[1].table_name == "Interaction"
    assert json.loads(rows[1].table_view)["logged_segment_entry_no"] == str(logged)


def test_duplicates_and_canceled_entries_all_become_lines_in_entry_order(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    logged = _logged(fixture_db, ("P3", {}), ("C2", {"canceled": True}), ("P3", {}), ("P11", {}))
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P11"))
    with tx() as ctx:
        assert reuse_logged_segment(ctx, "S1", logged, append=True) == 4
    assert contacts(fixture_db) == ["P11", "P3", "C2", "P3", "P11"]


def test_excluded_contacts_are_left_out_unless_ignored(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """K10."""
    logged = _logged(fixture_db, ("X1", {}), ("X11", {}), ("P3", {}))
    make_segment(fixture_db)
    with tx() as ctx:
        assert reuse_logged_segment(ctx, "S1", logged) == 2
    assert contacts(fixture_db) == ["X11", "P3"]
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        assert reuse_logged_segment(ctx, "S2", logged, ignore_exclusion=True) == 3
    assert criteria_rows(fixture_db, "S2")[0].ignore_exclusion is True


def test_privacy_blocked_contacts_never_get_a_line(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    logged = _logged(fixture_db, ("P11", {}), ("P3", {}))
    with fixture_db.begin() as s:
        s.get(m.Contact, "P3").privacy_blocked = True  # type: ignore[union-attr]
    make_segment(fixture_db)
    with tx() as ctx:
        assert reuse_logged_segment(ctx, "S1", logged, ignore_exclusion=True) == 1
    assert contacts(fixture_db) == ["P11"]


def test_segment_with_criteria_needs_append(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """A2/Q06."""
    logged = _logged(fixture_db, ("P11", {}))
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P3"))
    before = state(fixture_db)
    with pytest.raises(ConflictError, match="already contains 1 criteria action"), tx() as ctx:
        reuse_logged_segment(ctx, "S1", logged)
    assert state(fixture_db) == before
    with tx() as ctx:
        reuse_logged_segment(ctx, "S1", logged, append=True)
    assert contacts(fixture_db) == ["P3", "P11"]
    with tx() as ctx:
        assert go_back(ctx, "S1") == 1
    assert state(fixture_db) == before


def test_unknown_logged_segment_or_segment_is_refused(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    logged = _logged(fixture_db, ("P11", {}))
    make_segment(fixture_db)
    with pytest.raises(NotFoundError, match="Logged segment 999"), tx() as ctx:
        reuse_logged_segment(ctx, "S1", 999)
    with pytest.raises(NotFoundError, match="Segment S7"), tx() as ctx:
        reuse_logged_segment(ctx, "S7", logged)
    assert state(fixture_db) == {"lines": [], "criteria": [], "history": []}


def test_replaying_a_reuse_step_follows_add_contacts_rules(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """§3.8 note: the saved step adds each contact with an entry in the logged segment once."""
    logged = _logged(fixture_db, ("P3", {}), ("P3", {}), ("P11", {"canceled": True}))
    make_segment(fixture_db)
    with tx() as ctx:
        reuse_logged_segment(ctx, "S1", logged)
    assert contacts(fixture_db) == ["P3", "P3", "P11"]
    with tx() as ctx:
        save_criteria(ctx, "S1", "FOLLOW")
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        reuse_criteria(ctx, "S2", "FOLLOW")
    assert contacts(fixture_db, "S2") == ["P3", "P11"]
