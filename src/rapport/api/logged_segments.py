"""Logged segments: list, cancel and un-cancel (with their entries and campaign entries)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict

from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.idempotency import IdempotencyKey, idempotent
from rapport.api.paging import Limit, Offset, Page
from rapport.api.problems import COMMON, problems
from rapport.services import documents, log

router = APIRouter(prefix="/logged-segments", tags=["logged segments"])
EntryNo = Annotated[int, Path(ge=1, le=2**31 - 1, description="Logged segment entry no.")]


class LoggedSegmentRead(BaseModel):
    """A logged segment with the entries and campaign entries that share its Canceled state."""

    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    segment_no: str
    description: str
    creation_date: dt.date | None
    user_id: str
    canceled: bool
    no_of_interactions: int
    no_of_campaign_entries: int


class CancelResultRead(BaseModel):
    """The new Canceled state and how many records took it."""

    model_config = ConfigDict(from_attributes=True)

    canceled: bool
    logged_segments: int
    entries: int
    campaign_entries: int


@router.get("", response_model=Page[LoggedSegmentRead], responses=problems(*COMMON))
def list_logged_segments(
    ctx: ReadCtx, limit: Limit = 50, offset: Offset = 0,
    canceled: Annotated[bool | None, Query(description="Only canceled / not canceled.")] = None,
    segment_no: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[LoggedSegmentRead]:
    """Logged segments, newest first."""
    page = log.list_logged_segments(ctx, canceled=canceled, segment_no=segment_no,
                                    limit=limit, offset=offset)
    return Page(items=[LoggedSegmentRead.model_validate(r) for r in page.items],
                total=page.total, limit=limit, offset=offset)


@router.post("/{entry_no}/cancel", response_model=CancelResultRead,
             responses=problems(*COMMON, 404, 409))
def cancel_logged_segment(entry_no: EntryNo, ctx: WriteCtx, request: Request,
                          idempotency_key: IdempotencyKey = None) -> Response:
    """Cancel a logged segment with its interaction log entries and campaign entries."""
    return idempotent(ctx, request, idempotency_key, None, lambda: CancelResultRead
                      .model_validate(log.cancel(ctx, [entry_no])))


@router.post("/{entry_no}/uncancel", response_model=CancelResultRead,
             responses=problems(*COMMON, 404, 409))
def uncancel_logged_segment(entry_no: EntryNo, ctx: WriteCtx, request: Request,
                            idempotency_key: IdempotencyKey = None) -> Response:
    """Remove the canceled mark from a logged segment, its entries and campaign entries."""
    return idempotent(ctx, request, idempotency_key, None, lambda: CancelResultRead
                      .model_validate(log.uncancel(ctx, [entry_no])))


@router.get("/{entry_no}/hard-copy", response_class=Response, responses={
    200: {"content": {"application/zip": {}},
          "description": "Segment NO.zip: one PDF (or .docx) per delivered Hard Copy entry"},
    **problems(*COMMON, 404, 409)})
def logged_segment_hard_copy(entry_no: EntryNo, ctx: ReadCtx) -> Response:
    """The ZIP of the logged segment's delivered hard copies (§3.13), bundled from the
    documents stored on their entries; 409 while the letters are still being rendered."""
    made = documents.stored_hard_copy(ctx, entry_no)
    return Response(made.content, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{made.zip_name}"'})
