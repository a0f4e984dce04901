"""Attachments over HTTP: upload (multipart), download, replace and remove the file attached to
an interaction template's language row, to a segment header's language row, and to one segment
line (its own, unique file; without one the line inherits the header's).

``?language=`` names the language row (blank: the blank language). A Word letter whose merge
fields rapport does not know is refused, naming them (422); a record with a Word template has
no attachment (E22). An attachment a logged interaction uses is read-only: replacing or removing
it where it is attached gives that place a new file (or none) and leaves the file of the logged
interaction as it was, as the CLI does. A line's attachment is part of the line: changing it
needs the line's ETag (``If-Match``), and the answer carries the line's new ETag. Downloads
answer the file with its Content-Type and a Content-Disposition naming it.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Path, Query, Response, UploadFile
from pydantic import BaseModel

from rapport.api.conditional import tagged
from rapport.api.deps import AdminCtx, ReadCtx, WriteCtx
from rapport.api.problems import COMMON, problems
from rapport.api.segments import IfMatch, LineNo, SegmentNo, current_line, line_read
from rapport.services import segments, templates
from rapport.services.documents import AttachmentUpload

router = APIRouter(tags=["attachments"])
TemplateCode = Annotated[str, Path(min_length=1, max_length=20, description="Template code.")]
Language = Annotated[str, Query(max_length=20, description="Language row (blank: the blank "
                                "language).")]
LineLanguage = Annotated[str | None, Query(max_length=20, description="Language row of the "
                                           "line (default: the line's language).")]
Upload = Annotated[UploadFile, File(description="The file (a .docx letter uses merge fields).")]
WORD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docm": "application/vnd.ms-word.document.macroEnabled.12",
    "dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
}
FILE: dict[int | str, dict[str, Any]] = {200: {
    "description": "The file, named in Content-Disposition.",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}
CHANGE = problems(*COMMON, 404, 409)
LINE_CHANGE = problems(*COMMON, 404, 409, 412, 428)


class AttachmentRead(BaseModel):
    """The attachment an upload stored."""

    attachment_no: int
    file_name: str
    size: int


def _upload(file: UploadFile) -> AttachmentUpload:
    return AttachmentUpload(file.filename or "", file.file.read())


def _stored(no: int, upload: AttachmentUpload) -> AttachmentRead:
    return AttachmentRead(attachment_no=no, file_name=PurePath(upload.file_name.strip()).name,
                          size=len(upload.content))


def file_response(found: AttachmentUpload) -> Response:
    """The file with its media type and a Content-Disposition naming it (RFC 6266)."""
    extension = PurePath(found.file_name).suffix.lstrip(".").lower()
    media = WORD_TYPES.get(extension) or mimetypes.guess_type(found.file_name)[0]
    ascii_name = found.file_name.encode("ascii", "replace").decode().replace('"', "'")
    disposition = (f"attachment; filename=\"{ascii_name}\"; "
                   f"filename*=UTF-8''{quote(found.file_name)}")
    return Response(found.content, media_type=media or "application/octet-stream",
                    headers={"Content-Disposition": disposition})


@router.get("/interaction-templates/{code}/attachment", response_class=Response,
            responses={**FILE, **problems(*COMMON, 404)})
def download_template_attachment(code: TemplateCode, ctx: ReadCtx,
                                 language: Language = "") -> Response:
    """The file attached to a template's language row."""
    return file_response(templates.export_template_attachment(ctx, code, language))


@router.put("/interaction-templates/{code}/attachment", response_model=AttachmentRead,
            responses=CHANGE)
def upload_template_attachment(code: TemplateCode, file: Upload, ctx: AdminCtx,
                               language: Language = "") -> AttachmentRead:
    """Attach a file to a template's language row, replacing its previous one (admin)."""
    upload = _upload(file)
    return _stored(templates.set_template_attachment(ctx, code, language, upload), upload)


@router.delete("/interaction-templates/{code}/attachment", status_code=204, responses=CHANGE)
def remove_template_attachment(code: TemplateCode, ctx: AdminCtx,
                               language: Language = "") -> Response:
    """Remove the attachment of a template's language row (admin)."""
    templates.remove_template_attachment(ctx, code, language)
    return Response(status_code=204)


@router.get("/segments/{no}/attachment", response_class=Response,
            responses={**FILE, **problems(*COMMON, 404)})
def download_segment_attachment(no: SegmentNo, ctx: ReadCtx, language: Language = "") -> Response:
    """The file a segment header attaches for a language (what its lines inherit)."""
    return file_response(segments.header_attachment(ctx, no, language))


@router.put("/segments/{no}/attachment", response_model=AttachmentRead, responses=CHANGE)
def upload_segment_attachment(no: SegmentNo, file: Upload, ctx: WriteCtx,
                              language: Language = "") -> AttachmentRead:
    """Attach a file to a segment header's language row; the lines that inherit it follow."""
    upload = _upload(file)
    return _stored(segments.set_header_attachment(ctx, no, language, upload), upload)


@router.delete("/segments/{no}/attachment", status_code=204, responses=CHANGE)
def remove_segment_attachment(no: SegmentNo, ctx: WriteCtx, language: Language = "") -> Response:
    """Remove a segment header's attachment for a language (inheriting lines have none then)."""
    segments.remove_header_attachment(ctx, no, language)
    return Response(status_code=204)


@router.get("/segments/{no}/lines/{line_no}/attachment", response_class=Response,
            responses={**FILE, **problems(*COMMON, 404)})
def download_line_attachment(no: SegmentNo, line_no: LineNo, ctx: ReadCtx) -> Response:
    """The file a line uses: its own (unique) one, else the header's it inherits."""
    return file_response(segments.line_attachment(ctx, no, line_no))


@router.put("/segments/{no}/lines/{line_no}/attachment", response_model=AttachmentRead,
            responses=LINE_CHANGE)
def upload_line_attachment(no: SegmentNo, line_no: LineNo, file: Upload, ctx: WriteCtx,
                           response: Response, if_match: IfMatch = None,
                           language: LineLanguage = None) -> AttachmentRead:
    """Give one line its own (unique) attachment (If-Match: the line's ETag)."""
    current_line(ctx, no, line_no, if_match)
    upload = _upload(file)
    stored = _stored(segments.upload_line_attachment(ctx, no, line_no, upload,
                                                     language_code=language), upload)
    tagged(response, line_read(segments.line_row(ctx, no, line_no)))
    return stored


@router.delete("/segments/{no}/lines/{line_no}/attachment", status_code=204,
               responses=LINE_CHANGE)
def remove_line_attachment(no: SegmentNo, line_no: LineNo, ctx: WriteCtx,
                           if_match: IfMatch = None) -> Response:
    """Remove a line's own attachment; it inherits again (If-Match: the line's ETag)."""
    current_line(ctx, no, line_no, if_match)
    segments.remove_line_attachment(ctx, no, line_no)
    response = Response(status_code=204)
    tagged(response, line_read(segments.line_row(ctx, no, line_no)))
    return response
