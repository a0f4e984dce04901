"""The FastAPI application: routers per resource and one error translator."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from rapport import __version__
from rapport.api.deps import ReadCtxDep
from rapport.config import Settings, get_settings
from rapport.errors import (
    ConflictError,
    DatabaseUnavailableError,
    NotFoundError,
    RapportError,
)
from rapport.services.setup import check_health
from rapport.web import unsubscribe
from rapport.wiring import Rapport

STATUS = {NotFoundError: 404, ConflictError: 409, DatabaseUnavailableError: 503}


def _status_of(exc: RapportError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 422


def create_app(settings: Settings | None = None, *, rapport: Rapport | None = None) -> FastAPI:
    """Build the application on ``rapport`` (else a wiring point for ``settings``, else the
    environment's settings)."""
    wired = rapport or Rapport(settings or get_settings())
    app = FastAPI(title="rapport", version=__version__)
    app.state.rapport = wired
    app.include_router(unsubscribe.router)

    @app.exception_handler(RapportError)
    async def _rapport_error(_request: Request, exc: RapportError) -> JSONResponse:
        body = {"type": f"urn:rapport:error:{exc.code}", "title": exc.message, **exc.facts()}
        return JSONResponse(
            body, status_code=_status_of(exc), media_type="application/problem+json"
        )

    @app.get("/health", operation_id="health")
    def health(ctx: ReadCtxDep) -> dict[str, str]:
        """Liveness and database reachability."""
        return asdict(check_health(ctx))

    return app
