"""Suspected duplicates of a new contact (a simplified form of the reference's duplicate search).

A stored contact is a suspected duplicate of a new one when it has the same e-mail address
(ignoring case) or the same name and company: for a company, another company with the same
search name; for a person, a person with the same search name in the same company (or, for a
standalone person, another standalone person). The search name is the upper-cased name unless
one was given, so names are compared ignoring case. Creating one contact refuses a suspected
duplicate unless it is allowed (``DuplicateContactError``); an import reports them
(``files._duplicates``, ``DuplicateReport``).

Every check is an index lookup, so it costs the same on a million contacts as on ten: the
e-mail through ``ix_contact_email_lower`` (on ``lower(email)`` where the e-mail is not blank —
a query must use that very expression and state that condition), the name through
``ix_contact_search_name`` or, for persons of a company, ``ix_contact_company_no``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select, union_all
from sqlalchemy.orm import QueryableAttribute

from rapport.db import models as m
from rapport.domain.enums import ContactType
from rapport.errors import ConflictError
from rapport.services.context import Ctx

COMPANY, PERSON = ContactType.COMPANY.value, ContactType.PERSON.value
SAME_EMAIL = "same e-mail"
SAME_NAME = "same name and company"
#: At most this many suspects are named in an error message (a common name may match hundreds).
SHOWN = 20


@dataclass(frozen=True)
class SuspectedDuplicate:
    """A stored contact that a new one may duplicate, and why (``SAME_EMAIL``, ``SAME_NAME``)."""

    no: str
    name: str
    company_no: str | None
    company_name: str
    email: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        facts = [] if self.company_no == self.no else [
            f"of {self.company_no} {self.company_name}" if self.company_no else "no company"]
        if self.email:
            facts.append(self.email)
        facts.append(" and ".join(self.reasons))
        return f"{self.no} {self.name} ({', '.join(facts)})"


@dataclass(frozen=True)
class DuplicateRow:
    """A row of an imported file (``no``, ``name``, ``company_no``, ``email`` are the row's)
    that may duplicate stored ``contacts`` (one found per reason) or ``other_rows`` of the same
    file (row number → reasons)."""

    row: int
    no: str
    name: str
    company_no: str | None
    email: str
    contacts: tuple[SuspectedDuplicate, ...] = ()
    other_rows: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def matches(self) -> list[str]:
        """What the row resembles, one phrase each: ``CT01 Anna Able (…: same e-mail)``,
        ``row 4 (same name and company)``."""
        rows = [f"row {row} ({' and '.join(reasons)})" for row, reasons in self.other_rows]
        return [str(contact) for contact in self.contacts] + rows


@dataclass(frozen=True)
class DuplicateReport:
    """The suspected duplicates of an import: the first ``rows`` (by row) of ``total``."""

    rows: tuple[DuplicateRow, ...] = ()
    total: int = 0


class DuplicateContactError(ConflictError):
    """A new contact looks like one or more stored contacts; ``duplicates`` names them all, the
    message the first ``SHOWN``."""

    code = "DUPLICATE"

    def __init__(self, record: str, name: str, duplicates: Sequence[SuspectedDuplicate]) -> None:
        self.duplicates = list(duplicates)
        listed = "; ".join(str(d) for d in self.duplicates[:SHOWN])
        more = len(self.duplicates) - SHOWN
        listed += f" … and {more} more" if more > 0 else ""
        field = "email" if SAME_EMAIL in self.duplicates[0].reasons else "name"
        super().__init__(f"{record} {name!r} may already exist: {listed}", record=record,
                         field=field, reason="suspected duplicate")


def email_key(column: ColumnElement[str] | QueryableAttribute[str]) -> ColumnElement[str]:
    """How e-mail addresses are compared: the expression ``ix_contact_email_lower`` indexes."""
    return func.lower(column)


def same_email(stored: Any, email: Any) -> list[ColumnElement[bool]]:
    """Stored contacts (columns ``stored``) with the e-mail ``email`` (a value or a column)."""
    # ``email <> ''`` is the condition of the partial index: a query must state it to use it.
    return [email_key(stored.email) == email_key(email), stored.email != ""]


#: Who a new contact is compared with by name (``same_name``).
COMPANIES, STANDALONE, COLLEAGUES = "companies", "standalone persons", "persons of its company"


def same_name(stored: Any, search_name: Any, among: str,
              company_no: Any = None) -> list[ColumnElement[bool]]:
    """Stored contacts (columns ``stored``) with the search name ``search_name`` ``among``
    companies, standalone persons, or the persons of company ``company_no``."""
    if among == COMPANIES:
        return [stored.search_name == search_name, stored.type == COMPANY]
    if among == STANDALONE:
        return [stored.search_name == search_name, stored.type == PERSON,
                stored.company_no.is_(None)]
    # A company has few persons, a common name may have hundreds of contacts: look persons up
    # by company. ``search_name || ''`` keeps SQLite, which has no statistics to go by, from
    # choosing the search name index instead.
    return [stored.company_no == company_no, stored.type == PERSON,
            stored.search_name + "" == search_name]


_COLUMNS = (m.Contact.no, m.Contact.name, m.Contact.company_no, m.Contact.company_name,
            m.Contact.email)


def suspected_duplicates(ctx: Ctx, contact: m.Contact) -> list[SuspectedDuplicate]:
    """Stored contacts that the new (not yet stored) ``contact`` may duplicate, by number."""
    # No ORDER BY … LIMIT here: with one, PostgreSQL may prefer walking the primary key in
    # order over the lookup when it expects many matches, which reads the whole table.
    among = (COMPANIES if contact.type == COMPANY else
             STANDALONE if contact.company_no is None else COLLEAGUES)
    stored = m.Contact.__table__.c
    queries = [select(*_COLUMNS, literal(SAME_NAME).label("reason")).where(
        *same_name(stored, contact.search_name, among, contact.company_no))]
    if contact.email:
        queries.insert(0, select(*_COLUMNS, literal(SAME_EMAIL).label("reason")).where(
            *same_email(stored, literal(contact.email))))
    found: dict[str, SuspectedDuplicate] = {}
    for no, name, company_no, company_name, email, reason in ctx.session.execute(
            union_all(*queries)):
        seen = found.get(no)
        reasons = (*seen.reasons, reason) if seen else (reason,)
        found[no] = SuspectedDuplicate(no, name, company_no, company_name, email, reasons)
    return [found[no] for no in sorted(found)]
