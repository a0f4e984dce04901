"""Contact field rules (SPEC §2.2): validation, company→person inheritance, E30/E31/E32 guards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, exists, select, update

from rapport.db import models as m
from rapport.domain.emails import check_email
from rapport.domain.enums import ContactType, CorrespondenceType
from rapport.errors import RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.setup import ensure_exists

TEXT_LIMITS: dict[str, int] = {
    "name": 100, "name_2": 50, "search_name": 100, "first_name": 30, "surname": 30,
    "job_title": 30, "address": 100, "address_2": 50, "post_code": 20, "city": 30,
    "county": 30, "phone_no": 30, "mobile_phone_no": 30, "fax_no": 30, "home_page": 80,
    "vat_registration_no": 20,
}
CODE_REFS: dict[str, type[Any]] = {
    "country_region_code": m.CountryRegion, "territory_code": m.Territory,
    "salesperson_code": m.Salesperson, "language_code": m.Language,
    "salutation_code": m.Salutation,
}
FLAGS = frozenset({"exclude_from_segment", "privacy_blocked"})
_TYPES = frozenset(t.value for t in ContactType)
_CORRESPONDENCE = frozenset(t.value for t in CorrespondenceType)

ADDRESS_FIELDS = ("address", "address_2", "post_code", "city", "county", "country_region_code")
# Marketing Setup "Inherit …" flag → the person fields copied from the company (format region
# has no column in rapport, so it is not inherited).
INHERIT_GROUPS: dict[str, tuple[str, ...]] = {
    "inherit_salesperson": ("salesperson_code",),
    "inherit_territory": ("territory_code",),
    "inherit_country_region": ("country_region_code",),
    "inherit_language": ("language_code",),
    "inherit_address": ADDRESS_FIELDS,
    "inherit_communication": ("phone_no", "fax_no"),
}


def clean_value(ctx: Ctx, name: str, value: Any, record: str) -> Any:
    """The stored form of one contact field, or a ValidationError/NotFoundError naming it."""
    if name in CODE_REFS:
        code = ensure_exists(ctx, CODE_REFS[name], value, field=name, record=record)
        if name == "salesperson_code" and code is not None:
            _refuse_blocked_salesperson(ctx, code, record)
        return code
    if name in FLAGS:
        return bool(value)
    if name == "email":
        return check_email(value, record=record)
    if name == "type":
        return _option(value, _TYPES, name, record)
    if name == "correspondence_type":
        return _option(value or "", _CORRESPONDENCE, name, record)
    text = (value or "").strip()
    if len(text) > TEXT_LIMITS[name]:
        raise ValidationError(f"{name} of {record} is longer than {TEXT_LIMITS[name]} characters",
                              record=record, field=name, reason="too long")
    return text


def _option(value: Any, allowed: frozenset[str], name: str, record: str) -> str:
    if value not in allowed:
        shown = ", ".join(repr(v) for v in sorted(allowed))
        raise ValidationError(f"{name} {value!r} of {record} must be one of {shown}",
                              record=record, field=name, reason="invalid option")
    return str(value)


def _refuse_blocked_salesperson(ctx: Ctx, code: str, record: str) -> None:
    if ctx.session.scalar(select(m.Salesperson.blocked).where(m.Salesperson.code == code)):
        raise RuleViolationError(f"Salesperson {code} is blocked and cannot be used on {record}",
                                 code="BLOCKED", record=record, field="salesperson_code",
                                 reason="salesperson blocked")


def inherited_fields(setup: m.MarketingSetup) -> list[str]:
    """The person fields that follow the company under the current marketing setup."""
    fields: list[str] = []
    for flag, names in INHERIT_GROUPS.items():
        if getattr(setup, flag):
            fields += [n for n in names if n not in fields]
    return fields


def _blank(value: Any) -> bool:
    return value is None or value == ""


def inherit_from_company(person: m.Contact, company: m.Contact, setup: m.MarketingSetup,
                         previous: Mapping[str, Any] | None = None) -> set[str]:
    """Copy inherited company fields into the person's blank fields (or those that equal the
    ``previous`` company's value when the person moves to another company); the names of the
    fields copied.

    The address is one block: it is copied only when the person has no address of its own.
    """
    fields = inherited_fields(setup)
    follows = {n for n in fields
               if _blank(getattr(person, n))
               or (previous is not None and getattr(person, n) == previous.get(n))}
    if setup.inherit_address and not set(ADDRESS_FIELDS) <= follows:
        # the person has an address of its own: keep the whole block (the country still
        # follows when "Inherit Country/Region" says so on its own)
        country_follows = setup.inherit_country_region and "country_region_code" in follows
        follows -= set(ADDRESS_FIELDS)
        if country_follows:
            follows.add("country_region_code")
    for name in follows:
        setattr(person, name, getattr(company, name))
    return follows


def apply_defaults(contact: m.Contact, setup: m.MarketingSetup) -> set[str]:
    """Marketing setup defaults for a new contact's blank fields (SPEC §2.1); the names of the
    fields given a value."""
    salutation = (setup.def_company_salutation_code if contact.type == ContactType.COMPANY
                  else setup.default_person_salutation_code)
    filled: set[str] = set()
    for name, default in (("salesperson_code", setup.default_salesperson_code),
                          ("territory_code", setup.default_territory_code),
                          ("country_region_code", setup.default_country_region_code),
                          ("language_code", setup.default_language_code),
                          ("correspondence_type", setup.default_correspondence_type),
                          ("salutation_code", salutation)):
        if _blank(getattr(contact, name)) and not _blank(default):
            setattr(contact, name, default)
            filled.add(name)
    return filled


def propagate_to_persons(ctx: Ctx, company: m.Contact, old: Mapping[str, Any],
                         setup: m.MarketingSetup) -> dict[str, int]:
    """After a company changed: persons holding the old value of an inherited field get the new
    one (one UPDATE per changed field), and every person gets the new company name. Returns
    how many persons each field was changed on (fields no person followed are left out)."""
    persons = (m.Contact.company_no == company.no) & (m.Contact.no != company.no)
    followed: dict[str, int] = {}
    for name in inherited_fields(setup):
        new = getattr(company, name)
        if new == old[name]:
            continue
        column = getattr(m.Contact, name)
        holds_old = column.is_(None) if old[name] is None else column == old[name]
        followed[name] = _update_persons(ctx, persons & holds_old, {name: new})
    if company.name != old["name"]:
        followed["company_name"] = _update_persons(ctx, persons, {"company_name": company.name})
    return {name: count for name, count in followed.items() if count}


def _update_persons(ctx: Ctx, where: ColumnElement[bool], values: dict[str, Any]) -> int:
    result = ctx.session.execute(update(m.Contact).where(where).values(**values)
                                 .execution_options(synchronize_session="fetch"))
    return m.rowcount(result)


def on_segment_line(ctx: Ctx, contacts: ColumnElement[bool]) -> bool:
    """True when a contact matching ``contacts`` is on any (unlogged) segment line."""
    return bool(ctx.session.scalar(select(exists().where(
        m.SegmentLine.contact_no == m.Contact.no, contacts))))


def refuse_delete_on_segment(ctx: Ctx, contacts: ColumnElement[bool], record: str) -> None:
    """E30: a contact on a segment line cannot be deleted."""
    if on_segment_line(ctx, contacts):
        raise RuleViolationError(
            f"The contact cannot be deleted because it is assigned to one or more unlogged "
            f"segments ({record})", code="E30", record=record, field="no",
            reason="on a segment line")


def refuse_company_change_on_segment(ctx: Ctx, no: str, record: str) -> None:
    """E31: a person's company cannot change while the person is on a segment line."""
    if on_segment_line(ctx, m.Contact.no == no):
        raise RuleViolationError(
            f"Company No. cannot be changed because unlogged segments are assigned to the "
            f"contact ({record})", code="E31", record=record, field="company_no",
            reason="on a segment line")


def refuse_type_change_when_logged(ctx: Ctx, no: str, record: str) -> None:
    """E32: a contact's type cannot change once interaction log entries exist for it."""
    ile = m.InteractionLogEntry
    if ctx.session.scalar(select(exists().where(ile.contact_no == no))):
        raise RuleViolationError(
            f"Type cannot be changed because interaction log entries are linked to the "
            f"contact ({record})", code="E32", record=record, field="type",
            reason="interaction log entries exist")
