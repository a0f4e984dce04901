"""The state of the outbox, and a person's decision on messages whose outcome is unknown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from rapport.db.models import InteractionLogEntry, LoggedSegment
from rapport.domain.enums import DeliveryStatus, OutboxStatus
from rapport.errors import ConflictError, ValidationError
from rapport.services.context import Ctx
from rapport.services.delivery._outbox import set_entry_status
from rapport.services.records import get_or_raise, not_found
from rapport.services.tables import ILE, OUTBOX

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """A message that needs a person: failed, unknown or blocked."""

    entry_no: int
    contact_no: str
    recipient: str
    status: str
    reason: str


@dataclass(frozen=True)
class OutboxState:
    """Messages per status (of one logged segment, or all), and the problems to look at."""

    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0


def outbox_state(ctx: Ctx, logged_segment: int | None = None) -> OutboxState:
    """How many messages are in each state, and the first failed/unknown/blocked ones."""
    scope = select(OUTBOX.c.id).join(ILE, ILE.c.entry_no == OUTBOX.c.entry_no)
    if logged_segment is not None:
        scope = scope.where(ILE.c.logged_segment_entry_no == logged_segment)
    ids = scope.scalar_subquery()
    counts = {status.value: 0 for status in OutboxStatus}
    rows = ctx.session.execute(select(OUTBOX.c.status, func.count()).where(OUTBOX.c.id.in_(ids))
                               .group_by(OUTBOX.c.status))
    counts.update({status: int(n) for status, n in rows})
    troubled = [OutboxStatus.FAILED.value, OutboxStatus.UNKNOWN.value,
                OutboxStatus.BLOCKED.value]
    stmt = (select(OUTBOX.c.entry_no, ILE.c.contact_no, OUTBOX.c.recipient, OUTBOX.c.status,
                   OUTBOX.c.error)
            .join(ILE, ILE.c.entry_no == OUTBOX.c.entry_no)
            .where(OUTBOX.c.id.in_(ids), OUTBOX.c.status.in_(troubled))
            .order_by(OUTBOX.c.entry_no, OUTBOX.c.generation).limit(MAX_PROBLEMS))
    problems = [Problem(e, c or "", r, s, why) for e, c, r, s, why in ctx.session.execute(stmt)]
    total = sum(counts[s] for s in troubled)
    return OutboxState(counts, problems, max(total - len(problems), 0))


def mark_sent(ctx: Ctx, entry_nos: Sequence[int]) -> int:
    """A person checked that these entries' unknown messages arrived: record them as sent."""
    if not entry_nos:
        raise ValidationError("Name the entries whose messages arrived", field="entry_nos",
                              reason="none given")
    known = set(ctx.session.scalars(select(ILE.c.entry_no).where(ILE.c.entry_no.in_(entry_nos))))
    missing = [no for no in entry_nos if no not in known]
    if missing:
        raise not_found("Interaction log entry", missing[0], field="entry_nos")
    latest = (select(OUTBOX.c.entry_no, func.max(OUTBOX.c.generation).label("generation"))
              .where(OUTBOX.c.entry_no.in_(entry_nos)).group_by(OUTBOX.c.entry_no).subquery())
    rows = ctx.session.execute(
        select(OUTBOX.c.id, OUTBOX.c.entry_no, OUTBOX.c.status)
        .join(latest, (latest.c.entry_no == OUTBOX.c.entry_no)
              & (latest.c.generation == OUTBOX.c.generation))
        .with_for_update(of=OUTBOX)).all()
    found = {entry: status for _, entry, status in rows}
    wrong = [f"entry {no}: {found.get(no, 'no e-mail message')}" for no in entry_nos
             if found.get(no) != OutboxStatus.UNKNOWN.value]
    if wrong:
        raise ConflictError("Only messages whose outcome is unknown can be marked sent: "
                            + "; ".join(wrong), record="Delivery outbox", field="status",
                            reason="not unknown")
    ctx.session.execute(update(OUTBOX).where(OUTBOX.c.id.in_([r[0] for r in rows]))
                        .values(status=OutboxStatus.SENT.value, sent_at=ctx.now(),
                                error="marked sent by " + ctx.user_id),
                        execution_options={"synchronize_session": False})
    set_entry_status(ctx, list(found), DeliveryStatus.BLANK)
    return len(rows)


@dataclass(frozen=True)
class Message:
    """One e-mail message of an entry: the first delivery (generation 0) or a resend (1, 2 …)."""

    entry_no: int
    generation: int
    status: str
    recipient: str
    attempts: int
    error: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None


def logged_segment_state(ctx: Ctx, logged_segment: int) -> OutboxState:
    """``outbox_state`` of one logged segment, which must exist."""
    get_or_raise(ctx, LoggedSegment, logged_segment, what="Logged segment", field="entry_no")
    return outbox_state(ctx, logged_segment)


def entry_messages(ctx: Ctx, entry_no: int) -> list[Message]:
    """The e-mail messages of an interaction log entry, oldest first (none: never e-mailed)."""
    get_or_raise(ctx, InteractionLogEntry, entry_no, what="Interaction log entry",
                 field="entry_no")
    rows = ctx.session.execute(
        select(OUTBOX.c.entry_no, OUTBOX.c.generation, OUTBOX.c.status, OUTBOX.c.recipient,
               OUTBOX.c.attempts, OUTBOX.c.error, OUTBOX.c.created_at,
               OUTBOX.c.next_attempt_at, OUTBOX.c.sent_at)
        .where(OUTBOX.c.entry_no == entry_no).order_by(OUTBOX.c.generation))
    return [Message(*row) for row in rows]
