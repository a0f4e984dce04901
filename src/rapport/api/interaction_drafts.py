"""Interaction drafts: the Create Interaction wizard over several requests.

``POST /interaction-drafts`` starts a draft from one point (a contact, a salesperson or a log
entry) with the wizard's fields; ``PATCH`` changes it, ``PUT …/attachment`` uploads the file it
will keep (the wizard's Import), ``…/evaluate`` sets its result (step 4),
``…/finish`` records it, ``…/postpone`` keeps it as a postponed interaction, ``…/cancel`` throws it
away. ``POST /interactions/postponed/{entry_no}/resume`` makes a draft of a postponed
interaction. A draft belongs to the account that started it: anyone else's is 404.
``POST /interactions`` still records (or postpones) an interaction in one call.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.attachments import Upload
from rapport.api.deps import ReadCtx, SettingsDep, WriteCtx
from rapport.api.idempotency import IdempotencyKey, idempotent
from rapport.api.interactions import EntryNo, InteractionRead
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money, UtcDateTime
from rapport.domain.enums import Evaluation
from rapport.errors import ValidationError
from rapport.services import interactions
from rapport.services.interactions import DraftAttachment, DraftChanges, KeptDraft

router = APIRouter(tags=["interactions"])
DraftId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Draft id.")]
ERRORS = problems(*COMMON, 404, 409)
_START = {"from_contact", "from_salesperson", "from_entry"}


class DraftCommentRead(BaseModel):
    text: str
    date: dt.date | None


class DraftRead(BaseModel):
    """A draft as the wizard shows it; ``entry_no`` is the postponed entry it resumes."""

    id: int
    entry_no: int | None
    contact_no: str | None
    contact_company_no: str | None
    salesperson_code: str | None
    interaction_template_code: str | None
    interaction_group_code: str | None
    description: str
    language_code: str
    date: dt.date | None
    time_of_interaction: dt.time | None
    correspondence_type: str
    information_flow: str
    initiated_by: str
    campaign_no: str | None
    campaign_target: bool
    campaign_response: bool
    opportunity_no: str
    todo_no: str
    cost: Money
    duration: int
    evaluation: str
    interaction_successful: bool
    result_description: str
    comments: list[DraftCommentRead]
    attachment_no: int | None
    upload_file_name: str | None
    word_template_code: str | None
    locked: list[str] = Field(description="Fields the starting point fixed (shown read-only).")
    created_at: UtcDateTime
    updated_at: UtcDateTime


class DraftCreate(DraftChanges):
    """A new draft: exactly one starting point (``from_contact``, ``from_salesperson`` or
    ``from_entry``) and the wizard's fields."""

    from_contact: str | None = Field(None, max_length=100)
    from_salesperson: str | None = Field(None, max_length=20)
    from_entry: int | None = Field(None, ge=1, le=2**31 - 1)


class DraftUpdate(DraftChanges):
    """Changes to a draft (only the fields sent; ``null`` clears what may be blank)."""


class DraftEvaluate(BaseModel):
    """The wizard's Result step: the evaluation, and optionally the other result fields."""

    model_config = ConfigDict(extra="forbid")

    evaluation: Evaluation
    interaction_successful: bool | None = None
    result_description: str | None = Field(None, max_length=100)


class DraftFinish(BaseModel):
    """``deliver``: send the attachment (false: record only; an Email without address → blank)."""

    model_config = ConfigDict(extra="forbid")

    deliver: bool = True


_DELIVER = DraftFinish()


def draft_read(kept: KeptDraft) -> DraftRead:
    data = kept.draft.model_dump(mode="json", exclude={"upload", "locked"})
    return DraftRead(**data, id=kept.id, upload_file_name=kept.upload_file_name,
                     locked=sorted(kept.draft.locked), created_at=kept.created_at,
                     updated_at=kept.updated_at)


def _created(response: Response, kept: KeptDraft) -> DraftRead:
    response.headers["Location"] = f"/api/v1/interaction-drafts/{kept.id}"
    return draft_read(kept)


@router.get("/interaction-drafts", response_model=list[DraftRead], responses=problems(*COMMON))
def list_interaction_drafts(ctx: ReadCtx) -> list[DraftRead]:
    """The acting account's drafts, oldest first."""
    return [draft_read(kept) for kept in interactions.list_drafts(ctx)]


@router.post("/interaction-drafts", status_code=201, response_model=DraftRead,
             responses=ERRORS)
