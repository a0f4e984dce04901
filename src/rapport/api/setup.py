"""Setup over HTTP: salespeople (admin writes), campaigns (marketer writes), and statistics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict

from rapport.api.deps import AdminCtx, ReadCtx, WriteCtx
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money
from rapport.services import campaigns, interactions, setup
from rapport.services.campaigns import CampaignChanges, CampaignInput
from rapport.services.setup import SalespersonChanges, SalespersonInput

router = APIRouter(tags=["setup"])
Code = Annotated[str, Path(min_length=1, max_length=20, description="Code or number.")]


class SalespersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    job_title: str
    phone_no: str
    email: str
    blocked: bool


class SalespersonCreate(SalespersonInput):
    """A new salesperson."""


class SalespersonUpdate(SalespersonChanges):
    """Changes to a salesperson (only the fields sent)."""


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    no: str
    description: str
    starting_date: dt.date | None
    ending_date: dt.date | None
    salesperson_code: str | None
    status_code: str | None
    activated: bool


class CampaignCreate(CampaignInput):
    """A new campaign; without ``no`` it is numbered from Campaign Nos."""


class CampaignUpdate(CampaignChanges):
    """Changes to a campaign (only the fields sent; null: blank)."""


class StatisticsRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    no_of_interactions: int
    cost: Money
    duration: int
    campaign_targets: int
    campaign_responses: int


class CampaignStatisticsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_no: str
    no_of_interactions: int
    cost: Money
    duration: int
    target_contacts_contacted: int
    contacts_responded: int


@router.get("/salespeople", response_model=list[SalespersonRead], responses=problems(*COMMON))
def list_salespeople(ctx: ReadCtx, include_blocked: bool = True) -> list[SalespersonRead]:
    """Salespeople by code."""
    found = setup.list_salespeople(ctx, include_blocked=include_blocked)
    return [SalespersonRead.model_validate(s) for s in found]


@router.post("/salespeople", status_code=201, response_model=SalespersonRead,
             responses=problems(*COMMON, 409))
def create_salesperson(body: SalespersonCreate, ctx: AdminCtx) -> SalespersonRead:
    """Create a salesperson (admin)."""
    return SalespersonRead.model_validate(setup.create_salesperson(ctx, body))


@router.get("/salespeople/{code}", response_model=SalespersonRead,
            responses=problems(*COMMON, 404))
def read_salesperson(code: Code, ctx: ReadCtx) -> SalespersonRead:
    """One salesperson."""
    return SalespersonRead.model_validate(setup.get_salesperson(ctx, code))


@router.patch("/salespeople/{code}", response_model=SalespersonRead,
              responses=problems(*COMMON, 404))
def update_salesperson(code: Code, body: SalespersonUpdate, ctx: AdminCtx) -> SalespersonRead:
    """Change or block a salesperson (admin)."""
    return SalespersonRead.model_validate(setup.update_salesperson(ctx, code, body))


@router.get("/campaigns", response_model=list[CampaignRead], responses=problems(*COMMON))
def list_campaigns(ctx: ReadCtx) -> list[CampaignRead]:
    """Campaigns by number."""
    return [CampaignRead.model_validate(c) for c in campaigns.list_campaigns(ctx)]


@router.post("/campaigns", status_code=201, response_model=CampaignRead,
             responses=problems(*COMMON, 404, 409))
def create_campaign(body: CampaignCreate, ctx: WriteCtx) -> CampaignRead:
    """Create a campaign."""
    return CampaignRead.model_validate(campaigns.create_campaign(ctx, body))


@router.get("/campaigns/{no}", response_model=CampaignRead, responses=problems(*COMMON, 404))
def read_campaign(no: Code, ctx: ReadCtx) -> CampaignRead:
    """One campaign."""
    return CampaignRead.model_validate(campaigns.get_campaign(ctx, no))


@router.patch("/campaigns/{no}", response_model=CampaignRead,
              responses=problems(*COMMON, 404))
def update_campaign(no: Code, body: CampaignUpdate, ctx: WriteCtx) -> CampaignRead:
    """Change a campaign's description, dates, salesperson, status or activation."""
    return CampaignRead.model_validate(campaigns.update_campaign(ctx, no, body))


@router.get("/campaigns/{no}/statistics", response_model=CampaignStatisticsRead,
            responses=problems(*COMMON, 404))
def read_campaign_statistics(no: Code, ctx: ReadCtx, date_from: dt.date | None = None,
                             date_to: dt.date | None = None) -> CampaignStatisticsRead:
    """A campaign's figures: interactions, cost, duration, targets contacted, responses."""
    return CampaignStatisticsRead.model_validate(interactions.campaign_statistics(
        ctx, no, date_from=date_from, date_to=date_to))


@router.get("/statistics/interactions", response_model=list[StatisticsRow],
            responses=problems(*COMMON))
def read_interaction_statistics(
    ctx: ReadCtx,
    by: Annotated[Literal["group", "template", "campaign", "contact", "company",
                          "salesperson"], Query(description="What to count by.")] = "group",
    date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> list[StatisticsRow]:
    """Interactions (not canceled, not postponed) counted with cost and duration per group,
    template, campaign, contact, company or salesperson."""
    rows = interactions.interaction_statistics(ctx, by, date_from=date_from, date_to=date_to)
    return [StatisticsRow.model_validate(r) for r in rows]
