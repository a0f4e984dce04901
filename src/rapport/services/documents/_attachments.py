"""Attachments: stored in the database, or in a directory when one is configured (SPEC A4, §2.8).

``RAPPORT_ATTACHMENT_STORAGE_DIR`` set: new files are written there (``Disk File``, the row
keeps the file name) before the commit, so a rolled-back upload can leave an unused file but a
committed row never points at a missing one; files of deleted attachments are removed after the
commit. Attachments already stored keep their place when the setting changes.

A Word file uploaded as a letter must only use rapport's merge fields: unknown fields are
refused at upload, named.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import delete, exists

from rapport.db import models as m
from rapport.domain.enums import StorageType
from rapport.errors import NotFoundError, ValidationError
from rapport.services.context import Ctx
from rapport.services.documents._fields import unknown_fields

WORD_EXTENSIONS = frozenset({"docx", "docm", "dotx"})


@dataclass(frozen=True)
class AttachmentUpload:
    """A file to attach: its name (with extension) and its bytes."""

    file_name: str
    content: bytes


def check_letter(ctx: Ctx, upload: AttachmentUpload) -> None:
    """Refuse a Word file whose merge fields rapport does not know, naming them (A4, E11)."""
    if PurePath(upload.file_name).suffix.lstrip(".").lower() not in WORD_EXTENSIONS:
        return
    if not zipfile.is_zipfile(io.BytesIO(upload.content)):
        return  # not a Word package at all: merging it is refused later (E11), storing is not
    unknown = unknown_fields(ctx.merger.fields(upload.content))
    if unknown:
        raise ValidationError(
            f"{upload.file_name} uses merge fields rapport does not know: {', '.join(unknown)} "
            "(`rapport templates fields` lists the known ones)",
            record="Attachment", field="merge_fields", reason="unknown merge fields")


def store_attachment(ctx: Ctx, upload: AttachmentUpload) -> int:
    """Store a file (a Word letter checked first) and return its attachment number."""
    name = PurePath(upload.file_name.strip()).name
    if not name:
        raise ValidationError("An attachment needs a file name", record="Attachment",
                              field="file_name", reason="blank")
    check_letter(ctx, AttachmentUpload(name, upload.content))
    extension = PurePath(name).suffix.lstrip(".").lower()
    att = m.Attachment(file_name=name, file_extension=extension, last_modified_at=ctx.now(),
                       storage_type=StorageType.EMBEDDED.value, content=upload.content)
    if ctx.attachment_dir:
        pointer = f"{uuid.uuid4().hex}.{extension or 'bin'}"
        folder = Path(ctx.attachment_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / pointer).write_bytes(upload.content)
        att.storage_type, att.storage_pointer, att.content = (
            StorageType.DISK_FILE.value, pointer, None)
    ctx.session.add(att)
    ctx.session.flush()
    return att.no


def attachment_file(ctx: Ctx, attachment_no: int) -> AttachmentUpload:
    """An attachment's name and bytes, wherever it is stored."""
    att = ctx.session.get(m.Attachment, attachment_no)
    if att is None:
        raise NotFoundError(f"Attachment {attachment_no} does not exist", record="Attachment",
                            field="attachment_no", reason="does not exist")
    if att.storage_type != StorageType.DISK_FILE:
        return AttachmentUpload(att.file_name, att.content or b"")
    if not ctx.attachment_dir:
        raise ValidationError(
            f"Attachment {attachment_no} is stored in a directory; set "
            "RAPPORT_ATTACHMENT_STORAGE_DIR to read it", code="E11",
            record=f"Attachment {attachment_no}", field="storage_pointer", reason="no store")
    path = Path(ctx.attachment_dir) / att.storage_pointer
    try:
        return AttachmentUpload(att.file_name, path.read_bytes())
    except OSError as exc:
        raise ValidationError(
            f"The content of attachment {attachment_no} could not be read ({att.storage_pointer}"
            f": {exc.strerror})", code="E11", record=f"Attachment {attachment_no}",
            field="storage_pointer", reason="unreadable") from exc


def drop_attachments(ctx: Ctx, numbers: Iterable[int | None]) -> None:
    """Delete the given attachments that no row of any table refers to any more."""
    nos = sorted({n for n in numbers if n is not None})
    if not nos:
        return
    ctx.session.flush()
    stmt = delete(m.Attachment).where(m.Attachment.no.in_(nos))
    for column in _attachment_refs():
        stmt = stmt.where(~exists().where(column == m.Attachment.no))
    returning = stmt.returning(m.Attachment.storage_type, m.Attachment.storage_pointer)
    gone = ctx.session.execute(returning.execution_options(synchronize_session=False)).all()
    files = [p for kind, p in gone if kind == StorageType.DISK_FILE and p]
    if files and ctx.attachment_dir:
        folder = Path(ctx.attachment_dir)

        def unlink() -> None:
            for pointer in files:
                (folder / pointer).unlink(missing_ok=True)

        ctx.after_commit(unlink)


def _attachment_refs() -> list[Any]:
    return [table.c[name]
            for table in m.Base.metadata.sorted_tables if table.name != "attachment"
            for name in ("attachment_no", "modified_word_template") if name in table.c]
