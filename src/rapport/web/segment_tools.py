"""The Segment page's other actions: Reuse Segment (the contacts of a logged segment), Apply
Mailing Group, and Export (CSV or XLSX download)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from rapport.errors import RapportError
from rapport.services import criteria, segments
from rapport.services.segments import files as segment_files
from rapport.web.forms import checked, text
from rapport.web.i18n import _
from rapport.web.session import SignedIn, flash
from rapport.web.templating import render

router = APIRouter()
MEDIA = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/segments/{no}/tools", include_in_schema=False)
def tools_page(request: Request, no: str, visitor: SignedIn) -> HTMLResponse:
    """Reuse Segment, Apply Mailing Group and Export."""
    return render(request, "segments/tools.html", no=no.upper(), error=None)


def _refused(request: Request, no: str, exc: RapportError) -> Response:
    if exc.code == "FORBIDDEN":
        raise exc
    return render(request, "segments/tools.html", status_code=422 if exc.code != "NOT_FOUND"
                  else 404, no=no.upper(), error=exc.message)


@router.post("/segments/{no}/reuse-logged", include_in_schema=False)
def reuse_logged(request: Request, no: str, visitor: SignedIn,
                 entry_no: Annotated[int, Form(ge=1, le=2**31 - 1)],
                 append: Annotated[str | None, Form()] = None,
                 ignore_exclusion: Annotated[str | None, Form()] = None) -> Response:
    """Add one line per interaction of a logged segment (Q06: ``append``)."""
    try:
        with visitor.writing() as ctx:
            added = criteria.reuse_logged_segment(ctx, no, entry_no, append=checked(append),
                                                  ignore_exclusion=checked(ignore_exclusion))
    except RapportError as exc:
        return _refused(request, no, exc)
    flash(request, _("Reuse Segment: %(n)s lines added from logged segment %(e)s.")
          % {"n": added, "e": entry_no})
    return RedirectResponse(f"/segments/{no}", status_code=303)


@router.post("/segments/{no}/apply-mailing-group", include_in_schema=False)
def apply_mailing_group(request: Request, no: str, visitor: SignedIn,
                        code: Annotated[str, Form(max_length=20)] = "",
                        delete_old: Annotated[str | None, Form()] = None) -> Response:
    """Give every contact of the segment a mailing group."""
    try:
        with visitor.writing() as ctx:
            assigned = segments.apply_mailing_group(ctx, no, text(code),
                                                    delete_old_assignments=checked(delete_old))
    except RapportError as exc:
        return _refused(request, no, exc)
    flash(request, _("Mailing group %(code)s applied: %(n)s contacts newly assigned.")
          % {"code": code.strip().upper(), "n": assigned})
    return RedirectResponse(f"/segments/{no}", status_code=303)


@router.get("/segments/{no}/export", include_in_schema=False)
def export(no: str, visitor: SignedIn, background: BackgroundTasks,
           fmt: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv") -> Response:
    """Download the segment's lines with their contact data."""
    folder = Path(tempfile.mkdtemp(prefix="rapport-export-"))
    path = folder / f"segment-{no.upper()}.{fmt}"
    with visitor.reading() as ctx:
        segment_files.export_segment(ctx, no, path, fmt=fmt)
    background.add_task(_remove, folder)
    return FileResponse(path, media_type=MEDIA[fmt], filename=path.name)


def _remove(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
