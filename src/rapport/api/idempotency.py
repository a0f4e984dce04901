"""``Idempotency-Key`` on actions that must not happen twice (logging a segment, Add Contacts,
Go Back, cancelling …): the first answer is stored in the action's own transaction
(``services.users.remember_answer``), and a retry with the same key and request gets that
answer back (header ``Idempotent-Replayed: true``) instead of acting again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Request, Response
from pydantic import BaseModel

from rapport.services import users
from rapport.services.context import Ctx

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=200,
    description="A key unique to this request: a retry with the same key is answered with the "
    "first answer instead of acting again.")]


def _fingerprint(request: Request, body: BaseModel | None) -> str:
    parts: list[Any] = [request.method, request.url.path, sorted(request.query_params.items()),
                        body.model_dump(mode="json") if body is not None else None]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


def idempotent(ctx: Ctx, request: Request, key: str | None, body: BaseModel | None,
               act: Callable[[], BaseModel], status_code: int = 200) -> Response:
    """Run ``act`` once per key: a repeated request gets the first answer."""
    if key is None:
        return Response(act().model_dump_json(), status_code, media_type="application/json")
    fingerprint = _fingerprint(request, body)
    stored = users.stored_answer(ctx, key, fingerprint)
    if stored is not None:
        return Response(stored.body, stored.status_code, media_type="application/json",
                        headers={"Idempotent-Replayed": "true"})
    answer = act().model_dump_json()
    users.remember_answer(ctx, key, fingerprint, status_code, answer)
    return Response(answer, status_code, media_type="application/json")
