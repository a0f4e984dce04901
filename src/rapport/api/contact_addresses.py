"""A contact's alternate addresses and their date ranges: when each address is used instead of
the contact's own (segment lines and interaction log entries take the address active on their
date; e-mail goes to its address when it has one).

An alternate address carries an ``ETag``; changing or deleting it needs ``If-Match`` (428
without, 412 when someone changed it meanwhile).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from pydantic import BaseModel, ConfigDict

from rapport.api.conditional import check_if_match, created, tagged
from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.problems import COMMON, problems
from rapport.services import contacts
from rapport.services.contacts import (
    AltAddressChanges,
    AltAddressInput,
    DateRangeChanges,
    DateRangeInput,
)

router = APIRouter(prefix="/contacts/{no}/alt-addresses", tags=["contacts"])
ContactNo = Annotated[str, Path(min_length=1, max_length=20, description="Contact No.")]
Code = Annotated[str, Path(min_length=1, max_length=20, description="Alternate address code.")]
Starting = Annotated[dt.date, Path(description="The range's starting date (YYYY-MM-DD).")]
IfMatch = Annotated[str | None, Header(alias="If-Match",
                                       description="The alternate address's ETag.")]


class DateRangeRead(BaseModel):
    """When an alternate address is used: inclusive dates, no ending date = no end."""

    model_config = ConfigDict(from_attributes=True)

    starting_date: dt.date
    ending_date: dt.date | None


class AltAddressRead(BaseModel):
    """An alternate address of a contact."""

    model_config = ConfigDict(from_attributes=True)

    contact_no: str
    code: str
    company_name: str
    address: str
    address_2: str
    post_code: str
    city: str
    county: str
    country_region_code: str | None
    email: str
    phone_no: str
    mobile_phone_no: str


class AltAddressCreate(AltAddressInput):
    """A new alternate address; ``code`` is unique per contact."""


class AltAddressUpdate(AltAddressChanges):
    """Changes to an alternate address: only the fields sent are changed (null: blank)."""


class DateRangeCreate(DateRangeInput):
    """Use the address from ``starting_date`` (unique per contact) to ``ending_date``."""


class DateRangeUpdate(DateRangeChanges):
    """A new ending date (null: no end)."""


def _read(address: object) -> AltAddressRead:
    return AltAddressRead.model_validate(address)


@router.get("", response_model=list[AltAddressRead], responses=problems(*COMMON, 404))
def list_alt_addresses(no: ContactNo, ctx: ReadCtx) -> list[AltAddressRead]:
    """The contact's alternate addresses by code."""
    return [_read(a) for a in contacts.list_alt_addresses(ctx, no)]


@router.post("", status_code=201, response_model=AltAddressRead,
             responses=problems(*COMMON, 404, 409))
def create_alt_address(no: ContactNo, body: AltAddressCreate, ctx: WriteCtx,
                       response: Response) -> AltAddressRead:
    """Give the contact an alternate address (used once it has a date range)."""
    read = _read(contacts.create_alt_address(ctx, no, body))
    created(response, read, f"/contacts/{read.contact_no}/alt-addresses/{read.code}")
    return read


@router.get("/{code}", response_model=AltAddressRead, responses=problems(*COMMON, 404))
def read_alt_address(no: ContactNo, code: Code, ctx: ReadCtx,
                     response: Response) -> AltAddressRead:
    """One alternate address, with its ETag."""
    read = _read(contacts.get_alt_address(ctx, no, code))
    tagged(response, read)
    return read


@router.patch("/{code}", response_model=AltAddressRead,
              responses=problems(*COMMON, 404, 412, 428))
def update_alt_address(no: ContactNo, code: Code, body: AltAddressUpdate, ctx: WriteCtx,
                       response: Response, if_match: IfMatch = None) -> AltAddressRead:
    """Change an alternate address (If-Match: its ETag)."""
    current = contacts.get_alt_address(ctx, no, code, lock=True)
    check_if_match(if_match, _read(current),
                   f"Alternate address {current.code} of contact {current.contact_no}")
    read = _read(contacts.update_alt_address(ctx, no, code, body))
    tagged(response, read)
    return read


@router.delete("/{code}", status_code=204, responses=problems(*COMMON, 404, 412, 428))
def delete_alt_address(no: ContactNo, code: Code, ctx: WriteCtx,
                       if_match: IfMatch = None) -> Response:
    """Delete an alternate address with its date ranges (If-Match: its ETag)."""
    current = contacts.get_alt_address(ctx, no, code, lock=True)
    check_if_match(if_match, _read(current),
                   f"Alternate address {current.code} of contact {current.contact_no}")
    contacts.delete_alt_address(ctx, no, code)
    return Response(status_code=204)


@router.get("/{code}/date-ranges", response_model=list[DateRangeRead],
            responses=problems(*COMMON, 404))
def list_alt_address_date_ranges(no: ContactNo, code: Code,
                                 ctx: ReadCtx) -> list[DateRangeRead]:
    """The dates an alternate address is used on, by starting date."""
    return [DateRangeRead.model_validate(r)
            for r in contacts.contact_date_ranges(ctx, no, code)]


@router.post("/{code}/date-ranges", status_code=201, response_model=DateRangeRead,
             responses=problems(*COMMON, 404, 409))
def add_alt_address_date_range(no: ContactNo, code: Code, body: DateRangeCreate,
                               ctx: WriteCtx) -> DateRangeRead:
    """Use the alternate address on more dates; a contact has one range per starting date
    (409 when another range starts that day). Ranges may overlap: the latest starting wins."""
    return DateRangeRead.model_validate(contacts.add_date_range(ctx, no, code, body))


@router.patch("/{code}/date-ranges/{starting_date}", response_model=DateRangeRead,
              responses=problems(*COMMON, 404))
def update_alt_address_date_range(no: ContactNo, code: Code, starting_date: Starting,
                                  body: DateRangeUpdate, ctx: WriteCtx) -> DateRangeRead:
    """Change when a range ends."""
    return DateRangeRead.model_validate(
        contacts.update_date_range(ctx, no, code, starting_date, body))


@router.delete("/{code}/date-ranges/{starting_date}", status_code=204,
               responses=problems(*COMMON, 404))
def delete_alt_address_date_range(no: ContactNo, code: Code, starting_date: Starting,
                                  ctx: WriteCtx) -> Response:
    """Stop using the alternate address on the dates of one range."""
    contacts.delete_date_range(ctx, no, code, starting_date)
    return Response(status_code=204)
