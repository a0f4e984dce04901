"""Resend (SPEC §3.19, §3.16, E33): deliver selected entries of one logged segment again.

Each resent entry gets a new message in the outbox (the next generation, with its own
Message-ID); with ``update_merge_fields`` a *new* entry is logged instead ("Resend: …", dated
the work date) and its document is merged afresh. Only e-mail is delivered from here: an entry
resent "as e-mail" takes the Email correspondence type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, insert, literal, or_, select, update

from rapport.db.models import LoggedSegment
from rapport.domain.enums import CorrespondenceType, DeliveryStatus, OutboxStatus
from rapport.errors import ConflictError, ValidationError
from rapport.services.context import Ctx, run
from rapport.services.records import get_or_raise, not_found
from rapport.services.tables import ILE, OUTBOX

ResendAs = Literal["same", "email"]
IN_FLIGHT = [OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value]
RESEND_PREFIX = "Resend: "


@dataclass(frozen=True)
class ResendResult:
    """What Resend queued."""

    logged_segment_entry_no: int
    queued: int
    skipped: int
    new_entries: list[int]


def resend(ctx: Ctx, logged_segment_entry_no: int | None, entry_nos: Sequence[int] = (), *,
           correspondence_type: ResendAs = "same",
           update_merge_fields: bool = False) -> ResendResult:
    """Queue the selected entries (default: all) of one logged segment for delivery again."""
    if logged_segment_entry_no is None:
        raise ValidationError("Logged Segment Entry No. must be specified", code="E33",
                              field="logged_segment_entry_no", reason="blank")
    ls = logged_segment_entry_no
    get_or_raise(ctx, LoggedSegment, ls, what="Logged segment", field="logged_segment_entry_no")
    _check_selection(ctx, ls, entry_nos)
    chosen = _selection(ls, entry_nos)
    deliverable = chosen.where(
        or_(ILE.c.attachment_no.is_not(None), ILE.c.word_template_code.is_not(None)),
        literal(True) if correspondence_type == "email"
        else ILE.c.correspondence_type == CorrespondenceType.EMAIL.value)
    entries = list(ctx.session.scalars(deliverable.with_only_columns(ILE.c.entry_no)
                                       .order_by(ILE.c.entry_no)))
    total = ctx.session.scalar(chosen.with_only_columns(func.count())) or 0
    if not entries:
        raise ValidationError("There is nothing to send; only entries with a Word document "
                              "(attachment or Word template) can be resent by e-mail",
                              code="E33", record=f"Logged segment {ls}", reason="nothing")
    _refuse_in_flight(ctx, entries)
    if update_merge_fields:
        entries = _copy_entries(ctx, entries)
    else:
        run(ctx, update(ILE).where(ILE.c.entry_no.in_(entries)).values(
            correspondence_type=CorrespondenceType.EMAIL.value,
            delivery_status=DeliveryStatus.IN_PROGRESS.value, delivery_error=""))
    _queue(ctx, entries)
    return ResendResult(ls, len(entries), total - len(entries),
                        entries if update_merge_fields else [])


def _selection(ls: int, entry_nos: Sequence[int]) -> Any:
    stmt = select(ILE.c.entry_no).where(ILE.c.logged_segment_entry_no == ls,
                                        ILE.c.postponed.is_(False))
    return stmt.where(ILE.c.entry_no.in_(entry_nos)) if entry_nos else stmt


def _check_selection(ctx: Ctx, ls: int, entry_nos: Sequence[int]) -> None:
    """Every named entry exists and belongs to logged segment ``ls`` (E33)."""
    if not entry_nos:
        return
    found = dict(ctx.session.execute(
        select(ILE.c.entry_no, ILE.c.logged_segment_entry_no)
        .where(ILE.c.entry_no.in_(entry_nos))).tuples().all())
    missing = [no for no in entry_nos if no not in found]
    if missing:
        raise not_found("Interaction log entry", missing[0], field="entry_nos")
    others = sorted({no for no, owner in found.items() if owner != ls})
    if others:
        raise ValidationError(
            f"Entries must come from the same logged segment: entr(y/ies) "
            f"{', '.join(map(str, others))} are not of logged segment {ls}", code="E33",
            record=f"Logged segment {ls}", field="entry_nos", reason="other logged segment")


def _refuse_in_flight(ctx: Ctx, entries: Sequence[int]) -> None:
    """An entry whose message still waits or is being sent cannot be resent yet."""
    busy = set(ctx.session.scalars(
        select(OUTBOX.c.entry_no)
        .where(OUTBOX.c.entry_no.in_(entries), OUTBOX.c.status.in_(IN_FLIGHT))
        .with_for_update()))
    if busy:
        raise ConflictError(
            f"Entr(y/ies) {', '.join(map(str, sorted(busy)))} still wait to be sent or are "
            f"being sent; resend them once delivered", record="Delivery outbox",
            field="entry_nos", reason="in flight")


def _copy_entries(ctx: Ctx, entries: Sequence[int]) -> list[int]:
    """New entries for the resend: today's date, "Resend: …", merged afresh."""
    fresh: dict[str, ColumnElement[Any]] = {
        "date": literal(ctx.work_date), "time_of_interaction": literal(None),
        "description": func.substr(literal(RESEND_PREFIX) + ILE.c.description, 1, 100),
        "user_id": literal(ctx.user_id), "canceled": literal(False),
        "postponed": literal(False), "merged": literal(False),
        "correspondence_type": literal(CorrespondenceType.EMAIL.value),
        "delivery_status": literal(DeliveryStatus.IN_PROGRESS.value),
        "delivery_error": literal(""), "created_at": literal(ctx.now()),
    }
    names = [c.name for c in ILE.columns if c.name != "entry_no"]
    source = (select(*[fresh.get(name, ILE.c[name]) for name in names])
              .where(ILE.c.entry_no.in_(entries)).order_by(ILE.c.entry_no))
    stmt = insert(ILE).from_select(names, source).returning(ILE.c.entry_no)
    return sorted(ctx.session.scalars(stmt))


def _queue(ctx: Ctx, entries: Sequence[int]) -> None:
    """A new message per entry: the generation after its last one."""
    now = ctx.now()
    last = (select(func.coalesce(func.max(OUTBOX.c.generation) + 1, 0))
            .where(OUTBOX.c.entry_no == ILE.c.entry_no).scalar_subquery())
    source = select(ILE.c.entry_no, last, literal(OutboxStatus.PENDING.value), literal(0),
                    literal(now), literal(now)).where(ILE.c.entry_no.in_(entries))
    run(ctx, insert(OUTBOX).from_select(
        ["entry_no", "generation", "status", "attempts", "next_attempt_at", "created_at"],
        source))
