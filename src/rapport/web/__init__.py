"""Server-rendered pages (Jinja2, autoescaped), progressively enhanced with htmx, on the same
FastAPI application as the API: ``install_web(app, secret)`` adds the session and CSRF
middlewares, the static files, the pages and their error handling.

Each page parses its request, calls one service verb (through a package face) in one use case,
and renders the result; a page never queries or commits itself. A page module per resource
(``auth``, ``home``, ``contacts``, ``segments`` …); fragments are templates named ``_x.html``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from rapport.web import (
    auth,
    contact_files,
    contacts,
    home,
    logged_segments,
    segment_criteria,
    segment_log,
    segment_tools,
    segments,
)
from rapport.web.errors import error_page, to_sign_in
from rapport.web.session import SignInRequired, install_session

STATIC = Path(__file__).parent / "static"
ROUTERS = (auth.router, home.router, contact_files.router, contacts.router, segments.router,
           segment_criteria.router, segment_log.router, segment_tools.router,
           logged_segments.router)

__all__ = ["error_page", "install_web"]


def install_web(app: FastAPI, secret: str | None) -> None:
    """Add the pages to ``app`` (signed with ``secret``; None: a random key per process)."""
    install_session(app, secret)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _exc: SignInRequired) -> Response:
        return to_sign_in(request)
