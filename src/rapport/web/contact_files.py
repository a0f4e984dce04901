"""Contact files in the browser: import a CSV/XLSX file (every refused row shown in a table)
and export the listed contacts."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from rapport.errors import ImportValidationError, RapportError
from rapport.services.contacts import ContactFilter, files
from rapport.web.forms import checked, text
from rapport.web.session import SignedIn
from rapport.web.templating import render

router = APIRouter()
MEDIA = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_BYTES = 200_000_000


@router.get("/contacts/import", include_in_schema=False)
def import_form(request: Request, visitor: SignedIn) -> HTMLResponse:
    """The import form."""
    return render(request, "contacts/import.html", result=None, problems=[], error=None)


@router.post("/contacts/import", include_in_schema=False)
def import_file(request: Request, visitor: SignedIn,
                upload: Annotated[UploadFile, File()],
                skip_invalid: Annotated[str | None, Form()] = None) -> Response:
    """Import the uploaded file: all or nothing, or only the valid rows."""
    suffix = Path(upload.filename or "contacts.csv").suffix.lower()
    folder = Path(tempfile.mkdtemp(prefix="rapport-import-"))
    try:
        path = folder / f"upload{suffix if suffix in ('.csv', '.xlsx') else '.csv'}"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, length=1 << 20)
        try:
            with visitor.writing() as ctx:
                result = files.import_contacts(ctx, path, skip_invalid=checked(skip_invalid))
        except ImportValidationError as exc:
            return render(request, "contacts/import.html", status_code=422, result=None,
                          problems=exc.problems, error=exc.message)
        except RapportError as exc:
            if exc.code == "FORBIDDEN":
                raise
            return render(request, "contacts/import.html", status_code=422, result=None,
                          problems=[], error=exc.message)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return render(request, "contacts/import.html", result=result, problems=result.problems,
                  error=None)


@router.get("/contacts/export", include_in_schema=False)
def export(visitor: SignedIn, background: BackgroundTasks,
           fmt: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
           search: Annotated[str | None, Query(max_length=100)] = None,
           type: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    """Download the contacts of the list (its search and type) in the import format."""
    folder = Path(tempfile.mkdtemp(prefix="rapport-export-"))
    path = folder / f"contacts.{fmt}"
    with visitor.reading() as ctx:
        files.export_contacts(ctx, path, fmt=fmt,
                              filt=ContactFilter(type=text(type), search=text(search)))
    background.add_task(shutil.rmtree, folder, True)
    return FileResponse(path, media_type=MEDIA[fmt], filename=path.name)
