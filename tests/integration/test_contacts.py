"""Contacts (SPEC §2.2): numbering, defaults, inheritance, E30/E31/E32, deletion, classes."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services import contacts
from rapport.services.contacts import ContactChanges, ContactInput
from rapport.services.context import Ctx
from tests.builders_setup import assert_refused, basic_setup, log_interaction, put_on_segment
from tests.conftest import TxFactory

SF = sessionmaker[Session]
ADDRESS = dict(
    address="Main St 1",
    address_2="Floor 2",
    post_code="0150",
    city="Oslo",
    county="Oslo",
    country_region_code="NO",
)


@pytest.fixture
def world(factory: SF) -> SF:
    with factory.begin() as s:
        basic_setup(s)
    return factory


def _create(tx: TxFactory, no: str | None = None, **kw: Any) -> str:
    with tx() as ctx:
        return contacts.create_contact(ctx, ContactInput(no=no, **kw)).contact.no


def _company(tx: TxFactory, world: SF, no: str = "C1", **kw: Any) -> str:
    with world.begin() as s:
        s.get(m.NumberSeries, "CONT").manual_nos = True  # type: ignore[union-attr]
    values: dict[str, Any] = dict(
        name="Alpha Ltd",
        salesperson_code="SP1",
        territory_code="NORTH",
        language_code="DEU",
        phone_no="111",
        fax_no="222",
        **ADDRESS,
    )
    values.update(kw)
    return _create(tx, no, **values)


def _get(factory: SF, no: str) -> m.Contact:
    with factory() as s:
        contact = s.get(m.Contact, no)
        assert contact is not None
        return contact


# --- Creation ------------------------------------------------------------------------------


def test_company_gets_number_name_and_setup_defaults(tx: TxFactory, world: SF) -> None:
    with world.begin() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None
        setup.default_correspondence_type = "Hard Copy"
        setup.default_salesperson_code = "SP2"
        setup.default_territory_code = "SOUTH"
        setup.default_country_region_code = "SE"
        setup.default_language_code = "DEU"
    no = _create(tx, name="Alpha Ltd")
    contact = _get(world, no)
    assert (contact.no, contact.no_series, contact.type) == ("CT0001", "CONT", "Company")
    assert (contact.company_no, contact.company_name, contact.search_name) == (
        "CT0001",
        "Alpha Ltd",
        "ALPHA LTD",
    )
    assert contact.correspondence_type == "Hard Copy"
    assert (
        contact.salesperson_code,
        contact.territory_code,
        contact.country_region_code,
        contact.language_code,
    ) == ("SP2", "SOUTH", "SE", "DEU")
    own = _get(
        world,
        _create(
            tx, name="Own", correspondence_type="Email", search_name="OWN X", salesperson_code="SP1"
        ),
    )
    assert (own.correspondence_type, own.search_name, own.salesperson_code) == (
        "Email",
        "OWN X",
        "SP1",
    )


def test_person_inherits_blank_fields_from_its_company(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    person = _get(world, _create(tx, type="Person", name="Anna Able", company_no="c1"))
    assert (person.company_no, person.company_name) == ("C1", "Alpha Ltd")
    assert (person.salesperson_code, person.territory_code, person.language_code) == (
        "SP1",
        "NORTH",
        "DEU",
    )
    assert {k: getattr(person, k) for k in ADDRESS} == ADDRESS
    assert (person.phone_no, person.fax_no, person.mobile_phone_no) == ("111", "222", "")


def test_person_keeps_its_own_values_and_its_own_address_block(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    person = _get(
        world,
        _create(
            tx,
            type="Person",
            name="Bob",
            company_no="C1",
            salesperson_code="SP2",
            city="Bergen",
            phone_no="999",
        ),
    )
    assert (person.salesperson_code, person.phone_no, person.fax_no) == ("SP2", "999", "222")
    # the person has an address of its own: the company's street is not mixed in
    assert (person.city, person.address, person.post_code) == ("Bergen", "", "")
    assert person.country_region_code == "NO"  # Inherit Country/Region is on by itself


def test_inheritance_follows_the_setup_flags(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    with world.begin() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None
        setup.inherit_salesperson = setup.inherit_address = False
        setup.inherit_communication = setup.inherit_country_region = False
    person = _get(world, _create(tx, type="Person", name="Carl", company_no="C1"))
    assert (person.salesperson_code, person.city, person.phone_no) == (None, "", "")
    assert person.country_region_code is None
    assert (person.territory_code, person.language_code) == ("NORTH", "DEU")


def test_standalone_person_has_no_company(tx: TxFactory, world: SF) -> None:
    person = _get(world, _create(tx, type="Person", name="Dora Dean"))
    assert (person.company_no, person.company_name) == (None, "")


@pytest.mark.parametrize(
    ("kw", "error", "field"),
    [
        ({"type": "Robot"}, ValidationError, "type"),
        ({"email": "dora@@dean"}, ValidationError, "email"),
        ({"correspondence_type": "Fax"}, ValidationError, "correspondence_type"),
        ({"territory_code": "WEST"}, NotFoundError, "territory_code"),
        ({"salesperson_code": "SPX"}, RuleViolationError, "salesperson_code"),
        ({"name": "x" * 101}, ValidationError, "name"),
        ({"type": "Person", "company_no": "NOPE"}, ValidationError, "company_no"),
        ({"type": "Company", "company_no": "C1"}, ValidationError, "company_no"),
    ],
)
def test_invalid_contacts_are_refused(
    tx: TxFactory, world: SF, kw: dict, error: type, field: str
) -> None:
    _company(tx, world)
    err = assert_refused(
        tx, world, lambda ctx: contacts.create_contact(ctx, ContactInput(**kw)), error
    )
    assert err.field == field


def test_person_of_a_person_is_refused(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.create_contact(ctx, ContactInput(type="Person", company_no="P1")),
        ValidationError,
        match="Company No. P1 of Contact .* is not a company",
    )


def test_numbering_rules_e01_e02_and_duplicates(tx: TxFactory, world: SF) -> None:
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.create_contact(ctx, ContactInput(no="X1")),
        RuleViolationError,
        code="E02",
    )
    _company(tx, world)
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.create_contact(ctx, ContactInput(no="c1")),
        ConflictError,
        match="Contact C1 already exists",
    )
    with world.begin() as s:
        s.get(m.MarketingSetup, 1).contact_nos = None  # type: ignore[union-attr]
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.create_contact(ctx, ContactInput()),
        RuleViolationError,
        code="E01",
        match="The Contact Nos. field",
    )
    assert _create(tx, "MANUAL", name="No series") == "MANUAL"


# --- Changes and propagation ---------------------------------------------------------------


def test_company_changes_flow_to_persons_holding_the_old_value(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    _create(
        tx, "P2", type="Person", name="Bob", company_no="C1", salesperson_code="SP2", phone_no="999"
    )
    _company(tx, world, "C2", name="Beta")
    _create(tx, "P3", type="Person", name="Carl", company_no="C2")
    with tx() as ctx:
        contacts.update_contact(
            ctx,
            "C1",
            ContactChanges(
                name="Alpha Group",
                salesperson_code="SP2",
                phone_no="333",
                city="Trondheim",
                territory_code=None,
            ),
        )
    p1, p2, p3 = (_get(world, n) for n in ("P1", "P2", "P3"))
    assert (p1.company_name, p1.salesperson_code, p1.phone_no, p1.city, p1.territory_code) == (
        "Alpha Group",
        "SP2",
        "333",
        "Trondheim",
        None,
    )
    assert (p2.company_name, p2.salesperson_code, p2.phone_no, p2.city) == (
        "Alpha Group",
        "SP2",
        "999",
        "Trondheim",
    )
    assert (p3.company_name, p3.phone_no, p3.city, p3.territory_code) == (
        "Beta",
        "111",
        "Oslo",
        "NORTH",
    )
    company = _get(world, "C1")
    assert (company.company_name, company.search_name) == ("Alpha Group", "ALPHA GROUP")


def test_company_changes_do_not_flow_when_inheritance_is_off(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    with world.begin() as s:
        s.get(m.MarketingSetup, 1).inherit_communication = False  # type: ignore[union-attr]
    with tx() as ctx:
        contacts.update_contact(ctx, "C1", ContactChanges(phone_no="333", salesperson_code="SP2"))
    person = _get(world, "P1")
    assert (person.phone_no, person.salesperson_code) == ("111", "SP2")


def test_person_moving_company_takes_the_new_companys_inherited_values(
    tx: TxFactory, world: SF
) -> None:
    _company(tx, world)
    _company(
        tx,
        world,
        "C2",
        name="Beta",
        salesperson_code="SP2",
        phone_no="555",
        city="Bergen",
        address="Side St 2",
    )
    _create(tx, "P1", type="Person", name="Anna", company_no="C1", fax_no="own fax")
    with tx() as ctx:
        contacts.update_contact(ctx, "P1", ContactChanges(company_no="c2"))
    person = _get(world, "P1")
    assert (person.company_no, person.company_name) == ("C2", "Beta")
    assert (person.salesperson_code, person.phone_no, person.city, person.address) == (
        "SP2",
        "555",
        "Bergen",
        "Side St 2",
    )
    assert person.fax_no == "own fax"
    with tx() as ctx:
        contacts.update_contact(ctx, "P1", ContactChanges(company_no=None))
    assert (_get(world, "P1").company_no, _get(world, "P1").company_name) == (None, "")


def test_update_refuses_unknown_fields_and_bad_values(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "C1", ContactChanges.model_validate({"no": "X"})),
        ValidationError,
        match="no editable field",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "C1", ContactChanges(email="bad")),
        ValidationError,
        match="not a valid e-mail",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "C1", ContactChanges(company_no="C9")),
        ValidationError,
        match="its own number",
    )
    assert_refused(
        tx, world, lambda ctx: contacts.update_contact(ctx, "NOPE", ContactChanges()), NotFoundError
    )
    with tx() as ctx:
        contacts.update_contact(
            ctx,
            "C1",
            ContactChanges(
                exclude_from_segment=True, privacy_blocked=True, email=" info@alpha.test "
            ),
        )
    company = _get(world, "C1")
    assert (company.exclude_from_segment, company.privacy_blocked, company.email) == (
        True,
        True,
        "info@alpha.test",
    )


def test_person_on_a_segment_cannot_change_company_e31(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    _company(tx, world, "C2", name="Beta")
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    with world.begin() as s:
        put_on_segment(s, "P1")
    err = assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "P1", ContactChanges(company_no="C2")),
        RuleViolationError,
        code="E31",
    )
    assert err.message.startswith("Company No. cannot be changed because unlogged segments")
    with tx() as ctx:  # other changes stay allowed
        contacts.update_contact(ctx, "P1", ContactChanges(company_no="C1", job_title="Buyer"))


def test_contact_on_a_segment_cannot_change_type_e31(tx: TxFactory, world: SF) -> None:
    # A type change changes the Company No. that the segment line carries into the entries.
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna")
    with world.begin() as s:
        put_on_segment(s, "C1")
        put_on_segment(s, "P1")
    for no, new_type in (("C1", "Person"), ("P1", "Company")):
        change = ContactChanges(type=new_type)

        def act(ctx: Ctx, no: str = no, change: ContactChanges = change) -> object:
            return contacts.update_contact(ctx, no, change)

        err = assert_refused(tx, world, act, RuleViolationError, code="E31")
        assert err.field == "company_no" and f"Contact {no}" in err.message


def test_type_cannot_change_once_interactions_exist_e32(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    with world.begin() as s:
        log_interaction(s, "C1")
    err = assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "C1", ContactChanges(type="Person")),
        RuleViolationError,
        code="E32",
    )
    assert err.message.startswith("Type cannot be changed because interaction log entries")


def test_type_change_rules(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna", company_no="C1", first_name="Anna")
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "C1", ContactChanges(type="Person")),
        ValidationError,
        match="has persons",
    )
    with world.begin() as s:
        s.add(m.JobResponsibility(code="BUY"))
        s.flush()
        s.add(m.ContactJobResponsibility(contact_no="P1", job_responsibility_code="BUY"))
    assert_refused(
        tx,
        world,
        lambda ctx: contacts.update_contact(ctx, "P1", ContactChanges(type="Company")),
        ValidationError,
        match="job responsibilities",
    )
    with world.begin() as s:
        s.execute(delete(m.ContactJobResponsibility))
    with tx() as ctx:
        contacts.update_contact(ctx, "P1", ContactChanges(type="Company"))
    person = _get(world, "P1")
    assert (person.type, person.company_no, person.company_name, person.first_name) == (
        "Company",
        "P1",
        "Anna",
        "",
    )
    with tx() as ctx:
        contacts.update_contact(ctx, "P1", ContactChanges(type="Person"))
    assert (_get(world, "P1").company_no, _get(world, "P1").company_name) == (None, "")


# --- Deletion ------------------------------------------------------------------------------


def _delete(ctx: Ctx, no: str) -> None:
    contacts.delete_contact(ctx, no)


def test_contact_on_a_segment_line_cannot_be_deleted_e30(tx: TxFactory, world: SF) -> None:
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    with world.begin() as s:
        put_on_segment(s, "P1")
    for no in ("P1", "C1"):  # deleting the company would delete its person too
        err = assert_refused(
            tx, world, functools.partial(_delete, no=no), RuleViolationError, code="E30"
        )
        assert err.message.startswith(
            "The contact cannot be deleted because it is assigned to one or more unlogged segments"
        )


def test_deleting_a_person_repoints_its_interactions_to_its_company(
    tx: TxFactory, world: SF
) -> None:
    _company(tx, world)
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    _create(tx, "P2", type="Person", name="Solo")
    with world.begin() as s:
        s.add(m.MailingGroup(code="NEWS"))
        s.flush()
        s.add(m.ContactMailingGroup(contact_no="P1", mailing_group_code="NEWS"))
        e1, e2 = log_interaction(s, "P1"), log_interaction(s, "P2")
    with tx() as ctx:
        contacts.delete_contact(ctx, "P1")
        contacts.delete_contact(ctx, "P2")
    with world() as s:
        assert s.get(m.Contact, "P1") is None and s.get(m.Contact, "C1") is not None
        assert s.scalars(select(m.ContactMailingGroup)).all() == []
        first, second = s.get(m.InteractionLogEntry, e1), s.get(m.InteractionLogEntry, e2)
        assert first is not None and (first.contact_no, first.contact_company_no) == ("C1", "C1")
        assert second is not None and second.contact_no is None


def test_deleting_a_company_deletes_its_persons_and_detaches_interactions(
    tx: TxFactory, world: SF
) -> None:
    _company(tx, world)
    _company(tx, world, "C2", name="Beta")
    _create(tx, "P1", type="Person", name="Anna", company_no="C1")
    _create(tx, "P2", type="Person", name="Carl", company_no="C2")
    with world.begin() as s:
        entries = [log_interaction(s, n) for n in ("C1", "P1", "P2")]
    with tx() as ctx:
        contacts.delete_contact(ctx, "C1")
    with world() as s:
        assert sorted(s.scalars(select(m.Contact.no))) == ["C2", "P2"]
        refs = [
            (e.contact_no, e.contact_company_no)
            for e in (s.get(m.InteractionLogEntry, n) for n in entries)
            if e is not None
        ]
    assert refs == [(None, None), (None, None), ("P2", "C2")]


def test_scenario_78_delete_after_segment_is_gone(tx: TxFactory, fixture_db: SF) -> None:
    """P3 on a line of S → E30; once S is logged (its lines gone) P3 and P11 can be deleted."""
    with fixture_db.begin() as s:
        segment = put_on_segment(s, "P3")
        e3, e11 = log_interaction(s, "P3"), log_interaction(s, "P11")
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.delete_contact(ctx, "P3"),
        RuleViolationError,
        code="E30",
    )
    with fixture_db.begin() as s:  # lines have no foreign key to their header (migration 0002)
        s.execute(delete(m.SegmentLine).where(m.SegmentLine.segment_no == segment))
        s.execute(delete(m.SegmentHeader).where(m.SegmentHeader.no == segment))
    with tx() as ctx:
        contacts.delete_contact(ctx, "P3")
        contacts.delete_contact(ctx, "P11")
    with fixture_db() as s:
        assert s.get(m.InteractionLogEntry, e3).contact_no is None  # type: ignore[union-attr]
        assert s.get(m.InteractionLogEntry, e11).contact_no == "C1"  # type: ignore[union-attr]


# --- Classifications -----------------------------------------------------------------------


def test_classifications_respect_who_may_have_them(tx: TxFactory, fixture_db: SF) -> None:
    with tx() as ctx:
        contacts.assign(ctx, "P21", "mailing-group", "news")
        contacts.assign(ctx, "C1", "industry_group", "RETAIL")
        contacts.assign(
            ctx, "X1", "business_relation", "CUST", link_to_table="Customer", link_no="CU9"
        )
        contacts.assign(ctx, "P11", "job_responsibility", "PURCH")
    with tx() as ctx:
        assert contacts.assigned_codes(ctx, "P21", "mailing_group") == ["NEWS"]
        assert contacts.assigned_codes(ctx, "C1", "industry_group") == ["RETAIL"]
        contacts.unassign(ctx, "P21", "mailing_group", "NEWS")
        assert contacts.assigned_codes(ctx, "P21", "mailing_group") == []
    for action, error, match in [
        (
            lambda ctx: contacts.assign(ctx, "P11", "industry_group", "RETAIL"),
            ValidationError,
            "only be assigned to companies",
        ),
        (
            lambda ctx: contacts.assign(ctx, "P11", "business_relation", "CUST"),
            ValidationError,
            "only be assigned to companies",
        ),
        (
            lambda ctx: contacts.assign(ctx, "C1", "job_responsibility", "PURCH"),
            ValidationError,
            "only be assigned to persons",
        ),
        (
            lambda ctx: contacts.assign(ctx, "P11", "mailing_group", "NEWS"),
            ConflictError,
            "already has mailing group NEWS",
        ),
        (lambda ctx: contacts.assign(ctx, "P11", "mailing_group", "NOPE"), NotFoundError, "NOPE"),
        (lambda ctx: contacts.assign(ctx, "P11", "hobby", "X"), NotFoundError, "Unknown"),
        (
            lambda ctx: contacts.assign(ctx, "C2", "business_relation", "CUST"),
            ConflictError,
            "already has",
        ),
        (
            lambda ctx: contacts.assign(ctx, "X11", "business_relation", "CUST"),
            ValidationError,
            "companies",
        ),
        (
            lambda ctx: contacts.unassign(ctx, "P12", "mailing_group", "NEWS"),
            NotFoundError,
            "has no mailing group NEWS",
        ),
    ]:
        assert_refused(tx, fixture_db, action, error, match=match)


def test_business_relation_link_option_is_checked(tx: TxFactory, fixture_db: SF) -> None:
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.assign(ctx, "X1", "business_relation", "CUST", link_to_table="Planet"),
        ValidationError,
        match="Link to Table",
    )


def test_profile_answers_must_be_answer_lines_for_the_contact_type(
    tx: TxFactory, fixture_db: SF
) -> None:
    with fixture_db.begin() as s:
        s.add(m.ProfileQuestionnaire(code="SIZE", contact_type="Companies"))
        s.flush()
        s.add_all(
            [
                m.ProfileQuestionnaireLine(
                    profile_questionnaire_code="SIZE",
                    line_no=1,
                    type="Question",
                    description="Size?",
                ),
                m.ProfileQuestionnaireLine(
                    profile_questionnaire_code="SIZE", line_no=2, type="Answer", description="Big"
                ),
            ]
        )
    with tx() as ctx:
        answer = contacts.set_profile_answer(ctx, "C1", "size", 2)
        assert answer.last_date_updated == ctx.work_date
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.set_profile_answer(ctx, "C2", "SIZE", 1),
        ValidationError,
        match="is not an answer",
    )
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.set_profile_answer(ctx, "C2", "NOPE", 2),
        ValidationError,
        match="is not an answer",
    )
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.set_profile_answer(ctx, "P11", "SIZE", 2),
        ValidationError,
        match="is for Companies",
    )
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.set_profile_answer(ctx, "C1", "SIZE", 2),
        ConflictError,
        match="already has answer",
    )
    with tx() as ctx:
        contacts.remove_profile_answer(ctx, "C1", "SIZE", 2)
    assert_refused(
        tx,
        fixture_db,
        lambda ctx: contacts.remove_profile_answer(ctx, "C1", "SIZE", 2),
        NotFoundError,
    )
