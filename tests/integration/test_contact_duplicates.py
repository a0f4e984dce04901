"""Suspected duplicates (same e-mail ignoring case, or same name and company) on creating one
contact and on importing a file; what create, update and delete report back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import RuleViolationError, ValidationError
from rapport.services import contacts
from rapport.services.contacts import (
    ContactChanges,
    ContactInput,
    DuplicateContactError,
    DuplicateReport,
)
from rapport.services.contacts.files import _duplicates as file_duplicates
from rapport.services.contacts.files import import_contacts
from tests.builders_contact_files import write_csv
from tests.builders_setup import assert_refused, log_interaction, put_on_segment
from tests.conftest import TxFactory

SF = sessionmaker[Session]
HEADER = ["no", "type", "name", "company_no", "email"]


def _create(tx: TxFactory, **kw: Any) -> contacts.ContactCreated:
    with tx() as ctx:
        return contacts.create_contact(ctx, ContactInput(**kw))


def _refused(tx: TxFactory, factory: SF, **kw: Any) -> DuplicateContactError:
    err = assert_refused(tx, factory, lambda ctx: contacts.create_contact(ctx, ContactInput(**kw)),
                         DuplicateContactError, code="DUPLICATE")
    assert isinstance(err, DuplicateContactError)
    return err


# --- One contact -----------------------------------------------------------------------------


def test_same_email_ignoring_case_is_refused_naming_the_contact(tx: TxFactory,
                                                                fixture_db: SF) -> None:
    err = _refused(tx, fixture_db, type="Person", name="Annie Other", email="ANNA@Alpha.test")
    [suspect] = err.duplicates
    assert (suspect.no, suspect.name, suspect.company_no, suspect.company_name) == (
        "P11", "Anna Able", "C1", "Alpha Ltd")
    assert (suspect.email, suspect.reasons) == ("anna@alpha.test", ("same e-mail",))
    assert err.message == ("New contact 'Annie Other' may already exist: P11 Anna Able "
                           "(of C1 Alpha Ltd, anna@alpha.test, same e-mail)")
    assert err.field == "email"


@pytest.mark.parametrize(("kw", "expected"), [
    ({"name": "ALPHA LTD"}, ["C1"]),  # another company of that name, ignoring case
    ({"type": "Person", "name": "bob baker", "company_no": "C1"}, ["P12"]),
    ({"type": "Person", "name": "Dora Dean"}, ["P3"]),  # standalone beside standalone
])
def test_same_name_and_company_is_refused(tx: TxFactory, fixture_db: SF,
                                          kw: dict[str, str], expected: list[str]) -> None:
    err = _refused(tx, fixture_db, **kw)
    assert [d.no for d in err.duplicates] == expected
    assert err.duplicates[0].reasons == ("same name and company",)
    assert err.field == "name"


def test_same_name_elsewhere_is_no_duplicate(tx: TxFactory, fixture_db: SF) -> None:
    in_other_company = _create(tx, type="Person", name="Bob Baker", company_no="C2")
    standalone = _create(tx, type="Person", name="Anna Able")  # P11 has a company
    person_named_like_a_company = _create(tx, type="Person", name="Beta Inc")
    assert in_other_company.duplicates == standalone.duplicates == []
    assert person_named_like_a_company.duplicates == []


def test_both_reasons_are_merged_and_allow_duplicate_creates_it(tx: TxFactory,
                                                                fixture_db: SF) -> None:
    err = _refused(tx, fixture_db, type="Person", name="Anna Able", company_no="C1",
                   email="anna@alpha.test")
    assert [(d.no, d.reasons) for d in err.duplicates] == [
        ("P11", ("same e-mail", "same name and company"))]
    with tx() as ctx:
        created = contacts.create_contact(
            ctx, ContactInput(type="Person", name="Anna Able", company_no="C1",
                              email="anna@alpha.test"), allow_duplicate=True)
        no = created.contact.no
    assert [d.no for d in created.duplicates] == ["P11"]
    with fixture_db() as s:
        assert s.get(m.Contact, no) is not None


def test_a_blank_email_matches_nothing(tx: TxFactory, fixture_db: SF) -> None:
    first = _create(tx, type="Person", name="No Mail One")
    second = _create(tx, type="Person", name="No Mail Two")
    assert first.duplicates == second.duplicates == []


def test_a_name_is_required_and_a_person_gets_first_name_and_surname(
        tx: TxFactory, fixture_db: SF) -> None:
    assert_refused(tx, fixture_db, lambda ctx: contacts.create_contact(ctx, ContactInput()),
                   ValidationError, match="Name of Contact CT000001 must have a value")
    person = _create(tx, type="Person", first_name="Eva", surname="Eklund").contact
    assert (person.name, person.search_name) == ("Eva Eklund", "EVA EKLUND")
    assert_refused(tx, fixture_db, lambda ctx: contacts.update_contact(
        ctx, "C1", ContactChanges(name="")), ValidationError, match="Name of Contact C1")


def test_create_reports_what_inheritance_and_the_setup_filled_in(tx: TxFactory,
                                                                  fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None
        setup.default_correspondence_type = "Hard Copy"
        s.get(m.Contact, "C1").phone_no = "111"  # type: ignore[union-attr]
    created = _create(tx, type="Person", name="Eve Evans", company_no="C1", language_code="DEU")
    assert created.inherited == {"salesperson_code": "SP2", "phone_no": "111"}
    assert created.defaulted == {"correspondence_type": "Hard Copy"}
    assert created.contact.language_code == "DEU"  # her own, not inherited


def test_a_blocked_salesperson_is_refused(tx: TxFactory, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        s.get(m.Salesperson, "SP2").blocked = True  # type: ignore[union-attr]
    err = assert_refused(tx, fixture_db, lambda ctx: contacts.create_contact(
        ctx, ContactInput(name="Gamma", salesperson_code="sp2")), RuleViolationError,
        code="BLOCKED")
    assert err.field == "salesperson_code"


# --- What update and delete report -------------------------------------------------------------


def test_update_reports_changes_and_the_persons_that_followed(tx: TxFactory,
                                                               fixture_db: SF) -> None:
    with tx() as ctx:
        updated = contacts.update_contact(ctx, "C1", ContactChanges(
            name="Alpha Group", salesperson_code="SP1", city="Oslo"))
    assert updated.changes == {
        "name": ("Alpha Ltd", "Alpha Group"), "search_name": ("ALPHA LTD", "ALPHA GROUP"),
        "city": ("", "Oslo"), "salesperson_code": ("SP2", "SP1"),
        "company_name": ("Alpha Ltd", "Alpha Group")}
    # P11 and P12 held the company's salesperson and its (blank) address
    assert updated.persons == {"salesperson_code": 2, "city": 2, "company_name": 2}
    with tx() as ctx:
        unchanged = contacts.update_contact(ctx, "C1", ContactChanges(city="Oslo"))
    assert (unchanged.changes, unchanged.persons) == ({}, {})


def test_deletion_tells_what_it_does_before_and_when_deleting(tx: TxFactory,
                                                              fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        log_interaction(s, "P11")
        log_interaction(s, "C1")
    with tx() as ctx:
        plan = contacts.contact_deletion(ctx, "C1")
    assert (plan.no, plan.type, plan.name, plan.persons, plan.entries) == (
        "C1", "Company", "Alpha Ltd", 2, 2)
    with tx() as ctx:
        person_plan = contacts.contact_deletion(ctx, "P21")
    assert (person_plan.company_no, person_plan.persons) == ("C2", 0)
    with tx() as ctx:
        deleted = contacts.delete_contact(ctx, "C1")
    assert deleted == plan
    with fixture_db() as s:
        assert s.scalars(select(m.Contact.no).where(m.Contact.company_no == "C1")).all() == []


def test_deletion_preview_refuses_like_the_deletion_e30(tx: TxFactory, fixture_db: SF) -> None:
    with fixture_db.begin() as s:
        put_on_segment(s, "P12")
    for action in (contacts.contact_deletion, contacts.delete_contact):
        assert_refused(tx, fixture_db, lambda ctx, act=action: act(ctx, "C1"),  # type: ignore[misc]
                       RuleViolationError, code="E30")


# --- Import --------------------------------------------------------------------------------------


def _import(tx: TxFactory, path: Path) -> DuplicateReport:
    with tx() as ctx:
        return import_contacts(ctx, path).duplicates


def test_import_reports_new_rows_like_stored_contacts_or_other_rows(
        tx: TxFactory, fixture_db: SF, tmp_path: Path) -> None:
    rows = [
        ["N1", "Company", "alpha ltd", "", "new@alpha.test"],  # C1's name
        ["N2", "Person", "Someone", "N1", "Dora@Dean.test"],  # P3's e-mail
        ["N3", "Person", "Twin", "", "twin@x.test"],
        ["N4", "Person", "Other", "", "TWIN@x.test"],  # row 3's e-mail
        ["N5", "Person", "Twin", "", ""],  # row 3's name, both standalone
        ["N6", "Person", "Twin", "N1", ""],  # same name in another company: no duplicate
        ["C2", "Company", "Beta Inc", "", "beta@x.test"],  # an update: not reported
        ["N7", "Company", "Gamma", "", "beta@x.test"],  # the e-mail of row 7 (updated C2)
    ]
    report = _import(tx, write_csv(tmp_path / "c.csv", HEADER, rows))
    found = {r.row: r.matches() for r in report.rows}
    assert found == {
        1: ["C1 Alpha Ltd (c1@alpha.test, same name and company)"],
        2: ["P3 Dora Dean (no company, dora@dean.test, same e-mail)"],
        3: ["row 4 (same e-mail)", "row 5 (same name and company)"],
        4: ["row 3 (same e-mail)"],
        5: ["row 3 (same name and company)"],
        8: ["row 7 (same e-mail)"],
    }
    assert report.total == 6
    row_two = report.rows[1]
    assert (row_two.no, row_two.name, row_two.company_no, row_two.email) == (
        "N2", "Someone", "N1", "Dora@Dean.test")
    with fixture_db() as s:  # reported, not refused
        assert s.get(m.Contact, "N5") is not None


def test_reimporting_a_file_reports_nothing(tx: TxFactory, fixture_db: SF,
                                            tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", HEADER, [["N1", "Person", "Twin", "", "t@x.test"],
                                                  ["N2", "Person", "Twin", "", "t@x.test"]])
    assert _import(tx, path).total == 2
    assert _import(tx, path) == DuplicateReport()


def test_import_lists_the_first_rows_and_counts_them_all(
        tx: TxFactory, fixture_db: SF, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_duplicates, "REPORTED", 2)
    rows = [[f"N{i}", "Person", "Same Name", "", ""] for i in range(1, 6)]
    report = _import(tx, write_csv(tmp_path / "c.csv", HEADER, rows))
    assert report.total == 5
    assert [r.row for r in report.rows] == [1, 2]
    assert report.rows[0].other_rows == ((5, ("same name and company",)),)


def test_import_with_drawn_numbers_compares_against_stored_contacts(
        tx: TxFactory, fixture_db: SF, tmp_path: Path) -> None:
    report = _import(tx, write_csv(tmp_path / "c.csv", HEADER,
                                   [["", "Person", "Carl Cole", "C2", "carl@x.test"]]))
    [row] = report.rows
    assert row.no.startswith("CT") and [c.no for c in row.contacts] == ["P21"]
