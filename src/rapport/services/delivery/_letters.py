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
from typing import Protocol

import mammoth

from rapport.errors import ValidationError
from rapport.services.context import Ctx
from rapport.services.delivery._compose import Content, FileAttachment, Outgoing
from rapport.services.tables import ATTACHMENT

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TAG = re.compile(r"<[^>]+>")


class Documents(Protocol):
    """Where an entry's document comes from (the merged letter)."""

    def document(self, ctx: Ctx, message: Outgoing) -> FileAttachment:
        """The entry's document, ready to send."""
        ...


class StoredDocuments:
    """The entry's stored attachment as it is (E10 when it has none)."""

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


class LetterComposer:
    """A ``Composer`` that sends each entry's document (see the module's docstring)."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

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
