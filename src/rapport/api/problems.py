"""Errors as ``application/problem+json`` (RFC 9457), translated once from the RapportError tree.

Every error body has the rapport error code (``code``: E05, VALIDATION, CONFLICT …), the human
message (``detail``), the record, field and reason it names, and ``errors``: one item per
problem when there were several (a log with five bad lines lists five; a request with two bad
fields lists two). ``PROBLEMS`` declares these responses in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from rapport.errors import (
    AuthenticationError,
    ConflictError,
    DatabaseUnavailableError,
    ImportValidationError,
    MultipleErrors,
    NotFoundError,
    PermissionDeniedError,
    PreconditionError,
    RapportError,
    SignInThrottledError,
)

MEDIA_TYPE = "application/problem+json"

TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          409: "Conflict", 412: "Precondition failed", 422: "Not valid",
          428: "Precondition required", 429: "Too many attempts", 500: "Internal error",
          503: "Database unavailable"}


class ProblemItem(BaseModel):
    """One of several problems found at once."""

    code: str
    message: str
    record: str | None = None
    field: str | None = None
    reason: str | None = None


class Problem(BaseModel):
    """An error: its rapport code, the message, and what it is about."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    record: str | None = None
    field: str | None = None
    reason: str | None = None
    errors: list[ProblemItem] = []


def status_of(exc: RapportError) -> int:
    """The HTTP status of a rapport error."""
    if isinstance(exc, SignInThrottledError):
        return 429
    if isinstance(exc, PreconditionError):
        return 428 if exc.missing else 412
    pairs: tuple[tuple[type[RapportError], int], ...] = (
        (AuthenticationError, 401), (PermissionDeniedError, 403), (NotFoundError, 404),
        (ConflictError, 409), (DatabaseUnavailableError, 503))
    for cls, status in pairs:
        if isinstance(exc, cls):
            return status
    if isinstance(exc, MultipleErrors) and exc.errors:
        statuses = {status_of(e) for e in exc.errors}
        return statuses.pop() if len(statuses) == 1 else 422
    return 422


def _items(exc: RapportError) -> list[ProblemItem]:
    if isinstance(exc, MultipleErrors):
        return [ProblemItem(code=e.code, message=e.message, record=e.record, field=e.field,
                            reason=e.reason) for e in exc.errors]
    if isinstance(exc, ImportValidationError):
        return [ProblemItem(code=exc.code, message=str(p), record=f"row {p.row}",
                            field=p.column, reason=p.reason) for p in exc.problems]
    return []


def problem_response(exc: RapportError) -> JSONResponse:
    """The problem+json response for a rapport error (with Retry-After / WWW-Authenticate)."""
    status = status_of(exc)
    body = Problem(type=f"urn:rapport:error:{exc.code}", title=TITLES.get(status, "Error"),
                   status=status, detail=exc.message, code=exc.code, record=exc.record,
                   field=exc.field, reason=exc.reason, errors=_items(exc))
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="rapport"'
    if isinstance(exc, SignInThrottledError):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, DatabaseUnavailableError) and exc.retry:
        headers["Retry-After"] = "1"
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers,
                        media_type=MEDIA_TYPE)


def request_problem(exc: RequestValidationError) -> JSONResponse:
    """A request FastAPI could not parse (path, query, header or body): 422, every field."""
    items = []
    for error in exc.errors():
        where = [str(part) for part in error.get("loc", ())]
        field = ".".join(where[1:]) if len(where) > 1 else ".".join(where) or "request"
        message = f"{field}: {error.get('msg', 'not valid')}"
        items.append(ProblemItem(code="VALIDATION", message=message, record="Request",
                                 field=field, reason=str(error.get("type", "invalid"))))
    first = items[0] if items else ProblemItem(code="VALIDATION", message="Request not valid")
    body = Problem(type="urn:rapport:error:VALIDATION", title=TITLES[422], status=422,
                   detail="; ".join(i.message for i in items) or first.message,
                   code="VALIDATION", record="Request", field=first.field,
                   reason=first.reason, errors=items)
    return JSONResponse(body.model_dump(mode="json"), status_code=422, media_type=MEDIA_TYPE)


def http_problem(status: int, detail: str, headers: dict[str, str] | None = None
                 ) -> JSONResponse:
    """An HTTP-level refusal (a body that is not JSON, an unknown path or method)."""
    code = "BAD_REQUEST" if status == 400 else "HTTP"
    body = Problem(type=f"urn:rapport:error:{code}", title=TITLES.get(status, "Error"),
                   status=status, detail=detail, code=code, record="Request")
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers,
                        media_type=MEDIA_TYPE)


def internal_problem() -> JSONResponse:
    """An unexpected failure: said in words, without internals."""
    body = Problem(type="urn:rapport:error:INTERNAL", title=TITLES[500], status=500,
                   detail="rapport failed unexpectedly; the server log has the details",
                   code="INTERNAL")
    return JSONResponse(body.model_dump(mode="json"), status_code=500, media_type=MEDIA_TYPE)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of error responses (moved to problem+json by ``app.openapi``)."""
    return {status: {"model": Problem, "description": TITLES[status]} for status in statuses}


#: What every authenticated operation may answer.
COMMON = (400, 401, 403, 422, 503)
