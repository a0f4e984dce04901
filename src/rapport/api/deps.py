"""Dependencies of the API's routes, as ``Annotated`` aliases.

A route declares what it needs by type. Every route but ``/health`` and the sign-in needs an
account: ``CurrentUser`` is the account of the request's Bearer token (401 without a valid
one). A route gets one use case's context as that user — committed when the route returns
(before the response is sent), rolled back when it raises:

- ``ReadCtx``: any role (viewer and up), a reading use case that never waits for a writer;
- ``WriteCtx``: marketer and up (contacts, segments, interactions);
- ``AdminCtx``, ``AdminReadCtx``: admin (setup, users);
- ``OwnCtx``: any role, writing (an account's own tokens).

Each write of the use case records the account's ``user_id`` (``Ctx.user_id``). Everything comes
from the wiring point the application was built with (``app.state.rapport``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rapport.config import Settings
from rapport.errors import AuthenticationError
from rapport.services import users
from rapport.services.context import Ctx
from rapport.services.users import Account, Role
from rapport.wiring import Rapport

bearer = HTTPBearer(auto_error=False, scheme_name="token",
                    description="A personal API token (`rapport users token USER`, or "
                    "`POST /api/v1/auth/sign-in`).")


async def get_rapport(request: Request) -> Rapport:
    """The wiring point of the running application (``async``: nothing to wait for, so no
    worker thread is taken for it)."""
    rapport: Rapport = request.app.state.rapport
    return rapport


RapportDep = Annotated[Rapport, Depends(get_rapport)]


async def get_settings(rapport: RapportDep) -> Settings:
    """The settings the application was built with."""
    return rapport.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise AuthenticationError("Sign in: send the header Authorization: Bearer TOKEN",
                                  record="Request", field="Authorization", reason="missing")
    return credentials.credentials


def _touch(rapport: Rapport, principal: users.Principal) -> None:
    """Record the token's last use (at most once a minute: ``principal.touch``)."""
    with rapport.use_case(user_id=principal.account.user_id) as ctx:
        users.touch_token(ctx, principal.token_id)


def get_current_user(rapport: RapportDep, credentials: Credentials) -> Account:
    """The account of the request's Bearer token; its last use is recorded (once a minute)."""
    token = _token(credentials)
    with rapport.use_case(readonly=True) as ctx:
        principal = users.authenticate_token(ctx, token)
    if principal.touch:
        _touch(rapport, principal)
    return principal.account


CurrentUser = Annotated[Account, Depends(get_current_user)]


def _context(role: Role, *, readonly: bool) -> Callable[..., Iterator[Ctx]]:
    """The route's use case, as the account of the request's token. A reading use case checks
    the token itself (one transaction a request; the last use, at most once a minute, is
    written just after it); a writing one takes the account checked before it (a writer holds
    the database's write lock: the token's last use could not be written beside it)."""
    def read_context(rapport: RapportDep, credentials: Credentials) -> Iterator[Ctx]:
        token = _token(credentials)
        with rapport.use_case(readonly=True) as ctx:
            principal = users.authenticate_token(ctx, token)
            account = principal.account
            users.require_role(account.user_id, account.role, role)
            ctx.user_id = account.user_id.upper()
            if principal.touch:
                ctx.after_commit(lambda: _touch(rapport, principal))
            yield ctx

    def write_context(rapport: RapportDep, user: CurrentUser) -> Iterator[Ctx]:
        users.require_role(user.user_id, user.role, role)
        with rapport.use_case(user_id=user.user_id) as ctx:
            yield ctx

    context = read_context if readonly else write_context
    context.__name__ = f"{role.value}_{'read' if readonly else 'write'}_ctx"
    return context


ReadCtx = Annotated[Ctx, Depends(_context(Role.VIEWER, readonly=True), scope="function")]
WriteCtx = Annotated[Ctx, Depends(_context(Role.MARKETER, readonly=False), scope="function")]
AdminCtx = Annotated[Ctx, Depends(_context(Role.ADMIN, readonly=False), scope="function")]
#: Any role, writing: what an account does to itself (its own tokens).
OwnCtx = Annotated[Ctx, Depends(_context(Role.VIEWER, readonly=False), scope="function")]
AdminReadCtx = Annotated[Ctx, Depends(_context(Role.ADMIN, readonly=True), scope="function")]


def get_public_ctx(rapport: RapportDep) -> Iterator[Ctx]:
    """A reading use case without an account (``/health`` only)."""
    with rapport.use_case(readonly=True) as ctx:
        yield ctx


PublicReadCtx = Annotated[Ctx, Depends(get_public_ctx, scope="function")]
