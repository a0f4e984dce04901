"""Log a segment from its page: the dialog (send attachments, create a follow-up segment) and
every validation problem at once, each linked to its line (K11)."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rapport.errors import RapportError
from rapport.services import log
from rapport.web.errors import problems_of
from rapport.web.forms import checked
from rapport.web.i18n import _, ngettext
from rapport.web.session import SignedIn, flash
from rapport.web.templating import render

router = APIRouter()
_LINE = re.compile(r"(\d+)$")


def _line_of(problem: RapportError) -> int | None:
    """The line a logging problem is about (its record is "Segment Line NO LINE")."""
    found = _LINE.search(problem.record or "")
    return int(found.group(1)) if found and "Line" in (problem.record or "") else None


@router.get("/segments/{no}/log", include_in_schema=False)
def log_dialog(request: Request, no: str, visitor: SignedIn) -> HTMLResponse:
    """The Log dialog."""
    return render(request, "segments/log.html", no=no.upper(), problems=[], send="auto",
                  follow_up=False)


@router.post("/segments/{no}/log", include_in_schema=False)
def log_segment(request: Request, no: str, visitor: SignedIn, background: BackgroundTasks,
                send: Annotated[str, Form(max_length=5)] = "auto",
                follow_up: Annotated[str | None, Form()] = None) -> Response:
    """Log the segment; on success show the logged segment (and the follow-up segment). The
    Hard Copy letters are rendered to PDF after the commit, while the page is shown."""
    sending = {"yes": True, "no": False}.get(send)
    try:
        with visitor.writing() as ctx:
            result = log.log_segment(ctx, no, send=sending, follow_up=checked(follow_up))
    except RapportError as exc:
        if exc.code in ("FORBIDDEN", "NOT_FOUND"):
            raise
        problems = [(p, _line_of(p)) for p in problems_of(exc)]
        return render(request, "segments/log.html", status_code=422, no=no.upper(),
                      problems=problems, send=send, follow_up=checked(follow_up))
    flash(request, ngettext("Segment %(no)s logged: %(n)s interaction.",
                            "Segment %(no)s logged: %(n)s interactions.", result.entries)
          % {"no": result.segment_no, "n": result.entries})
    for warning in result.warnings:
        flash(request, _("Line %(line)s: %(message)s") % {"line": warning.line_no,
                                                          "message": warning.message}, "error")
    target = f"/logged-segments/{result.logged_segment_entry_no}"
    if result.hard_copies_queued:
        background.add_task(visitor.rapport.hard_copy_after_commit, result.segment_no,
                            user_id=visitor.account.user_id)
        flash(request, ngettext(
            "%(n)s hard copy is being rendered to PDF: download the ZIP from this page.",
            "%(n)s hard copies are being rendered to PDF: download the ZIP from this page.",
            result.hard_copies_queued) % {"n": result.hard_copies_queued})
    if result.follow_up_segment_no:
        target += "?follow_up=" + quote(result.follow_up_segment_no)
    return RedirectResponse(target, status_code=303)
