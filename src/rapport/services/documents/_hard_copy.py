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
from rapport.errors import NotFoundError, RapportError
from rapport.merge import PdfRenderer, merge_many
from rapport.services.context import Ctx
from rapport.services.documents._attachments import WORD_EXTENSIONS, attachment_file
from rapport.services.documents._letters import letter_file_name
from rapport.services.documents._records import entry_source, records

ILE = m.InteractionLogEntry


@dataclass(frozen=True)
class Letter:
    """One entry's merged letter and the file name it is delivered under (no extension)."""

    entry_no: int
    stem: str
    docx: bytes


@dataclass
class HardCopy:
    """A delivered segment: the ZIP's name and bytes, what went out and what failed."""

    zip_name: str
    content: bytes
    delivered: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    note: str = ""


def hard_copy_letters(ctx: Ctx, segment_no: str, *, workers: int = 2
                      ) -> tuple[list[Letter], dict[int, str]]:
    """The merged letters of a logged segment's entries awaiting hard-copy delivery."""
    key = segment_no.strip().upper()
    if ctx.session.scalar(select(m.LoggedSegment.entry_no)
                          .where(m.LoggedSegment.segment_no == key)) is None:
        raise NotFoundError(f"Logged segment {key} does not exist", record=f"Segment {key}",
                            field="segment_no", reason="not logged")
    rows = ctx.session.execute(
        select(ILE.entry_no, ILE.attachment_no, m.Contact.type, m.Contact.name,
               m.Contact.company_name)
        .join(m.Contact, m.Contact.no == ILE.contact_no)
        .where(ILE.segment_no == key, ILE.logged_segment_entry_no.is_not(None),
               ILE.correspondence_type == CorrespondenceType.HARD_COPY,
               ILE.delivery_status == DeliveryStatus.IN_PROGRESS, ~ILE.canceled)
        .order_by(ILE.entry_no)).all()
    found = records(ctx, entry_source([r.entry_no for r in rows]))
    errors: dict[int, str] = {}
    by_template: dict[int, list[int]] = {}
    for row in rows:
        if row.attachment_no is None:
            errors[row.entry_no] = "the entry has no attachment to print (E10)"
        else:
            by_template.setdefault(row.attachment_no, []).append(row.entry_no)
    merged: dict[int, bytes] = {}
    for attachment_no, entries in by_template.items():
        try:
            upload = attachment_file(ctx, attachment_no)
            if PurePath(upload.file_name).suffix.lstrip(".").lower() not in WORD_EXTENSIONS:
                raise NotFoundError(f"{upload.file_name} is not a Word document; only Word "
                                    "documents can be printed", code="E11")
            letters = merge_many(upload.content, [found[e] for e in entries], workers=workers)
        except RapportError as exc:
            errors.update({e: exc.message for e in entries})
            continue
        merged.update(zip(entries, letters, strict=True))
    names = {r.entry_no: letter_file_name(*_who(r.type, r.name, r.company_name), "x")[:-2]
             for r in rows}
    return [Letter(e, names[e], merged[e]) for e in sorted(merged)], errors


def _who(kind: str, name: str, company: str) -> tuple[str, str]:
    return (company, name) if kind == "Person" else ("", name)


def bundle(segment_no: str, letters: Sequence[Letter], renderer: PdfRenderer,
           errors: dict[int, str]) -> tuple[HardCopy, dict[int, tuple[str, bytes]]]:
    """Render the letters (PDF, else .docx) into one ZIP, one file per contact (§3.13)."""
    note = renderer.why_unavailable()
    rendered = renderer.render([letter.docx for letter in letters]) if not note else []
    files: dict[int, tuple[str, bytes]] = {}
    used: set[str] = set()
    for index, letter in enumerate(letters):
        if note:
            extension, content = "docx", letter.docx
        else:
            one = rendered[index]
            if one.pdf is None:
                errors[letter.entry_no] = one.error
                continue
            extension, content = "pdf", one.pdf
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
