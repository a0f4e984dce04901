"""The FastAPI application: routers per resource and one error translator."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from rapport import __version__
from rapport.config import Settings, get_settings
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.errors import (
    ConflictError,
    NotFoundError,
    RapportError,
)

STATUS = {NotFoundError: 404, ConflictError: 409}


def _status_of(exc: RapportError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 422


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (the environment's by default)."""
    cfg = settings or get_settings()
    app = FastAPI(title="rapport", version=__version__)
    engine = make_engine(cfg.database_url)
    app.state.settings = cfg
    app.state.factory = session_factory(engine)

    @app.exception_handler(RapportError)
    async def _rapport_error(_request: Request, exc: RapportError) -> JSONResponse:
        body = {"type": f"urn:rapport:error:{exc.code}", "title": exc.message, **exc.facts()}
        return JSONResponse(
            body, status_code=_status_of(exc), media_type="application/problem+json"
        )

    @app.get("/health", operation_id="health")
    def health() -> dict[str, str]:
        """Liveness and database reachability."""
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "database": engine.dialect.name}

    return app
