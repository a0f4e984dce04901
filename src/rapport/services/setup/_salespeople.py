"""Salespeople and users (SPEC §2.3, A6): a user is linked to at most one salesperson."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.emails import check_email
from rapport.errors import ConflictError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise
from rapport.services.setup._codes import ensure_exists

_SALESPERSON_TEXT = {"name": 50, "job_title": 30, "phone_no": 30}


class SalespersonInput(Input):
    """A new salesperson."""

    record: ClassVar[str] = "Salesperson"

    code: str
    name: str = ""
    job_title: str = ""
    phone_no: str = ""
    email: str = ""
    blocked: bool = False


class SalespersonChanges(Input):
    """Changes to a salesperson; only the fields set are applied (texts: None = blank)."""

    record: ClassVar[str] = "Salesperson"

    name: str | None = None
    job_title: str | None = None
    phone_no: str | None = None
    email: str | None = None
    blocked: bool | None = None


class UserChanges(Input):
    """A user's salesperson link (None removes it), full name and authentication e-mail."""

    record: ClassVar[str] = "User"

    salesperson_code: str | None = None
    full_name: str | None = None
    authentication_email: str | None = None


def create_salesperson(ctx: Ctx, data: SalespersonInput) -> m.Salesperson:
    """Create a salesperson."""
    key = require_code(data.code, field="code", max_length=20, record="Salesperson")
    if ctx.session.get(m.Salesperson, key) is not None:
        raise ConflictError(f"Salesperson {key} already exists", record=f"Salesperson {key}",
                            field="code", reason="duplicate")
    person = m.Salesperson(code=key, blocked=data.blocked)
    ctx.session.add(person)
    _set_salesperson_fields(person, {"name": data.name, "job_title": data.job_title,
                                     "phone_no": data.phone_no, "email": data.email})
    ctx.session.flush()
    return person


def update_salesperson(ctx: Ctx, code: str, changes: SalespersonChanges) -> m.Salesperson:
    """Change a salesperson's name, job title, phone, e-mail or blocked flag."""
    person = get_salesperson(ctx, code)
    given = changes.given()
    if "blocked" in given:
        person.blocked = bool(given.pop("blocked"))
    _set_salesperson_fields(person, given)
    ctx.session.flush()
    return person


def set_salesperson_blocked(ctx: Ctx, code: str, blocked: bool = True) -> m.Salesperson:
    """Block (or unblock) a salesperson: blocked ones cannot be put on segments."""
    return update_salesperson(ctx, code, SalespersonChanges(blocked=blocked))


def get_salesperson(ctx: Ctx, code: str) -> m.Salesperson:
    """A salesperson by code."""
    key = require_code(code, field="salesperson_code", record="Salesperson")
    return get_or_raise(ctx, m.Salesperson, key, what="Salesperson", field="salesperson_code")


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


def link_user(ctx: Ctx, user_id: str, changes: UserChanges) -> m.AppUser:
    """Link a user to a salesperson (the reference's User Setup), creating the user if new."""
    uid = require_code(user_id, field="user_id", max_length=50, record="User")
    record = f"User {uid}"
    given = changes.given()
    code = ensure_exists(ctx, m.Salesperson, given.get("salesperson_code"),
                         field="salesperson_code", record=record)
    user = ctx.session.get(m.AppUser, uid)
    if user is None:
        user = m.AppUser(user_id=uid)
        ctx.session.add(user)
    if "salesperson_code" in given:
        user.salesperson_code = code
    if "full_name" in given:
        user.full_name = (given["full_name"] or "").strip()
    if "authentication_email" in given:
        user.authentication_email = check_email(given["authentication_email"], record=record,
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
