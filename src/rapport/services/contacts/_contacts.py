"""Contacts (SPEC §2.2): create, change and delete companies and persons.

Persons inherit fields from their company as Marketing Setup says and follow the company's later
changes; contacts on unlogged segments cannot be deleted (E30) or change company (E31); a contact
with interaction log entries cannot change type (E32). Deleting a person re-points its
interactions to its company; deleting a company deletes its persons and detaches their
interactions. Reads for lists and cards are in ``contact_queries``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import delete, exists, select, update

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.domain.enums import ContactType
from rapport.errors import ConflictError, ValidationError
from rapport.services.contacts import _rules as rules
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise
from rapport.services.setup import check_manual_no, draw_next, get_marketing_setup, require_series


class ContactInput(Input):
    """A new contact; without ``no`` it is drawn from "Contact Nos.", and blanks are filled by
    inheritance from its company and by the marketing setup's defaults."""

    record: ClassVar[str] = "Contact"

    no: str | None = None
    type: str = ContactType.COMPANY.value
    name: str = ""
    name_2: str = ""
    search_name: str = ""
    company_no: str | None = None
    first_name: str = ""
    surname: str = ""
    job_title: str = ""
    address: str = ""
    address_2: str = ""
    post_code: str = ""
    city: str = ""
    county: str = ""
    country_region_code: str | None = None
    territory_code: str | None = None
    salesperson_code: str | None = None
    language_code: str | None = None
    salutation_code: str | None = None
    correspondence_type: str = ""
    email: str = ""
    phone_no: str = ""
    mobile_phone_no: str = ""
    fax_no: str = ""
    home_page: str = ""
    vat_registration_no: str = ""
    exclude_from_segment: bool = False
    privacy_blocked: bool = False


class ContactChanges(Input):
    """Changes to a contact; only the fields set are applied (codes and texts: None = blank)."""

    record: ClassVar[str] = "Contact"

    type: str | None = None
    name: str | None = None
    name_2: str | None = None
    search_name: str | None = None
    company_no: str | None = None
    first_name: str | None = None
    surname: str | None = None
    job_title: str | None = None
    address: str | None = None
    address_2: str | None = None
    post_code: str | None = None
    city: str | None = None
    county: str | None = None
    country_region_code: str | None = None
    territory_code: str | None = None
    salesperson_code: str | None = None
    language_code: str | None = None
    salutation_code: str | None = None
    correspondence_type: str | None = None
    email: str | None = None
    phone_no: str | None = None
    mobile_phone_no: str | None = None
    fax_no: str | None = None
    home_page: str | None = None
    vat_registration_no: str | None = None
    exclude_from_segment: bool | None = None
    privacy_blocked: bool | None = None


EDITABLE = frozenset(ContactChanges.model_fields)
_SPECIAL = frozenset({"company_no", "search_name", "type"})


def get_contact(ctx: Ctx, no: str) -> m.Contact:
    """A contact by number."""
    key = require_code(no, field="contact_no", record="Contact")
    return get_or_raise(ctx, m.Contact, key, what="Contact", field="contact_no")


def create_contact(ctx: Ctx, data: ContactInput) -> m.Contact:
    """Create a company or person; without a number it is drawn from "Contact Nos."."""
    setup = get_marketing_setup(ctx)
    key = normalize_code(data.no, field="no", record="Contact")
    values = data.model_dump()
    record = f"Contact {key or '(new)'}"
    contact = m.Contact(type=rules.clean_value(ctx, "type", values["type"], record))
    for name in EDITABLE - _SPECIAL:
        setattr(contact, name, rules.clean_value(ctx, name, values[name], record))
    company = _company_of(ctx, contact.type, values["company_no"], key, record)
    contact.no = _number(ctx, key, setup, contact)
    _set_company(contact, company)
    contact.search_name = _search_name(values["search_name"], contact.name)
    if company is not None:
        rules.inherit_from_company(contact, company, setup)
    rules.apply_defaults(contact, setup)
    ctx.session.add(contact)
    ctx.session.flush()
    return contact


def _number(ctx: Ctx, key: str | None, setup: m.MarketingSetup, contact: m.Contact) -> str:
    if key is None:
        contact.no_series = require_series(ctx, "contact_nos")
        return draw_next(ctx, contact.no_series)
    check_manual_no(ctx, setup.contact_nos, record=f"Contact {key}")
    if ctx.session.get(m.Contact, key) is not None:
        raise ConflictError(f"Contact {key} already exists", record=f"Contact {key}",
                            field="no", reason="duplicate")
    return key


def _company_of(ctx: Ctx, ctype: str, company_no: str | None, own_no: str | None,
                record: str) -> m.Contact | None:
    """The company a person names (must exist and be a company); companies name none."""
    code = normalize_code(company_no, field="company_no", record=record)
    if ctype == ContactType.COMPANY:
        if code is not None and code != own_no:
            raise ValidationError(f"A company's Company No. is its own number ({record})",
                                  record=record, field="company_no", reason="company")
        return None
    if code is None:
        return None
    company = ctx.session.get(m.Contact, code)
    if company is None or company.type != ContactType.COMPANY:
        what = "does not exist" if company is None else "is not a company"
        raise ValidationError(f"Company No. {code} of {record} {what}", record=record,
                              field="company_no", reason=what)
    return company


def _set_company(contact: m.Contact, company: m.Contact | None) -> None:
    if contact.type == ContactType.COMPANY:
        contact.company_no, contact.company_name = contact.no, contact.name
    elif company is None:
        contact.company_no, contact.company_name = None, ""
    else:
        contact.company_no, contact.company_name = company.no, company.name


