"""The marketing setup and the number series over HTTP (admin)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict

from rapport.api.deps import AdminCtx, AdminReadCtx
from rapport.api.problems import COMMON, problems
from rapport.services import setup
from rapport.services.setup import MarketingSetupChanges, SeriesChanges, SeriesInput

router = APIRouter(tags=["setup"])
Code = Annotated[str, Path(min_length=1, max_length=20, description="Number series code.")]


class MarketingSetupRead(BaseModel):
    """The marketing setup (SPEC §2.1)."""

    model_config = ConfigDict(from_attributes=True)

    contact_nos: str | None
    campaign_nos: str | None
    segment_nos: str | None
    todo_nos: str | None
    opportunity_nos: str | None
    default_salesperson_code: str | None
    default_territory_code: str | None
    default_country_region_code: str | None
    default_language_code: str | None
    default_format_region: str
    default_correspondence_type: str
    def_company_salutation_code: str | None
    default_person_salutation_code: str | None
    inherit_salesperson: bool
    inherit_territory: bool
    inherit_country_region: bool
    inherit_language: bool
    inherit_address: bool
    inherit_communication: bool
    inherit_format_region: bool
    bus_rel_code_for_customers: str | None
    bus_rel_code_for_vendors: str | None
    bus_rel_code_for_bank_accs: str | None
    bus_rel_code_for_employees: str | None
    attachment_storage_type: str
    attachment_storage_location: str
    mergefield_language_id: int


class MarketingSetupUpdate(MarketingSetupChanges):
    """Changes to the marketing setup (only the fields sent; null: blank)."""


class SeriesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    description: str
    starting_no: str
    ending_no: str | None
    last_no_used: str | None
    last_date_used: dt.date | None
    increment_by: int
    manual_nos: bool


class SeriesCreate(SeriesInput):
    """A new number series."""


class SeriesUpdate(SeriesChanges):
    """Changes to a number series (its last number used is kept)."""


@router.get("/marketing-setup", response_model=MarketingSetupRead,
            responses=problems(*COMMON))
def read_marketing_setup(ctx: AdminCtx) -> MarketingSetupRead:
    """The marketing setup (admin; made with the reference's defaults on first use)."""
    return MarketingSetupRead.model_validate(setup.get_marketing_setup(ctx))


@router.patch("/marketing-setup", response_model=MarketingSetupRead,
              responses=problems(*COMMON, 404))
def update_marketing_setup(body: MarketingSetupUpdate, ctx: AdminCtx) -> MarketingSetupRead:
    """Change marketing setup fields (admin)."""
    return MarketingSetupRead.model_validate(setup.update_marketing_setup(ctx, body))


@router.get("/number-series", response_model=list[SeriesRead], responses=problems(*COMMON))
def list_number_series(ctx: AdminReadCtx) -> list[SeriesRead]:
    """Number series by code (admin)."""
    return [SeriesRead.model_validate(s) for s in setup.list_number_series(ctx)]


@router.post("/number-series", status_code=201, response_model=SeriesRead,
             responses=problems(*COMMON, 409))
def create_number_series(body: SeriesCreate, ctx: AdminCtx) -> SeriesRead:
    """Create a number series (admin)."""
    return SeriesRead.model_validate(setup.create_number_series(ctx, body))


@router.patch("/number-series/{code}", response_model=SeriesRead,
              responses=problems(*COMMON, 404))
def update_number_series(code: Code, body: SeriesUpdate, ctx: AdminCtx) -> SeriesRead:
    """Change a number series (admin)."""
    return SeriesRead.model_validate(setup.update_number_series(ctx, code, body))
