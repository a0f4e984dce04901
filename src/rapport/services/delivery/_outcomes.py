"""Recording what happened to claimed messages, conditionally on the worker still holding them.

Every update names the worker: a row another party settled meanwhile (a person, or a claim
that took the worker for dead) is left alone — except that a worker that *knows* the outcome
of a message another worker marked unknown records it (knowledge beats doubt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import bindparam, case, or_, update

from rapport.domain.enums import DeliveryStatus, OutboxStatus
from rapport.services.context import Ctx, run
from rapport.services.tables import ILE, OUTBOX


class Result(Enum):
    """What became of one claimed message."""

    SENT = "sent"
    FAILED = "failed"  # refused for good: 5xx, or it could not be composed
    RETRY = "retry"  # refused for now (4xx), or the connection broke before it was handed over
    UNKNOWN = "unknown"  # the connection broke after it was handed over
    NOT_ATTEMPTED = "not attempted"  # the batch stopped before its turn


@dataclass(frozen=True)
class Outcome:
    """One message's result and the server's reason."""

    outbox_id: int
    entry_no: int
    attempts: int  # the attempts counted so far, this one included
    result: Result
    reason: str = ""


@dataclass(frozen=True)
class Policy:
    """How a refusal for now is retried."""

    max_attempts: int
    retry_seconds: float

    def retry_at(self, now: dt.datetime, attempts: int) -> dt.datetime:
        """Back-off: ``retry_seconds`` after the first attempt, doubling after each further."""
        return now + dt.timedelta(seconds=self.retry_seconds * 2 ** max(attempts - 1, 0))


_HELD = (OUTBOX.c.id == bindparam("b_id")) & (OUTBOX.c.claimed_by == bindparam("b_worker"))
# Not IN (…) in the executemany statements: an expanding parameter cannot be used with them.
_IN_HAND = or_(OUTBOX.c.status == OutboxStatus.SENDING.value,
               OUTBOX.c.status == OutboxStatus.UNKNOWN.value)
# Built once: run by key (executemany) for the rarer outcomes, each row with its own reason.
# A window's "sending" and its "sent" rows are one statement each (see mark_sending, record):
# on PostgreSQL ten single-row updates cost several times one update of ten rows.
_RETRY = (update(OUTBOX).where(_HELD, _IN_HAND)
          .values(status=OutboxStatus.PENDING.value, claimed_by="", claimed_at=None,
                  error=bindparam("b_error"), next_attempt_at=bindparam("b_at")))
_FINISH = (update(OUTBOX).where(_HELD, OUTBOX.c.status != OutboxStatus.SENT.value)
           .values(status=bindparam("b_status"), error=bindparam("b_error")))
_ENTRY = (update(ILE).where(ILE.c.entry_no == bindparam("b_entry"))
          .values(delivery_status=bindparam("b_delivery"), delivery_error=bindparam("b_error")))
_MANY = {"synchronize_session": False}


def mark_sending(ctx: Ctx, worker: str, window: Sequence[tuple[int, str]]) -> None:
    """Commit-before-talking: the (outbox id, recipient) pairs of the window are being sent
    (one statement: each row's recipient chosen by its id)."""
    if window:
        recipients = case({i: r[:80] for i, r in window}, value=OUTBOX.c.id)
        run(ctx, update(OUTBOX).where(
            OUTBOX.c.id.in_([i for i, _ in window]), OUTBOX.c.claimed_by == worker,
            OUTBOX.c.status == OutboxStatus.CLAIMED.value,
        ).values(status=OutboxStatus.SENDING.value, recipient=recipients,
                 attempts=OUTBOX.c.attempts + 1))


def record(ctx: Ctx, worker: str, outcomes: Sequence[Outcome], policy: Policy) -> None:
    """Write the outcomes of a window and the Delivery Status of their entries."""
    if not outcomes:
        return
    now = ctx.now()
    by_result: dict[Result, list[Outcome]] = {result: [] for result in Result}
    for outcome in outcomes:
        by_result[outcome.result].append(outcome)
    retry = [o for o in by_result[Result.RETRY] if o.attempts < policy.max_attempts]
    failed = by_result[Result.FAILED] + [
        Outcome(o.outbox_id, o.entry_no, o.attempts, Result.FAILED,
                f"gave up after {o.attempts} attempt(s): {o.reason}")
        for o in by_result[Result.RETRY] if o.attempts >= policy.max_attempts]
    sent = by_result[Result.SENT]
    if sent:
        run(ctx, update(OUTBOX).where(
            OUTBOX.c.id.in_([o.outbox_id for o in sent]), OUTBOX.c.claimed_by == worker,
            _IN_HAND).values(status=OutboxStatus.SENT.value, sent_at=now, error=""))
        run(ctx, update(ILE).where(ILE.c.entry_no.in_([o.entry_no for o in sent])).values(
            delivery_status=DeliveryStatus.BLANK.value, delivery_error=""))
    _many(ctx, _RETRY, [{"b_id": o.outbox_id, "b_worker": worker, "b_error": o.reason[:500],
                         "b_at": policy.retry_at(now, o.attempts)} for o in retry])
    for status, done in ((OutboxStatus.FAILED, failed),
                         (OutboxStatus.UNKNOWN, by_result[Result.UNKNOWN])):
        _many(ctx, _FINISH, [{"b_id": o.outbox_id, "b_worker": worker, "b_status": status.value,
                              "b_error": o.reason[:500]} for o in done])
    _many(ctx, _ENTRY, [
        {"b_entry": o.entry_no, "b_delivery": DeliveryStatus.ERROR.value,
         "b_error": o.reason[:500]} for o in failed + by_result[Result.UNKNOWN]])
    release(ctx, worker, [o.outbox_id for o in by_result[Result.NOT_ATTEMPTED]])


def _many(ctx: Ctx, stmt: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        ctx.session.execute(stmt, rows, execution_options=_MANY)


def release(ctx: Ctx, worker: str, outbox_ids: Sequence[int]) -> None:
    """Claimed messages the worker did not hand over go back to pending (a window's message
    marked "sending" gets back the attempt it was counted)."""
    if not outbox_ids:
        return
    mine = (OUTBOX.c.id.in_(outbox_ids), OUTBOX.c.claimed_by == worker)
    back = {"status": OutboxStatus.PENDING.value, "claimed_by": "", "claimed_at": None}
    run(ctx, update(OUTBOX).where(*mine, OUTBOX.c.status == OutboxStatus.SENDING.value)
        .values(attempts=OUTBOX.c.attempts - 1, **back))
    run(ctx, update(OUTBOX).where(*mine, OUTBOX.c.status == OutboxStatus.CLAIMED.value)
        .values(**back))