def create_interaction_draft(body: DraftCreate, ctx: WriteCtx, settings: SettingsDep,
                             response: Response) -> DraftRead:
    """Start a draft from a contact, a salesperson or a log entry, with the wizard's fields."""
    changes = DraftChanges(**body.model_dump(include=body.model_fields_set - _START))
    return _created(response, interactions.open_draft(
        ctx, changes, contact_no=body.from_contact, salesperson_code=body.from_salesperson,
        from_entry=body.from_entry, tz=ZoneInfo(settings.time_zone)))


@router.get("/interaction-drafts/{draft_id}", response_model=DraftRead,
            responses=problems(*COMMON, 404))
def read_interaction_draft(draft_id: DraftId, ctx: ReadCtx) -> DraftRead:
    """One of the acting account's drafts."""
    return draft_read(interactions.get_draft(ctx, draft_id))


@router.patch("/interaction-drafts/{draft_id}", response_model=DraftRead, responses=ERRORS)
def update_interaction_draft(draft_id: DraftId, body: DraftUpdate, ctx: WriteCtx) -> DraftRead:
    """Change a draft: contact (number or name), template, language, fields, comments."""
    changes = DraftChanges(**body.model_dump(include=body.model_fields_set))
    return draft_read(interactions.change_draft(ctx, draft_id, changes))


@router.put("/interaction-drafts/{draft_id}/attachment", response_model=DraftRead,
            responses=ERRORS)
def upload_draft_attachment(draft_id: DraftId, file: Upload, ctx: WriteCtx) -> DraftRead:
    """The file the interaction will keep as its attachment (the wizard's Import), multipart;
    it replaces an earlier upload (``PATCH`` with ``"upload": null`` drops it)."""
    name = PurePath((file.filename or "").strip()).name
    if not name:
        raise ValidationError("An uploaded file needs a file name", record="Attachment",
                              field="file_name", reason="blank")
    upload = DraftAttachment(file_name=name, content=file.file.read())
    return draft_read(interactions.change_draft(ctx, draft_id, DraftChanges(upload=upload)))


@router.post("/interaction-drafts/{draft_id}/evaluate", response_model=DraftRead,
             responses=ERRORS)
def evaluate_interaction_draft(draft_id: DraftId, body: DraftEvaluate,
                               ctx: WriteCtx) -> DraftRead:
    """Set the draft's result: evaluation, whether it was successful, result description."""
    changes = DraftChanges(**body.model_dump(include=body.model_fields_set | {"evaluation"}))
    return draft_read(interactions.change_draft(ctx, draft_id, changes))


@router.post("/interaction-drafts/{draft_id}/finish", response_model=InteractionRead,
             responses=ERRORS)
def finish_interaction_draft(draft_id: DraftId, ctx: WriteCtx, request: Request,
                             body: DraftFinish = _DELIVER,
                             idempotency_key: IdempotencyKey = None) -> Response:
    """Record the draft's interaction (every check of the wizard's Finish); the draft is gone.
    Without a body the attachment is delivered."""
    deliver = body.deliver
    return idempotent(ctx, request, idempotency_key, body, lambda: InteractionRead
                      .model_validate(interactions.finish_draft(ctx, draft_id,
                                                                deliver=deliver)))


@router.post("/interaction-drafts/{draft_id}/postpone", response_model=InteractionRead,
             responses=ERRORS)
def postpone_interaction_draft(draft_id: DraftId, ctx: WriteCtx, request: Request,
                               idempotency_key: IdempotencyKey = None) -> Response:
    """Keep the draft as a postponed interaction (finish it later); the draft is gone."""
    return idempotent(ctx, request, idempotency_key, None, lambda: InteractionRead
                      .model_validate(interactions.postpone_draft(ctx, draft_id)))


@router.post("/interaction-drafts/{draft_id}/cancel", status_code=204,
             responses=problems(*COMMON, 404))
def cancel_interaction_draft(draft_id: DraftId, ctx: WriteCtx) -> Response:
    """Throw the draft away: nothing is recorded (a resumed entry stays postponed)."""
    interactions.cancel_draft(ctx, draft_id)
    return Response(status_code=204)


@router.post("/interactions/postponed/{entry_no}/resume", status_code=201,
             response_model=DraftRead, responses=ERRORS)
def resume_postponed(entry_no: EntryNo, ctx: WriteCtx, response: Response) -> DraftRead:
    """Make a draft of a postponed interaction; finishing it updates the same entry."""
    return _created(response, interactions.resume_draft(ctx, entry_no))
