"""Setup over HTTP: salespeople, company information and salutation formulas (admin writes),
campaigns (marketer writes), and statistics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from rapport.api.deps import AdminCtx, ReadCtx, WriteCtx
from rapport.api.problems import COMMON, problems
from rapport.api.types import Money
from rapport.services import campaigns, interactions, setup
from rapport.services.campaigns import CampaignChanges, CampaignInput
from rapport.services.setup import (
    CompanyInformationChanges,
    SalespersonChanges,
    SalespersonInput,
    SalutationFormulaInput,
)

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


class CompanyInformationRead(BaseModel):
    """The company writing the letters (merge fields Company_Information_…)."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    name_2: str
    address: str
    address_2: str
    post_code: str
    city: str
    county: str
    country_region_code: str | None
    vat_registration_no: str
    registration_no: str
    phone_no: str
    fax_no: str
    bank_branch_no: str
    bank_name: str
    bank_account_no: str
    giro_no: str


class CompanyInformationUpdate(CompanyInformationChanges):
    """Changes to the company information (only the fields sent; null: blank)."""


class SalutationFormulaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    salutation_code: str
    language_code: str
    salutation_type: str
    salutation: str


class SalutationFormulaUpdate(BaseModel):
    """The formula's text, with the placeholders {first_name}, {surname}, {name},
    {job_title} and {company_name}."""

    model_config = ConfigDict(extra="forbid")

    salutation: str = Field(max_length=100)


SalutationType = Annotated[Literal["Formal", "Informal"], Path(description="The type.")]
FormulaLanguage = Annotated[str, Query(max_length=10, description="Language code (blank: for "
                                       "every language without its own formula).")]


@router.get("/company-information", response_model=CompanyInformationRead,
            responses=problems(*COMMON))
def read_company_information(ctx: ReadCtx) -> CompanyInformationRead:
    """The company information (blank fields when it was never set)."""
    return CompanyInformationRead.model_validate(setup.get_company_information(ctx))


@router.patch("/company-information", response_model=CompanyInformationRead,
              responses=problems(*COMMON, 404))
def update_company_information(body: CompanyInformationUpdate, ctx: AdminCtx
                               ) -> CompanyInformationRead:
    """Change company information fields (admin); 404 for an unknown country/region."""
    return CompanyInformationRead.model_validate(setup.update_company_information(ctx, body))


@router.get("/salutation-formulas", response_model=list[SalutationFormulaRead],
            responses=problems(*COMMON, 404))
def list_salutation_formulas(
    ctx: ReadCtx, salutation_code: Annotated[str | None, Query(max_length=10)] = None,
) -> list[SalutationFormulaRead]:
    """Salutation formulas by code, language and type (one salutation code's, when given)."""
    return [SalutationFormulaRead.model_validate(f)
            for f in setup.list_salutation_formulas(ctx, salutation_code)]


@router.put("/salutation-formulas/{salutation_code}/{salutation_type}",
            response_model=SalutationFormulaRead, responses=problems(*COMMON, 404))
def set_salutation_formula(salutation_code: Code, salutation_type: SalutationType,
                           body: SalutationFormulaUpdate, ctx: AdminCtx,
                           language_code: FormulaLanguage = "") -> SalutationFormulaRead:
    """Create or replace a formula (admin); 404 for an unknown salutation or language."""
    data = SalutationFormulaInput(salutation_code=salutation_code, language_code=language_code,
                                  salutation_type=salutation_type, salutation=body.salutation)
    return SalutationFormulaRead.model_validate(setup.set_salutation_formula(ctx, data))


@router.delete("/salutation-formulas/{salutation_code}/{salutation_type}", status_code=204,
               response_class=Response, responses=problems(*COMMON, 404))
def delete_salutation_formula(salutation_code: Code, salutation_type: SalutationType,
                              ctx: AdminCtx, language_code: FormulaLanguage = "") -> Response:
    """Delete a formula (admin)."""
    setup.delete_salutation_formula(ctx, salutation_code, salutation_type, language_code)
    return Response(status_code=204)
