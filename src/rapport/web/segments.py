"""Segments: the list, a new segment, and the Segment page (header, lines by hand and per
line). The criteria actions are in ``segment_criteria``, logging in ``segment_log``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from rapport.domain.enums import CorrespondenceType, Evaluation, InformationFlow, InitiatedBy
from rapport.errors import RapportError
from rapport.services import segments
from rapport.services.segments import LineChanges, SegmentChanges, SegmentInput
from rapport.web.forms import FieldErrors, checked, text
from rapport.web.i18n import _
from rapport.web.session import SignedIn, flash
from rapport.web.templating import is_htmx, render

router = APIRouter()
PAGE_SIZE = 50
LINE_PAGE = 50
Code = Annotated[str, Form(max_length=20)]
OPTIONS = {
    "information_flow": [f.value for f in InformationFlow],
    "initiated_by": [i.value for i in InitiatedBy],
    "correspondence_type": [c.value for c in CorrespondenceType],
    "evaluation": [e.value for e in Evaluation],
}
HEADER_TEXT = ("description", "campaign_no", "salesperson_code", "interaction_template_code",
               "language_code_default", "subject_default", "information_flow", "initiated_by",
               "correspondence_type_default", "date", "unit_cost", "unit_duration")
HEADER_FLAGS = ("ignore_contact_corres_type", "campaign_target", "campaign_response",
                "send_word_docs_as_attmt")


@router.get("/segments", include_in_schema=False)
def segment_list(
    request: Request, visitor: SignedIn,
    search: Annotated[str | None, Query(max_length=100)] = None,
    campaign_no: Annotated[str | None, Query(max_length=20)] = None,
    salesperson_code: Annotated[str | None, Query(max_length=20)] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> HTMLResponse:
    """Segments by number, filtered by text, campaign and salesperson."""
    with visitor.reading() as ctx:
        page = segments.segment_page(ctx, search=text(search), campaign_no=text(campaign_no),
                                     salesperson_code=text(salesperson_code), offset=offset,
                                     limit=PAGE_SIZE)
    return render(request, "segments/list.html", page=page, search=search or "",
                  campaign_no=campaign_no or "", salesperson_code=salesperson_code or "")


@router.get("/segments/new", include_in_schema=False)
def new_segment_form(request: Request, visitor: SignedIn) -> HTMLResponse:
    """The form of a new segment."""
    return render(request, "segments/new.html", values={}, errors=FieldErrors())


@router.post("/segments", include_in_schema=False)
def create_segment(
    request: Request, visitor: SignedIn,
    description: Annotated[str, Form(max_length=100)] = "",
    no: Code = "", campaign_no: Code = "", salesperson_code: Code = "",
    interaction_template_code: Code = "",
) -> Response:
    """Create a segment and open its page."""
    values = {"no": no, "description": description, "campaign_no": campaign_no,
              "salesperson_code": salesperson_code,
              "interaction_template_code": interaction_template_code}
    try:
        with visitor.writing() as ctx:
            header = segments.create_segment(ctx, SegmentInput(
                no=text(no), description=description.strip(), campaign_no=text(campaign_no),
                salesperson_code=text(salesperson_code),
                interaction_template_code=text(interaction_template_code)))
            created = header.no
    except RapportError as exc:
        if exc.code == "FORBIDDEN":
            raise
        return render(request, "segments/new.html", status_code=422, values=values,
                      errors=FieldErrors.of(exc, set(values)))
    flash(request, _("Segment %(no)s created.") % {"no": created})
    return RedirectResponse(f"/segments/{created}", status_code=303)


@router.get("/segments/{no}", include_in_schema=False)
def segment_page(
    request: Request, no: str, visitor: SignedIn,
    after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> HTMLResponse:
    """The Segment page: header, criteria steps and a page of lines (keyset: ``after``)."""
    with visitor.reading() as ctx:
        view = segments.segment_view(ctx, no, after=after, limit=LINE_PAGE)
    if is_htmx(request) and after is not None:
        return render(request, "segments/_line_rows.html", view=view, options=OPTIONS)
    return render(request, "segments/page.html", view=view, options=OPTIONS, after=after,
                  errors=FieldErrors())


class HeaderForm(BaseModel):
    """The header form as sent: every field as text, the checkboxes, and the answer to
    "update the lines?" (Q01–Q03); ``was_*`` hold the values shown, so that only the fields
    the user changed are sent on."""

    model_config = {"extra": "allow"}

    update_lines: str = "yes"


def _header_changes(form: dict[str, Any]) -> SegmentChanges:
    given: dict[str, Any] = {}
    for name in HEADER_TEXT:
        if name in form and form.get(name, "") != form.get(f"was_{name}", ""):
            given[name] = text(form[name])
    for name in HEADER_FLAGS:
        if f"was_{name}" in form and checked(form.get(name)) != checked(form.get(f"was_{name}")):
            given[name] = checked(form.get(name))
    if "date" in given and given["date"] is not None:
        given["date"] = _date(given["date"])
    return SegmentChanges(**given)


def _date(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value  # refused by the input model with the field's name


@router.post("/segments/{no}/header", include_in_schema=False)
def change_header(request: Request, no: str, visitor: SignedIn,
                  form: Annotated[HeaderForm, Form()]) -> Response:
    """Change the header; the lines follow when the user answered yes (Q01–Q03)."""
    fields = dict(form.model_extra or {})
    update_lines = form.update_lines != "no"
    try:
        with visitor.writing() as ctx:
            changes = _header_changes(fields)
            segments.change_header(ctx, no, changes, update_lines=update_lines,
                                   create_language_row=True)
    except RapportError as exc:
        if exc.code == "FORBIDDEN":
            raise
        with visitor.reading() as ctx:
            view = segments.segment_view(ctx, no, limit=LINE_PAGE)
        return render(request, "segments/page.html", status_code=422, view=view,
                      options=OPTIONS, after=None,
                      errors=FieldErrors.of(exc, set(HEADER_TEXT) | set(HEADER_FLAGS)))
    changed = ", ".join(sorted(changes.given())) or _("nothing")
    flash(request, _("Header saved (%(fields)s).") % {"fields": changed})
    return RedirectResponse(f"/segments/{no}", status_code=303)


@router.post("/segments/{no}/lines", include_in_schema=False)
def add_line(request: Request, no: str, visitor: SignedIn, contact_no: Code = "") -> Response:
    """Put a contact on the segment by hand (blank: a line without a contact)."""
    with visitor.writing() as ctx:
        contact = text(contact_no)
        line_no = segments.add_line(ctx, no, contact) if contact else \
            segments.add_blank_line(ctx, no)
    flash(request, _("Line %(line)s added.") % {"line": line_no})
    return RedirectResponse(f"/segments/{no}?after={line_no - 1}#line-{line_no}",
                            status_code=303)


@router.get("/segments/{no}/lines/{line_no}/edit", include_in_schema=False)
def edit_line_form(request: Request, no: str, line_no: int, visitor: SignedIn) -> HTMLResponse:
    """The edit form of one line (a table row for htmx, else a page)."""
    with visitor.reading() as ctx:
        row = segments.line_row(ctx, no, line_no)
    template = "segments/_line_edit.html" if is_htmx(request) else "segments/line.html"
    return render(request, template, no=no.upper(), row=row, options=OPTIONS,
                  errors=FieldErrors())


LINE_TEXT = ("description", "interaction_template_code", "language_code", "subject",
             "correspondence_type", "evaluation")


class LineForm(BaseModel):
    """One line's editable fields as sent, with the values shown (``was_*``)."""

    model_config = {"extra": "allow"}


