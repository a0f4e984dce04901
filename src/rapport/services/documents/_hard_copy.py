"""Hard copy delivery (SPEC A4, §3.13): each entry's letter merged, rendered to PDF, bundled.

Three steps so that no transaction waits for LibreOffice: a read-only use case merges the
letters of the segment's entries that wait for delivery (Hard Copy, In Progress); the renderer
turns them into PDFs outside any transaction; one write use case stores each delivered document
as its entry's (read-only) attachment and sets the Delivery Status: blank when delivered, Error
with the reason otherwise. Without LibreOffice the .docx letters are delivered instead, and the
bundle says why.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import select, update

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType, DeliveryStatus, StorageType
from rapport.errors import NotFoundError
from rapport.merge import PdfRenderer
from rapport.services.context import Ctx
from rapport.services.documents._entry_documents import EntryDocument, entry_documents

ILE = m.InteractionLogEntry


@dataclass
class HardCopy:
    """A delivered segment: the ZIP's name and bytes, what went out and what failed."""

    zip_name: str
    content: bytes
    delivered: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    note: str = ""


def hard_copy_letters(ctx: Ctx, segment_no: str, *, workers: int = 2
                      ) -> tuple[list[EntryDocument], dict[int, str]]:
    """The merged letters of a logged segment's entries awaiting hard-copy delivery."""
    key = segment_no.strip().upper()
    if ctx.session.scalar(select(m.LoggedSegment.entry_no)
                          .where(m.LoggedSegment.segment_no == key)) is None:
        raise NotFoundError(f"Logged segment {key} does not exist", record=f"Segment {key}",
                            field="segment_no", reason="not logged")
    entry_nos = list(ctx.session.scalars(
        select(ILE.entry_no)
        .where(ILE.segment_no == key, ILE.logged_segment_entry_no.is_not(None),
               ILE.correspondence_type == CorrespondenceType.HARD_COPY,
               ILE.delivery_status == DeliveryStatus.IN_PROGRESS, ~ILE.canceled)
        .order_by(ILE.entry_no)).all())
    documents, errors = entry_documents(ctx, entry_nos, workers=workers)
    letters = []
    for entry_no in sorted(documents):
        document = documents[entry_no]
        if document.kind == "docx":
            letters.append(document)
        else:
            errors[entry_no] = (f"{document.file_name} is not a Word document; only Word "
                                "documents can be printed (E11)")
    return letters, errors


def bundle(segment_no: str, letters: Sequence[EntryDocument], renderer: PdfRenderer,
           errors: dict[int, str]) -> tuple[HardCopy, dict[int, tuple[str, bytes]]]:
    """Render the letters (PDF, else .docx) into one ZIP, one file per contact (§3.13)."""
    note = renderer.why_unavailable()
    rendered = renderer.render([letter.content for letter in letters]) if not note else []
    files: dict[int, tuple[str, bytes]] = {}
    used: set[str] = set()
    for index, letter in enumerate(letters):
        if note:
            extension, content = "docx", letter.content
        else:
            one = rendered[index]
            if one.content is None:
                errors[letter.entry_no] = one.error
                continue
            extension, content = "pdf", one.content
        name, n = f"{letter.stem}.{extension}", 2
        while name.casefold() in used:  # two contacts of one name get two files
            name, n = f"{letter.stem} ({n}).{extension}", n + 1
        used.add(name.casefold())
        files[letter.entry_no] = (name, content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.values():
            archive.writestr(name, content)
    result = HardCopy(f"Segment {segment_no.strip().upper()}.zip", buffer.getvalue(),
                      delivered=sorted(files), errors=dict(errors), note=note)
    return result, files


def record_hard_copy(ctx: Ctx, files: dict[int, tuple[str, bytes]], errors: dict[int, str]
                     ) -> None:
    """Store each delivered document as its entry's read-only attachment; statuses follow."""
    for entry_no, (name, content) in files.items():
        att = m.Attachment(file_name=name, file_extension=PurePath(name).suffix.lstrip("."),
                           content=content, storage_type=StorageType.EMBEDDED.value,
                           read_only=True, last_modified_at=ctx.now())
        ctx.session.add(att)
        ctx.session.flush()
        ctx.session.execute(update(ILE).where(ILE.entry_no == entry_no).values(
            attachment_no=att.no, delivery_status=DeliveryStatus.BLANK.value,
            delivery_error=""))
    for entry_no, reason in errors.items():
        ctx.session.execute(update(ILE).where(ILE.entry_no == entry_no).values(
            delivery_status=DeliveryStatus.ERROR.value, delivery_error=reason[:500]))


def deliver_hard_copy(open_use_case: Callable[..., AbstractContextManager[Ctx]],
                      renderer: PdfRenderer, segment_no: str, *, workers: int = 2) -> HardCopy:
    """Merge, render and bundle a logged segment's hard copies; record what was delivered."""
    with open_use_case(readonly=True) as ctx:
        letters, errors = hard_copy_letters(ctx, segment_no, workers=workers)
    result, files = bundle(segment_no, letters, renderer, errors)
    with open_use_case() as ctx:
        record_hard_copy(ctx, files, result.errors)
    return result
