"""Add Contacts (SPEC §3.4; scenarios 7, 8, 11, 12, 14, 16, 17; A3/K10 privacy)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.domain.criteria import ActionOptions
from rapport.domain.enums import CriteriaAction
from rapport.errors import FilterExpressionError, NotFoundError, ValidationError
from rapport.services.criteria import add_contacts, preview
from tests.builders import make_contact
from tests.builders_segments import contacts, criteria_rows, filters, lines, make_segment, state
from tests.conftest import TxFactory

NEWS = "Mailing Group.code=NEWS"


def test_mailing_group_filter_honours_exclusion_and_orders_standalone_first(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 7."""
    make_segment(fixture_db)
    with tx() as ctx:
        result = add_contacts(ctx, "S1", filters(NEWS))
    assert (result.added, result.skipped_privacy, result.no_of_criteria_actions) == (2, 0, 1)
    assert lines(fixture_db) == [(10000, "P3"), (20000, "P11")]


def test_ignore_exclusion_adds_excluded_contacts(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 8."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters(NEWS), ignore_exclusion=True)
    assert set(contacts(fixture_db)) == {"P11", "P3", "X1"}


def test_expand_companies_from_a_company_adds_company_then_persons_by_name(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 11."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=C1"), expand_companies=True)
    assert lines(fixture_db) == [(10000, "C1"), (20000, "P11"), (30000, "P12")]


def test_expand_companies_from_a_person_pulls_in_colleagues(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 12."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Job Responsibility.code=PURCH"), expand_companies=True)
    assert contacts(fixture_db) == ["C1", "P11", "P12"]


@pytest.mark.parametrize(("related", "expected"), [(True, ["C2", "P21"]), (False, ["P21"])])
def test_allow_related_companies_adds_the_persons_company(
    fixture_db: sessionmaker[Session], tx: TxFactory, related: bool, expected: list[str]
) -> None:
    """Scenario 14."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P21"), allow_related_companies=related)
    assert contacts(fixture_db) == expected


def test_sections_are_and_ed(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    """Scenario 16: P11 is in NEWS and its company has CUST; P3 has no company; X1 excluded."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters(NEWS, "Business Relation.code=CUST"))
    assert contacts(fixture_db) == ["P11"]


def test_industry_group_is_inherited_from_the_company(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Scenario 17."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Industry Group.industry_group_code=RETAIL"))
    assert contacts(fixture_db) == ["C2", "P21"]


