"""The production composer: each e-mail is its entry's merged Word document.

``LetterComposer`` asks a ``Documents`` source for the entry's document (.docx, or an HTML body)
and sends it as the reference does (§3.13): a Word document as an HTML body with a text part
beside it (converted with mammoth), or as a .docx attachment named after the subject when the
entry says Send Word Docs. as Attmt.; an HTML document as the body; any other file as an
attachment with an empty body.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from typing import Protocol

import mammoth

from rapport.errors import ValidationError
from rapport.merge import MergeRecord
from rapport.services.context import Ctx
from rapport.services.delivery._compose import Content, FileAttachment, Outgoing
from rapport.services.documents import (
    WORD_EXTENSIONS,
    attachment_file,
    document_attachment,
    entry_source,
    merge_attachment,
    one_record,
    records,
)
from rapport.services.tables import ATTACHMENT

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TAG = re.compile(r"<[^>]+>")


class Documents(Protocol):
    """Where an entry's document comes from (the merged letter)."""

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Read what the batch's documents need at once (before ``document`` per message)."""
        ...

    def document(self, ctx: Ctx, message: Outgoing) -> FileAttachment:
        """The entry's document, ready to send."""
        ...


class StoredDocuments:
    """The entry's stored attachment as it is, unmerged (E10 when it has none)."""

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Nothing to read ahead."""

    def document(self, ctx: Ctx, message: Outgoing) -> FileAttachment:
        """The attachment's file."""
        row = None
        if message.attachment_no is not None:
            row = ctx.session.execute(
                ATTACHMENT.select().where(ATTACHMENT.c.no == message.attachment_no)).first()
        if row is None or row.content is None:
            raise ValidationError(
                f"The interaction template has no attachment for entry {message.entry_no}'s "
                f"language", code="E10", record=f"Interaction log entry {message.entry_no}",
                field="Attachment No.", reason="no attachment")
        name = f"{row.file_name}" if "." in row.file_name else (
            f"{row.file_name}.{row.file_extension}")
        return FileAttachment(name, bytes(row.content), _mime(row.file_extension))


class MergedLetters:
    """The entry's letter merged with the entry's record (services.documents, SPEC §3.12 B):
    its own attachment, else its Word template's (E10); a Word file is merged (E11 if it
    cannot be read), any other file (an HTML body) is sent as stored."""

    def __init__(self) -> None:
        self._records: dict[int, MergeRecord] = {}

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Read the merge records of a batch's entries at once."""
        entry_nos = [message.entry_no for message in messages]
        self._records = records(ctx, entry_source(entry_nos)) if entry_nos else {}

    def document(self, ctx: Ctx, message: Outgoing) -> FileAttachment:
        """The merged letter of ``message``'s entry."""
        label = f"Interaction log entry {message.entry_no}"
        number = document_attachment(ctx, message.attachment_no, message.word_template_code,
                                     record=label)
        stored = attachment_file(ctx, number)
        extension = stored.file_name.rpartition(".")[2].lower()
        if extension not in WORD_EXTENSIONS:
            return FileAttachment(stored.file_name, stored.content, _mime(extension))
        record = self._records.get(message.entry_no)
        if record is None:
            record = one_record(ctx, entry_source([message.entry_no]), message.entry_no,
                                record=label)
        return FileAttachment(f"{message.subject or 'Document'}.docx",
                              merge_attachment(ctx, number, record), DOCX)


class LetterComposer:
    """A ``Composer`` that sends each entry's document (see the module's docstring)."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Let the document source read what a batch needs at once."""
        self.documents.prepare(ctx, messages)

    def compose(self, ctx: Ctx, message: Outgoing) -> Content:
        """The e-mail content of ``message``'s document."""
        doc = self.documents.document(ctx, message)
        extension = doc.file_name.rpartition(".")[2].lower()
        if extension == "docx" and message.as_attachment:
            named = FileAttachment(f"{message.subject or 'Document'}.docx", doc.content, DOCX)
            return Content(text="", attachments=(named,))
        if extension == "docx":
            body = mammoth.convert_to_html(io.BytesIO(doc.content)).value
            text = mammoth.extract_raw_text(io.BytesIO(doc.content)).value
            return Content(text=text, html=_page(message.subject, body))
        if extension in ("html", "htm"):
            page = doc.content.decode("utf-8", "replace")
            return Content(text=html.unescape(_TAG.sub("", page)).strip(), html=page)
        return Content(text="", attachments=(doc,))


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title></head><body>{body}</body></html>")


def _mime(extension: str) -> str:
    return {"docx": DOCX, "pdf": "application/pdf", "html": "text/html",
            "htm": "text/html", "txt": "text/plain"}.get(extension.lower(),
                                                          "application/octet-stream")
