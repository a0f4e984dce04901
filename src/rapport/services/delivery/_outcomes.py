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

from sqlalchemy import ColumnElement, bindparam, update

from rapport.domain.enums import DeliveryStatus, OutboxStatus
from rapport.services.context import Ctx, run
from rapport.services.delivery._outbox import set_entry_status
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


def mark_sending(ctx: Ctx, worker: str, window: Sequence[tuple[int, str]]) -> None:
    """Commit-before-talking: the (outbox id, recipient) pairs of the window are being sent."""
    if not window:
        return
    stmt = (
        update(OUTBOX)
        .where(OUTBOX.c.id == bindparam("b_id"), OUTBOX.c.claimed_by == worker,
               OUTBOX.c.status == OutboxStatus.CLAIMED.value)
        .values(status=OutboxStatus.SENDING.value, recipient=bindparam("b_recipient"),
                attempts=OUTBOX.c.attempts + 1)
    )
    ctx.session.execute(stmt, [{"b_id": i, "b_recipient": r[:80]} for i, r in window],
                        execution_options={"synchronize_session": False})


def record(ctx: Ctx, worker: str, outcomes: Sequence[Outcome], policy: Policy) -> None:
    """Write the outcomes of a window and the Delivery Status of their entries."""
    now = ctx.now()
    held = OUTBOX.c.claimed_by == worker
    sending = OUTBOX.c.status.in_([OutboxStatus.SENDING.value, OutboxStatus.UNKNOWN.value])
    by_result: dict[Result, list[Outcome]] = {result: [] for result in Result}
    for outcome in outcomes:
        by_result[outcome.result].append(outcome)
    sent = by_result[Result.SENT]
    if sent:
        run(ctx, update(OUTBOX).where(OUTBOX.c.id.in_([o.outbox_id for o in sent]), held,
                                      sending)
            .values(status=OutboxStatus.SENT.value, sent_at=now, error=""))
        set_entry_status(ctx, [o.entry_no for o in sent], DeliveryStatus.BLANK)
    retry = [o for o in by_result[Result.RETRY] if o.attempts < policy.max_attempts]
    given_up = [o for o in by_result[Result.RETRY] if o.attempts >= policy.max_attempts]
    failed = by_result[Result.FAILED] + [
        Outcome(o.outbox_id, o.entry_no, o.attempts, Result.FAILED,
                f"gave up after {o.attempts} attempt(s): {o.reason}") for o in given_up]
    _finish(ctx, held, failed, OutboxStatus.FAILED, DeliveryStatus.ERROR)
    _finish(ctx, held, by_result[Result.UNKNOWN], OutboxStatus.UNKNOWN, DeliveryStatus.ERROR)
    if retry:
        stmt = (update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id"), held, sending)
                .values(status=OutboxStatus.PENDING.value, claimed_by="", claimed_at=None,
                        error=bindparam("b_error"), next_attempt_at=bindparam("b_at")))
        ctx.session.execute(stmt, [
            {"b_id": o.outbox_id, "b_error": o.reason[:500],
             "b_at": policy.retry_at(now, o.attempts)} for o in retry],
            execution_options={"synchronize_session": False})
    release(ctx, worker, [o.outbox_id for o in by_result[Result.NOT_ATTEMPTED]])


def _finish(ctx: Ctx, held: ColumnElement[bool], outcomes: Sequence[Outcome], status: OutboxStatus,
            entry_status: DeliveryStatus) -> None:
    """Final outcomes with a reason each: the message's row and its entry."""
    if not outcomes:
        return
    stmt = (update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id"), held,
                                 OUTBOX.c.status != OutboxStatus.SENT.value)
            .values(status=status.value, error=bindparam("b_error")))
    ctx.session.execute(stmt, [{"b_id": o.outbox_id, "b_error": o.reason[:500]}
                               for o in outcomes],
                        execution_options={"synchronize_session": False})
    entries = (update(ILE).where(ILE.c.entry_no == bindparam("b_entry"))
               .values(delivery_status=entry_status.value, delivery_error=bindparam("b_error")))
    ctx.session.execute(entries, [{"b_entry": o.entry_no, "b_error": o.reason[:500]}
                                  for o in outcomes],
                        execution_options={"synchronize_session": False})


def release(ctx: Ctx, worker: str, outbox_ids: Sequence[int]) -> None:
    """Claimed messages the worker did not begin go back to pending, untouched."""
    if outbox_ids:
        run(ctx, update(OUTBOX)
            .where(OUTBOX.c.id.in_(outbox_ids), OUTBOX.c.claimed_by == worker,
                   OUTBOX.c.status.in_([OutboxStatus.CLAIMED.value,
                                        OutboxStatus.SENDING.value]))
            .values(status=OutboxStatus.PENDING.value, claimed_by="", claimed_at=None))
