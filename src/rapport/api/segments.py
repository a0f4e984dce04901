"""Segments: the header (list, create, read, change, delete), its lines (keyset pages, add,
read, change, remove) and its criteria steps. Actions (Add Contacts, Log …) are in
``segment_actions``.

Segment headers and lines carry an ``ETag``; changing or deleting one needs ``If-Match`` (428
without, 412 when someone changed it meanwhile). A2's questions are explicit body fields:
``update_lines`` (Q01–Q03) and ``create_language_row`` (Q04) on the header.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.conditional import check_if_match, created, tagged
from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.paging import Limit, Offset, Page, json_answer
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money, UtcDateTime
from rapport.services import segments
from rapport.services.context import Ctx
from rapport.services.segments import LineChanges, SegmentChanges, SegmentInput

router = APIRouter(prefix="/segments", tags=["segments"])
SegmentNo = Annotated[str, Path(min_length=1, max_length=20, description="Segment No.")]
LineNo = Annotated[int, Path(ge=1, le=2**62, description="Line No.")]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The record's ETag.")]


class SegmentRead(BaseModel):
    """A segment header with its computed figures."""

    no: str
    description: str
    campaign_no: str | None
    salesperson_code: str | None
    date: dt.date | None
    interaction_template_code: str | None
    interaction_group_code: str | None
    language_code_default: str
    word_template_code: str | None
    ignore_contact_corres_type: bool
    correspondence_type_default: str
    information_flow: str
    initiated_by: str
    unit_cost: Money
    unit_duration: int
    campaign_target: bool
    campaign_response: bool
    send_word_docs_as_attmt: bool
    user_id: str
    created_at: UtcDateTime
    no_of_lines: int
    cost: Money
    duration: int
    no_of_criteria_actions: int


class SegmentCreate(SegmentInput):
    """A new segment; without ``no`` it is numbered from Segment Nos., without a salesperson
    it takes the acting user's."""


class SegmentUpdate(SegmentChanges):
    """Changes to a segment header: only the fields sent are changed (null: blank).
    ``update_lines``: the lines follow the header (Q01–Q03); ``create_language_row``: a new
    Language Code (Default) gets its language row (Q04)."""

    update_lines: bool = True
    create_language_row: bool = True


class LineRead(BaseModel):
    """A segment line: its contact and what it will log (its own values or the header's)."""

    line_no: int
    contact_no: str | None
    contact_name: str
    contact_company_name: str
    contact_company_no: str | None
    contact_alt_address_code: str | None
    contact_excluded: bool
    salesperson_code: str | None
    correspondence_type: str
    language_code: str
    description: str
    campaign_no: str | None
    interaction_template_code: str | None
    interaction_group_code: str | None
    cost: Money
    duration: int
    date: dt.date | None
    subject: str
    evaluation: str
    campaign_target: bool
    campaign_response: bool
    information_flow: str
    initiated_by: str
    send_word_doc_as_attmt: bool
    attempt_failed: bool
    opportunity_no: str
    todo_no: str
    contact_via: str
    attachment: str = Field(description="Attachment indicator: blank, Inherited or Unique.")


class LineCreate(BaseModel):
    """A line by hand: with a contact (null: a blank line)."""

    model_config = ConfigDict(extra="forbid")

    contact_no: str | None = Field(None, max_length=20)


class LineUpdate(LineChanges):
    """Changes to one line: its contact, template, language and field overrides (null: blank)."""


class FilterRead(BaseModel):
    section: str
    field: str
    expression: str


class CriteriaStepRead(BaseModel):
    """One criteria action of the segment, in order."""

    action: str
    options: dict[str, bool]
    filters: list[FilterRead]


def segment_read(summary: segments.SegmentSummary) -> SegmentRead:
    h = summary.header
    values: dict[str, Any] = {name: getattr(h, name) for name in SegmentRead.model_fields
                              if hasattr(h, name)}
    values["no_of_lines"] = summary.no_of_lines
    return SegmentRead(**values, cost=summary.cost, duration=summary.duration,
                       no_of_criteria_actions=summary.no_of_criteria_actions)


def line_read(row: segments.LineRow) -> LineRead:
    values = dict(row.line._mapping)  # the resolved line's columns (the extra ones ignored)
    values.update(contact_name=row.contact_name, contact_company_name=row.contact_company_name,
                  attachment=row.attachment or "")
    return LineRead.model_validate(values)


def step_read(step: segments.CriteriaStep) -> CriteriaStepRead:
    return CriteriaStepRead(
        action=step.action.value, options=dict(vars(step.options)),
        filters=[FilterRead(section=t.section, field=t.field, expression=t.expression)
                 for f in step.filters for t in f.texts()])


def _current_segment(ctx: Ctx, no: str, if_match: str | None) -> SegmentRead:
    """The segment, locked, after checking the client's If-Match against it."""
    header = segments.require_segment(ctx, no)
    current = segment_read(segments.get_segment(ctx, header.no))
    check_if_match(if_match, current, f"Segment {header.no}")
    return current


