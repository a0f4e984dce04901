"""The field catalogue of segment criteria: what each filter section can filter on (SPEC §3.4).

For every section of ``CriteriaSection`` the catalogue lists the filterable fields, each with its
``FieldSpec`` (type, options) and the column of the section's table it maps to. Field names are
accepted case-insensitively in snake_case or as the reference's captions ("Mailing Group Code",
"No.", "Country/Region Code"); classification sections also accept plain ``code`` for their own
code. The Interaction section has two pseudo-fields that are options rather than columns
(A3/K9): ``include_canceled`` and ``include_postponed`` (Yes/No, default No).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Boolean, Column, Date, Integer, Numeric, String, Table

from rapport.db import models as m
from rapport.domain.enums import (
    BusinessRelationLink,
    ContactType,
    CorrespondenceType,
    CriteriaSection,
    DeliveryStatus,
    Evaluation,
    InformationFlow,
    InitiatedBy,
)
from rapport.domain.filters import FieldSpec, FieldType
from rapport.errors import ValidationError

INCLUDE_CANCELED = "include_canceled"
INCLUDE_POSTPONED = "include_postponed"

# Plain captions, not enum members: messages and `filter-fields` show 'Company', not its repr.
_OPTIONS: dict[str, tuple[str, ...]] = {
    key: tuple(member.value for member in options)
    for key, options in {
        "type": ContactType,
        "correspondence_type": CorrespondenceType,
        "evaluation": Evaluation,
        "information_flow": InformationFlow,
        "initiated_by": InitiatedBy,
        "delivery_status": DeliveryStatus,
        "link_to_table": BusinessRelationLink,
    }.items()
}
# Texts whose names look like codes but hold free text (phone numbers, VAT numbers).
_NOT_CODES = frozenset(
    {"phone_no", "mobile_phone_no", "fax_no", "vat_registration_no", "post_code"}
)
_CAPTIONS = {
    "email": "E-Mail",
    "country_region_code": "Country/Region Code",
    "cost": "Cost (LCY)",
    "duration": "Duration (Min.)",
    "todo_no": "To-do No.",
    "vat_registration_no": "VAT Registration No.",
}
_ALIASES = {
    "e_mail": "email",
    "cost_lcy": "cost",
    "duration_min": "duration",
    "to_do_no": "todo_no",
}
_SECTION_ALIASES = {
    "interactionlogentry": CriteriaSection.INTERACTION,
    "contactprofileanswer": CriteriaSection.PROFILE,
    "contactmailinggroup": CriteriaSection.MAILING_GROUP,
    "contactjobresponsibility": CriteriaSection.JOB_RESPONSIBILITY,
    "contactindustrygroup": CriteriaSection.INDUSTRY_GROUP,
    "contactbusinessrelation": CriteriaSection.BUSINESS_RELATION,
}


@dataclass(frozen=True)
class CatalogueField:
    """A filterable field of a section: its key (column or pseudo-field), caption and spec."""

    section: CriteriaSection
    key: str
    caption: str
    spec: FieldSpec
    pseudo: bool = False


@dataclass(frozen=True)
class SectionCatalogue:
    """The filterable fields of one section and the table they live in."""

    section: CriteriaSection
    table: Table
    fields: Mapping[str, CatalogueField]
    aliases: Mapping[str, str]


def normalize_name(name: str) -> str:
    """A field name as snake_case: "Country/Region Code" → country_region_code, "No." → no."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower().replace(".", "")).strip("_")


def _caption(key: str) -> str:
    if key in _CAPTIONS:
        return _CAPTIONS[key]
    return " ".join("No." if w == "no" else w.capitalize() for w in key.split("_"))


def _field_type(column: Column[object]) -> FieldType | None:
    if column.name in _OPTIONS:
        return FieldType.OPTION
    if isinstance(column.type, Boolean):
        return FieldType.BOOLEAN
    if isinstance(column.type, Date):
        return FieldType.DATE
    if isinstance(column.type, Integer):
        return FieldType.INTEGER
    if isinstance(column.type, Numeric):
        return FieldType.DECIMAL
    if not isinstance(column.type, String):
        return None  # timestamps and blobs are not filterable
    codelike = column.foreign_keys or column.primary_key or column.name.endswith(("_code", "_no"))
    return FieldType.CODE if codelike and column.name not in _NOT_CODES else FieldType.TEXT


