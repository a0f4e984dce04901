"""Actions on a segment, as sub-resources: Add Contacts, Reduce, Refine, preview, Go Back,
reset, save and reuse criteria, reuse a logged segment, and Log.

Criteria come as ``{section, field, expression}`` texts, parsed by the one criteria parser
(``services.criteria``): every bad filter is named in one 422 answer. Actions that must not
happen twice honour an ``Idempotency-Key`` (a retried request gets the first answer). A2's
questions are body fields: ``append`` (Q05/Q06), and the call itself confirms Go Back (Q07).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.deps import RapportDep, ReadCtx, WriteCtx
from rapport.api.idempotency import IdempotencyKey, idempotent
from rapport.api.problems import COMMON, problems
from rapport.domain.enums import CriteriaAction
from rapport.services import criteria, log
from rapport.services.criteria import ActionOptions, FilterText

router = APIRouter(prefix="/segments/{no}", tags=["segment actions"])
SegmentNo = Annotated[str, Path(min_length=1, max_length=20, description="Segment No.")]
ACTION_ERRORS = problems(*COMMON, 404, 409)
MAX_FILTERS = 200


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CriteriaFilter(Body):
    """One filter: a section ("Contact", "Mailing Group" …), one of its fields, and a filter
    expression in the reference's syntax (``A|B``, ``A..B``, ``<>A``, ``*``, ``@`` …)."""

    section: str = Field(min_length=1, max_length=100)
    field: str = Field(min_length=1, max_length=100)
    expression: str = Field(max_length=100_000)


Filters = Annotated[list[CriteriaFilter], Field(max_length=MAX_FILTERS)]


def _texts(filters: list[CriteriaFilter]) -> list[FilterText]:
    return [FilterText(f.section, f.field, f.expression) for f in filters]


class AddContactsRequest(Body):
    """Add Contacts (§3.4): the filters and the action's options."""

    filters: Filters = []
    expand_companies: bool = False
    allow_related_companies: bool = False
    ignore_exclusion: bool = False
    allow_existing: bool = False


class AddContactsResult(BaseModel):
    added: int
    skipped_privacy: int
    no_of_criteria_actions: int


class RemoveContactsRequest(Body):
    """Reduce or Refine (§3.5): the filters, and whether to judge entire companies."""

    filters: Filters = []
    entire_companies: bool = False


class RemoveContactsResult(BaseModel):
    removed: int


class PreviewRequest(AddContactsRequest):
    """How many lines an action would add (Add) or remove (Reduce/Refine); changes nothing."""

    action: Literal["add", "reduce", "refine"] = "add"
    entire_companies: bool = False


class PreviewResult(BaseModel):
    action: str
    count: int


class GoBackResult(BaseModel):
    no_of_criteria_actions: int


class ResetResult(BaseModel):
    actions_dropped: int


class SaveCriteriaRequest(Body):
    code: str = Field(min_length=1, max_length=20)
    description: str = Field("", max_length=100)


class SaveCriteriaResult(BaseModel):
    code: str
    actions_saved: int


class ReuseCriteriaRequest(Body):
    """Replay saved criteria; ``append`` when the segment has criteria already (Q05)."""

    code: str = Field(min_length=1, max_length=20)
    append: bool = False


class ReuseCriteriaResult(BaseModel):
    actions_replayed: int
    lines_added: int
    lines_removed: int
    no_of_criteria_actions: int


class ReuseLoggedRequest(Body):
    """Add the contacts of a logged segment; ``append`` when the segment has criteria (Q06)."""

    logged_segment_entry_no: int = Field(ge=1, le=2**31 - 1)
    append: bool = False
    ignore_exclusion: bool = False


class ReuseLoggedResult(BaseModel):
    added: int


class LogRequest(Body):
    """Log the segment: ``send`` its attachments (null: when a line has a correspondence type),
    and create a ``follow_up`` segment with the same contacts."""

    send: bool | None = None
    follow_up: bool = False


class LogWarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    contact_no: str
    message: str


class LogResultRead(BaseModel):
    """What logging produced: the logged segment, its entries and campaign entries."""

    model_config = ConfigDict(from_attributes=True)

    segment_no: str
    logged_segment_entry_no: int
    entries: int
    campaign_entries: int
    queued_for_delivery: int
    send: bool
    warnings: list[LogWarningRead]
    follow_up_segment_no: str | None
    #: Hard Copy entries whose letters are rendered to PDF after the commit.
    hard_copies_queued: int = 0
    #: Where the ZIP of the delivered hard copies is (once rendered): GET it.
    hard_copy_url: str | None = None


