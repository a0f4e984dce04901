"""Signing in and out, and the front door (``/``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.errors import AuthenticationError, RapportError
from rapport.services import users
from rapport.web.i18n import _
from rapport.web.session import MaybeVisitor, SignedIn, flash, sign_in_session
from rapport.web.templating import render

router = APIRouter()
WEB_TOKEN_DAYS = 1


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/home"
    return target


@router.get("/", include_in_schema=False)
def front_door(visitor: MaybeVisitor) -> Response:
    """The home page when signed in, else the sign-in page."""
    return RedirectResponse("/home" if visitor else "/sign-in", status_code=303)


@router.get("/sign-in", include_in_schema=False)
def sign_in_form(request: Request, visitor: MaybeVisitor, next: str | None = None) -> Response:
    """The sign-in form (a signed-in visitor goes on)."""
    if visitor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "sign_in.html", next=safe_next(next), user_id="", error=None)


@router.post("/sign-in", include_in_schema=False)
def sign_in(request: Request, user_id: Annotated[str, Form(max_length=50)] = "",
            password: Annotated[str, Form(max_length=1000)] = "",
            next: Annotated[str, Form(max_length=2000)] = "/home") -> Response:
    """Check the password; on success the browser's session starts."""
    rapport = request.app.state.rapport
    try:
        with rapport.use_case(readonly=True) as ctx:  # the slow hash, without a lock
            check = users.check_password(ctx, user_id, password)
        with rapport.use_case() as ctx:
            outcome = users.sign_in(ctx, check, name="web", days=WEB_TOKEN_DAYS)
    except RapportError as exc:  # the database, not the password
        return render(request, "sign_in.html", status_code=503, next=safe_next(next),
                      user_id=user_id, error=exc.message)
    if outcome.token is None:
        refusal = outcome.refusal or AuthenticationError("Unknown user or wrong password")
        status = 429 if refusal.code == "THROTTLED" else 401
        message = _("Unknown user or wrong password.") if status == 401 else refusal.message
        return render(request, "sign_in.html", status_code=status, next=safe_next(next),
                      user_id=user_id, error=message)
    sign_in_session(request, outcome.token.token)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/sign-out", include_in_schema=False)
def sign_out(request: Request, visitor: SignedIn) -> Response:
    """Revoke the session's token and end the session."""
    with visitor.rapport.use_case(user_id=visitor.account.user_id) as ctx:
        users.revoke_token(ctx, visitor.token_id, user_id=visitor.account.user_id)
    request.session.clear()
    flash(request, _("You are signed out."))
    return RedirectResponse("/sign-in", status_code=303)
