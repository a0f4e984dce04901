"""The outbox: queueing messages with the entries, and claiming them for a worker.

A message moves pending → claimed → sending → sent | failed | unknown (or pending again after
a 4xx reply, or blocked when its contact may no longer be written to). The claim is one
statement that takes due pending rows no other worker holds: ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; on SQLite the claiming transaction holds the write lock (``BEGIN IMMEDIATE``), so
claims run one after the other. A claim first settles the rows of workers that died: rows they
had claimed but not begun go back to pending (never handed over); a row they were sending
becomes unknown, for a person to decide (it may have been accepted).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, insert, literal, or_, select, update

from rapport.domain.enums import CorrespondenceType, DeliveryStatus, OutboxStatus
from rapport.services.context import Ctx, run
from rapport.services.tables import CONTACT, ILE, OPT_OUT, OUTBOX

HOST = socket.gethostname()


def new_worker_id(tag: str) -> str:
    """A worker's name: host, process and a tag unique in the process (host:pid:tag)."""
    return f"{HOST}:{os.getpid()}:{tag}"[:100]


def queue_logged_entries(ctx: Ctx, logged_segment_entry_no: int) -> int:
    """One pending message per e-mail entry of a logged segment that is to be delivered."""
    now = ctx.now()
    source = select(
        ILE.c.entry_no, literal(0), literal(OutboxStatus.PENDING.value), literal(0),
        literal(now), literal(now),
    ).where(
        ILE.c.logged_segment_entry_no == logged_segment_entry_no,
        ILE.c.delivery_status == DeliveryStatus.IN_PROGRESS.value,
        ILE.c.correspondence_type == CorrespondenceType.EMAIL.value,
    ).order_by(ILE.c.entry_no)
    stmt = insert(OUTBOX).from_select(
        ["entry_no", "generation", "status", "attempts", "next_attempt_at", "created_at"],
        source)
    return run(ctx, stmt)


@dataclass(frozen=True)
class Claimed:
    """A message a worker has claimed."""

    outbox_id: int
    entry_no: int
    generation: int
    attempts: int


def claim(ctx: Ctx, worker: str, *, limit: int, lease: dt.timedelta,
          logged_segment: int | None = None) -> tuple[list[Claimed], int]:
    """Claim up to ``limit`` due messages for ``worker`` (after settling dead workers' rows);
    the claimed messages whose contact unsubscribed or is privacy-blocked are blocked.

    Returns the messages to send and how many were blocked."""
    settle_dead_workers(ctx, worker, lease)
    now = ctx.now()
    due = select(OUTBOX.c.id).where(
        OUTBOX.c.status == OutboxStatus.PENDING.value, OUTBOX.c.next_attempt_at <= now)
    if logged_segment is not None:
        due = due.where(exists().where(
            ILE.c.entry_no == OUTBOX.c.entry_no,
            ILE.c.logged_segment_entry_no == logged_segment))
    due = due.order_by(OUTBOX.c.id).limit(limit).with_for_update(skip_locked=True)
    stmt = (
        update(OUTBOX).where(OUTBOX.c.id.in_(due.scalar_subquery()))
        .values(status=OutboxStatus.CLAIMED.value, claimed_by=worker, claimed_at=now)
        .returning(OUTBOX.c.id, OUTBOX.c.entry_no, OUTBOX.c.generation, OUTBOX.c.attempts)
    )
    rows = ctx.session.execute(stmt).all()
    claimed = sorted((Claimed(*row) for row in rows), key=lambda c: c.outbox_id)
    blocked = _block_unwelcome(ctx, worker, [c.outbox_id for c in claimed])
    return [c for c in claimed if c.outbox_id not in blocked], len(blocked)


def _block_unwelcome(ctx: Ctx, worker: str, ids: Sequence[int]) -> set[int]:
    """Block the claimed messages to privacy-blocked or unsubscribed contacts (checked now,
    not when the segment was built); their entries get Delivery Status Error with the reason."""
    if not ids:
        return set()
    blocked: set[int] = set()
    reasons = (
        ("not sent: the contact is blocked for privacy reasons",
         exists().where(CONTACT.c.no == ILE.c.contact_no, CONTACT.c.privacy_blocked)),
        ("not sent: the contact unsubscribed from e-mail",
         exists().where(OPT_OUT.c.contact_no == ILE.c.contact_no)),
    )
    for reason, unwelcome in reasons:
        entry = select(ILE.c.entry_no).where(ILE.c.entry_no == OUTBOX.c.entry_no, unwelcome)
        stmt = (
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids), OUTBOX.c.status == OutboxStatus.CLAIMED.value,
                   OUTBOX.c.claimed_by == worker, entry.exists())
            .values(status=OutboxStatus.BLOCKED.value, error=reason)
            .returning(OUTBOX.c.id, OUTBOX.c.entry_no)
        )
        rows = ctx.session.execute(stmt).all()
        blocked.update(row[0] for row in rows)
        set_entry_status(ctx, [row[1] for row in rows], DeliveryStatus.ERROR, reason)
    return blocked


def settle_dead_workers(ctx: Ctx, worker: str, lease: dt.timedelta) -> None:
    """Rows of workers that died: claimed ones back to pending, sending ones to unknown.

    A worker on this host is dead when its process is gone; one elsewhere when its claim is
    older than ``lease``."""
    holders = ctx.session.scalars(
        select(OUTBOX.c.claimed_by).distinct().where(
            OUTBOX.c.status.in_([OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value]),
            OUTBOX.c.claimed_by != worker)).all()
    dead = [holder for holder in holders if _process_gone(holder)]
    stale = OUTBOX.c.claimed_at < ctx.now() - lease
    gone = or_(OUTBOX.c.claimed_by.in_(dead), and_(stale, OUTBOX.c.claimed_by != worker))
    run(ctx, update(OUTBOX).where(OUTBOX.c.status == OutboxStatus.CLAIMED.value, gone)
        .values(status=OutboxStatus.PENDING.value, claimed_by="", claimed_at=None))
    reason = ("outcome unknown: the delivery worker stopped while handing the message to the "
              "mail server; check whether it arrived, then mark it sent or resend it")
    stmt = (update(OUTBOX).where(OUTBOX.c.status == OutboxStatus.SENDING.value, gone)
            .values(status=OutboxStatus.UNKNOWN.value, error=reason)
            .returning(OUTBOX.c.entry_no))
    entries = list(ctx.session.scalars(stmt))
    set_entry_status(ctx, entries, DeliveryStatus.ERROR, reason)


def _process_gone(holder: str) -> bool:
    """Whether the worker named ``holder`` (host:pid:tag) ran on this host and has ended."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process: alive (its claim expires with the lease)
        return False
    return False


def set_entry_status(ctx: Ctx, entry_nos: Sequence[int], status: DeliveryStatus,
                     reason: str = "") -> None:
    """The entries' Delivery Status (and its reason), as their messages' outcome says."""
    if entry_nos:
        run(ctx, update(ILE).where(ILE.c.entry_no.in_(entry_nos))
            .values(delivery_status=status.value, delivery_error=reason[:500]))
