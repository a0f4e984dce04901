"""Accounts (issue 13, A6): a user of rapport with a role and a password.

An account is the reference's User Setup row (``app_user``): its ``user_id`` is what every write
records, and its salesperson link defaults new segments and interactions. A user made by
``setup user link`` is a viewer without a password until ``update_user`` gives it more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import func, select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.emails import check_email
from rapport.errors import ConflictError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise
from rapport.services.setup import ensure_exists
from rapport.services.users._passwords import MIN_LENGTH, hash_password
from rapport.services.users._roles import Role, parse_role


class AccountInput(Input):
    """A new account: its user id, role, and optionally a password (none: tokens only)."""

    record: ClassVar[str] = "User"

    user_id: str
    role: str = Role.VIEWER.value
    password: str | None = None
    full_name: str = ""
    authentication_email: str = ""
    salesperson_code: str | None = None


class AccountChanges(Input):
    """Changes to an account; only the fields set are applied (password None: no password)."""

    record: ClassVar[str] = "User"

    role: str | None = None
    password: str | None = None
    active: bool | None = None
    full_name: str | None = None
    authentication_email: str | None = None
    salesperson_code: str | None = None


@dataclass(frozen=True)
class Account:
    """An account as shown: never its password hash."""

    user_id: str
    role: str
    full_name: str
    authentication_email: str
    salesperson_code: str | None
    active: bool
    has_password: bool
    locked_until: dt.datetime | None


def account_of(user: m.AppUser) -> Account:
    return Account(user.user_id, user.role, user.full_name, user.authentication_email,
                   user.salesperson_code, user.active, user.password_hash is not None,
                   user.locked_until)


def user_key(user_id: str) -> str:
    """A user id as stored: trimmed and upper-cased, at most 50 characters."""
    return require_code(user_id, field="user_id", max_length=50, record="User")


def load_user(ctx: Ctx, user_id: str, *, lock: bool = False) -> m.AppUser:
    """The user, or a NotFoundError naming it."""
    return get_or_raise(ctx, m.AppUser, user_key(user_id), what="User", field="user_id",
                        lock=lock)


def _password_hash(password: str, record: str) -> str:
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"The password of {record} must have at least {MIN_LENGTH} "
                              "characters", record=record, field="password", reason="too short")
    return hash_password(password)


def create_user(ctx: Ctx, data: AccountInput) -> Account:
    """Create an account; a user id that exists already is refused (409)."""
    key = user_key(data.user_id)
    record = f"User {key}"
    if ctx.session.get(m.AppUser, key) is not None:
        raise ConflictError(f"{record} already exists", record=record, field="user_id",
                            reason="duplicate")
    user = m.AppUser(user_id=key, failed_logins=0)
    _apply(ctx, user, AccountChanges(**data.model_dump(exclude={"user_id"})).given(), record)
    ctx.session.add(user)
    ctx.session.flush()
    return account_of(user)


def update_user(ctx: Ctx, user_id: str, changes: AccountChanges) -> Account:
    """Change an account's role, password, activity, name, e-mail or salesperson."""
    user = load_user(ctx, user_id, lock=True)
    _apply(ctx, user, changes.given(), f"User {user.user_id}")
    ctx.session.flush()
    return account_of(user)


def _apply(ctx: Ctx, user: m.AppUser, given: dict[str, object], record: str) -> None:
    if "role" in given:
        user.role = parse_role(str(given["role"] or ""), record=record).value
    if "password" in given:
        password = given["password"]
        user.password_hash = None if password is None else _password_hash(str(password), record)
        user.failed_logins, user.locked_until = 0, None
    if "active" in given:
        user.active = bool(given["active"])
    if "full_name" in given:
        user.full_name = str(given["full_name"] or "").strip()[:80]
    if "authentication_email" in given:
        user.authentication_email = check_email(str(given["authentication_email"] or ""),
                                                record=record, field="authentication_email")
    if "salesperson_code" in given:
        value = given["salesperson_code"]
        user.salesperson_code = ensure_exists(ctx, m.Salesperson, None if value is None
                                              else str(value), field="salesperson_code",
                                              record=record)


def get_user(ctx: Ctx, user_id: str) -> Account:
    """One account."""
    return account_of(load_user(ctx, user_id))


def list_accounts(ctx: Ctx) -> list[Account]:
    """Every account by user id."""
    users = ctx.session.scalars(select(m.AppUser).order_by(m.AppUser.user_id)).all()
    return [account_of(u) for u in users]


def admin_count(ctx: Ctx) -> int:
    """How many active admins there are."""
    return ctx.session.scalar(select(func.count()).select_from(m.AppUser).where(
        m.AppUser.role == Role.ADMIN.value, m.AppUser.active.is_(True))) or 0
