"""Compile parsed criteria (``_parse.Criteria``) into one SQL predicate over a contact (SPEC §3.4).

A contact passes a criteria action when it passes the Contact filters **and**, for every other
section with at least one filter, at least one related row exists that satisfies all of that
section's filters. Related rows are:

- Profile, Mailing Group, Job Responsibility: the contact's own rows;
- Industry Group, Business Relation: the rows of the contact's **company** (persons inherit them;
  a standalone person has none);
- Interaction: entries logged on the contact itself (same contact no. and same company no.,
  blank-safe), so an entry logged on a person does not qualify its company. Canceled and
  postponed entries count only when ``include_canceled`` / ``include_postponed`` say so, or when
  the filter names ``canceled`` / ``postponed`` itself (K9).

Everything compiles to ``EXISTS`` subqueries with bound parameters: one statement, no loop.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    FromClause,
    Select,
    and_,
    exists,
    false,
    func,
    or_,
    select,
    true,
    union,
)

from rapport.domain.enums import CriteriaSection
from rapport.services.criteria._catalogue import INCLUDE_CANCELED, INCLUDE_POSTPONED, catalogue
from rapport.services.criteria._parse import Criteria, SectionCriteria
from rapport.services.criteria._sql import compile_filter
from rapport.services.tables import CONTACT

#: A SELECT of contact numbers (one column).
ContactNos = Select[Any] | CompoundSelect[Any]
#: Sections whose rows belong to the contact's company rather than to the contact itself.
_COMPANY_ROWS = (CriteriaSection.INDUSTRY_GROUP, CriteriaSection.BUSINESS_RELATION)


def contact_predicate(criteria: Criteria, contact: FromClause) -> ColumnElement[bool]:
    """The condition under which a contact row (of the alias ``contact``) passes the criteria."""
    parts: list[ColumnElement[bool]] = []
    for section in criteria.sections:
        if section.section is CriteriaSection.CONTACT:
            parts += [compile_filter(f.node, contact.c[f.field.key]) for f in section.filters]
        else:
            parts.append(_related_rows_exist(section, contact))
    return and_(true(), *parts)


def _column_filters(section: SectionCriteria, rows: FromClause) -> list[ColumnElement[bool]]:
    return [
        compile_filter(f.node, rows.c[f.field.key]) for f in section.filters if not f.field.pseudo
    ]


def _related_rows_exist(section: SectionCriteria, contact: FromClause) -> ColumnElement[bool]:
    rows = catalogue(section.section).table.alias()
    conditions = _column_filters(section, rows)
    if section.section is CriteriaSection.INTERACTION:
        conditions += _interaction_relation(section, rows, contact)
    elif section.section in _COMPANY_ROWS:
        conditions.append(rows.c.contact_no == contact.c.company_no)
    else:
        conditions.append(rows.c.contact_no == contact.c.no)
    return exists(select(rows.c.contact_no).where(*conditions).correlate(contact))


def _interaction_relation(
    section: SectionCriteria, entries: FromClause, contact: FromClause
) -> list[ColumnElement[bool]]:
    """Entries logged on the contact itself; canceled/postponed ones only when asked (K9)."""
    conditions: list[ColumnElement[bool]] = [
        entries.c.contact_no == contact.c.no,
        func.coalesce(entries.c.contact_company_no, "") == func.coalesce(contact.c.company_no, ""),
    ]
    if not (section.option(INCLUDE_CANCELED) or section.names("canceled")):
        conditions.append(entries.c.canceled == false())
    if not (section.option(INCLUDE_POSTPONED) or section.names("postponed")):
        conditions.append(entries.c.postponed == false())
    return conditions


def company_match(criteria: Criteria, contact: FromClause) -> ColumnElement[bool]:
    """Entire Companies (§3.5, K8): some contact of the contact's current company passes.

    A contact without a company (a standalone person) tests only itself.
    """
    colleague = CONTACT.alias()
    same_company = exists(
        select(colleague.c.no)
        .where(
            colleague.c.company_no == contact.c.company_no,
            contact_predicate(criteria, colleague),
        )
        .correlate(contact)
    )
    return or_(
        and_(contact.c.company_no.is_(None), contact_predicate(criteria, contact)), same_company
    )


def expanded_contacts(criteria: Criteria) -> ContactNos:
    """Expand Companies (§3.4): matched standalone persons, and every contact of each company
    that has a matched contact (the company itself included, its no. being its company no.).

    Written as a UNION with a join, so both engines plan it as a (hash) join: an ``IN`` inside an
    ``OR`` would make PostgreSQL re-scan the subquery per contact once it outgrows work_mem.
    """
    loner = CONTACT.alias()
    matched = CONTACT.alias()
    member = CONTACT.alias()
    companies = (
        select(matched.c.company_no)
        .where(matched.c.company_no.is_not(None), contact_predicate(criteria, matched))
        .distinct()
        .subquery()
    )
    standalone = select(loner.c.no).where(
        loner.c.company_no.is_(None), contact_predicate(criteria, loner)
    )
    colleagues = select(member.c.no).join(companies, member.c.company_no == companies.c.company_no)
    return union(standalone, colleagues)


def with_related_companies(selected: ContactNos) -> ContactNos:
    """Allow Related Companies (§3.4): the selected contacts and the companies of those contacts.

    ``selected`` is a SELECT of contact numbers.
    """
    chosen = selected.subquery()
    contact = CONTACT.alias()
    companies = (
        select(contact.c.company_no.label("no"))
        .join(chosen, contact.c.no == chosen.c[0])
        .where(contact.c.company_no.is_not(None))
    )
    return union(select(chosen.c[0]), companies)