def test_contacts_already_in_the_segment_are_skipped_unless_allowed(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P3"))
    with tx() as ctx:
        assert add_contacts(ctx, "S1", filters(NEWS)).added == 1  # P11 only
    with tx() as ctx:
        assert add_contacts(ctx, "S1", filters(NEWS), allow_existing=True).added == 2
    assert lines(fixture_db) == [
        (10000, "P3"),
        (20000, "P11"),
        (30000, "P3"),
        (40000, "P11"),
    ]


def test_exclusion_is_applied_after_expansion(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """X11 (not excluded) expands to its company X1, which is excluded and so dropped."""
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=X11"), expand_companies=True)
    assert contacts(fixture_db) == ["X11"]
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        add_contacts(
            ctx,
            "S2",
            filters("Contact.no=X11"),
            expand_companies=True,
            ignore_exclusion=True,
        )
    assert contacts(fixture_db, "S2") == ["X1", "X11"]


def test_expansion_of_a_standalone_person_keeps_only_that_person(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(
            ctx,
            "S1",
            filters("Contact.no=P3|P21"),
            expand_companies=True,
            allow_related_companies=True,
        )
    assert contacts(fixture_db) == ["P3", "C2", "P21"]


def test_privacy_blocked_contacts_are_never_added_and_are_counted(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with fixture_db.begin() as s:
        s.get(m.Contact, "P12").privacy_blocked = True  # type: ignore[union-attr]
        blocked = make_contact(s, type="Person", name="Zed Blocked", privacy_blocked=True)
        s.add(m.ContactMailingGroup(contact_no=blocked.no, mailing_group_code="NEWS"))
    with tx() as ctx:
        result = add_contacts(
            ctx, "S1", filters("Contact.no=C1"), expand_companies=True, ignore_exclusion=True
        )
    assert (result.added, result.skipped_privacy) == (2, 1)
    assert contacts(fixture_db) == ["C1", "P11"]
    with tx() as ctx:
        result = add_contacts(ctx, "S1", filters(NEWS), ignore_exclusion=True)
    assert (result.added, result.skipped_privacy) == (2, 1)
    assert blocked.no not in contacts(fixture_db)


def test_criteria_action_records_options_and_one_filter_row_per_section_in_order(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(
            ctx,
            "S1",
            filters(NEWS, "Contact.Type=Person", "Contact.Search Name=A*"),
            expand_companies=True,
            allow_existing=True,
        )
    rows = criteria_rows(fixture_db)
    shape = [(r.line_no, r.type, r.action, r.table_name, r.no_of_filters) for r in rows]
    assert shape == [
        (1, "Action", "Add Contacts", "", 2),
        (2, "Filter", "Add Contacts", "Contact", 0),
        (3, "Filter", "Add Contacts", "Mailing Group", 0),
    ]
    action = rows[0]
    assert (action.expand_contact, action.allow_existing_contacts, action.ignore_exclusion) == (
        True,
        True,
        False,
    )
    assert json.loads(rows[1].table_view) == {"type": "Person", "search_name": "A*"}
    assert json.loads(rows[2].table_view) == {"mailing_group_code": "NEWS"}


def test_no_filters_selects_every_contact_not_excluded(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        assert add_contacts(ctx, "S1", []).added == 7
    assert "X1" not in contacts(fixture_db)


def test_preview_counts_what_add_inserts_and_changes_nothing(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P11"))
    before = state(fixture_db)
    options = ActionOptions(expand_contact=True)
    chosen = filters("Contact.no=P11|P3")
    with tx() as ctx:
        counted = preview(ctx, "S1", CriteriaAction.ADD, chosen, options)
    assert counted == 3  # C1, P12, P3 (P11 is already in)
    assert state(fixture_db) == before
    with tx() as ctx:
        assert add_contacts(ctx, "S1", chosen, expand_companies=True).added == counted


def test_unknown_segment_is_refused(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    with pytest.raises(NotFoundError, match="Segment NOPE does not exist"), tx() as ctx:
        add_contacts(ctx, "nope", filters(NEWS))
    with fixture_db() as s:
        assert s.query(m.SegmentCriteriaLine).count() == 0
        assert s.query(m.SegmentLine).count() == 0


def test_bad_expression_is_refused_naming_section_field_and_position(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    make_segment(fixture_db)
    with tx() as ctx:
        add_contacts(ctx, "S1", filters(NEWS))
    before = state(fixture_db)
    with pytest.raises(FilterExpressionError) as err, tx() as ctx:
        add_contacts(ctx, "S1", filters("Interaction.date=2025-13-01.."))
    assert err.value.field == "Interaction.date"
    assert err.value.expression == "2025-13-01.." and err.value.position == 0
    assert "Interaction.date" in str(err.value)
    assert state(fixture_db) == before


@pytest.mark.parametrize(
    ("option", "section", "named"),
    [
        ("contact.colour=red", "Contact", "colour"),
        ("mailing_group.name=NEWS", "Mailing Group", "name"),
    ],
)
def test_unknown_field_is_refused_and_nothing_is_written(
    fixture_db: sessionmaker[Session], tx: TxFactory, option: str, section: str, named: str
) -> None:
    make_segment(fixture_db)
    with pytest.raises(ValidationError, match=named) as err, tx() as ctx:
        add_contacts(ctx, "S1", filters(option))
    assert err.value.field == named and err.value.record == section
    assert state(fixture_db) == {"lines": [], "criteria": [], "history": []}
