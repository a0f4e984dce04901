"""Marketing setup (SPEC §2.1) with the numbering rule E01."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import StrictBool, StrictInt
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType, StorageType
from rapport.errors import RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.setup._codes import ensure_exists

RECORD = "Marketing Setup"

# Number-series fields and their captions (E01 names the caption).
SERIES_FIELDS: dict[str, str] = {
    "contact_nos": "Contact Nos.",
    "campaign_nos": "Campaign Nos.",
    "segment_nos": "Segment Nos.",
    "todo_nos": "To-do Nos.",
    "opportunity_nos": "Opportunity Nos.",
}

# Fields that refer to another table's code.
_CODE_FIELDS: dict[str, type[Any]] = {
    **{name: m.NumberSeries for name in SERIES_FIELDS},
    "default_salesperson_code": m.Salesperson,
    "default_territory_code": m.Territory,
    "default_country_region_code": m.CountryRegion,
    "default_language_code": m.Language,
    "def_company_salutation_code": m.Salutation,
    "default_person_salutation_code": m.Salutation,
    "bus_rel_code_for_customers": m.BusinessRelation,
    "bus_rel_code_for_vendors": m.BusinessRelation,
    "bus_rel_code_for_bank_accs": m.BusinessRelation,
    "bus_rel_code_for_employees": m.BusinessRelation,
}
_FLAG_FIELDS = frozenset({
    "inherit_salesperson", "inherit_territory", "inherit_country_region", "inherit_language",
    "inherit_address", "inherit_communication", "inherit_format_region",
})
_OPTION_FIELDS: dict[str, frozenset[str]] = {
    "default_correspondence_type": frozenset(t.value for t in CorrespondenceType),
    "attachment_storage_type": frozenset(t.value for t in StorageType),
}
_TEXT_FIELDS = frozenset({"default_format_region", "attachment_storage_location"})


class MarketingSetupChanges(Input):
    """Changes to the marketing setup; only the fields set are applied (codes: None = blank)."""

    record: ClassVar[str] = RECORD

    contact_nos: str | None = None
    campaign_nos: str | None = None
    segment_nos: str | None = None
    todo_nos: str | None = None
    opportunity_nos: str | None = None
    default_salesperson_code: str | None = None
    default_territory_code: str | None = None
    default_country_region_code: str | None = None
    default_language_code: str | None = None
    default_format_region: str | None = None
    default_correspondence_type: str | None = None
    def_company_salutation_code: str | None = None
    default_person_salutation_code: str | None = None
    inherit_salesperson: StrictBool | None = None
    inherit_territory: StrictBool | None = None
    inherit_country_region: StrictBool | None = None
    inherit_language: StrictBool | None = None
    inherit_address: StrictBool | None = None
    inherit_communication: StrictBool | None = None
    inherit_format_region: StrictBool | None = None
    bus_rel_code_for_customers: str | None = None
    bus_rel_code_for_vendors: str | None = None
    bus_rel_code_for_bank_accs: str | None = None
    bus_rel_code_for_employees: str | None = None
    attachment_storage_type: str | None = None
    attachment_storage_location: str | None = None
    mergefield_language_id: StrictInt | None = None


def get_marketing_setup(ctx: Ctx) -> m.MarketingSetup:
    """The marketing setup, created with the reference's defaults on first use."""
    return ensure_marketing_setup(ctx.session)


def ensure_marketing_setup(session: Session, **first_values: Any) -> m.MarketingSetup:
    """The marketing setup; when there is none yet, it is created with ``first_values`` and the
    model's defaults (the reference's).

    Two transactions may both find no setup on a new database; the row is inserted with
    ``ON CONFLICT DO NOTHING``, so the second waits for the first and then reads its row instead
    of failing on the primary key.
    """
    setup = session.get(m.MarketingSetup, 1)
    if setup is None:
        insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" \
            else sqlite_insert
        session.execute(insert(m.MarketingSetup).values(id=1, **first_values)
                        .on_conflict_do_nothing(index_elements=["id"]))
        setup = session.get_one(m.MarketingSetup, 1)
    return setup


def update_marketing_setup(ctx: Ctx, changes: MarketingSetupChanges) -> m.MarketingSetup:
    """Change marketing setup fields; referenced codes must exist, options must be valid."""
    setup = get_marketing_setup(ctx)
    for name, value in changes.given().items():
        setattr(setup, name, _checked(ctx, name, value))
    ctx.session.flush()
    return setup


def _checked(ctx: Ctx, name: str, value: Any) -> Any:
    if name in _CODE_FIELDS:
        return ensure_exists(ctx, _CODE_FIELDS[name], value, field=name, record=RECORD)
    if name in _FLAG_FIELDS:
        if not isinstance(value, bool):
            raise ValidationError(f"{name} of {RECORD} must be true or false",
                                  record=RECORD, field=name, reason="not a boolean")
        return value
    if name in _OPTION_FIELDS:
        text = value or ""
        if text not in _OPTION_FIELDS[name]:
            allowed = ", ".join(repr(v) for v in sorted(_OPTION_FIELDS[name]))
            raise ValidationError(f"{name} {text!r} of {RECORD} must be one of {allowed}",
                                  record=RECORD, field=name, reason="invalid option")
        return text
    if name == "mergefield_language_id":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(f"{name} of {RECORD} must be a whole number ≥ 0",
                                  record=RECORD, field=name, reason="invalid number")
        return value
    return (value or "").strip()


def require_series(ctx: Ctx, field: str) -> str:
    """The number series of a marketing setup field; E01 when it is blank."""
    if field not in SERIES_FIELDS:
        raise ValueError(f"{field!r} is not a number-series field of {RECORD}")
    code: str | None = getattr(get_marketing_setup(ctx), field)
    if not code:
        raise RuleViolationError(
            f"The {SERIES_FIELDS[field]} field in {RECORD} must be filled in.",
            code="E01", record=RECORD, field=field, reason="blank",
        )
    return code
