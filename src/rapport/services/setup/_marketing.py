"""Marketing setup (SPEC §2.1) with the numbering rule E01; salespeople and users (§2.3, A6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.emails import check_email
from rapport.domain.enums import CorrespondenceType, StorageType
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
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
EDITABLE_FIELDS = frozenset(
    {*_CODE_FIELDS, *_FLAG_FIELDS, *_OPTION_FIELDS, *_TEXT_FIELDS, "mergefield_language_id"}
)


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


def update_marketing_setup(ctx: Ctx, changes: Mapping[str, Any]) -> m.MarketingSetup:
    """Change marketing setup fields; referenced codes must exist, options must be valid."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"{RECORD} has no editable field(s) {', '.join(unknown)}",
            record=RECORD, field=unknown[0], reason="unknown field")
    setup = get_marketing_setup(ctx)
    for name, value in changes.items():
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


# --- Salespeople and users (SPEC §2.3, A6) -------------------------------------------------

_SALESPERSON_TEXT = {"name": 50, "job_title": 30, "phone_no": 30}


def create_salesperson(
    ctx: Ctx, code: str, *, name: str = "", job_title: str = "", phone_no: str = "",
    email: str = "", blocked: bool = False,
) -> m.Salesperson:
    """Create a salesperson."""
    key = require_code(code, field="code", max_length=20, record="Salesperson")
    if ctx.session.get(m.Salesperson, key) is not None:
        raise ConflictError(f"Salesperson {key} already exists", record=f"Salesperson {key}",
                            field="code", reason="duplicate")
    person = m.Salesperson(code=key, blocked=blocked)
    ctx.session.add(person)
    _set_salesperson_fields(person, {"name": name, "job_title": job_title,
                                     "phone_no": phone_no, "email": email})
    ctx.session.flush()
    return person


def update_salesperson(ctx: Ctx, code: str, changes: Mapping[str, Any]) -> m.Salesperson:
    """Change a salesperson's name, job title, phone, e-mail or blocked flag."""
    person = get_salesperson(ctx, code)
    unknown = sorted(set(changes) - {*_SALESPERSON_TEXT, "email", "blocked"})
    if unknown:
        raise ValidationError(f"Salesperson has no editable field(s) {', '.join(unknown)}",
                              record=f"Salesperson {person.code}", field=unknown[0],
                              reason="unknown field")
    if "blocked" in changes:
        person.blocked = bool(changes["blocked"])
    _set_salesperson_fields(person, {k: v for k, v in changes.items() if k != "blocked"})
    ctx.session.flush()
    return person


def set_salesperson_blocked(ctx: Ctx, code: str, blocked: bool = True) -> m.Salesperson:
    """Block (or unblock) a salesperson: blocked ones cannot be put on segments."""
    return update_salesperson(ctx, code, {"blocked": blocked})


def get_salesperson(ctx: Ctx, code: str) -> m.Salesperson:
    """A salesperson by code."""
    key = require_code(code, field="salesperson_code", record="Salesperson")
    person = ctx.session.get(m.Salesperson, key)
    if person is None:
        raise NotFoundError(f"Salesperson {key} does not exist", record=f"Salesperson {key}",
                            field="salesperson_code")
    return person


def list_salespeople(ctx: Ctx, *, include_blocked: bool = True) -> Sequence[m.Salesperson]:
    """Salespeople by code (optionally only those not blocked)."""
    stmt = select(m.Salesperson).order_by(m.Salesperson.code)
    if not include_blocked:
        stmt = stmt.where(m.Salesperson.blocked.is_(False))
    return ctx.session.scalars(stmt).all()


def _set_salesperson_fields(person: m.Salesperson, values: Mapping[str, Any]) -> None:
    record = f"Salesperson {person.code}"
    for name, value in values.items():
        text = (value or "").strip()
        if name == "email":
            text = check_email(text, record=record)
        elif len(text) > _SALESPERSON_TEXT[name]:
            raise ValidationError(f"{name} of {record} is longer than "
                                  f"{_SALESPERSON_TEXT[name]} characters",
                                  record=record, field=name, reason="too long")
        setattr(person, name, text)


def link_user(
    ctx: Ctx, user_id: str, salesperson_code: str | None, *, full_name: str | None = None,
    authentication_email: str | None = None,
) -> m.AppUser:
    """Link a user to a salesperson (the reference's User Setup), creating the user if new."""
    uid = require_code(user_id, field="user_id", max_length=50, record="User")
    record = f"User {uid}"
    code = ensure_exists(ctx, m.Salesperson, salesperson_code, field="salesperson_code",
                         record=record)
    user = ctx.session.get(m.AppUser, uid)
    if user is None:
        user = m.AppUser(user_id=uid)
        ctx.session.add(user)
    user.salesperson_code = code
    if full_name is not None:
        user.full_name = full_name.strip()
    if authentication_email is not None:
        user.authentication_email = check_email(authentication_email, record=record,
                                                field="authentication_email")
    ctx.session.flush()
    return user


def user_salesperson(ctx: Ctx, user_id: str) -> str | None:
    """The salesperson linked to a user (None when the user is unknown or not linked)."""
    uid = (user_id or "").strip().upper()
    if not uid:
        return None
    return ctx.session.scalar(select(m.AppUser.salesperson_code).where(m.AppUser.user_id == uid))


def list_users(ctx: Ctx) -> Sequence[m.AppUser]:
    """Users with their salesperson links, by user id."""
    return ctx.session.scalars(select(m.AppUser).order_by(m.AppUser.user_id)).all()
