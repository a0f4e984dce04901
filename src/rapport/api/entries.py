"""Interaction log entries: the log (keyset pages, newest first), one entry, its comments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict

from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.paging import Limit, Page
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money
from rapport.errors import NotFoundError
from rapport.services import interactions
from rapport.services.interactions import CommentInput, EntryFilter

router = APIRouter(prefix="/interaction-log-entries", tags=["interaction log entries"])
EntryNo = Annotated[int, Path(ge=1, le=2**31 - 1, description="Entry No.")]
Code = Annotated[str | None, Query(max_length=20)]


class EntryRead(BaseModel):
    """An interaction log entry."""

    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    contact_no: str | None
    contact_company_no: str | None
    date: dt.date | None
    time_of_interaction: dt.time | None
    description: str
    subject: str
    information_flow: str
    initiated_by: str
    cost: Money
    duration: int
    user_id: str
    interaction_group_code: str | None
    interaction_template_code: str | None
    interaction_language_code: str
    campaign_no: str | None
    campaign_entry_no: int | None
    campaign_response: bool
    campaign_target: bool
    segment_no: str
    logged_segment_entry_no: int | None
    evaluation: str
    attempt_failed: bool
    salesperson_code: str | None
    delivery_status: str
    canceled: bool
    correspondence_type: str
    contact_via: str
    has_comments: bool = False


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    date: dt.date | None
    comment: str


class CommentCreate(CommentInput):
    """A comment line (dated the work date unless given)."""


def _entry(item: interactions.EntryItem) -> EntryRead:
    read = EntryRead.model_validate(item.entry)
    return read.model_copy(update={"has_comments": item.has_comments})


@router.get("", response_model=Page[EntryRead], responses=problems(*COMMON))
def list_entries(
    ctx: ReadCtx, limit: Limit = 50,
    after: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="The last entry no. of "
                                       "the previous page (its next_after): older entries.")
                     ] = None,
    contact_no: Code = None, company_no: Code = None, salesperson_code: Code = None,
    campaign_no: Code = None, segment_no: Code = None, template_code: Code = None,
    group_code: Code = None,
    logged_segment_entry_no: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    date_from: dt.date | None = None, date_to: dt.date | None = None,
    canceled: bool | None = None,
    evaluation: Annotated[str | None, Query(max_length=30)] = None,
) -> Page[EntryRead]:
    """Interaction log entries, newest first, a page at a time (keyset: pass next_after as
    after); postponed interactions are drafts and not listed."""
    filters = EntryFilter(contact_no=contact_no, company_no=company_no,
                          salesperson_code=salesperson_code, campaign_no=campaign_no,
                          segment_no=segment_no, template_code=template_code,
                          group_code=group_code, logged_segment_entry_no=logged_segment_entry_no,
                          date_from=date_from, date_to=date_to, canceled=canceled,
                          evaluation=evaluation)
    page = interactions.list_entries(ctx, filters, limit=limit, before=after)
    items = [_entry(i) for i in page.items]
    last = str(items[-1].entry_no) if len(items) == limit else None
    return Page(items=items, total=page.total, limit=limit, next_after=last)


@router.get("/{entry_no}", response_model=EntryRead, responses=problems(*COMMON, 404))
def read_entry(entry_no: EntryNo, ctx: ReadCtx) -> EntryRead:
    """One interaction log entry."""
    page = interactions.list_entries(ctx, EntryFilter(entry_nos=[entry_no]), limit=1)
    if not page.items:
        raise NotFoundError(f"Interaction log entry {entry_no} does not exist",
                            record=f"Interaction log entry {entry_no}", field="entry_no",
                            reason="does not exist")
    return _entry(page.items[0])


@router.get("/{entry_no}/comments", response_model=list[CommentRead],
            responses=problems(*COMMON, 404))
def list_entry_comments(entry_no: EntryNo, ctx: ReadCtx) -> list[CommentRead]:
    """The entry's comment lines."""
    read_entry(entry_no, ctx)
    return [CommentRead.model_validate(c) for c in interactions.list_comments(ctx, entry_no)]


@router.post("/{entry_no}/comments", status_code=201, response_model=CommentRead,
             responses=problems(*COMMON, 404))
def add_entry_comment(entry_no: EntryNo, body: CommentCreate, ctx: WriteCtx) -> CommentRead:
    """Add a comment line to an entry."""
    return CommentRead.model_validate(interactions.add_comment(ctx, entry_no, body))
