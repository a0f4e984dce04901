"""What a staged contact row becomes once stored: its own values, then what the marketing setup
adds — a person's blank fields inherited from its company, then the setup's defaults.

``resolved(ctype, setup)`` is one SELECT over the staging table (persons joined to their company
as stored at that moment) that both the INSERT of new contacts and the UPDATE of stored ones
read, so the staging table itself is never rewritten. The rules are those of single-contact
creation (services.contact_rules): per inheritance flag a blank person field takes the
company's value; the address is one block, copied only to a person without any address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, and_, case, func, literal, select

from rapport.db.models import Contact, MarketingSetup
from rapport.domain.enums import ContactType
from rapport.services.contacts.files._format import FIELD_COLUMNS
from rapport.services.contacts.files._staging import stage
from rapport.services.context import Ctx

COMPANY, PERSON = ContactType.COMPANY.value, ContactType.PERSON.value
contact_table = cast(Table, Contact.__table__)
ADDRESS_FIELDS = ("address", "address_2", "post_code", "city", "county", "country_region_code")
# Inheritance flags of the marketing setup → the person fields they fill from the company.
INHERITED = {
    "inherit_salesperson": ("salesperson_code",),
    "inherit_territory": ("territory_code",),
    "inherit_country_region": ("country_region_code",),
    "inherit_language": ("language_code",),
    "inherit_communication": ("phone_no", "fax_no"),
}
_FLAGS = (*INHERITED, "inherit_address")
DEFAULTS = {  # contact code field → marketing setup default for a blank value
    "salesperson_code": "default_salesperson_code",
    "territory_code": "default_territory_code",
    "country_region_code": "default_country_region_code",
    "language_code": "default_language_code",
}


@dataclass(frozen=True)
class SetupDefaults:
    """What the marketing setup contributes: inheritance flags on, defaults for blank fields.

    Without a marketing setup row every flag is on and every default is blank.
    """

    flags: frozenset[str]
    defaults: tuple[tuple[str, str], ...] = ()
    correspondence_type: str = ""
    salutations: tuple[str | None, str | None] = (None, None)  # company, person

    @classmethod
    def load(cls, ctx: Ctx) -> SetupDefaults:
        setup = ctx.session.get(MarketingSetup, 1)
        if setup is None:
            return cls(frozenset(_FLAGS))
        defaults = tuple((field, getattr(setup, attr)) for field, attr in DEFAULTS.items()
                         if getattr(setup, attr))
        return cls(frozenset(f for f in _FLAGS if getattr(setup, f)), defaults,
                   setup.default_correspondence_type,
                   (setup.def_company_salutation_code, setup.default_person_salutation_code))


def resolved(ctype: str, setup: SetupDefaults) -> Select[Any]:
    """The staged rows of one contact type as they are to be stored (see the module doc)."""
    values: dict[str, ColumnElement[Any]] = {c: stage.c[c] for c in FIELD_COLUMNS}
    source: Any = stage
    if ctype == COMPANY:
        values.update(company_no=stage.c.no, company_name=stage.c.name)
    else:
        company = contact_table.alias("company")
        source = stage.outerjoin(company, company.c.no == stage.c.company_no)
        values["company_name"] = func.coalesce(company.c.name, "")
        values.update(_inherited(company, setup.flags))
    values.update(_defaults(values, setup, ctype))
    values["search_name"] = stage.c.search_name
    values["drawn"] = stage.c.drawn
    return (select(*(v.label(k) for k, v in values.items())).select_from(source)
            .where(stage.c.type == ctype))


def _inherited(company: Any, flags: frozenset[str]) -> dict[str, ColumnElement[Any]]:
    has_company = company.c.no.is_not(None)
    values: dict[str, ColumnElement[Any]] = {}
    for flag, names in INHERITED.items():
        for name in names if flag in flags else ():
            values[name] = _blank_to(name, stage.c[name], company.c[name], has_company)
    if "inherit_address" in flags:
        no_address = and_(has_company, *(stage.c[n] == "" for n in ADDRESS_FIELDS[:-1]),
                          stage.c.country_region_code.is_(None))
        for name in ADDRESS_FIELDS:
            if name not in values:
                values[name] = case((no_address, company.c[name]), else_=stage.c[name])
    return values


def _blank_to(name: str, mine: ColumnElement[Any], theirs: ColumnElement[Any],
              has_company: ColumnElement[bool]) -> ColumnElement[Any]:
    if name in DEFAULTS:  # the code fields: blank is NULL
        return func.coalesce(mine, theirs)
    return case((and_(mine == "", has_company), theirs), else_=mine)


def _defaults(values: dict[str, ColumnElement[Any]], setup: SetupDefaults,
              ctype: str) -> dict[str, ColumnElement[Any]]:
    found: dict[str, ColumnElement[Any]] = {
        name: func.coalesce(values[name], literal(default))
             for name, default in setup.defaults}
    salutation = setup.salutations[0 if ctype == COMPANY else 1]
    if salutation:
        found["salutation_code"] = func.coalesce(values["salutation_code"], literal(salutation))
    if setup.correspondence_type:
        mine = values["correspondence_type"]
        found["correspondence_type"] = case((mine == "", literal(setup.correspondence_type)),
                                            else_=mine)
    return found
