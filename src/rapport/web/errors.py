"""How a page shows a rapport error it did not show next to a field: an error page (or, for
htmx, a fragment) with the message in words and the HTTP status the API would use."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rapport.errors import (
    AuthenticationError,
    ConflictError,
    DatabaseUnavailableError,
    MultipleErrors,
    NotFoundError,
    PermissionDeniedError,
    RapportError,
    SignInThrottledError,
)
from rapport.web.i18n import _
from rapport.web.templating import is_htmx, render

_STATUSES: tuple[tuple[type[RapportError], int], ...] = (
    (SignInThrottledError, 429), (AuthenticationError, 401), (PermissionDeniedError, 403),
    (NotFoundError, 404), (ConflictError, 409), (DatabaseUnavailableError, 503))


def status_of(exc: RapportError) -> int:
    """The HTTP status of a rapport error on a page."""
    for cls, status in _STATUSES:
        if isinstance(exc, cls):
            return status
    return 422


def problems_of(exc: RapportError) -> list[RapportError]:
    """Every problem an error carries (one, or each of several found at once)."""
    return list(exc.errors) if isinstance(exc, MultipleErrors) else [exc]


def error_page(request: Request, exc: RapportError) -> HTMLResponse:
    """The page (or htmx fragment) telling what went wrong."""
    status = status_of(exc)
    titles = {401: _("Please sign in"), 403: _("Not allowed"), 404: _("Not found"),
              409: _("Conflict"), 429: _("Too many attempts"),
              503: _("The database is not available")}
    template = "_error.html" if is_htmx(request) else "error.html"
    response = render(request, template, status_code=status,
                      title=titles.get(status, _("Not valid")), problems=problems_of(exc))
    if is_htmx(request):  # htmx swaps error answers only when told where
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def to_sign_in(request: Request) -> Response:
    """Send a visitor who is not signed in to the sign-in page, then back here."""
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    if request.method != "GET" or target == "/":
        target = ""
    location = "/sign-in" + (f"?next={target}" if target else "")
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)
