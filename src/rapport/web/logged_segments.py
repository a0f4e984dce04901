"""Logged Segments: the list with cancel / un-cancel, and one logged segment with its
interaction log entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rapport.errors import ConflictError, NotFoundError
from rapport.services import documents, log, overview
from rapport.web.i18n import _
from rapport.web.session import SignedIn, flash
from rapport.web.templating import render

router = APIRouter()
PAGE_SIZE = 50
ENTRY_PAGE = 50


@router.get("/logged-segments", include_in_schema=False)
def logged_segment_list(request: Request, visitor: SignedIn,
                        offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> HTMLResponse:
    """Logged segments, newest first."""
    with visitor.reading() as ctx:
        page = log.list_logged_segments(ctx, limit=PAGE_SIZE, offset=offset)
    return render(request, "logged_segments/list.html", page=page)


@router.get("/logged-segments/{entry_no}", include_in_schema=False)
def logged_segment_page(
    request: Request, entry_no: int, visitor: SignedIn,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    follow_up: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """One logged segment and its interaction log entries."""
    with visitor.reading() as ctx:
        view = overview.logged_segment(ctx, entry_no, before=before, limit=ENTRY_PAGE)
    return render(request, "logged_segments/page.html", view=view, follow_up=follow_up)


def _switch(request: Request, entry_no: int, visitor: SignedIn, canceled: bool) -> Response:
    with visitor.writing() as ctx:
        done = (log.cancel if canceled else log.uncancel)(ctx, [entry_no])
    message = (_("Logged segment %(n)s canceled (%(e)s interactions).") if canceled
               else _("Logged segment %(n)s restored (%(e)s interactions)."))
    flash(request, message % {"n": entry_no, "e": done.entries})
    back = request.headers.get("referer", "")
    target = f"/logged-segments/{entry_no}" if f"/logged-segments/{entry_no}" in back \
        else "/logged-segments"
    return RedirectResponse(target, status_code=303)


@router.post("/logged-segments/{entry_no}/cancel", include_in_schema=False)
def cancel(request: Request, entry_no: int, visitor: SignedIn) -> Response:
    """Cancel a logged segment with its interactions and campaign entries."""
    return _switch(request, entry_no, visitor, True)


@router.post("/logged-segments/{entry_no}/uncancel", include_in_schema=False)
def uncancel(request: Request, entry_no: int, visitor: SignedIn) -> Response:
    """Restore a canceled logged segment."""
    return _switch(request, entry_no, visitor, False)


@router.get("/logged-segments/{entry_no}/hard-copy.zip", include_in_schema=False)
def hard_copy_zip(request: Request, entry_no: int, visitor: SignedIn) -> Response:
    """The ZIP of the delivered hard copies; back to the page with the reason otherwise."""
    try:
        with visitor.reading() as ctx:
            made = documents.stored_hard_copy(ctx, entry_no)
    except (ConflictError, NotFoundError) as exc:
        if exc.field == "entry_no":  # no such logged segment: the 404 page
            raise
        flash(request, exc.message, "error")
        return RedirectResponse(f"/logged-segments/{entry_no}", status_code=303)
    return Response(made.content, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{made.zip_name}"'})
