"""Contacts: list (by number, keyset), create, read, change and delete companies and persons.

A contact carries an ``ETag``; changing or deleting it needs ``If-Match`` (428 without, 412 when
someone changed it meanwhile).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response
from pydantic import BaseModel, ConfigDict

from rapport.api.conditional import check_if_match, created, tagged
from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.paging import Limit, Page
from rapport.api.problems import COMMON, problems
from rapport.api.types import UtcDateTime
from rapport.services import contacts
from rapport.services.contacts import ContactChanges, ContactFilter, ContactInput

router = APIRouter(prefix="/contacts", tags=["contacts"])
ContactNo = Annotated[str, Path(min_length=1, max_length=20, description="Contact No.")]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The contact's ETag.")]


class ContactRead(BaseModel):
    """A company or a person."""

    model_config = ConfigDict(from_attributes=True)

    no: str
    type: str
    name: str
    name_2: str
    search_name: str
    company_no: str | None
    company_name: str
    first_name: str
    surname: str
    job_title: str
    address: str
    address_2: str
    post_code: str
    city: str
    county: str
    country_region_code: str | None
    territory_code: str | None
    salesperson_code: str | None
    language_code: str | None
    salutation_code: str | None
    correspondence_type: str
    email: str
    phone_no: str
    mobile_phone_no: str
    fax_no: str
    home_page: str
    vat_registration_no: str
    exclude_from_segment: bool
    privacy_blocked: bool
    created_at: UtcDateTime


class ContactListItem(BaseModel):
    """A contact as listed."""

    model_config = ConfigDict(from_attributes=True)

    no: str
    type: str
    name: str
    company_no: str | None
    company_name: str
    city: str
    salesperson_code: str | None
    email: str
    correspondence_type: str


class ContactCreate(ContactInput):
    """A new contact; without ``no`` it is numbered from Contact Nos. A contact like a stored
    one (same e-mail, or same name and company) is refused (409) unless ``allow_duplicate``."""

    allow_duplicate: bool = False


class ContactUpdate(ContactChanges):
    """Changes to a contact: only the fields sent are changed (null: blank)."""


class ContactDeleted(BaseModel):
    """A deleted contact: the persons a company took with it, the log entries re-pointed."""

    model_config = ConfigDict(from_attributes=True)

    no: str
    type: str
    name: str
    company_no: str | None
    persons: int
    entries: int


def _read(contact: object) -> ContactRead:
    return ContactRead.model_validate(contact)


@router.get("", response_model=Page[ContactListItem], responses=problems(*COMMON))
def list_contacts(
    ctx: ReadCtx,
    limit: Limit = 50,
    after: Annotated[str | None, Query(max_length=20, description="The last contact no. of "
                                       "the previous page (its next_after).")] = None,
    type: Annotated[str | None, Query(max_length=10, description="Company or Person.")] = None,
    company_no: Annotated[str | None, Query(max_length=20, description="A company and its "
                                            "persons.")] = None,
    search: Annotated[str | None, Query(max_length=100, description="Part of the search "
                                        "name, no., e-mail or city (under 3 characters: the "
                                        "start of the search name, no. or e-mail).")] = None,
) -> Page[ContactListItem]:
    """Contacts by number, a page at a time (keyset: pass next_after as after)."""
    filt = ContactFilter(type=type, company_no=company_no, search=search)
    page = contacts.contacts_after(ctx, filt, after=after, limit=limit)
    items = [ContactListItem.model_validate(row) for row in page.items]
    last = items[-1].no if len(items) == limit else None
    return Page(items=items, total=page.total, limit=limit, next_after=last)


@router.post("", status_code=201, response_model=ContactRead,
             responses=problems(*COMMON, 404, 409))
def create_contact(body: ContactCreate, ctx: WriteCtx, response: Response) -> ContactRead:
    """Create a company or a person."""
    data = ContactInput(**body.model_dump(exclude={"allow_duplicate"}, exclude_unset=True))
    made = contacts.create_contact(ctx, data, allow_duplicate=body.allow_duplicate)
    read = _read(made.contact)
    created(response, read, f"/contacts/{read.no}")
    return read


@router.get("/{no}", response_model=ContactRead, responses=problems(*COMMON, 404))
def read_contact(no: ContactNo, ctx: ReadCtx, response: Response) -> ContactRead:
    """One contact, with its ETag."""
    read = _read(contacts.get_contact(ctx, no))
    tagged(response, read)
    return read


@router.patch("/{no}", response_model=ContactRead,
              responses=problems(*COMMON, 404, 409, 412, 428))
def update_contact(no: ContactNo, body: ContactUpdate, ctx: WriteCtx, response: Response,
                   if_match: IfMatch = None) -> ContactRead:
    """Change a contact (If-Match: its ETag); persons follow their company's inherited fields."""
    current = contacts.get_contact(ctx, no, lock=True)
    check_if_match(if_match, _read(current), f"Contact {current.no}")
    read = _read(contacts.update_contact(ctx, no, body).contact)
    tagged(response, read)
    return read


@router.delete("/{no}", response_model=ContactDeleted,
               responses=problems(*COMMON, 404, 409, 412, 428))
def delete_contact(no: ContactNo, ctx: WriteCtx, if_match: IfMatch = None) -> ContactDeleted:
    """Delete a contact (If-Match: its ETag); refused while it is on a segment line (E30)."""
    current = contacts.get_contact(ctx, no, lock=True)
    check_if_match(if_match, _read(current), f"Contact {current.no}")
    return ContactDeleted.model_validate(contacts.delete_contact(ctx, no))