def _field(section: CriteriaSection, key: str, ftype: FieldType) -> CatalogueField:
    spec = FieldSpec(f"{section.value}.{key}", ftype, _OPTIONS.get(key, ()))
    return CatalogueField(section, key, _caption(key), spec)


# fmt: off
_INTERACTION_FIELDS = (
    "date", "segment_no", "campaign_no", "evaluation", "interaction_template_code",
    "interaction_group_code", "salesperson_code", "logged_segment_entry_no",
    "correspondence_type", "entry_no", "description", "subject", "information_flow",
    "initiated_by", "attempt_failed", "campaign_response", "campaign_target", "cost", "duration",
    "canceled", "postponed", "delivery_status", "interaction_language_code",
)
# fmt: on
_SECTIONS: dict[CriteriaSection, tuple[type[m.Base], tuple[str, ...] | None]] = {
    CriteriaSection.CONTACT: (m.Contact, None),  # None: every filterable column
    CriteriaSection.PROFILE: (m.ContactProfileAnswer, ("profile_questionnaire_code", "line_no")),
    CriteriaSection.MAILING_GROUP: (m.ContactMailingGroup, ("mailing_group_code",)),
    CriteriaSection.INTERACTION: (m.InteractionLogEntry, _INTERACTION_FIELDS),
    CriteriaSection.JOB_RESPONSIBILITY: (m.ContactJobResponsibility, ("job_responsibility_code",)),
    CriteriaSection.INDUSTRY_GROUP: (m.ContactIndustryGroup, ("industry_group_code",)),
    CriteriaSection.BUSINESS_RELATION: (
        m.ContactBusinessRelation,
        ("business_relation_code", "link_to_table", "link_no"),
    ),
}


@cache
def catalogue(section: CriteriaSection) -> SectionCatalogue:
    """The filterable fields of a section."""
    model, keys = _SECTIONS[section]
    table = m.table(model)
    columns = [table.c[k] for k in keys] if keys is not None else list(table.columns)
    fields: dict[str, CatalogueField] = {}
    for column in columns:
        ftype = _field_type(column)
        if ftype is not None:
            fields[column.name] = _field(section, column.name, ftype)
    if section is CriteriaSection.INTERACTION:
        for key in (INCLUDE_CANCELED, INCLUDE_POSTPONED):
            fields[key] = CatalogueField(
                section, key, _caption(key), FieldSpec(f"{section.value}.{key}", FieldType.BOOLEAN),
                pseudo=True,
            )  # fmt: skip
    aliases = {normalize_name(f.caption): f.key for f in fields.values()}
    aliases.update({a: k for a, k in _ALIASES.items() if k in fields})
    if section not in (CriteriaSection.CONTACT, CriteriaSection.INTERACTION):
        aliases["code"] = next(iter(fields))  # the section's own code: "Mailing Group.code"
    return SectionCatalogue(section, table, fields, aliases)


def resolve_section(name: str, *, field: str = "") -> CriteriaSection:
    """The section named (any case, spaces, underscores or hyphens), or a ValidationError."""
    wanted = re.sub(r"[^0-9a-z]", "", name.lower())
    for section in CriteriaSection:
        if re.sub(r"[^0-9a-z]", "", section.value.lower()) == wanted:
            return section
    if wanted in _SECTION_ALIASES:
        return _SECTION_ALIASES[wanted]
    known = ", ".join(s.value for s in CriteriaSection)
    where = f" in filter {name}.{field}" if field else ""
    raise ValidationError(
        f"Unknown filter section {name!r}{where}; the sections are {known}",
        field=field or "section",
        record=name,
        reason="unknown section",
    )


def resolve_field(section: CriteriaSection, name: str) -> CatalogueField:
    """The field of a section named by key or caption, or a ValidationError naming both."""
    cat = catalogue(section)
    key = normalize_name(name)
    key = key if key in cat.fields else cat.aliases.get(key, key)
    if key in cat.fields:
        return cat.fields[key]
    sample = ", ".join(list(cat.fields)[:12])
    more = ", …" if len(cat.fields) > 12 else ""
    raise ValidationError(
        f"Section {section.value} has no filter field {name!r}; fields are {sample}{more}",
        field=name,
        record=section.value,
        reason="unknown field",
    )


def section_fields(section: CriteriaSection) -> list[CatalogueField]:
    """The filterable fields of a section, in table order."""
    return list(catalogue(section).fields.values())
