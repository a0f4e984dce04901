"""Deleting contacts (SPEC §2.2, §3.22).

A contact on an unlogged segment line cannot be deleted (E30; for a company: the company or one
of its persons). Deleting a person re-points its interaction log entries to its company (a
standalone person's entries keep no contact); deleting a company deletes its persons too and
clears the contact references of all their entries. Classifications and alternate addresses go
with the contact (foreign keys cascade). ``contact_deletion`` tells what a deletion would do,
refusing as the deletion would, without writing: the CLI asks for confirmation with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update

from rapport.db import models as m
from rapport.domain.enums import ContactType
from rapport.services.contacts import _rules as rules
from rapport.services.contacts._contacts import get_contact
from rapport.services.context import Ctx, run


@dataclass(frozen=True)
class ContactDeletion:
    """What deleting a contact does: the contact, the ``persons`` a company takes with it, and
    the interaction log ``entries`` that change (re-pointed to ``company_no``, a person's
    company, or left without a contact)."""

    no: str
    type: str
    name: str
    company_no: str | None
    persons: int
    entries: int


@dataclass(frozen=True)
class _Scope:
    contacts: ColumnElement[bool]  # the contact, and a company's persons
    entries: ColumnElement[bool]  # the interaction log entries that change
    values: dict[str, Any]  # how they change
    record: str


def _scope(contact: m.Contact) -> _Scope:
    ile = m.InteractionLogEntry
    record = f"Contact {contact.no}"
    if contact.type == ContactType.PERSON:
        return _Scope(m.Contact.no == contact.no, ile.contact_no == contact.no,
                      {"contact_no": contact.company_no}, record)
    family = (m.Contact.company_no == contact.no) | (m.Contact.no == contact.no)
    members = select(m.Contact.no).where(family)
    return _Scope(family, ile.contact_no.in_(members) | (ile.contact_company_no == contact.no),
                  {"contact_no": None, "contact_company_no": None},
                  f"{record} or one of its persons")


def _persons(contact: m.Contact) -> ColumnElement[bool]:
    return (m.Contact.company_no == contact.no) & (m.Contact.no != contact.no)


def _deletion(contact: m.Contact, persons: int, entries: int) -> ContactDeletion:
    company = contact.company_no if contact.type == ContactType.PERSON else None
    return ContactDeletion(contact.no, contact.type, contact.name, company, persons, entries)


def contact_deletion(ctx: Ctx, no: str) -> ContactDeletion:
    """What deleting contact ``no`` would do; refused (E30) as the deletion would be."""
    contact = get_contact(ctx, no)
    scope = _scope(contact)
    rules.refuse_delete_on_segment(ctx, scope.contacts, scope.record)
    persons = ctx.session.scalar(select(func.count()).where(_persons(contact))) or 0
    entries = ctx.session.scalar(
        select(func.count()).select_from(m.InteractionLogEntry).where(scope.entries)) or 0
    return _deletion(contact, persons if contact.type == ContactType.COMPANY else 0, entries)


def delete_contact(ctx: Ctx, no: str) -> ContactDeletion:
    """Delete a contact (E30 while on a segment line); a company takes its persons with it."""
    contact = get_contact(ctx, no)
    scope = _scope(contact)
    ctx.session.flush()
    rules.refuse_delete_on_segment(ctx, scope.contacts, scope.record)
    entries = run(ctx, update(m.InteractionLogEntry).where(scope.entries).values(**scope.values))
    persons = 0
    if contact.type == ContactType.COMPANY:
        persons = m.rowcount(ctx.session.execute(
            delete(m.Contact).where(_persons(contact))
            .execution_options(synchronize_session="fetch")))
    deleted = _deletion(contact, persons, entries)
    ctx.session.delete(contact)
    ctx.session.flush()
    return deleted
