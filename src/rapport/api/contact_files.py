"""Contact files over HTTP: import an uploaded CSV/XLSX file, export contacts as a download.

The import is the CLI's ``rapport contacts import``: the file is checked as a whole and nothing
is imported when a row is bad (422, every bad cell listed in ``errors``), unless
``skip_invalid`` imports the good rows and reports the rejected ones in the answer; new contacts
that may duplicate others are reported, not refused. The export is the file ``rapport contacts
export`` writes (the import format, so it re-imports to the same data).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict
from starlette.background import BackgroundTask

from rapport.api.deps import ReadCtx, WriteCtx
from rapport.api.idempotency import IdempotencyKey, idempotent
from rapport.api.problems import COMMON, problems
from rapport.errors import RapportError
from rapport.services.contacts import ContactFilter, files

router = APIRouter(prefix="/contacts", tags=["contacts"])
Format = Literal["csv", "xlsx"]
MEDIA = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument"
         ".spreadsheetml.sheet"}
CHUNK = 1 << 20


class RowProblemRead(BaseModel):
    """A bad cell of the file: row (1 = the first data row), column, value and why."""

    model_config = ConfigDict(from_attributes=True)

    row: int
    column: str
    value: str
    reason: str


class SuspectRead(BaseModel):
    """A stored contact a row may duplicate, and why (same e-mail, same name and company)."""

    model_config = ConfigDict(from_attributes=True)

    no: str
    name: str
    company_no: str | None
    company_name: str
    email: str
    reasons: list[str]


class OtherRowRead(BaseModel):
    """Another row of the same file the row may duplicate."""

    row: int
    reasons: list[str]


class DuplicateRowRead(BaseModel):
    """A new contact of the file that may duplicate stored contacts or other rows."""

    model_config = ConfigDict(from_attributes=True)

    row: int
    no: str
    name: str
    company_no: str | None
    email: str
    contacts: list[SuspectRead]
    other_rows: list[OtherRowRead]


class DuplicateReportRead(BaseModel):
    """The suspected duplicates: the first ``rows`` of ``total``."""

    rows: list[DuplicateRowRead]
    total: int


class ImportReportRead(BaseModel):
    """What the import did (with ``dry_run``: would do): rows read; contacts created, updated
    and unchanged (by number); the rows rejected (only with ``skip_invalid``) and why;
    suspected duplicates."""

    dry_run: bool
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected_rows: int
    problems: list[RowProblemRead]
    duplicates: DuplicateReportRead


class _Upload(BaseModel):
    """What makes two uploads the same request (for Idempotency-Key)."""

    name: str
    sha256: str


def _report(result: files.ImportResult, dry_run: bool) -> ImportReportRead:
    dups = result.duplicates
    rows = [DuplicateRowRead(
        row=r.row, no=r.no, name=r.name, company_no=r.company_no, email=r.email,
        contacts=[SuspectRead.model_validate(c) for c in r.contacts],
        other_rows=[OtherRowRead(row=n, reasons=list(why)) for n, why in r.other_rows])
        for r in dups.rows]
    return ImportReportRead(
        dry_run=dry_run, rows=result.rows, inserted=result.inserted, updated=result.updated,
        unchanged=result.unchanged, rejected_rows=result.rejected_rows,
        problems=[RowProblemRead.model_validate(p) for p in result.problems],
        duplicates=DuplicateReportRead(rows=rows, total=dups.total))


def _file_name(upload: UploadFile, fmt: Format | None) -> str:
    """A harmless local name for the upload, keeping its extension (or ``fmt``'s)."""
    given = Path(upload.filename or "").name
    stem, suffix = Path(given).stem, Path(given).suffix
    safe = re.sub(r"[^\w.-]", "_", stem)[:80].lstrip(".") or "upload"
    return f"{safe}.{fmt}" if fmt else f"{safe}{suffix[:10]}"


def _save(upload: UploadFile, target: Path) -> str:
    """Copy the upload to ``target``; its SHA-256."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


@router.post("/import", response_model=ImportReportRead, responses=problems(*COMMON, 409))
def import_contact_file(
    ctx: WriteCtx, request: Request,
    file: Annotated[UploadFile, File(description="A .csv or .xlsx contact file (the format "
                                     "of `rapport contacts export`).")],
    format: Annotated[Format | None, Query(description="csv or xlsx (default: from the "
                                           "file name's extension).")] = None,
    skip_invalid: Annotated[bool, Query(description="Import the good rows and report the "
                                        "bad ones (default: all or nothing).")] = False,
    encoding: Annotated[str, Query(min_length=1, max_length=40, description="A CSV file's "
                                   "text encoding, e.g. cp1252.")] = "utf-8",
    delimiter: Annotated[str | None, Query(min_length=1, max_length=1, description="A CSV "
                                           "file's delimiter (default: found from the "
                                           "header).")] = None,
    dry_run: Annotated[bool, Query(description="Check the file and report what the import "
                                   "would do, changing nothing.")] = False,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Import companies and persons from an uploaded file, as `rapport contacts import`:
    a file with bad rows is refused as a whole (422, one item per bad cell) unless
    skip_invalid. Re-importing updates contacts by number; dry_run only reports."""
    with tempfile.TemporaryDirectory(prefix="rapport-import-") as folder:
        name = _file_name(file, format)
        path = Path(folder) / name
        upload = _Upload(name=name, sha256=_save(file, path))
        try:
            return idempotent(ctx, request, idempotency_key, upload, lambda: _report(
                files.import_contacts(ctx, path, encoding=encoding, delimiter=delimiter,
                                      skip_invalid=skip_invalid, write_rejected_file=False,
                                      dry_run=dry_run), dry_run))
        except RapportError as exc:
            if exc.record == str(path):
                exc.record = name  # the upload's name, not where the server kept it
            raise


@router.get("/export", response_class=FileResponse, responses={
    200: {"description": "The contact file.",
          "content": {media: {"schema": {"type": "string", "format": "binary"}}
                      for media in MEDIA.values()}},
    **problems(*COMMON)})
def export_contact_file(
    ctx: ReadCtx,
    format: Annotated[Format, Query(description="csv or xlsx.")] = "csv",
    type: Annotated[str | None, Query(max_length=10, description="Company or Person.")] = None,
    company_no: Annotated[str | None, Query(max_length=20, description="A company and its "
                                            "persons.")] = None,
    search: Annotated[str | None, Query(max_length=100, description="Part of the name, no., "
                                        "e-mail or city.")] = None,
) -> FileResponse:
    """Download the contacts that pass the filters as a file in the import format (as
    `rapport contacts export`); header X-Contact-Count tells how many."""
    folder = tempfile.mkdtemp(prefix="rapport-export-")
    path = Path(folder) / f"contacts.{format}"
    try:
        count = files.export_contacts(ctx, path, fmt=format,
                                      filt=ContactFilter(type=type, company_no=company_no,
                                                         search=search))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(path, media_type=MEDIA[format], filename=path.name,
                        headers={"X-Contact-Count": str(count)},
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))
