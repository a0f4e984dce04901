"""One letter's field values for many entries or lines at once (SPEC §3.12 B).

One statement reads every entry with its contact, the alternate address it names, the
salesperson, the country names and the salutation formulas of its language (falling back to the
blank language); the company information is one row read once. Python only shapes the rows into
records: dates and amounts stay typed, so the merge formats them in the letter's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, and_, func, literal, null, select
from sqlalchemy.orm import aliased

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType
from rapport.merge import FieldValue, MergeRecord, locale_for
from rapport.services.context import Ctx
from rapport.services.documents._fields import with_aliases

_ALT = aliased(m.ContactAltAddress, name="alt")
_ALT_COUNTRY = aliased(m.CountryRegion, name="alt_country")
_COUNTRY = aliased(m.CountryRegion, name="country")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _formula(kind: str, language: ColumnElement[Any], name: str) -> Any:
    table = aliased(m.SalutationFormula, name=name)
    return table, and_(table.salutation_code == m.Contact.salutation_code,
                       table.salutation_type == kind, table.language_code == language)


def entry_source(entry_nos: Sequence[int]) -> Select[Any]:
    """The logged entries ``entry_nos`` in the columns ``records`` reads."""
    ile = m.InteractionLogEntry
    return select(
        ile.entry_no.label("key"), ile.entry_no.label("entry_no"), ile.contact_no,
        ile.contact_alt_address_code.label("alt_code"), ile.salesperson_code, ile.date,
        ile.campaign_no, ile.segment_no, ile.description, ile.subject,
        ile.interaction_language_code.label("language_code"), ile.correspondence_type,
    ).where(ile.entry_no.in_(list(entry_nos)))


def line_source(lines: FromClause) -> Select[Any]:
    """Resolved segment lines (``segments.resolved_segment``) in the columns ``records`` reads."""
    c = lines.c
    return select(
        c.line_no.label("key"), null().label("entry_no"), c.contact_no,
        c.contact_alt_address_code.label("alt_code"), c.salesperson_code, c.date, c.campaign_no,
        c.segment_no, c.description, c.subject, c.language_code, c.correspondence_type,
    )


def records(ctx: Ctx, source: Select[Any]) -> dict[Any, MergeRecord]:
    """The merge record of every row of ``source`` (``entry_source``/``line_source``), by key."""
    src = source.subquery("src")
    # The letter's language: the entry's, else the contact's (for a blank-language letter).
    lang = func.coalesce(func.nullif(src.c.language_code, ""), m.Contact.language_code, "")
    formal, formal_on = _formula("Formal", lang, "formal")
    formal0, formal0_on = _formula("Formal", literal(""), "formal0")
    informal, informal_on = _formula("Informal", lang, "informal")
    informal0, informal0_on = _formula("Informal", literal(""), "informal0")
    sp = m.Salesperson
    stmt = (
        select(src, m.Contact, _ALT, _COUNTRY.name.label("country_name"),
               _ALT_COUNTRY.name.label("alt_country_name"), sp,
               func.coalesce(formal.salutation, formal0.salutation, "").label("formal"),
               func.coalesce(informal.salutation, informal0.salutation, "").label("informal"))
        .select_from(src)
        .join(m.Contact, m.Contact.no == src.c.contact_no)
        .outerjoin(_ALT, and_(_ALT.contact_no == src.c.contact_no, _ALT.code == src.c.alt_code))
        .outerjoin(_COUNTRY, _COUNTRY.code == m.Contact.country_region_code)
        .outerjoin(_ALT_COUNTRY, _ALT_COUNTRY.code == _ALT.country_region_code)
        .outerjoin(sp, sp.code == src.c.salesperson_code)
        .outerjoin(formal, formal_on).outerjoin(formal0, formal0_on)
        .outerjoin(informal, informal_on).outerjoin(informal0, informal0_on)
    )
    company = _company(ctx)
    result: dict[Any, MergeRecord] = {}
    for row in ctx.session.execute(stmt):
        contact: m.Contact = row.Contact
        values = {**_contact_values(contact, row.alt, row.country_name, row.alt_country_name),
                  **_salesperson_values(row.Salesperson), **company,
                  **_document_values(row), "entry_no": row.entry_no,
                  "formal_salutation": _salute(row.formal, contact),
                  "informal_salutation": _salute(row.informal, contact)}
        email = (row.alt.email if row.alt is not None and row.alt.email else contact.email)
        values["faxmailto"] = email if row.correspondence_type == CorrespondenceType.EMAIL else ""
        locale = locale_for(row.language_code or contact.language_code)  # as ``lang`` above
        result[row.key] = MergeRecord(_typed(with_aliases(values)), locale=locale)
    return result


def _typed(values: Mapping[str, object]) -> dict[str, FieldValue]:
    return {k: v for k, v in values.items() if v is None or isinstance(v, FieldValue)}


def _contact_values(contact: m.Contact, alt: m.ContactAltAddress | None, country: str | None,
                    alt_country: str | None) -> dict[str, object]:
    """The contact's fields; address, phone and e-mail from the active alternate address."""
    place: Any = alt if alt is not None else contact
    company = alt.company_name if alt is not None and alt.company_name else contact.company_name
    values: dict[str, object] = {
        "contact_no": contact.no, "contact_company_name": company,
        "contact_name": contact.name, "contact_name_2": contact.name_2,
        "contact_address": place.address, "contact_address_2": place.address_2,
        "contact_post_code": place.post_code, "contact_city": place.city,
        "contact_county": place.county,
        "contact_country_region_name": (alt_country if alt is not None else country) or "",
        "contact_job_title": contact.job_title,
        "contact_phone_no": (alt.phone_no if alt is not None and alt.phone_no
                             else contact.phone_no),
        "contact_fax_no": contact.fax_no,
        "contact_e_mail": alt.email if alt is not None and alt.email else contact.email,
        "contact_mobile_phone_no": (alt.mobile_phone_no if alt is not None and alt.mobile_phone_no
                                    else contact.mobile_phone_no),
        "contact_vat_registration_no": contact.vat_registration_no,
        "contact_home_page": contact.home_page,
    }
    person_at_company = contact.type == "Person" and company and company != contact.name
    lines = [company if person_at_company else "", contact.name, place.address, place.address_2,
             " ".join(p for p in (place.post_code, place.city) if p), place.county,
             values["contact_country_region_name"]]
    values["contact_mail_address"] = "\n".join(str(p) for p in lines if p)
    return values