def _search_name(given: str | None, name: str) -> str:
    return (given or "").strip() or name.upper()[:100]


def update_contact(ctx: Ctx, no: str, data: ContactChanges) -> m.Contact:
    """Change a contact's fields; persons follow their company's inherited fields."""
    contact = get_contact(ctx, no)
    record = f"Contact {contact.no}"
    changes = data.given()
    setup = get_marketing_setup(ctx)
    old = {n: getattr(contact, n) for n in [*rules.inherited_fields(setup), "name", "type"]}
    for name in EDITABLE - _SPECIAL:
        if name in changes:
            setattr(contact, name, rules.clean_value(ctx, name, changes[name], record))
    if "type" in changes:
        _change_type(ctx, contact, rules.clean_value(ctx, "type", changes["type"], record), setup)
    if "company_no" in changes:
        if contact.type == ContactType.PERSON:
            _change_company(ctx, contact, changes["company_no"], setup)
        else:
            _company_of(ctx, contact.type, changes["company_no"], contact.no, record)
    _refresh_search_name(contact, changes, old["name"])
    if contact.type == ContactType.COMPANY:
        contact.company_name = contact.name
        if old["type"] == ContactType.COMPANY:
            rules.propagate_to_persons(ctx, contact, old, setup)
    ctx.session.flush()
    return contact


def _refresh_search_name(contact: m.Contact, changes: Mapping[str, Any], old_name: str) -> None:
    if "search_name" in changes:
        contact.search_name = _search_name(changes["search_name"], contact.name)
    elif contact.name != old_name and contact.search_name in ("", old_name.upper()[:100]):
        contact.search_name = contact.name.upper()[:100]


def _change_type(ctx: Ctx, contact: m.Contact, new_type: str, setup: m.MarketingSetup) -> None:
    """Company ↔ person, as the reference's TypeChange (E32 once interactions exist)."""
    if new_type == contact.type:
        return
    record = f"Contact {contact.no}"
    rules.refuse_type_change_when_logged(ctx, contact.no, record)
    if new_type == ContactType.COMPANY:
        _refuse_if_has(ctx, m.ContactJobResponsibility, contact.no,
                       f"{record} has job responsibilities; a company cannot have them")
        if contact.company_no is not None:
            rules.refuse_company_change_on_segment(ctx, contact.no, record)
        contact.first_name = contact.surname = contact.job_title = ""
        contact.salutation_code = setup.def_company_salutation_code
    else:
        ctx.session.flush()
        if ctx.session.scalar(select(exists().where(m.Contact.company_no == contact.no,
                                                    m.Contact.no != contact.no))):
            raise ValidationError(f"{record} has persons; it cannot become a person",
                                  record=record, field="type", reason="company has persons")
        _refuse_if_has(ctx, m.ContactIndustryGroup, contact.no,
                       f"{record} has industry groups; a person cannot have them")
        _refuse_if_has(ctx, m.ContactBusinessRelation, contact.no,
                       f"{record} has business relations; a person cannot have them")
        contact.salutation_code = setup.default_person_salutation_code
    contact.type = new_type
    _set_company(contact, None)


def _refuse_if_has(ctx: Ctx, model: type[Any], no: str, message: str) -> None:
    if ctx.session.scalar(select(exists().where(model.contact_no == no))):
        raise ValidationError(message, record=f"Contact {no}", field="type",
                              reason="classification rows exist")


def _change_company(ctx: Ctx, person: m.Contact, value: str | None,
                    setup: m.MarketingSetup) -> None:
    """Move a person to another company (E31 while on a segment line) and re-inherit."""
    record = f"Contact {person.no}"
    company = _company_of(ctx, person.type, value, person.no, record)
    new_no = company.no if company is not None else None
    if new_no == person.company_no:
        return
    rules.refuse_company_change_on_segment(ctx, person.no, record)
    previous = ctx.session.get(m.Contact, person.company_no) if person.company_no else None
    before = ({n: getattr(previous, n) for n in rules.inherited_fields(setup)}
              if previous is not None else None)
    _set_company(person, company)
    if company is not None:
        rules.inherit_from_company(person, company, setup, before)


def delete_contact(ctx: Ctx, no: str) -> None:
    """Delete a contact (E30 while on a segment line); a company takes its persons with it."""
    contact = get_contact(ctx, no)
    record = f"Contact {contact.no}"
    ile = m.InteractionLogEntry
    ctx.session.flush()
    if contact.type == ContactType.PERSON:
        rules.refuse_delete_on_segment(ctx, m.Contact.no == contact.no, record)
        _update_entries(ctx, ile.contact_no == contact.no, contact_no=contact.company_no)
        ctx.session.delete(contact)
        ctx.session.flush()
        return
    family = (m.Contact.company_no == contact.no) | (m.Contact.no == contact.no)
    rules.refuse_delete_on_segment(ctx, family, f"{record} or one of its persons")
    members = select(m.Contact.no).where(family)
    _update_entries(ctx, ile.contact_no.in_(members) | (ile.contact_company_no == contact.no),
                    contact_no=None, contact_company_no=None)
    ctx.session.execute(delete(m.Contact).where(m.Contact.company_no == contact.no,
                                                m.Contact.no != contact.no)
                        .execution_options(synchronize_session="fetch"))
    ctx.session.delete(contact)
    ctx.session.flush()


def _update_entries(ctx: Ctx, where: Any, **values: Any) -> None:
    ctx.session.execute(update(m.InteractionLogEntry).where(where).values(**values)
                        .execution_options(synchronize_session=False))
