"""Reading contacts: the filtered contact list and one contact with everything around it.

``ContactFilter`` is the one filter definition that the list, the export, the API and the web
pages share. A page of the list costs two queries (rows and total), whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from rapport.db.models import (
    BusinessRelation,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
    IndustryGroup,
    InteractionLogEntry,
    JobResponsibility,
    MailingGroup,
    ProfileQuestionnaireLine,
    SegmentLine,
)
from rapport.domain.codes import normalize_code
from rapport.domain.enums import ContactType
from rapport.errors import ValidationError
from rapport.services.contacts._search import search_clause
from rapport.services.context import Ctx
from rapport.services.paging import Page
from rapport.services.records import get_or_raise


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts: by type, by company (the company and its persons), by search text (part
    of the search name, number, e-mail or city, on an index: see ``_search``)."""

    type: str | None = None
    company_no: str | None = None
    search: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """The filter as SQL conditions on the contact table."""
        found: list[ColumnElement[bool]] = []
        if self.type:
            found.append(Contact.type == _contact_type(self.type))
        company = normalize_code(self.company_no, field="company_no", record="Contact filter")
        if company:
            found.append(Contact.company_no == company)
        term = (self.search or "").strip()
        if term:
            found.append(search_clause(term))
        return found

    def apply(self, query: Select[Any]) -> Select[Any]:
        return query.where(*self.clauses())


def _contact_type(value: str) -> str:
    for ctype in ContactType:
        if ctype.value.lower() == value.strip().lower():
            return ctype.value
    raise ValidationError(f"Contact type {value!r} must be Company or Person",
                          record="Contact filter", field="type", reason="unknown type")


@dataclass(frozen=True)
class ContactRow:
    no: str
    type: str
    name: str
    company_no: str | None
    company_name: str
    city: str
    salesperson_code: str | None
    email: str
    correspondence_type: str


_ROW_COLUMNS = (Contact.no, Contact.type, Contact.name, Contact.company_no, Contact.company_name,
                Contact.city, Contact.salesperson_code, Contact.email, Contact.correspondence_type)


def list_contacts(ctx: Ctx, filt: ContactFilter | None = None, *, limit: int = 50,
                  offset: int = 0) -> Page[ContactRow]:
    """One page of contacts in company order (a company, then its persons), and the total."""
    filt = filt or ContactFilter()
    if limit < 1 or offset < 0:
        raise ValidationError("limit must be at least 1 and offset not negative",
                              record="Contact list", field="limit", reason="out of range")
    rows = ctx.session.execute(filt.apply(select(*_ROW_COLUMNS)).order_by(
        Contact.company_name, Contact.company_no, Contact.type, Contact.name, Contact.no,
    ).limit(limit).offset(offset)).all()
    total = ctx.session.scalar(filt.apply(select(func.count()).select_from(Contact))) or 0
    return Page([ContactRow(*r) for r in rows], total, limit, offset)


def contacts_after(ctx: Ctx, filt: ContactFilter | None = None, *, after: str | None = None,
                   limit: int = 50) -> Page[ContactRow]:
    """One page of contacts by number after the number ``after`` (keyset: as fast deep in a
    million contacts as on the first page), and the total (two queries)."""
    filt = filt or ContactFilter()
    if limit < 1:
        raise ValidationError("limit must be at least 1", record="Contact list", field="limit",
                              reason="out of range")
    query = filt.apply(select(*_ROW_COLUMNS))
    key = normalize_code(after, field="after", record="Contact list")
    if key is not None:
        query = query.where(Contact.no > key)
    rows = ctx.session.execute(query.order_by(Contact.no).limit(limit)).all()
    total = ctx.session.scalar(filt.apply(select(func.count()).select_from(Contact))) or 0
    return Page([ContactRow(*r) for r in rows], total, limit, 0)


@dataclass
class ContactDetail:
    """A contact with its company, persons, classifications and usage counts."""

    fields: dict[str, object]
    company: tuple[str, str] | None
    persons: list[tuple[str, str, str, str]]
    mailing_groups: list[tuple[str, str]]
    industry_groups: list[tuple[str, str]]
    business_relations: list[tuple[str, str, str]]
    job_responsibilities: list[tuple[str, str]]
    profile_answers: list[tuple[str, int, str]] = field(default_factory=list)
    segment_lines: int = 0
    interaction_log_entries: int = 0


def show_contact(ctx: Ctx, no: str) -> ContactDetail:
    """Everything shown on a contact's card: fields, company, persons, classifications, counts."""
    key = normalize_code(no, field="no", record="Contact") or ""
    contact = get_or_raise(ctx, Contact, key, what="Contact", field="contact_no")
    session = ctx.session
    values = {c.key: getattr(contact, c.key) for c in Contact.__table__.columns}
    company = None
    if contact.type == ContactType.PERSON.value and contact.company_no:
        company = (contact.company_no, contact.company_name)
    persons = session.execute(
        select(Contact.no, Contact.name, Contact.job_title, Contact.email)
        .where(Contact.company_no == key, Contact.no != key).order_by(Contact.name, Contact.no)
    ).tuples().all()
    return ContactDetail(
        fields=values, company=company, persons=list(persons),
        mailing_groups=_codes(ctx, ContactMailingGroup.mailing_group_code, MailingGroup, key),
        industry_groups=_codes(ctx, ContactIndustryGroup.industry_group_code, IndustryGroup, key),
        business_relations=_business_relations(ctx, key),
        job_responsibilities=_codes(ctx, ContactJobResponsibility.job_responsibility_code,
                                    JobResponsibility, key),
        profile_answers=_profile_answers(ctx, key),
        segment_lines=_count(ctx, SegmentLine.contact_no, key),
        interaction_log_entries=_count(ctx, InteractionLogEntry.contact_no, key),
    )


def _codes(ctx: Ctx, code: Any, table: Any, key: str) -> list[tuple[str, str]]:
    owner = code.class_
    query = (select(code, table.description).join(table, table.code == code)
             .where(owner.contact_no == key).order_by(code))
    return [(c, d) for c, d in ctx.session.execute(query)]


def _business_relations(ctx: Ctx, key: str) -> list[tuple[str, str, str]]:
    rel = ContactBusinessRelation
    query = (select(rel.business_relation_code, BusinessRelation.description,
                    rel.link_to_table, rel.link_no)
             .join(BusinessRelation, BusinessRelation.code == rel.business_relation_code)
             .where(rel.contact_no == key).order_by(rel.business_relation_code))
    return [(c, d, f"{t} {n}".strip()) for c, d, t, n in ctx.session.execute(query)]


def _profile_answers(ctx: Ctx, key: str) -> list[tuple[str, int, str]]:
    ans, line = ContactProfileAnswer, ProfileQuestionnaireLine
    query = (select(ans.profile_questionnaire_code, ans.line_no, line.description)
             .join(line, (line.profile_questionnaire_code == ans.profile_questionnaire_code)
                   & (line.line_no == ans.line_no))
             .where(ans.contact_no == key)
             .order_by(ans.profile_questionnaire_code, ans.line_no))
    return [(c, n, d) for c, n, d in ctx.session.execute(query)]


def _count(ctx: Ctx, column: Any, key: str) -> int:
    return ctx.session.scalar(select(func.count()).where(column == key)) or 0