def _salesperson_values(sp: m.Salesperson | None) -> dict[str, object]:
    return {"salesperson_code": sp.code if sp else "", "salesperson_name": sp.name if sp else "",
            "salesperson_job_title": sp.job_title if sp else "",
            "salesperson_phone_no": sp.phone_no if sp else "",
            "salesperson_e_mail": sp.email if sp else ""}


def _document_values(row: Any) -> dict[str, object]:
    return {"document_date": row.date, "document_campaign_no": row.campaign_no or "",
            "document_segment_no": row.segment_no or "", "document_description": row.description,
            "document_subject": row.subject}


def _company(ctx: Ctx) -> dict[str, object]:
    info = ctx.session.get(m.CompanyInformation, 1)
    names = ["name", "name_2", "address", "address_2", "post_code", "city", "county",
             "vat_registration_no", "registration_no", "phone_no", "fax_no", "bank_branch_no",
             "bank_name", "bank_account_no", "giro_no"]
    values: dict[str, object] = {f"company_information_{n}": getattr(info, n, "") if info else ""
                                 for n in names}
    country = (ctx.session.get(m.CountryRegion, info.country_region_code)
               if info is not None and info.country_region_code else None)
    values["company_information_country_region_name"] = country.name if country else ""
    return values


def _salute(formula: str, contact: m.Contact) -> str:
    """A salutation formula filled with the contact's name parts (``{first_name}`` …)."""
    parts = {"first_name": contact.first_name, "surname": contact.surname,
             "name": contact.name, "job_title": contact.job_title,
             "company_name": contact.company_name}
    text = _PLACEHOLDER.sub(lambda match: parts.get(match.group(1), match.group(0)), formula)
    return " ".join(text.split())
