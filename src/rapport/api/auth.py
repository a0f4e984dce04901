"""Signing in, the acting account, personal tokens, and (for admins) the accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.deps import AdminCtx, AdminReadCtx, CurrentUser, OwnCtx, RapportDep, ReadCtx
from rapport.api.problems import COMMON, problems
from rapport.api.types import UtcDateTime
from rapport.services import users
from rapport.services.users import Account, AccountChanges, AccountInput, Role, TokenInfo

router = APIRouter(tags=["accounts"])
UserId = Annotated[str, Path(min_length=1, max_length=50, description="User ID.")]
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Token id.")]


class AccountRead(BaseModel):
    """An account (never its password)."""

    model_config = ConfigDict(from_attributes=True)

    user_id: str
    role: str
    full_name: str
    authentication_email: str
    salesperson_code: str | None
    active: bool
    has_password: bool


class UserCreate(AccountInput):
    """A new account (``password``: at least 12 characters; none: tokens only)."""


class UserUpdate(AccountChanges):
    """Changes to an account; only the fields sent are changed."""


class TokenRead(BaseModel):
    """A personal token as listed (never the token itself)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: str
    name: str
    prefix: str
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    last_used_at: UtcDateTime | None
    revoked: bool


class TokenIssued(BaseModel):
    """A new token: ``token`` is shown this once; send it as ``Authorization: Bearer …``."""

    token: str
    token_info: TokenRead


class TokenCreate(BaseModel):
    """A new personal token: what it is for, and for how many days (null: until revoked)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=80)
    days: int | None = Field(users.DEFAULT_DAYS, ge=1, le=3650)


class SignInRequest(TokenCreate):
    """A user's password, exchanged for a new personal token."""

    user_id: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=1000)
    name: str = Field("sign-in", max_length=80)


def _account(account: Account) -> AccountRead:
    return AccountRead.model_validate(account)


def _token(info: TokenInfo) -> TokenRead:
    return TokenRead.model_validate(info)


def _issued(issued: users.IssuedToken) -> TokenIssued:
    return TokenIssued(token=issued.token, token_info=_token(issued.info))


@router.post("/auth/sign-in", status_code=201, response_model=TokenIssued,
             responses=problems(400, 401, 422, 429, 503))
def sign_in(body: SignInRequest, rapport: RapportDep) -> TokenIssued:
    """Exchange a user's password for a personal token (after 5 failures in a row, the user is
    refused for 5 minutes: 429 with Retry-After)."""
    with rapport.use_case(readonly=True) as ctx:  # the slow hash, without a lock
        check = users.check_password(ctx, body.user_id, body.password)
    with rapport.use_case() as ctx:
        outcome = users.sign_in(ctx, check, name=body.name, days=body.days)
        issued = _issued(outcome.token) if outcome.token is not None else None
    if outcome.refusal is not None:  # raised after the commit: the failure stays counted
        raise outcome.refusal
    assert issued is not None
    return issued


@router.get("/users/me", response_model=AccountRead, responses=problems(*COMMON))
def read_me(user: CurrentUser) -> AccountRead:
    """The account of the token this request was sent with."""
    return _account(user)


@router.get("/tokens", response_model=list[TokenRead], responses=problems(*COMMON))
def list_my_tokens(ctx: ReadCtx) -> list[TokenRead]:
    """The acting account's tokens, newest first."""
    return [_token(t) for t in users.list_tokens(ctx, ctx.user_id)]


@router.post("/tokens", status_code=201, response_model=TokenIssued,
             responses=problems(*COMMON, 404))
def create_my_token(body: TokenCreate, ctx: OwnCtx) -> TokenIssued:
    """A new personal token for the acting account (shown this once)."""
    return _issued(users.issue_token(ctx, ctx.user_id, name=body.name, days=body.days))


@router.delete("/tokens/{token_id}", response_model=TokenRead,
               responses=problems(*COMMON, 404))
def revoke_token(token_id: TokenId, ctx: OwnCtx, user: CurrentUser) -> TokenRead:
    """Revoke a token: the acting account's own (an admin: anyone's)."""
    owner = None if user.role == Role.ADMIN.value else user.user_id
    return _token(users.revoke_token(ctx, token_id, user_id=owner))


@router.get("/users", response_model=list[AccountRead], responses=problems(*COMMON))
def list_users(ctx: AdminReadCtx) -> list[AccountRead]:
    """Every account (admin)."""
    return [_account(a) for a in users.list_accounts(ctx)]


@router.post("/users", status_code=201, response_model=AccountRead,
             responses=problems(*COMMON, 404, 409))
def create_user(body: UserCreate, ctx: AdminCtx) -> AccountRead:
    """Create an account (admin)."""
    return _account(users.create_user(ctx, body))


@router.get("/users/{user_id}", response_model=AccountRead, responses=problems(*COMMON, 404))
def read_user(user_id: UserId, ctx: AdminReadCtx) -> AccountRead:
    """One account (admin)."""
    return _account(users.get_user(ctx, user_id))


@router.patch("/users/{user_id}", response_model=AccountRead,
              responses=problems(*COMMON, 404))
def update_user(user_id: UserId, body: UserUpdate, ctx: AdminCtx) -> AccountRead:
    """Change an account's role, password, activity, name, e-mail or salesperson (admin)."""
    return _account(users.update_user(ctx, user_id, body))


@router.post("/users/{user_id}/tokens", status_code=201, response_model=TokenIssued,
             responses=problems(*COMMON, 404))
def create_user_token(user_id: UserId, body: TokenCreate, ctx: AdminCtx) -> TokenIssued:
    """A new personal token for an account (admin; shown this once)."""
    return _issued(users.issue_token(ctx, user_id, name=body.name, days=body.days))
