"""Contacts: the searchable list (keyset pages by number), the contact card with its history
and segments, and create / edit with the errors next to their fields."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from rapport.domain.enums import ContactType, CorrespondenceType
from rapport.errors import RapportError
from rapport.services import contacts
from rapport.services.contacts import ContactChanges, ContactFilter, ContactInput
from rapport.web.forms import FieldErrors, checked, text
from rapport.web.i18n import _
from rapport.web.session import SignedIn, flash
from rapport.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
HISTORY_SIZE = 20
#: The fields of the create / edit form, in order: name, caption, kind.
FIELDS: list[tuple[str, str, str]] = [
    ("type", "Type", "type"), ("name", "Name", "text"), ("company_no", "Company No.", "code"),
    ("first_name", "First Name", "text"), ("surname", "Surname", "text"),
    ("job_title", "Job Title", "text"), ("address", "Address", "text"),
    ("post_code", "Post Code", "text"), ("city", "City", "text"),
    ("country_region_code", "Country/Region Code", "code"),
    ("salesperson_code", "Salesperson Code", "code"), ("language_code", "Language Code", "code"),
    ("correspondence_type", "Correspondence Type", "correspondence"),
    ("email", "Email", "text"), ("phone_no", "Phone No.", "text"),
    ("mobile_phone_no", "Mobile Phone No.", "text"),
    ("exclude_from_segment", "Exclude from Segment", "flag"),
]
NAMES = {name for name, _caption, _kind in FIELDS}
CHOICES = {"type": [t.value for t in ContactType],
           "correspondence": [c.value for c in CorrespondenceType]}


@router.get("/contacts", include_in_schema=False)
def contact_list(
    request: Request, visitor: SignedIn,
    search: Annotated[str | None, Query(max_length=100)] = None,
    type: Annotated[str | None, Query(max_length=10)] = None,
    after: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """Contacts by number, a page at a time, filtered by search text and type."""
    filt = ContactFilter(type=text(type), search=text(search))
    with visitor.reading() as ctx:
        page = contacts.contacts_after(ctx, filt, after=text(after), limit=PAGE_SIZE)
    last = page.items[-1].no if len(page.items) == PAGE_SIZE else None
    return render(request, "contacts/list.html", page=page, search=search or "",
                  type=type or "", after=after, next_after=last, types=CHOICES["type"],
                  prefix=contacts.is_prefix_search((search or "").strip()))


@router.get("/contacts/new", include_in_schema=False)
def new_contact_form(request: Request, visitor: SignedIn) -> HTMLResponse:
    """The form of a new contact."""
    return render(request, "contacts/form.html", contact_no=None, values={"type": "Company"},
                  errors=FieldErrors(), fields=FIELDS, choices=CHOICES)


class ContactForm(BaseModel):
    """The contact form as sent (every field as text, the checkbox "on" or absent)."""

    model_config = {"extra": "allow"}


def _values(form: ContactForm) -> dict[str, Any]:
    sent = {k: v for k, v in (form.model_extra or {}).items() if k in NAMES}
    sent["exclude_from_segment"] = checked(sent.get("exclude_from_segment"))
    return sent


def _input(values: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for name, value in values.items():
        if kinds[name] == "code":
            given[name] = text(value)
        elif kinds[name] == "flag":
            given[name] = bool(value)
        else:
            given[name] = str(value).strip()
    return given


KINDS = {name: kind for name, _caption, kind in FIELDS}


@router.post("/contacts", include_in_schema=False)
def create_contact(request: Request, visitor: SignedIn,
                   form: Annotated[ContactForm, Form()]) -> Response:
    """Create a contact and open its card."""
    values = _values(form)
    try:
        with visitor.writing() as ctx:
            created = contacts.create_contact(ctx, ContactInput(**_input(values, KINDS)))
            no = created.contact.no
    except RapportError as exc:
        if exc.code == "FORBIDDEN":
            raise
        return render(request, "contacts/form.html", status_code=422, contact_no=None,
                      values=values, errors=FieldErrors.of(exc, NAMES), fields=FIELDS,
                      choices=CHOICES)
    flash(request, _("Contact %(no)s created.") % {"no": no})
    return RedirectResponse(f"/contacts/{no}", status_code=303)


@router.get("/contacts/{no}", include_in_schema=False)
def contact_page(request: Request, no: str, visitor: SignedIn,
                 before: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> HTMLResponse:
    """The contact card: fields, company or persons, classifications, history, segments."""
    with visitor.reading() as ctx:
        card = contacts.contact_card(ctx, no, before=before, limit=HISTORY_SIZE)
    return render(request, "contacts/card.html", card=card, c=card.detail.fields,
                  fields=FIELDS)


@router.get("/contacts/{no}/edit", include_in_schema=False)
def edit_contact_form(request: Request, no: str, visitor: SignedIn) -> HTMLResponse:
    """The edit form of a contact."""
    with visitor.reading() as ctx:
        contact = contacts.get_contact(ctx, no)
        values = {name: getattr(contact, name) for name in NAMES}
    return render(request, "contacts/form.html", contact_no=contact.no,
                  values=values, errors=FieldErrors(), fields=FIELDS, choices=CHOICES)


@router.post("/contacts/{no}", include_in_schema=False)
def update_contact(request: Request, no: str, visitor: SignedIn,
                   form: Annotated[ContactForm, Form()]) -> Response:
    """Save the changed fields of a contact."""
    values = _values(form)
    was = {k[4:]: v for k, v in (form.model_extra or {}).items()
           if k.startswith("was_") and k[4:] in NAMES}
    changed = {k: v for k, v in values.items()
               if k in was and (str(v) if KINDS[k] != "flag" else v) !=
               (was[k] if KINDS[k] != "flag" else checked(was[k]))}
    try:
        with visitor.writing() as ctx:
            done = contacts.update_contact(ctx, no, ContactChanges(**_input(changed, KINDS)))
            key = done.contact.no
    except RapportError as exc:
        if exc.code in ("FORBIDDEN", "NOT_FOUND"):
            raise
        return render(request, "contacts/form.html", status_code=422, contact_no=no.upper(),
                      values=values, errors=FieldErrors.of(exc, NAMES), fields=FIELDS,
                      choices=CHOICES)
    flash(request, _("Contact %(no)s saved (%(n)s fields changed).")
          % {"no": key, "n": len(done.changes)})
    return RedirectResponse(f"/contacts/{key}", status_code=303)
