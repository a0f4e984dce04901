"""Hard copy delivery (SPEC A4, §3.13): each entry's letter merged, rendered to PDF, bundled.

Three steps so that no transaction waits for LibreOffice: a read-only use case merges the
letters of the segment's entries that wait for delivery (Hard Copy, In Progress); the renderer
turns them into PDFs outside any transaction; one write use case stores each delivered document
as its entry's (read-only) attachment and sets the Delivery Status: blank when delivered, Error
with the reason otherwise. Without LibreOffice the .docx letters are delivered instead, and the
bundle says why. ``stored_hard_copy`` bundles the delivered documents again (the API's and the
web's download), read from the entries, so a lost ZIP is never lost work.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import func, select, update

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType, DeliveryStatus, StorageType
from rapport.errors import ConflictError, NotFoundError
from rapport.merge import PdfRenderer
from rapport.services.context import Ctx, run
from rapport.services.documents._attachments import attachment_file
from rapport.services.documents._entry_documents import EntryDocument, entry_documents

ILE = m.InteractionLogEntry
#: Called with (letters done, letters in all) while LibreOffice renders.
Progress = Callable[[int, int], None]


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
           errors: dict[int, str], progress: Progress | None = None
           ) -> tuple[HardCopy, dict[int, tuple[str, bytes]]]:
    """Render the letters (PDF, else .docx) into one ZIP, one file per contact (§3.13)."""
    note = renderer.why_unavailable()
    total = len(letters)
    rendered = renderer.render(
        [letter.content for letter in letters],
        progress=None if progress is None else lambda done: progress(done, total),
    ) if not note else []
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
        files[letter.entry_no] = (_unique(used, letter.stem, extension), content)
    result = HardCopy(_zip_name(segment_no), _zip(files.values()), delivered=sorted(files),
                      errors=dict(errors), note=note)
    return result, files


def _unique(used: set[str], stem: str, extension: str) -> str:
    """``stem.extension``, numbered when a file of that name is in the ZIP already."""
    name, n = f"{stem}.{extension}", 2
    while name.casefold() in used:  # two contacts of one name get two files
        name, n = f"{stem} ({n}).{extension}", n + 1
    used.add(name.casefold())
    return name


def _zip_name(segment_no: str) -> str:
    return f"Segment {segment_no.strip().upper()}.zip"


def _zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def record_hard_copy(ctx: Ctx, files: dict[int, tuple[str, bytes]], errors: dict[int, str]
                     ) -> None:
    """Store each delivered document as its entry's read-only attachment (the entry is then
    Merged: its own merged letter); statuses follow. An entry another run delivered meanwhile
    keeps what that run stored."""
    waiting = ILE.delivery_status == DeliveryStatus.IN_PROGRESS.value
    for entry_no, (name, content) in files.items():
        att = m.Attachment(file_name=name, file_extension=PurePath(name).suffix.lstrip("."),
                           content=content, storage_type=StorageType.EMBEDDED.value,
                           read_only=True, last_modified_at=ctx.now())
        ctx.session.add(att)
        ctx.session.flush()
        if not run(ctx, update(ILE).where(ILE.entry_no == entry_no, waiting).values(
                attachment_no=att.no, delivery_status=DeliveryStatus.BLANK.value,
                delivery_error="", merged=True)):
            ctx.session.delete(att)
    for entry_no, reason in errors.items():
        run(ctx, update(ILE).where(ILE.entry_no == entry_no, waiting).values(
            delivery_status=DeliveryStatus.ERROR.value, delivery_error=reason[:500]))


def deliver_hard_copy(open_use_case: Callable[..., AbstractContextManager[Ctx]],
                      renderer: PdfRenderer, segment_no: str, *, workers: int = 2,
                      progress: Progress | None = None,
                      keep: Callable[[HardCopy], None] | None = None) -> HardCopy:
    """Merge, render and bundle a logged segment's hard copies; record what was delivered.

    ``keep`` (writing the ZIP) runs before the recording: if it fails nothing is recorded and
    the letters wait to be delivered again, so no ZIP is lost."""
    with open_use_case(readonly=True) as ctx:
        letters, errors = hard_copy_letters(ctx, segment_no, workers=workers)
    result, files = bundle(segment_no, letters, renderer, errors, progress)
    if keep is not None:
        keep(result)
    with open_use_case() as ctx:
        record_hard_copy(ctx, files, result.errors)
    return result


def stored_hard_copy(ctx: Ctx, logged_segment_entry_no: int) -> HardCopy:
    """The ZIP of a logged segment's delivered hard copies, read back from their entries."""
    segment_no = ctx.session.scalar(select(m.LoggedSegment.segment_no).where(
        m.LoggedSegment.entry_no == logged_segment_entry_no))
    if segment_no is None:
        raise NotFoundError(f"Logged segment {logged_segment_entry_no} does not exist",
                            record=f"Logged segment {logged_segment_entry_no}",
                            field="entry_no", reason="does not exist")
    printed = (ILE.logged_segment_entry_no == logged_segment_entry_no,
               ILE.correspondence_type == CorrespondenceType.HARD_COPY, ~ILE.canceled)
    rows = ctx.session.execute(select(ILE.entry_no, ILE.attachment_no).where(
        *printed, ILE.delivery_status == DeliveryStatus.BLANK, ILE.merged,
        ILE.attachment_no.is_not(None)).order_by(ILE.entry_no)).all()
    if not rows:
        waiting = ctx.session.scalar(select(func.count()).where(
            *printed, ILE.delivery_status == DeliveryStatus.IN_PROGRESS))
        record = f"Logged segment {logged_segment_entry_no}"
        if waiting:
            raise ConflictError(f"{record}: {waiting} hard cop(y/ies) not delivered yet "
                                "(being rendered, or run `rapport logged-segments hard-copy "
                                f"{segment_no}`)", record=record, field="delivery_status",
                                reason="in progress")
        raise NotFoundError(f"{record} has no delivered hard copy", record=record,
                            field="correspondence_type", reason="no hard copy")
    used: set[str] = set()
    files: dict[int, tuple[str, bytes]] = {}
    for row in rows:
        stored = attachment_file(ctx, row.attachment_no)
        path = PurePath(stored.file_name)
        files[row.entry_no] = (_unique(used, path.stem, path.suffix.lstrip(".")),
                               stored.content)
    return HardCopy(_zip_name(segment_no), _zip(files.values()), delivered=sorted(files))
