"""Reduce and Refine Contacts (SPEC §3.5; scenarios 21, 22, 24; K7, K8), with their preview."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.domain.criteria import ActionOptions, FilterText
from rapport.domain.enums import CriteriaAction
from rapport.errors import FilterExpressionError, NotFoundError
from rapport.services.criteria import add_contacts, preview, reduce_contacts, refine_contacts
from rapport.services.segments import lines_changed
from rapport.services.tables import LINE
from tests.builders_segments import contacts, criteria_rows, filters, lines, make_segment, state
from tests.conftest import TxFactory


def _segment_with(factory: sessionmaker[Session], tx: TxFactory, *nos: str) -> None:
    make_segment(factory)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=" + "|".join(nos)), ignore_exclusion=True)


def test_reduce_removes_matching_contacts(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    """Scenario 21."""
    _segment_with(fixture_db, tx, "C1", "P11", "P12", "P3")
    with tx() as ctx:
        assert reduce_contacts(ctx, "S1", filters("Contact.type=Company")) == 1
    assert contacts(fixture_db) == ["P3", "P11", "P12"]
    action = criteria_rows(fixture_db)[2]
    assert (action.type, action.action, action.no_of_filters) == (
        "Action",
        "Remove Contacts (Reduce)",
        1,
    )


def test_refine_keeps_matching_contacts(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    """Scenario 22."""
    _segment_with(fixture_db, tx, "C1", "P11", "P12", "P3")
    with tx() as ctx:
        assert refine_contacts(ctx, "S1", filters("Mailing Group.code=NEWS")) == 2
    assert lines(fixture_db) == [(10000, "P3"), (30000, "P11")]


def test_reduce_with_entire_companies_removes_the_company_of_a_matching_colleague(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 24: P12 is not in S, but it matches, so its company C1 goes."""
    _segment_with(fixture_db, tx, "C1", "P3")
    purchasers = filters("Job Responsibility.code=PURCH")
    with tx() as ctx:
        assert reduce_contacts(ctx, "S1", purchasers) == 0
    with tx() as ctx:
        assert reduce_contacts(ctx, "S1", purchasers, entire_companies=True) == 1
    assert contacts(fixture_db) == ["P3"]
    assert criteria_rows(fixture_db)[-2].entire_companies is True


def test_refine_with_entire_companies_keeps_whole_companies(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment_with(fixture_db, tx, "C1", "P12", "C2", "P21", "P3")
    with tx() as ctx:
        refine_contacts(ctx, "S1", filters("Mailing Group.code=NEWS"), entire_companies=True)
    assert contacts(fixture_db) == ["P3", "C1", "P12"]  # P11 (not in S) is in NEWS


def test_entire_companies_on_a_standalone_person_tests_only_that_person(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """K8: P3's line is not removed because another standalone person matches."""
    with fixture_db.begin() as s:
        s.add(m.Contact(no="P4", type="Person", name="Eve Echo", exclude_from_segment=True))
    _segment_with(fixture_db, tx, "P3", "C2")
    with tx() as ctx:
        reduce_contacts(ctx, "S1", filters("Contact.no=P4"), entire_companies=True)
    assert contacts(fixture_db) == ["P3", "C2"]


def test_stale_company_on_a_line_is_judged_by_the_contacts_current_company(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """K7: P21 moved from C2 to C1 after it was put on the line."""
    _segment_with(fixture_db, tx, "P21", "P3")
    with fixture_db.begin() as s:
        p21 = s.get(m.Contact, "P21")
        assert p21 is not None
        p21.company_no, p21.company_name = "C1", "Alpha Ltd"
    with fixture_db() as s:
        stored = s.scalar(select(LINE.c.contact_company_no).where(LINE.c.contact_no == "P21"))
    assert stored == "C2"  # the line's snapshot is stale
    with tx() as ctx:
        removed = reduce_contacts(
            ctx, "S1", filters("Job Responsibility.code=PURCH"), entire_companies=True
        )
    assert removed == 1 and contacts(fixture_db) == ["P3"]


def test_refine_removes_lines_without_contact(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment_with(fixture_db, tx, "P11", "P3")
    with fixture_db.begin() as s:
        s.add(m.SegmentLine(segment_no="S1", line_no=30000, contact_no=None))
        s.flush()
        lines_changed(s, "S1", 1)
    with tx() as ctx:
        assert reduce_contacts(ctx, "S1", []) == 2  # every line with a contact
    assert lines(fixture_db) == [(30000, None)]
    with tx() as ctx:
        assert refine_contacts(ctx, "S1", []) == 1  # keeps every line that has a contact
    assert lines(fixture_db) == []


def test_exclusion_is_not_considered(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    _segment_with(fixture_db, tx, "X1", "X11", "P3")
    with tx() as ctx:
        refine_contacts(ctx, "S1", filters("Contact.company_no=X1"))
    assert contacts(fixture_db) == ["X1", "X11"]


@pytest.mark.parametrize(
    ("action", "given", "entire"),
    [
        (CriteriaAction.REDUCE, filters("Contact.type=Person"), False),
        (CriteriaAction.REFINE, filters("Mailing Group.code=NEWS"), False),
        (CriteriaAction.REDUCE, filters("Job Responsibility.code=PURCH"), True),
        (CriteriaAction.REFINE, filters("Industry Group.code=RETAIL"), True),
    ],
)
def test_preview_equals_the_real_effect_and_changes_nothing(
    fixture_db: sessionmaker[Session],
    tx: TxFactory,
    action: CriteriaAction,
    given: list[FilterText],
    entire: bool,
) -> None:
    _segment_with(fixture_db, tx, "C1", "P11", "C2", "P21", "P3", "X11")
    before = state(fixture_db)
    with tx() as ctx:
        counted = preview(ctx, "S1", action, given, ActionOptions(entire_companies=entire))
    assert counted > 0 and state(fixture_db) == before
    verb = reduce_contacts if action is CriteriaAction.REDUCE else refine_contacts
    with tx() as ctx:
        assert verb(ctx, "S1", given, entire_companies=entire) == counted
    assert len(lines(fixture_db)) == 6 - counted


def test_errors_leave_the_segment_unchanged(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment_with(fixture_db, tx, "C1", "P3")
    before = state(fixture_db)
    with pytest.raises(FilterExpressionError, match="Contact.no"), tx() as ctx:
        refine_contacts(ctx, "S1", filters("Contact.no=C1|"))
    with pytest.raises(NotFoundError, match="S9"), tx() as ctx:
        reduce_contacts(ctx, "S9", filters("Contact.no=C1"))
    assert state(fixture_db) == before
