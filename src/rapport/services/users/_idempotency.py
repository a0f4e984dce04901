"""The first answer to a request sent with an ``Idempotency-Key`` (issue 13).

The answer is stored in the transaction that did the work, so a request either acted and left
its answer, or did neither; a retry with the same key and the same request gets the stored
answer back instead of acting again (a segment is not logged twice). The same key with another
request is refused.

Answers are kept for ``ANSWER_KEEP`` (24 hours, as payment APIs do): a retry comes within
minutes, and the table must not grow for ever. Expired answers of the acting user are deleted, in
one statement, whenever that user asks for an answer, so a key may be used again after a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete

from rapport.db import models as m
from rapport.errors import ConflictError, ValidationError
from rapport.services.context import Ctx

MAX_KEY = 200
ANSWER_KEEP = dt.timedelta(hours=24)


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: str


def _key(key: str) -> str:
    text = key.strip()
    if not text or len(text) > MAX_KEY:
        raise ValidationError(f"Idempotency-Key must have 1 to {MAX_KEY} characters",
                              record="Request", field="Idempotency-Key", reason="bad key")
    return text


def _forget_expired(ctx: Ctx) -> None:
    """Delete the acting user's answers older than ``ANSWER_KEEP`` (one statement)."""
    ir = m.IdempotentRequest
    ctx.session.execute(delete(ir).where(ir.user_id == ctx.user_id,
                                         ir.created_at < ctx.now() - ANSWER_KEEP),
                        execution_options={"synchronize_session": False})


def stored_answer(ctx: Ctx, key: str, fingerprint: str) -> StoredAnswer | None:
    """The answer to the acting user's request with ``key`` in the last day, if any."""
    text = _key(key)
    _forget_expired(ctx)
    row = ctx.session.get(m.IdempotentRequest, (ctx.user_id, text),
                          populate_existing=True)
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise ConflictError(f"Idempotency-Key {key!r} was used for another request",
                            record="Request", field="Idempotency-Key", reason="key reused")
    return StoredAnswer(row.status_code, row.body)


def remember_answer(ctx: Ctx, key: str, fingerprint: str, status_code: int, body: str) -> None:
    """Keep the answer to the acting user's request with ``key`` (same transaction)."""
    ctx.session.add(m.IdempotentRequest(user_id=ctx.user_id, key=_key(key),
                                        fingerprint=fingerprint, status_code=status_code,
                                        body=body, created_at=ctx.now()))
    ctx.session.flush()
