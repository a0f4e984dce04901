"""Who is signed in, and the cookies that say so.

A sign-in exchanges the password for a personal token of the accounts service (the same tokens
as the API, named "web", valid one day, revocable); the session cookie carries that token,
signed (itsdangerous), HttpOnly and SameSite=Lax. Every request checks the token again, so a
revoked token or an inactive account signs the browser out at once, and signing out revokes it.

Every state-changing request carries a CSRF token (starlette-csrf's double-submit cookie):
htmx sends it as the ``x-csrftoken`` header, a plain form as the hidden field ``csrftoken``
(``FormCSRFMiddleware`` moves the field into the header before the check), a file upload form
in its action's query string.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import Message, Receive, Scope, Send
from starlette_csrf.middleware import CSRFMiddleware

from rapport.errors import AuthenticationError
from rapport.services import users
from rapport.services.context import Ctx
from rapport.services.users import Account, Role
from rapport.wiring import Rapport

SESSION_COOKIE = "rapport_session"
CSRF_COOKIE = "csrftoken"
CSRF_FIELD = "csrftoken"
CSRF_HEADER = "x-csrftoken"
SESSION_SECONDS = 24 * 3600
#: Paths outside the pages: the API authenticates with Bearer tokens, not cookies; an unsubscribe
#: link's signature is its authority (a mail client's one-click POST carries no cookie).
EXEMPT = [re.compile(r"^/api/"), re.compile(r"^/health$"), re.compile(r"^/static/"),
          re.compile(r"^/unsubscribe/")]
MAX_FORM_BYTES = 1_000_000


class SignInRequired(Exception):
    """The page needs a signed-in visitor (answered by a redirect to the sign-in page)."""


class FormCSRFMiddleware(CSRFMiddleware):
    """starlette-csrf, also accepting the token as the form field ``csrftoken`` (pages work
    without JavaScript), and handing a first visit its token at once (the sign-in form needs
    it before any cookie came back)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        headers = MutableHeaders(scope=scope)
        fresh = None
        if CSRF_COOKIE not in _cookies(headers.get("cookie", "")):
            fresh = self._generate_csrf_token()
            cookie = headers.get("cookie")
            headers["cookie"] = f"{cookie}; {CSRF_COOKIE}={fresh}" if cookie else \
                f"{CSRF_COOKIE}={fresh}"
        if scope["method"] not in self.safe_methods and CSRF_HEADER not in headers and \
                headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            body = await _read_body(receive)
            token = parse_qs(body.decode("latin-1")).get(CSRF_FIELD)
            if token:
                headers[CSRF_HEADER] = token[0]
            receive = _replay(body)
        elif scope["method"] not in self.safe_methods and CSRF_HEADER not in headers and \
                headers.get("content-type", "").startswith("multipart/form-data"):
            # A file upload names the token in its action's query (?csrftoken=…) rather than
            # have the middleware parse the multipart body.
            token = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(CSRF_FIELD)
            if token:
                headers[CSRF_HEADER] = token[0]
        await super().__call__(scope, receive, _setting_cookie(send, fresh, self))


def _cookies(header: str) -> set[str]:
    parsed: SimpleCookie = SimpleCookie()
    try:
        parsed.load(header)
    except Exception:  # a malformed Cookie header counts as none
        return set()
    return set(parsed)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            break
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _setting_cookie(send: Send, token: str | None,
                    mw: CSRFMiddleware) -> Callable[[Message], Awaitable[None]]:
    async def sending(message: Message) -> None:
        if token is not None and message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            cookie: SimpleCookie = SimpleCookie()
            cookie[CSRF_COOKIE] = token
            cookie[CSRF_COOKIE]["path"] = "/"
            cookie[CSRF_COOKIE]["samesite"] = mw.cookie_samesite
            headers.append("set-cookie", cookie.output(header="").strip())
        await send(message)

    return sending


def install_session(app: FastAPI, secret: str | None) -> None:
    """Add the session and CSRF middlewares (CSRF outermost) to the application."""
    key = secret or secrets.token_urlsafe(32)
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_SECONDS, same_site="lax", https_only=False)
    app.add_middleware(FormCSRFMiddleware, secret=key, exempt_urls=EXEMPT,
                       cookie_name=CSRF_COOKIE, header_name=CSRF_HEADER, cookie_samesite="lax")


@dataclass(frozen=True)
class Visitor:
    """The signed-in account of a page request, and its use cases."""

    account: Account
    token_id: int
    rapport: Rapport

    @property
    def can_write(self) -> bool:
        """Whether the account may change contacts and segments (marketer and up)."""
        return self.account.role in (Role.MARKETER.value, Role.ADMIN.value)

    @contextmanager
    def reading(self) -> Iterator[Ctx]:
        """A reading use case (never waits for a writer)."""
        with self.rapport.use_case(user_id=self.account.user_id, readonly=True) as ctx:
            yield ctx

    @contextmanager
    def writing(self) -> Iterator[Ctx]:
        """A changing use case: marketer and up, else PermissionDeniedError (403)."""
        users.require_role(self.account.user_id, self.account.role, Role.MARKETER)
        with self.rapport.use_case(user_id=self.account.user_id) as ctx:
            yield ctx


def _rapport(request: Request) -> Rapport:
    rapport: Rapport = request.app.state.rapport
    return rapport


def optional_visitor(request: Request) -> Visitor | None:
    """The signed-in visitor, or None (a bad or revoked token ends the session)."""
    token = request.session.get("token")
    if not isinstance(token, str):
        return None
    rapport = _rapport(request)
    try:
        with rapport.use_case(readonly=True) as ctx:
            principal = users.authenticate_token(ctx, token)
    except AuthenticationError:
        request.session.clear()
        return None
    if principal.touch:
        with rapport.use_case(user_id=principal.account.user_id) as ctx:
            users.touch_token(ctx, principal.token_id)
    visitor = Visitor(principal.account, principal.token_id, rapport)
    request.state.visitor = visitor
    return visitor


async def require_visitor(
        visitor: Annotated[Visitor | None, Depends(optional_visitor)]) -> Visitor:
    """The signed-in visitor; otherwise the page redirects to the sign-in page. (Asynchronous:
    it does no I/O, so it runs on the event loop instead of taking a worker thread.)"""
    if visitor is None:
        raise SignInRequired
    return visitor


MaybeVisitor = Annotated[Visitor | None, Depends(optional_visitor)]
SignedIn = Annotated[Visitor, Depends(require_visitor)]


def visitor_of(request: Request) -> Visitor | None:
    """The visitor this request was authenticated as (None on public pages)."""
    found: Visitor | None = getattr(request.state, "visitor", None)
    return found


def sign_in_session(request: Request, token: str) -> None:
    """Start the browser's session with a freshly issued token."""
    request.session.clear()
    request.session["token"] = token


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message for the next page the visitor sees ("ok" or "error")."""
    waiting: list[Any] = request.session.setdefault("flash", [])
    waiting.append([kind, message])
    request.session["flash"] = waiting


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    """The messages waiting for this page (removed from the session)."""
    if "session" not in request.scope:
        return []
    waiting = request.session.pop("flash", [])
    return [(str(k), str(m)) for k, m in waiting]