@router.get("", response_model=Page[SegmentRead], responses=problems(*COMMON))
def list_segments(
    ctx: ReadCtx, limit: Limit = 50, offset: Offset = 0,
    search: Annotated[str | None, Query(max_length=100, description="Part of the no. or "
                                        "description.")] = None,
    campaign_no: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[SegmentRead]:
    """Segments by number with their figures."""
    page = segments.segment_page(ctx, search=search, campaign_no=campaign_no, offset=offset,
                                 limit=limit)
    return Page(items=[segment_read(s) for s in page.items], total=page.total, limit=limit,
                offset=offset)


@router.post("", status_code=201, response_model=SegmentRead,
             responses=problems(*COMMON, 404, 409))
def create_segment(body: SegmentCreate, ctx: WriteCtx, response: Response) -> SegmentRead:
    """Create a segment."""
    header = segments.create_segment(ctx, body)
    read = segment_read(segments.get_segment(ctx, header.no))
    created(response, read, f"/segments/{read.no}")
    return read


@router.get("/{no}", response_model=SegmentRead, responses=problems(*COMMON, 404))
def read_segment(no: SegmentNo, ctx: ReadCtx, response: Response) -> SegmentRead:
    """One segment with its figures and ETag."""
    read = segment_read(segments.get_segment(ctx, no))
    tagged(response, read)
    return read


@router.patch("/{no}", response_model=SegmentRead,
              responses=problems(*COMMON, 404, 409, 412, 428))
def update_segment(no: SegmentNo, body: SegmentUpdate, ctx: WriteCtx, response: Response,
                   if_match: IfMatch = None) -> SegmentRead:
    """Change a segment header (If-Match: its ETag); the lines follow unless update_lines is
    false."""
    current = _current_segment(ctx, no, if_match)
    options = {"update_lines", "create_language_row"}
    changes = SegmentChanges(**body.model_dump(include=body.model_fields_set - options))
    segments.change_header(ctx, current.no, changes, update_lines=body.update_lines,
                           create_language_row=body.create_language_row)
    read = segment_read(segments.get_segment(ctx, current.no))
    tagged(response, read)
    return read


@router.delete("/{no}", status_code=204, responses=problems(*COMMON, 404, 409, 412, 428))
def delete_segment(no: SegmentNo, ctx: WriteCtx, if_match: IfMatch = None) -> Response:
    """Delete an unlogged segment with its lines and criteria (If-Match: its ETag)."""
    current = _current_segment(ctx, no, if_match)
    segments.delete_segment(ctx, current.no)
    return Response(status_code=204)


@router.get("/{no}/lines", response_model=Page[LineRead], responses=problems(*COMMON, 404))
def list_segment_lines(
    no: SegmentNo, ctx: ReadCtx, limit: Limit = 50,
    after: Annotated[int | None, Query(ge=0, le=2**62, description="The last line no. of the "
                                       "previous page (its next_after).")] = None,
) -> Response:
    """The segment's lines in line order, a page at a time (keyset: pass next_after as after)."""
    page = segments.line_page(ctx, no, after=after, limit=limit)
    items = [line_read(row) for row in page.items]
    last = str(items[-1].line_no) if len(items) == limit else None
    return json_answer(Page[LineRead](items=items, total=page.total, limit=limit,
                                      next_after=last))


@router.post("/{no}/lines", status_code=201, response_model=LineRead,
             responses=problems(*COMMON, 404, 409))
def add_segment_line(no: SegmentNo, body: LineCreate, ctx: WriteCtx,
                     response: Response) -> LineRead:
    """Put a contact on the segment by hand (or a blank line without a contact)."""
    if body.contact_no:
        line_no = segments.add_line(ctx, no, body.contact_no)
    else:
        line_no = segments.add_blank_line(ctx, no)
    read = line_read(segments.line_row(ctx, no, line_no))
    tagged(response, read)
    return read


@router.get("/{no}/lines/{line_no}", response_model=LineRead,
            responses=problems(*COMMON, 404))
def read_segment_line(no: SegmentNo, line_no: LineNo, ctx: ReadCtx,
                      response: Response) -> LineRead:
    """One line with its ETag."""
    read = line_read(segments.line_row(ctx, no, line_no))
    tagged(response, read)
    return read


def current_line(ctx: Ctx, no: str, line_no: int, if_match: str | None) -> LineRead:
    """The line as shown, after checking the client's If-Match against it."""
    header = segments.require_segment(ctx, no)
    current = line_read(segments.line_row(ctx, header.no, line_no))
    check_if_match(if_match, current, f"Segment {header.no} line {line_no}")
    return current


@router.patch("/{no}/lines/{line_no}", response_model=LineRead,
              responses=problems(*COMMON, 404, 409, 412, 428))
def update_segment_line(no: SegmentNo, line_no: LineNo, body: LineUpdate, ctx: WriteCtx,
                        response: Response, if_match: IfMatch = None) -> LineRead:
    """Change one line (If-Match: its ETag): contact, template, language, field overrides."""
    current_line(ctx, no, line_no, if_match)
    segments.change_line(ctx, no, line_no, body)
    read = line_read(segments.line_row(ctx, no, line_no))
    tagged(response, read)
    return read


@router.delete("/{no}/lines/{line_no}", status_code=204,
               responses=problems(*COMMON, 404, 409, 412, 428))
def remove_segment_line(no: SegmentNo, line_no: LineNo, ctx: WriteCtx,
                        if_match: IfMatch = None) -> Response:
    """Take one line off the segment (If-Match: its ETag)."""
    current_line(ctx, no, line_no, if_match)
    segments.remove_line(ctx, no, line_no)
    return Response(status_code=204)


@router.get("/{no}/criteria", response_model=list[CriteriaStepRead],
            responses=problems(*COMMON, 404))
def list_segment_criteria(no: SegmentNo, ctx: ReadCtx) -> list[CriteriaStepRead]:
    """The segment's criteria actions in order (what Go Back undoes, last first)."""
    header = segments.require_segment(ctx, no, lock=False)
    return [step_read(step) for step in segments.segment_criteria(ctx, header.no)]
