"""Go Back and Reset Criteria within full criteria scenarios (SPEC §3.7, scenario 29, K1, K15)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rapport.errors import NotFoundError, RuleViolationError
from rapport.services.contacts import delete_contact
from rapport.services.criteria import (
    add_contacts,
    go_back,
    reduce_contacts,
    refine_contacts,
    reset_criteria,
)
from rapport.services.segments import LineFieldChanges, action_count, update_line
from rapport.services.tables import CRITERIA, contact_key_epoch
from tests.builders_segments import contacts, filters, lines, make_segment, state
from tests.conftest import TxFactory


def _actions(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return action_count(s, "S1")


def test_undo_several_steps_in_order_is_exact(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 29."""
    make_segment(fixture_db, template="T-LET")
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Mailing Group.code=NEWS"), ignore_exclusion=True)
    with tx() as ctx:  # per-line data that exact undo must bring back
        update_line(ctx, "S1", 10000, LineFieldChanges(description="For Dora"))
    after_step_1 = state(fixture_db)
    assert lines(fixture_db) == [(10000, "P3"), (20000, "P11"), (30000, "X1")]
    with tx() as ctx:
        reduce_contacts(ctx, "S1", filters("Contact.no=X1"))
    after_step_2 = state(fixture_db)
    with tx() as ctx:
        refine_contacts(ctx, "S1", filters("Contact.no=P11"))
    assert lines(fixture_db) == [(20000, "P11")]
    assert _actions(fixture_db) == 3

    with tx() as ctx:
        assert go_back(ctx, "S1") == 2
    assert lines(fixture_db) == [(10000, "P3"), (20000, "P11")]
    assert state(fixture_db) == after_step_2  # P3 back with its line number and data
    with tx() as ctx:
        assert go_back(ctx, "S1") == 1
    assert state(fixture_db) == after_step_1
    with tx() as ctx:
        assert go_back(ctx, "S1") == 0
    assert state(fixture_db) == {"lines": [], "criteria": [], "history": []}
    with pytest.raises(RuleViolationError, match="no criteria actions"), tx() as ctx:
        go_back(ctx, "S1")


def test_go_back_removes_only_the_lines_the_action_inserted(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """K1: an older duplicate line of the same contact stays."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P11"))
    with tx() as ctx:
        add_contacts(
            ctx, "S1", filters("Contact.no=P11"), expand_companies=True, allow_existing=True
        )
    assert contacts(fixture_db) == ["P11", "C1", "P11", "P12"]
    with tx() as ctx:
        go_back(ctx, "S1")
    assert lines(fixture_db) == [(10000, "P11")]


def test_emptying_a_segment_never_resets_its_criteria(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """K15: the log stays after the last line goes; reset is a separate, explicit action."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P3"))
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P11"))
    with tx() as ctx:
        reduce_contacts(ctx, "S1", [])
    assert lines(fixture_db) == [] and _actions(fixture_db) == 3
    with tx() as ctx:
        go_back(ctx, "S1")
    assert contacts(fixture_db) == ["P3", "P11"]
    with tx() as ctx:
        assert reset_criteria(ctx, "S1") == 2
    assert contacts(fixture_db) == ["P3", "P11"] and _actions(fixture_db) == 0
    assert state(fixture_db)["history"] == []


def test_go_back_of_an_unknown_segment_is_refused(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P3"))
    before = state(fixture_db)
    with pytest.raises(NotFoundError, match="S2"), tx() as ctx:
        go_back(ctx, "S2")
    assert state(fixture_db) == before


@pytest.mark.parametrize("backend", ["postgresql"])
def test_go_back_checks_the_restored_contacts_once_a_contact_went(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Migration 0009: an action that journals lines stores the contact key epoch; Go Back
    vouches for the restored lines' contacts only while no contact has been deleted or
    renumbered since, and otherwise checks them as before — a journaled contact that was
    deleted makes Go Back fail and change nothing."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P3|P11"))
    with tx() as ctx:
        reduce_contacts(ctx, "S1", filters("Contact.no=P3"))
    with fixture_db() as s:
        stored = s.execute(select(CRITERIA.c.contact_key_epoch).where(
            CRITERIA.c.type == "Action").order_by(CRITERIA.c.line_no.desc())).scalars().first()
        assert stored is not None and stored == contact_key_epoch(s)
    with tx() as ctx:  # P3 is only in the journal: its deletion is allowed (E30: lines only)
        delete_contact(ctx, "P3")
    with fixture_db() as s:
        assert contact_key_epoch(s) == stored + 1
    before = state(fixture_db)
    with pytest.raises(IntegrityError, match="fk_segment_line_contact_no_contact"), tx() as ctx:
        go_back(ctx, "S1")
    assert state(fixture_db) == before

    with tx() as ctx:  # a new action journals with the new epoch: Go Back vouches again
        add_contacts(ctx, "S1", filters("Contact.no=P11"), allow_existing=True)
    with tx() as ctx:
        reduce_contacts(ctx, "S1", filters("Contact.no=P11"))
    assert lines(fixture_db) == []
    with tx() as ctx:
        go_back(ctx, "S1")
    assert lines(fixture_db) == [(20000, "P11"), (30000, "P11")]