def _line_changes(form: dict[str, Any]) -> LineChanges:
    given: dict[str, Any] = {}
    for name in LINE_TEXT:
        if name in form and form.get(name, "") != form.get(f"was_{name}", ""):
            value = str(form[name]).strip()
            given[name] = value if name != "interaction_template_code" else text(value)
    return LineChanges(**given)


@router.post("/segments/{no}/lines/{line_no}", include_in_schema=False)
def change_line(request: Request, no: str, line_no: int, visitor: SignedIn,
                form: Annotated[LineForm, Form()]) -> Response:
    """Change one line: description, template, language, subject, correspondence type."""
    try:
        with visitor.writing() as ctx:
            segments.change_line(ctx, no, line_no, _line_changes(dict(form.model_extra or {})))
            row = segments.line_row(ctx, no, line_no)
    except RapportError as exc:
        if exc.code == "FORBIDDEN":
            raise
        with visitor.reading() as ctx:
            row = segments.line_row(ctx, no, line_no)
        template = "segments/_line_edit.html" if is_htmx(request) else "segments/line.html"
        return render(request, template, status_code=422, no=no.upper(), row=row,
                      options=OPTIONS, errors=FieldErrors.of(exc, set(LINE_TEXT)))
    if is_htmx(request):
        return render(request, "segments/_line_row.html", no=no.upper(), row=row, saved=True)
    flash(request, _("Line %(line)s saved.") % {"line": line_no})
    return RedirectResponse(f"/segments/{no}?after={line_no - 1}#line-{line_no}",
                            status_code=303)


@router.post("/segments/{no}/lines/{line_no}/remove", include_in_schema=False)
def remove_line(request: Request, no: str, line_no: int, visitor: SignedIn) -> Response:
    """Take one line off the segment."""
    with visitor.writing() as ctx:
        segments.remove_line(ctx, no, line_no)
    flash(request, _("Line %(line)s removed.") % {"line": line_no})
    return RedirectResponse(f"/segments/{no}", status_code=303)


@router.post("/segments/{no}/delete", include_in_schema=False)
def delete_segment(request: Request, no: str, visitor: SignedIn) -> Response:
    """Delete an unlogged segment."""
    with visitor.writing() as ctx:
        segments.delete_segment(ctx, no)
    flash(request, _("Segment %(no)s deleted.") % {"no": no.upper()})
    return RedirectResponse("/segments", status_code=303)
