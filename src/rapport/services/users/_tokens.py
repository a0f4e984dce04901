"""Personal API tokens and signing in (issue 13).

A token is ``rpt_`` and 43 random URL-safe characters (256 bits), shown once when made; only
its SHA-256 is stored (a random token needs no slow hash: there is nothing to guess), with its
first characters to recognise it in a list. A token expires (default 90 days) and can be
revoked; its last use is recorded at most once a minute, so reading is not a write.

Signing in with a password is throttled: after ``MAX_FAILURES`` failures in a row a user is
refused for ``LOCK_SECONDS`` whatever the password, and the failures are counted in the same
transaction that refuses (``sign_in`` returns the refusal instead of raising it). The slow
argon2 verification (``check_password``) runs before, in a read-only use case, so that it holds
no lock: on SQLite a writing transaction holds the database's write lock, and every other
writer would wait for the hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from rapport.db import models as m
from rapport.errors import AuthenticationError, NotFoundError, SignInThrottledError, ValidationError
from rapport.services.context import Ctx
from rapport.services.users._accounts import Account, account_of, load_user, user_key
from rapport.services.users._passwords import verify

PREFIX = "rpt_"
DEFAULT_DAYS = 90
MAX_DAYS = 3650
MAX_FAILURES = 5
LOCK_SECONDS = 300
TOUCH_SECONDS = 60


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    user_id: str
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked: bool


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``token`` is shown this once."""

    token: str
    info: TokenInfo


@dataclass(frozen=True)
class Principal:
    """Who a valid token belongs to; ``touch`` when its last use should be recorded."""

    account: Account
    token_id: int
    touch: bool


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: a new token, or the refusal (already counted)."""

    token: IssuedToken | None
    refusal: AuthenticationError | None


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored timestamp as aware UTC (SQLite gives it back naive)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: m.ApiToken) -> TokenInfo:
    return TokenInfo(row.id, row.user_id, row.name, row.prefix, utc(row.created_at) or
                     row.created_at, utc(row.expires_at), utc(row.last_used_at),
                     row.revoked_at is not None)


def issue_token(ctx: Ctx, user_id: str, *, name: str = "", days: int | None = DEFAULT_DAYS
                ) -> IssuedToken:
    """A new personal token for the user, valid ``days`` days (None: until revoked)."""
    user = load_user(ctx, user_id)
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"A token lasts 1 to {MAX_DAYS} days, not {days}",
                              record=f"User {user.user_id}", field="days", reason="out of range")
    token = PREFIX + secrets.token_urlsafe(32)
    now = ctx.now()
    row = m.ApiToken(user_id=user.user_id, name=name.strip()[:80], token_hash=digest(token),
                     prefix=token[:12], created_at=now,
                     expires_at=None if days is None else now + dt.timedelta(days=days))
    ctx.session.add(row)
    ctx.session.flush()
    return IssuedToken(token, _info(row))


def list_tokens(ctx: Ctx, user_id: str | None = None) -> list[TokenInfo]:
    """Tokens (of one user, or all), newest first."""
    query = select(m.ApiToken).order_by(m.ApiToken.id.desc())
    if user_id is not None:
        query = query.where(m.ApiToken.user_id == user_key(user_id))
    return [_info(row) for row in ctx.session.scalars(query)]


def revoke_token(ctx: Ctx, token_id: int, *, user_id: str | None = None) -> TokenInfo:
    """Revoke a token (only the user's own when ``user_id`` is given)."""
    row = ctx.session.get(m.ApiToken, token_id, with_for_update=True)
    if row is None or (user_id is not None and row.user_id != user_key(user_id)):
        raise NotFoundError(f"Token {token_id} does not exist", record=f"Token {token_id}",
                            field="token_id", reason="does not exist")
    if row.revoked_at is None:
        row.revoked_at = ctx.now()
    ctx.session.flush()
    return _info(row)


def authenticate_token(ctx: Ctx, token: str) -> Principal:
    """The account a Bearer token belongs to, or an AuthenticationError saying why not."""
    found = ctx.session.execute(
        select(m.ApiToken, m.AppUser).join(m.AppUser, m.AppUser.user_id == m.ApiToken.user_id)
        .where(m.ApiToken.token_hash == digest(token.strip()))).one_or_none()
    if found is None:
        raise AuthenticationError("The token is not valid", record="Token", field="Authorization",
                                  reason="unknown token")
    row, user = found
    now = ctx.now()
    expires = utc(row.expires_at)
    why = ("revoked" if row.revoked_at is not None else "expired" if expires is not None and
           expires <= now else "user inactive" if not user.active else None)
    if why:
        raise AuthenticationError(f"The token {row.prefix}… is {why}", record=f"Token {row.id}",
                                  field="Authorization", reason=why)
    used = utc(row.last_used_at)
    touch = used is None or (now - used).total_seconds() >= TOUCH_SECONDS
    return Principal(account_of(user), row.id, touch)


def touch_token(ctx: Ctx, token_id: int) -> None:
    """Record that the token was used now."""
    ctx.session.execute(update(m.ApiToken).where(m.ApiToken.id == token_id)
                        .values(last_used_at=ctx.now()))


@dataclass(frozen=True)
class PasswordCheck:
    """The slow half of a sign-in (argon2), done in a read-only use case: no lock is held."""

    user_id: str
    #: The stored hash the password was verified against (None: no such user).
    checked_hash: str | None
    ok: bool
    new_hash: str | None
    locked: bool


def check_password(ctx: Ctx, user_id: str, password: str) -> PasswordCheck:
    """Verify a user's password (read-only; a throttled user's password is not even tried)."""
    key = (user_id or "").strip().upper()[:50]
    user = ctx.session.get(m.AppUser, key) if key else None
    locked = utc(user.locked_until) if user is not None else None
    if locked is not None and locked > ctx.now():
        return PasswordCheck(key, None, False, None, True)
    stored = user.password_hash if user is not None else None
    ok, new_hash = verify(password, stored)
    return PasswordCheck(key, stored, ok and user is not None and user.active, new_hash, False)


def sign_in(ctx: Ctx, check: PasswordCheck, *, name: str = "sign-in",
            days: int | None = DEFAULT_DAYS) -> SignIn:
    """Turn a password check into a new token; failures are counted and throttled.

    The user's row is locked only for this quick half; a check made against a password that
    changed meanwhile is refused without being counted."""
    key = check.user_id
    user = ctx.session.get(m.AppUser, key, with_for_update=True) if key else None
    now = ctx.now()
    locked = utc(user.locked_until) if user is not None else None
    if user is not None and locked is not None and locked > now:
        wait = int((locked - now).total_seconds()) + 1
        return SignIn(None, SignInThrottledError(
            f"Too many failed sign-ins for user {key}; try again in {wait} s",
            record=f"User {key}", retry_after=wait))
    current = user is not None and not check.locked and user.password_hash == check.checked_hash
    if user is None or not current or not check.ok or not user.active:
        if user is not None and current:
            _count_failure(user, now)
        return SignIn(None, AuthenticationError("Unknown user or wrong password",
                                                record=f"User {key}", field="password",
                                                reason="wrong credentials"))
    if check.new_hash is not None:
        user.password_hash = check.new_hash
    user.failed_logins, user.locked_until = 0, None
    ctx.session.flush()
    return SignIn(issue_token(ctx, key, name=name, days=days), None)


def _count_failure(user: m.AppUser, now: dt.datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + dt.timedelta(seconds=LOCK_SECONDS)
