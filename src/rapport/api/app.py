"""The FastAPI application: ``/health``, and the API under ``/api/v1`` (routers per resource,
OpenAPI at ``/api/v1/openapi.json``, interactive docs at ``/api/v1/docs``), with one error
translator (``problems``)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from rapport import __version__
from rapport.api import (
    attachments,
    auth,
    classifications,
    contact_addresses,
    contact_files,
    contacts,
    delivery,
    entries,
    interaction_drafts,
    interactions,
    logged_segments,
    marketing,
    segment_actions,
    segments,
    setup,
    templates,
)
from rapport.api.deps import PublicReadCtx
from rapport.api.problems import (
    MEDIA_TYPE,
    http_problem,
    internal_problem,
    problem_response,
    request_problem,
)
from rapport.config import Settings, get_settings
from rapport.errors import RapportError
from rapport.services.setup import check_health
from rapport.web import error_page, install_web, unsubscribe
from rapport.wiring import Rapport

PREFIX = "/api/v1"
# contact_files before contacts: GET /contacts/export is not the contact numbered "export".
ROUTERS = (auth.router, contact_files.router, contacts.router, segments.router,
           segment_actions.router, logged_segments.router, entries.router, interactions.router,
           setup.router, templates.router, classifications.router, marketing.router,
           contact_addresses.router, delivery.router, interaction_drafts.router,
           attachments.router)
log = logging.getLogger("rapport.api")


def _operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names: ``list_contacts``, ``log_segment`` …"""
    return route.name


def create_app(settings: Settings | None = None, *, rapport: Rapport | None = None) -> FastAPI:
    """Build the application on ``rapport`` (else a wiring point for ``settings``, else the
    environment's settings)."""
    wired = rapport or Rapport(settings or get_settings())
    app = FastAPI(title="rapport", version=__version__, openapi_url=f"{PREFIX}/openapi.json",
                  docs_url=f"{PREFIX}/docs", redoc_url=f"{PREFIX}/redoc",
                  generate_unique_id_function=_operation_id,
                  description="Contacts, segments picked by criteria, and the log of every "
                  "interaction. Every operation but /health needs a Bearer token.")
    app.state.rapport = wired
    _translate_errors(app)
    app.include_router(unsubscribe.router)

    @app.get("/health", operation_id="health", tags=["health"])
    def health(ctx: PublicReadCtx) -> dict[str, str]:
        """Liveness and database reachability (no sign-in needed)."""
        return asdict(check_health(ctx))

    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    install_web(app, wired.settings.secret_key)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _translate_errors(app: FastAPI) -> None:
    @app.exception_handler(RapportError)
    async def _rapport_error(request: Request, exc: RapportError) -> Response:
        if _is_page(request):
            return error_page(request, exc)
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _request_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return request_problem(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_problem(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected failure", exc_info=exc)
        return internal_problem()


def _is_page(request: Request) -> bool:
    """Whether the request is for a web page (not the API or the health check)."""
    return not request.url.path.startswith((PREFIX, "/health"))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with every error response as application/problem+json."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                             description=app.description)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status.isdigit() and int(status) >= 400 and "application/json" in content:
                        response["content"] = {MEDIA_TYPE: content.pop("application/json")}
        app.openapi_schema = schema
    return app.openapi_schema