@router.post("/add-contacts", response_model=AddContactsResult, responses=ACTION_ERRORS)
def add_contacts(no: SegmentNo, body: AddContactsRequest, ctx: WriteCtx, request: Request,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """Add every contact the filters select (one criteria action)."""
    def act() -> AddContactsResult:
        done = criteria.add_contacts(
            ctx, no, _texts(body.filters), expand_companies=body.expand_companies,
            allow_related_companies=body.allow_related_companies,
            ignore_exclusion=body.ignore_exclusion, allow_existing=body.allow_existing)
        return AddContactsResult(added=done.added, skipped_privacy=done.skipped_privacy,
                                 no_of_criteria_actions=done.no_of_criteria_actions)
    return idempotent(ctx, request, idempotency_key, body, act)


@router.post("/reduce-contacts", response_model=RemoveContactsResult, responses=ACTION_ERRORS)
def reduce_contacts(no: SegmentNo, body: RemoveContactsRequest, ctx: WriteCtx,
                    request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Remove the lines whose contact matches the filters (one criteria action)."""
    return idempotent(ctx, request, idempotency_key, body, lambda: RemoveContactsResult(
        removed=criteria.reduce_contacts(ctx, no, _texts(body.filters),
                                         entire_companies=body.entire_companies)))


@router.post("/refine-contacts", response_model=RemoveContactsResult, responses=ACTION_ERRORS)
def refine_contacts(no: SegmentNo, body: RemoveContactsRequest, ctx: WriteCtx,
                    request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Keep only the lines whose contact matches the filters (one criteria action)."""
    return idempotent(ctx, request, idempotency_key, body, lambda: RemoveContactsResult(
        removed=criteria.refine_contacts(ctx, no, _texts(body.filters),
                                         entire_companies=body.entire_companies)))


_ACTIONS = {"add": CriteriaAction.ADD, "reduce": CriteriaAction.REDUCE,
            "refine": CriteriaAction.REFINE}


@router.post("/preview", response_model=PreviewResult, responses=problems(*COMMON, 404))
def preview_contacts(no: SegmentNo, body: PreviewRequest, ctx: ReadCtx) -> PreviewResult:
    """Count what an Add, Reduce or Refine would do, without doing it."""
    options = ActionOptions(allow_existing_contacts=body.allow_existing,
                            expand_contact=body.expand_companies,
                            allow_company_with_persons=body.allow_related_companies,
                            ignore_exclusion=body.ignore_exclusion,
                            entire_companies=body.entire_companies)
    count = criteria.preview(ctx, no, _ACTIONS[body.action], _texts(body.filters), options)
    return PreviewResult(action=body.action, count=count)


@router.post("/go-back", response_model=GoBackResult, responses=ACTION_ERRORS)
def go_back(no: SegmentNo, ctx: WriteCtx, request: Request,
            idempotency_key: IdempotencyKey = None) -> Response:
    """Undo the segment's last criteria action exactly (K1)."""
    return idempotent(ctx, request, idempotency_key, None, lambda: GoBackResult(
        no_of_criteria_actions=criteria.go_back(ctx, no)))


@router.post("/reset-criteria", response_model=ResetResult, responses=ACTION_ERRORS)
def reset_criteria(no: SegmentNo, ctx: WriteCtx, request: Request,
                   idempotency_key: IdempotencyKey = None) -> Response:
    """Forget the criteria log and undo journal; the lines stay (A2/Q08)."""
    return idempotent(ctx, request, idempotency_key, None, lambda: ResetResult(
        actions_dropped=criteria.reset_criteria(ctx, no)))


@router.post("/save-criteria", status_code=201, response_model=SaveCriteriaResult,
             responses=ACTION_ERRORS)
def save_criteria(no: SegmentNo, body: SaveCriteriaRequest, ctx: WriteCtx) -> SaveCriteriaResult:
    """Save the segment's criteria under a new code (E15: the code must be new)."""
    saved = criteria.save_criteria(ctx, no, body.code, body.description)
    return SaveCriteriaResult(code=body.code.strip().upper(), actions_saved=saved)


@router.post("/reuse-criteria", response_model=ReuseCriteriaResult, responses=ACTION_ERRORS)
def reuse_criteria(no: SegmentNo, body: ReuseCriteriaRequest, ctx: WriteCtx, request: Request,
                   idempotency_key: IdempotencyKey = None) -> Response:
    """Replay saved criteria on the segment, step by step."""
    def act() -> ReuseCriteriaResult:
        done = criteria.reuse_criteria(ctx, no, body.code, append=body.append)
        return ReuseCriteriaResult(actions_replayed=done.actions_replayed,
                                   lines_added=done.lines_added,
                                   lines_removed=done.lines_removed,
                                   no_of_criteria_actions=done.no_of_criteria_actions)
    return idempotent(ctx, request, idempotency_key, body, act)


@router.post("/reuse-logged", response_model=ReuseLoggedResult, responses=ACTION_ERRORS)
def reuse_logged_segment(no: SegmentNo, body: ReuseLoggedRequest, ctx: WriteCtx,
                         request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Add one line per interaction of a logged segment."""
    return idempotent(ctx, request, idempotency_key, body, lambda: ReuseLoggedResult(
        added=criteria.reuse_logged_segment(ctx, no, body.logged_segment_entry_no,
                                            append=body.append,
                                            ignore_exclusion=body.ignore_exclusion)))


@router.post("/log", response_model=LogResultRead, responses=ACTION_ERRORS)
def log_segment(no: SegmentNo, body: LogRequest, ctx: WriteCtx, request: Request,
                rapport: RapportDep, background: BackgroundTasks,
                idempotency_key: IdempotencyKey = None) -> Response:
    """Log the segment: interaction log entries, campaign entries, a logged segment; the
    segment is deleted. Every bad line is reported at once (K11). Send an Idempotency-Key:
    a retry then gets the first answer instead of an error or a second log. Sending, the Hard
    Copy letters are rendered to PDF after the commit; ``hard_copy_url`` gives their ZIP."""
    def act() -> LogResultRead:
        result = log.log_segment(ctx, no, send=body.send, follow_up=body.follow_up)
        read = LogResultRead.model_validate(result)
        if result.hard_copies_queued:
            background.add_task(rapport.hard_copy_after_commit, result.segment_no,
                                user_id=ctx.user_id)
            read.hard_copy_url = request.app.url_path_for(
                "logged_segment_hard_copy", entry_no=str(result.logged_segment_entry_no))
        return read
    return idempotent(ctx, request, idempotency_key, body, act)
