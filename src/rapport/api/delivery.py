"""E-mail delivery over HTTP: the outbox's state (all of it, per logged segment, per entry),
Resend (E33) and marking a message whose outcome is unknown as sent — as ``rapport delivery
status``, ``rapport interactions resend`` and ``rapport delivery mark-sent``.

The API only queues messages; a delivery worker (``rapport delivery run``) sends them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.idempotency import IdempotencyKey, idempotent
from rapport.api.problems import COMMON, problems
from rapport.api.types import UtcDateTime
from rapport.services import delivery

router = APIRouter(tags=["delivery"])
LoggedNo = Annotated[int, Path(ge=1, le=2**31 - 1, description="Logged segment entry no.")]
EntryNo = Annotated[int, Path(ge=1, le=2**31 - 1, description="Interaction log entry no.")]


class ProblemMessageRead(BaseModel):
    """A message that needs a person: failed, unknown (maybe sent) or blocked (not sent)."""

    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    contact_no: str
    recipient: str
    status: str
    reason: str


class OutboxStateRead(BaseModel):
    """Messages per status, and the first 50 that need a person (``more_problems``: the rest)."""

    model_config = ConfigDict(from_attributes=True)

    counts: dict[str, int]
    problems: list[ProblemMessageRead]
    more_problems: int


class MessageRead(BaseModel):
    """One e-mail message of an entry: generation 0 is the first, 1, 2 … each resend."""

    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    generation: int
    status: str
    recipient: str
    attempts: int
    error: str
    created_at: UtcDateTime
    next_attempt_at: UtcDateTime
    sent_at: UtcDateTime | None


class ResendRequest(BaseModel):
    """Which entries of the logged segment to resend (none: all of them), and how."""

    model_config = ConfigDict(extra="forbid")

    entry_nos: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=10_000)
    correspondence_type: Literal["same", "email"] = Field(
        "same", description="email: send by e-mail whatever the entries' type.")
    update_merge_fields: bool = Field(
        False, description="Log new entries ('Resend: …') and merge their documents afresh.")


class ResendRead(BaseModel):
    """What Resend queued for delivery, what it skipped (no Word document or not e-mail), and
    the new entries it logged (with update_merge_fields)."""

    model_config = ConfigDict(from_attributes=True)

    logged_segment_entry_no: int
    queued: int
    skipped: int
    new_entries: list[int]


class MarkedSentRead(BaseModel):
    """The entry whose unknown message was recorded as sent."""

    entry_no: int
    marked: int


@router.get("/delivery", response_model=OutboxStateRead, responses=problems(*COMMON))
def read_delivery_state(ctx: ReadCtx) -> OutboxStateRead:
    """The whole outbox: messages per status and the ones that need a person."""
    return OutboxStateRead.model_validate(delivery.outbox_state(ctx))


@router.get("/logged-segments/{entry_no}/delivery", response_model=OutboxStateRead,
            responses=problems(*COMMON, 404), tags=["logged segments"])
def read_logged_segment_delivery(entry_no: LoggedNo, ctx: ReadCtx) -> OutboxStateRead:
    """The messages of one logged segment per status, and the ones that need a person."""
    return OutboxStateRead.model_validate(delivery.logged_segment_state(ctx, entry_no))


@router.get("/interaction-log-entries/{entry_no}/messages", response_model=list[MessageRead],
            responses=problems(*COMMON, 404), tags=["interaction log entries"])
def list_entry_messages(entry_no: EntryNo, ctx: ReadCtx) -> list[MessageRead]:
    """The e-mail messages of an entry, oldest first (empty: it was never e-mailed)."""
    return [MessageRead.model_validate(m) for m in delivery.entry_messages(ctx, entry_no)]


@router.post("/logged-segments/{entry_no}/resend", response_model=ResendRead,
             responses=problems(*COMMON, 404, 409), tags=["logged segments"])
def resend_logged_segment(entry_no: LoggedNo, body: ResendRequest, ctx: WriteCtx,
                          request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Queue the Word documents of selected entries of a logged segment for e-mail again
    (E33: entries of this logged segment only; 409 while a message still waits). Send an
    Idempotency-Key: a retry then does not queue the messages twice."""
    return idempotent(ctx, request, idempotency_key, body, lambda: ResendRead.model_validate(
        delivery.resend(ctx, entry_no, body.entry_nos,
                        correspondence_type=body.correspondence_type,
                        update_merge_fields=body.update_merge_fields)))


@router.post("/interaction-log-entries/{entry_no}/mark-sent", response_model=MarkedSentRead,
             responses=problems(*COMMON, 404, 409), tags=["interaction log entries"])
def mark_entry_sent(entry_no: EntryNo, ctx: WriteCtx, request: Request,
                    idempotency_key: IdempotencyKey = None) -> Response:
    """Record that the entry's message whose outcome was unknown did arrive (409 unless its
    latest message is unknown)."""
    return idempotent(ctx, request, idempotency_key, None, lambda: MarkedSentRead(
        entry_no=entry_no, marked=delivery.mark_sent(ctx, [entry_no])))
