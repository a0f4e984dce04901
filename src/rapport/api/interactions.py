"""Single interactions (the Create Interaction wizard in one request), postponed interactions,
and the actions on log entries: cancel, un-cancel, evaluate.

``POST /interactions`` runs the wizard in one request: it starts from one point (a contact, a
salesperson or a log entry), applies the fields sent, and finishes it or — with ``postpone`` —
keeps it as a postponed interaction (A2/Q09), which ``…/postponed/{entry_no}/finish`` completes.
Drafts kept between requests are ``interaction_drafts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.deps import ReadCtx, SettingsDep, WriteCtx
from rapport.api.idempotency import IdempotencyKey, idempotent
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money
from rapport.services import interactions
from rapport.services.interactions import DraftChanges, PostponedFilter

router = APIRouter(tags=["interactions"])
EntryNo = Annotated[int, Path(ge=1, le=2**31 - 1, description="Entry No.")]
Code = Annotated[str | None, Query(max_length=20)]
ERRORS = problems(*COMMON, 404, 409)


class InteractionRead(BaseModel):
    """The interaction log entry a wizard call wrote (postponed or finished)."""

    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    postponed: bool
    contact_no: str | None
    contact_name: str
    interaction_template_code: str | None
    description: str
    subject: str
    date: dt.date | None
    time_of_interaction: dt.time | None
    salesperson_code: str | None
    campaign_no: str | None
    campaign_entry_no: int | None
    correspondence_type: str
    delivery_status: str
    evaluation: str
    attempt_failed: bool
    cost: Money
    duration: int
    comment_lines: int


class InteractionCreate(DraftChanges):
    """A new interaction: exactly one starting point (``from_contact``, ``from_salesperson`` or
    ``from_entry``), the wizard's fields, and whether to ``postpone`` it (Q09) or finish it
    (``deliver`` its attachment)."""

    from_contact: str | None = Field(None, max_length=100)
    from_salesperson: str | None = Field(None, max_length=20)
    from_entry: int | None = Field(None, ge=1, le=2**31 - 1)
    postpone: bool = False
    deliver: bool = True


class InteractionFinish(DraftChanges):
    """Changes to a postponed interaction before it is finished (or postponed again)."""

    postpone: bool = False
    deliver: bool = True


class PostponedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    date: dt.date | None
    time_of_interaction: dt.time | None
    contact_no: str | None
    contact_name: str
    interaction_template_code: str | None
    description: str
    salesperson_code: str | None
    campaign_no: str | None
    user_id: str
    has_attachment: bool


class PostponedDeleted(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entries: int
    comment_lines: int
    attachments: int


class EntryCancel(BaseModel):
    """``remove_attachments``: cancelling removes the entries' unique attachments (Q11)."""

    model_config = ConfigDict(extra="forbid")

    remove_attachments: bool = False


class EntryCancelResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    canceled: bool
    entries: int
    attachments_removed: int


class EntryEvaluate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evaluation: str = Field(min_length=1, max_length=30, description="Very Positive, "
                            "Positive, Neutral, Negative or Very Negative.")


class EntryEvaluated(BaseModel):
    entries: int
    evaluation: str


_START = {"from_contact", "from_salesperson", "from_entry", "postpone", "deliver"}


@router.post("/interactions", status_code=201, response_model=InteractionRead,
             responses=ERRORS)
def create_interaction(body: InteractionCreate, ctx: WriteCtx, settings: SettingsDep,
                       request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Record one interaction (or postpone it), from a contact, a salesperson or a log entry."""
    changes = DraftChanges(**body.model_dump(include=body.model_fields_set - _START))
    return idempotent(ctx, request, idempotency_key, body, lambda: InteractionRead
                      .model_validate(interactions.create_interaction(
                          ctx, changes, contact_no=body.from_contact,
                          salesperson_code=body.from_salesperson,
                          from_entry=body.from_entry, postpone=body.postpone,
                          deliver=body.deliver, tz=ZoneInfo(settings.time_zone))), 201)


@router.get("/interactions/postponed", response_model=list[PostponedRead],
            responses=problems(*COMMON))
def list_postponed(ctx: ReadCtx, contact_no: Code = None, salesperson_code: Code = None,
                   campaign_no: Code = None, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> list[PostponedRead]:
    """Postponed interactions by entry number."""
    rows = interactions.list_postponed(ctx, PostponedFilter(
        contact_no=contact_no, salesperson_code=salesperson_code, campaign_no=campaign_no,
        date_from=date_from, date_to=date_to))
    return [PostponedRead.model_validate(r) for r in rows]


@router.post("/interactions/postponed/{entry_no}/finish", response_model=InteractionRead,
             responses=ERRORS)
def finish_postponed(entry_no: EntryNo, body: InteractionFinish, ctx: WriteCtx,
                     request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Resume a postponed interaction, apply the changes, and finish it (every check runs)."""
    changes = DraftChanges(**body.model_dump(include=body.model_fields_set - _START))
    return idempotent(ctx, request, idempotency_key, body, lambda: InteractionRead
                      .model_validate(interactions.complete_postponed(
                          ctx, entry_no, changes, postpone=body.postpone,
                          deliver=body.deliver)))


@router.delete("/interactions/postponed/{entry_no}", response_model=PostponedDeleted,
               responses=ERRORS)
def delete_postponed(entry_no: EntryNo, ctx: WriteCtx) -> PostponedDeleted:
    """Delete a postponed interaction with its comments and unique attachment (Q13)."""
    return PostponedDeleted.model_validate(interactions.delete_postponed(ctx, [entry_no]))


@router.post("/interaction-log-entries/{entry_no}/cancel", response_model=EntryCancelResult,
             responses=ERRORS)
def cancel_entry(entry_no: EntryNo, body: EntryCancel, ctx: WriteCtx) -> EntryCancelResult:
    """Cancel an interaction log entry."""
    return EntryCancelResult.model_validate(interactions.set_canceled(
        ctx, [entry_no], True, remove_attachments=body.remove_attachments))


@router.post("/interaction-log-entries/{entry_no}/uncancel", response_model=EntryCancelResult,
             responses=ERRORS)
def uncancel_entry(entry_no: EntryNo, ctx: WriteCtx) -> EntryCancelResult:
    """Remove the canceled mark from an interaction log entry (E28)."""
    return EntryCancelResult.model_validate(interactions.set_canceled(ctx, [entry_no], False))


@router.post("/interaction-log-entries/{entry_no}/evaluate", response_model=EntryEvaluated,
             responses=ERRORS)
def evaluate_entry(entry_no: EntryNo, body: EntryEvaluate, ctx: WriteCtx) -> EntryEvaluated:
    """Set an interaction log entry's evaluation."""
    count = interactions.evaluate(ctx, [entry_no], body.evaluation)
    return EntryEvaluated(entries=count, evaluation=body.evaluation)
