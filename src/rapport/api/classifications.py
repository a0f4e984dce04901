"""Contact classifications (mailing groups, industry groups, business relations, job
responsibilities), saved criteria, and campaign entries over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.paging import Limit, Offset, Page
from rapport.api.problems import COMMON, problems
from rapport.api.segments import CriteriaStepRead, step_read
from rapport.api.types import Money
from rapport.services import campaigns, contacts, criteria

router = APIRouter()
ContactNo = Annotated[str, Path(min_length=1, max_length=20, description="Contact No.")]
Kind = Annotated[Literal["mailing-group", "industry-group", "business-relation",
                         "job-responsibility"], Path(description="Which classification.")]
Code = Annotated[str, Path(min_length=1, max_length=20, description="Code.")]
EntryNo = Annotated[int, Path(ge=1, le=2**31 - 1, description="Campaign entry no.")]


class ClassificationAdd(BaseModel):
    """A code to give the contact; a business relation may name what it links to."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20)
    link_to_table: str = Field("", max_length=30)
    link_no: str = Field("", max_length=20)


class SavedCriteriaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    description: str
    user_id: str
    no_of_actions: int


class SavedCriteriaDetailRead(SavedCriteriaRead):
    steps: list[CriteriaStepRead]


class CampaignEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    campaign_no: str
    description: str
    date: dt.date | None
    segment_no: str
    register_no: int | None
    salesperson_code: str | None
    user_id: str
    canceled: bool
    no_of_interactions: int
    cost: Money
    duration: int


class CampaignEntryCancelResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    canceled: bool
    campaign_entries: int
    entries: int


@router.get("/contacts/{no}/classifications/{kind}", response_model=list[str],
            responses=problems(*COMMON, 404), tags=["contacts"])
def list_contact_classifications(no: ContactNo, kind: Kind, ctx: ReadCtx) -> list[str]:
    """The codes of one classification the contact has."""
    return contacts.assigned_codes(ctx, no, kind)


@router.post("/contacts/{no}/classifications/{kind}", status_code=201, response_model=list[str],
             responses=problems(*COMMON, 404, 409), tags=["contacts"])
def add_contact_classification(no: ContactNo, kind: Kind, body: ClassificationAdd,
                               ctx: WriteCtx) -> list[str]:
    """Give the contact a code of the classification; answers its codes now."""
    contacts.assign(ctx, no, kind, body.code, link_to_table=body.link_to_table,
                    link_no=body.link_no)
    return contacts.assigned_codes(ctx, no, kind)


@router.delete("/contacts/{no}/classifications/{kind}/{code}", status_code=204,
               responses=problems(*COMMON, 404), tags=["contacts"])
def remove_contact_classification(no: ContactNo, kind: Kind, code: Code,
                                  ctx: WriteCtx) -> Response:
    """Take a code of the classification from the contact."""
    contacts.unassign(ctx, no, kind, code)
    return Response(status_code=204)


@router.get("/saved-criteria", response_model=list[SavedCriteriaRead],
            responses=problems(*COMMON), tags=["segments"])
def list_saved_criteria(ctx: ReadCtx) -> list[SavedCriteriaRead]:
    """Saved segment criteria by code."""
    return [SavedCriteriaRead.model_validate(s) for s in criteria.list_saved_criteria(ctx)]


@router.get("/saved-criteria/{code}", response_model=SavedCriteriaDetailRead,
            responses=problems(*COMMON, 404), tags=["segments"])
def read_saved_criteria(code: Code, ctx: ReadCtx) -> SavedCriteriaDetailRead:
    """A saved criteria with its steps."""
    detail = criteria.show_saved_criteria(ctx, code)
    info = SavedCriteriaRead.model_validate(detail.info)
    return SavedCriteriaDetailRead(**info.model_dump(),
                                   steps=[step_read(s) for s in detail.steps])


@router.delete("/saved-criteria/{code}", status_code=204, responses=problems(*COMMON, 404),
               tags=["segments"])
def delete_saved_criteria(code: Code, ctx: WriteCtx) -> Response:
    """Delete a saved criteria."""
    criteria.delete_saved_criteria(ctx, code)
    return Response(status_code=204)


@router.get("/campaign-entries", response_model=Page[CampaignEntryRead],
            responses=problems(*COMMON), tags=["campaigns"])
def list_campaign_entries(
    ctx: ReadCtx, limit: Limit = 50, offset: Offset = 0,
    campaign_no: Annotated[str | None, Query(max_length=20)] = None,
    canceled: bool | None = None,
) -> Page[CampaignEntryRead]:
    """Campaign entries, newest first, with their interactions' count, cost and duration."""
    page = campaigns.list_campaign_entries(ctx, campaign_no=campaign_no, canceled=canceled,
                                           limit=limit, offset=offset)
    return Page(items=[CampaignEntryRead.model_validate(e) for e in page.items],
                total=page.total, limit=limit, offset=offset)


@router.post("/campaign-entries/{entry_no}/cancel", response_model=CampaignEntryCancelResult,
             responses=problems(*COMMON, 404, 409), tags=["campaigns"])
def cancel_campaign_entry(entry_no: EntryNo, ctx: WriteCtx) -> CampaignEntryCancelResult:
    """Cancel a campaign entry with its interaction log entries."""
    return CampaignEntryCancelResult.model_validate(
        campaigns.set_canceled(ctx, [entry_no], True))


@router.post("/campaign-entries/{entry_no}/uncancel", response_model=CampaignEntryCancelResult,
             responses=problems(*COMMON, 404, 409), tags=["campaigns"])
def uncancel_campaign_entry(entry_no: EntryNo, ctx: WriteCtx) -> CampaignEntryCancelResult:
    """Remove the canceled mark from a campaign entry and its interaction log entries."""
    return CampaignEntryCancelResult.model_validate(
        campaigns.set_canceled(ctx, [entry_no], False))
