"""A contact typed by name is chosen only when the name is unambiguous (both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ValidationError
from rapport.services.interactions import DraftChanges, create_interaction
from tests.builders_interactions import entries, open_tx

Factory = sessionmaker[Session]


def _add_person(factory: Factory, no: str, name: str) -> None:
    with factory.begin() as session:
        company = session.get(m.Contact, "C1")
        assert company is not None
        session.add(m.Contact(no=no, type="Person", name=name, search_name=name.upper(),
                              company_no="C1", company_name=company.name))


def test_a_name_several_contacts_contain_is_refused_with_the_candidates(
    fixture_db: Factory,
) -> None:
    _add_person(fixture_db, "P90", "Annabel Lee")
    before = entries(fixture_db)
    with pytest.raises(ValidationError) as caught, open_tx(fixture_db) as ctx:
        create_interaction(ctx, DraftChanges(template_code="T-CALL"), contact_no="anna")
    message = caught.value.message
    assert "matches several contacts" in message and "give the contact's number" in message
    assert "P11 Anna Able" in message and "P90 Annabel Lee" in message
    assert caught.value.field == "contact_no"
    assert len(entries(fixture_db)) == len(before)  # nothing recorded


def test_the_contact_number_always_chooses(fixture_db: Factory) -> None:
    _add_person(fixture_db, "P90", "Annabel Lee")
    with open_tx(fixture_db) as ctx:
        recorded = create_interaction(ctx, DraftChanges(template_code="T-CALL"), contact_no="p90")
    assert recorded.contact_no == "P90"


def test_a_full_name_that_only_one_contact_has_chooses_it(fixture_db: Factory) -> None:
    _add_person(fixture_db, "P90", "Anna Able Junior")
    with open_tx(fixture_db) as ctx:
        recorded = create_interaction(
            ctx, DraftChanges(template_code="T-CALL"), contact_no="anna able"
        )
    assert recorded.contact_no == "P11"


def test_a_full_name_two_contacts_share_is_refused(fixture_db: Factory) -> None:
    _add_person(fixture_db, "P90", "Anna Able")
    with pytest.raises(ValidationError) as caught, open_tx(fixture_db) as ctx:
        create_interaction(ctx, DraftChanges(template_code="T-CALL"), contact_no="Anna Able")
    assert "P11 Anna Able" in caught.value.message and "P90 Anna Able" in caught.value.message


def test_changing_the_contact_by_an_ambiguous_name_is_refused(fixture_db: Factory) -> None:
    _add_person(fixture_db, "P90", "Annabel Lee")
    with pytest.raises(ValidationError), open_tx(fixture_db) as ctx:
        create_interaction(ctx, DraftChanges(template_code="T-CALL", contact="anna"),
                           salesperson_code="SP1")
