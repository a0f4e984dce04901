"""Contacts (SPEC §2.2): create and change companies and persons.

Persons inherit fields from their company as Marketing Setup says and follow the company's later
changes; a person on unlogged segments cannot change company (E31); a contact with interaction
log entries cannot change type (E32). A new contact that looks like a stored one (same e-mail,
or same name and company) is refused unless the caller allows it (``_duplicates``). Deleting is
in ``_deletion``; reads for lists and cards are in ``_queries``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.domain.enums import ContactType
from rapport.errors import ConflictError, ValidationError
from rapport.services.contacts import _rules as rules
from rapport.services.contacts._duplicates import (
    DuplicateContactError,
    SuspectedDuplicate,
    suspected_duplicates,
)
from rapport.services.contacts._inputs import EDITABLE, ContactChanges, ContactInput
from rapport.services.context import Ctx
from rapport.services.records import get_or_raise
from rapport.services.setup import check_manual_no, draw_next, get_marketing_setup, require_series

#: Every stored field of a contact that a change can touch (what ``ContactUpdated`` compares).
_COMPARED = (*ContactChanges.model_fields, "company_name")


@dataclass(frozen=True)
class ContactCreated:
    """A new contact and what rapport filled in: ``inherited`` from its company, ``defaulted``
    from the marketing setup (field → value), and the ``duplicates`` it may be one of (only
    when they were allowed)."""

    contact: m.Contact
    inherited: dict[str, Any] = field(default_factory=dict)
    defaulted: dict[str, Any] = field(default_factory=dict)
    duplicates: list[SuspectedDuplicate] = field(default_factory=list)


@dataclass(frozen=True)
class ContactUpdated:
    """A changed contact: its ``changes`` (field → (old, new)) and, for a company, on how many
    of its persons each field followed (``persons``: field → count)."""

    contact: m.Contact
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)


_SPECIAL = frozenset({"company_no", "search_name", "type"})


def get_contact(ctx: Ctx, no: str, *, lock: bool = False) -> m.Contact:
    """A contact by number (with ``lock``, locked for update and read afresh)."""
    key = require_code(no, field="contact_no", record="Contact")
    return get_or_raise(ctx, m.Contact, key, what="Contact", field="contact_no", lock=lock)


def create_contact(ctx: Ctx, data: ContactInput, *,
                   allow_duplicate: bool = False) -> ContactCreated:
    """Create a company or person; without a number it is drawn from "Contact Nos.". A contact
    that looks like a stored one is refused (``DuplicateContactError``) unless
    ``allow_duplicate``."""
    setup = get_marketing_setup(ctx)
    key = normalize_code(data.no, field="no", record="Contact")
    values = data.model_dump()
    record = f"Contact {key or '(new)'}"
    contact = m.Contact(type=rules.clean_value(ctx, "type", values["type"], record))
    for name in EDITABLE - _SPECIAL:
        setattr(contact, name, rules.clean_value(ctx, name, values[name], record))
    company = _company_of(ctx, contact.type, values["company_no"], key, record)
    contact.no = _number(ctx, key, setup, contact)
    record = f"Contact {contact.no}"
    _require_name(contact, record)
    _set_company(contact, company)
    contact.search_name = _search_name(values["search_name"], contact.name)
    inherited = (_values(contact, rules.inherit_from_company(contact, company, setup))
                 if company is not None else {})
    defaulted = _values(contact, rules.apply_defaults(contact, setup))
    duplicates = suspected_duplicates(ctx, contact)
    if duplicates and not allow_duplicate:  # named without the number drawn for it
        raise DuplicateContactError(f"Contact {key}" if key else "New contact", contact.name,
                                    duplicates)
    ctx.session.add(contact)
    ctx.session.flush()
    return ContactCreated(contact, inherited, defaulted, duplicates)


def _values(contact: m.Contact, names: set[str]) -> dict[str, Any]:
    """The non-blank values of ``names`` on ``contact``, in field order."""
    return {n: getattr(contact, n) for n in _COMPARED
            if n in names and getattr(contact, n) not in (None, "")}


def _require_name(contact: m.Contact, record: str) -> None:
    """A contact needs a name; a person's defaults to "first name surname" (as on import)."""
    if not contact.name and contact.type == ContactType.PERSON:
        contact.name = f"{contact.first_name} {contact.surname}".strip()
    if not contact.name:
        raise ValidationError(f"Name of {record} must have a value", record=record,
                              field="name", reason="blank")


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


def update_contact(ctx: Ctx, no: str, data: ContactChanges) -> ContactUpdated:
    """Change a contact's fields; persons follow their company's inherited fields."""
    contact = get_contact(ctx, no)
    record = f"Contact {contact.no}"
    changes = data.given()
    setup = get_marketing_setup(ctx)
    before = {n: getattr(contact, n) for n in _COMPARED}
    old = {n: before[n] for n in [*rules.inherited_fields(setup), "name", "type"]}
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
    if "name" in changes or "first_name" in changes or "surname" in changes:
        _require_name(contact, record)
    _refresh_search_name(contact, changes, old["name"])
    persons: dict[str, int] = {}
    if contact.type == ContactType.COMPANY:
        contact.company_name = contact.name
        if old["type"] == ContactType.COMPANY:
            persons = rules.propagate_to_persons(ctx, contact, old, setup)
    ctx.session.flush()
    after = {n: getattr(contact, n) for n in _COMPARED}
    changed = {n: (before[n], after[n]) for n in _COMPARED if before[n] != after[n]}
    return ContactUpdated(contact, changed, persons)


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
    # A type change always changes the Company No. (a company's is its own), which segment
    # lines carry into the entries when the segment is logged: E31 while on a line.
    rules.refuse_company_change_on_segment(ctx, contact.no, record)
    if new_type == ContactType.COMPANY:
        _refuse_if_has(ctx, m.ContactJobResponsibility, contact.no,
                       f"{record} has job responsibilities; a company cannot have them")
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
