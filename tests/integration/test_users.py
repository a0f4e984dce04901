"""Accounts, tokens, sign-in throttling and idempotent answers (services.users), both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select

from rapport.db import models as m
from rapport.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SignInThrottledError,
    ValidationError,
)
from rapport.services import users
from rapport.services.users import AccountChanges, AccountInput, Role
from tests.conftest import TxFactory

PASSWORD = "correct horse battery"


def _sign_in(tx: TxFactory, user: str, password: str,
             now: dt.datetime | None = None) -> users.SignIn:
    """Both halves, as the edges do: the hash in a read-only use case, then the bookkeeping."""
    with tx(readonly=True) as ctx:
        if now is not None:
            ctx.now = lambda: now
        check = users.check_password(ctx, user, password)
    with tx() as ctx:
        if now is not None:
            ctx.now = lambda: now
        return users.sign_in(ctx, check)


def _make(tx: TxFactory, user: str = "ANNA", role: str = "marketer") -> None:
    with tx() as ctx:
        users.create_user(ctx, AccountInput(user_id=user, role=role, password=PASSWORD))


def test_create_user_hashes_the_password_with_argon2(tx: TxFactory) -> None:
    _make(tx, "anna")
    with tx() as ctx:
        row = ctx.session.get(m.AppUser, "ANNA")
        assert row is not None and row.role == "marketer"
        assert row.password_hash is not None and row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash


def test_create_user_refuses_a_duplicate_a_short_password_and_an_unknown_role(
        tx: TxFactory) -> None:
    _make(tx)
    with pytest.raises(ConflictError), tx() as ctx:
        users.create_user(ctx, AccountInput(user_id="anna"))
    with pytest.raises(ValidationError, match="at least 12"), tx() as ctx:
        users.create_user(ctx, AccountInput(user_id="BEN", password="short"))
    with pytest.raises(ValidationError, match="Role 'boss'"), tx() as ctx:
        users.create_user(ctx, AccountInput(user_id="BEN", role="boss"))
    with tx() as ctx:
        assert [a.user_id for a in users.list_accounts(ctx)] == ["ANNA"]


def test_sign_in_issues_a_token_that_authenticates(tx: TxFactory) -> None:
    _make(tx)
    result = _sign_in(tx, "anna", PASSWORD)
    assert result.refusal is None and result.token is not None
    token = result.token.token
    assert token.startswith("rpt_") and len(token) > 40
    with tx() as ctx:
        principal = users.authenticate_token(ctx, token)
        stored = ctx.session.scalars(select(m.ApiToken.token_hash)).all()
    assert principal.account.user_id == "ANNA" and principal.account.role == "marketer"
    assert principal.touch
    assert token not in stored  # only the hash is kept


def test_a_wrong_password_is_refused_and_counted_then_throttled(tx: TxFactory) -> None:
    _make(tx)
    for _ in range(users.MAX_FAILURES):
        result = _sign_in(tx, "ANNA", "wrong password!")
        assert isinstance(result.refusal, AuthenticationError) and result.token is None
    result = _sign_in(tx, "ANNA", PASSWORD)  # now even the right password waits
    assert isinstance(result.refusal, SignInThrottledError)
    assert 0 < result.refusal.retry_after <= users.LOCK_SECONDS + 1
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=users.LOCK_SECONDS + 5)
    result = _sign_in(tx, "ANNA", PASSWORD, now=later)
    assert result.token is not None


def test_a_password_check_made_before_a_password_change_is_refused_uncounted(
        tx: TxFactory) -> None:
    _make(tx)
    with tx(readonly=True) as ctx:
        check = users.check_password(ctx, "ANNA", PASSWORD)
    assert check.ok
    with tx() as ctx:
        users.update_user(ctx, "ANNA", AccountChanges(password="another password 123"))
    with tx() as ctx:
        result = users.sign_in(ctx, check)
    assert isinstance(result.refusal, AuthenticationError) and result.token is None
    with tx() as ctx:
        row = ctx.session.get(m.AppUser, "ANNA")
        assert row is not None and row.failed_logins == 0


def test_a_throttled_users_password_is_not_even_verified(tx: TxFactory) -> None:
    _make(tx)
    for _ in range(users.MAX_FAILURES):
        _sign_in(tx, "ANNA", "wrong password!")
    with tx(readonly=True) as ctx:
        check = users.check_password(ctx, "ANNA", PASSWORD)
    assert check.locked and not check.ok and check.checked_hash is None


def test_an_unknown_user_is_refused_like_a_wrong_password(tx: TxFactory) -> None:
    result = _sign_in(tx, "NOBODY", PASSWORD)
    assert isinstance(result.refusal, AuthenticationError)
    assert result.refusal.message == "Unknown user or wrong password"


def test_sign_in_rehashes_a_password_hashed_with_old_parameters(tx: TxFactory) -> None:
    _make(tx)
    old = Argon2Hasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with tx() as ctx:
        row = ctx.session.get(m.AppUser, "ANNA")
        assert row is not None
        row.password_hash = old
    assert _sign_in(tx, "ANNA", PASSWORD).token is not None
    with tx() as ctx:
        row = ctx.session.get(m.AppUser, "ANNA")
        assert row is not None and row.password_hash != old
        assert "t=1" not in (row.password_hash or "")


def test_revoked_expired_and_inactive_tokens_are_refused(tx: TxFactory) -> None:
    _make(tx)
    with tx() as ctx:
        one = users.issue_token(ctx, "ANNA", name="ci", days=1)
        two = users.issue_token(ctx, "ANNA", days=None)
        users.revoke_token(ctx, one.info.id)
    with pytest.raises(AuthenticationError, match="revoked"), tx() as ctx:
        users.authenticate_token(ctx, one.token)
    with tx() as ctx:
        ctx.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
        third = users.issue_token(ctx, "ANNA", days=1)
    with tx() as ctx:
        assert users.authenticate_token(ctx, two.token).account.user_id == "ANNA"
        ctx.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
        with pytest.raises(AuthenticationError, match="expired"):
            users.authenticate_token(ctx, third.token)
    with tx() as ctx:
        users.update_user(ctx, "ANNA", AccountChanges(active=False))
    with pytest.raises(AuthenticationError, match="inactive"), tx() as ctx:
        users.authenticate_token(ctx, two.token)
    with pytest.raises(AuthenticationError, match="not valid"), tx() as ctx:
        users.authenticate_token(ctx, "rpt_made-up")
    with pytest.raises(NotFoundError), tx() as ctx:
        users.revoke_token(ctx, 999)


def test_last_use_is_recorded_at_most_once_a_minute(tx: TxFactory) -> None:
    _make(tx)
    with tx() as ctx:
        issued = users.issue_token(ctx, "ANNA")
    with tx() as ctx:
        principal = users.authenticate_token(ctx, issued.token)
        users.touch_token(ctx, principal.token_id)
    with tx() as ctx:
        assert not users.authenticate_token(ctx, issued.token).touch
        [info] = users.list_tokens(ctx, "ANNA")
        assert info.last_used_at is not None


def test_roles_are_ordered() -> None:
    users.require_role("A", "admin", Role.MARKETER)
    users.require_role("M", "marketer", Role.VIEWER)
    with pytest.raises(PermissionDeniedError, match="needs the role marketer"):
        users.require_role("V", "viewer", Role.MARKETER)


def test_an_idempotent_answer_is_replayed_and_a_reused_key_refused(tx: TxFactory) -> None:
    with tx() as ctx:
        assert users.stored_answer(ctx, "k1", "f1") is None
        users.remember_answer(ctx, "k1", "f1", 200, '{"ok": true}')
    with tx() as ctx:
        assert users.stored_answer(ctx, "k1", "f1") == users.StoredAnswer(200, '{"ok": true}')
        with pytest.raises(ConflictError, match="another request"):
            users.stored_answer(ctx, "k1", "f2")
    with tx("U2") as ctx:  # keys are per user
        assert users.stored_answer(ctx, "k1", "f2") is None


def test_an_idempotent_answer_expires_after_a_day_and_is_deleted(tx: TxFactory) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with tx() as ctx:
        ctx.now = lambda: start
        users.remember_answer(ctx, "old", "f1", 201, '{"n": 1}')
    with tx("U2") as ctx:  # another user's answers are not touched
        ctx.now = lambda: start
        users.remember_answer(ctx, "old", "f1", 201, '{"n": 1}')
    with tx() as ctx:
        ctx.now = lambda: start + users.ANSWER_KEEP - dt.timedelta(seconds=1)
        assert users.stored_answer(ctx, "old", "f1") == users.StoredAnswer(201, '{"n": 1}')
    with tx() as ctx:
        ctx.now = lambda: start + users.ANSWER_KEEP + dt.timedelta(seconds=1)
        assert users.stored_answer(ctx, "old", "f2") is None  # expired: no conflict either
        users.remember_answer(ctx, "old", "f2", 200, '{"n": 2}')
    with tx() as ctx:
        rows = ctx.session.scalars(select(m.IdempotentRequest)
                                   .order_by(m.IdempotentRequest.user_id)).all()
        assert [(r.user_id, r.key, r.fingerprint) for r in rows] == [
            ("U1", "old", "f2"), ("U2", "old", "f1")]
