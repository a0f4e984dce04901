"""A merge preview: one line's letter merged for its contact, as it would be delivered (§3.12)."""

from __future__ import annotations

from sqlalchemy import select

from rapport.db import models as m
from rapport.errors import NotFoundError
from rapport.services.context import Ctx
from rapport.services.documents import (
    MergedDocument,
    document_attachment,
    letter_file_name,
    line_source,
    merge_attachment,
    one_record,
)
from rapport.services.segments._resolved import resolved_segment


def merge_preview(ctx: Ctx, segment_no: str, line_no: int) -> MergedDocument:
    """The letter of one segment line merged for its contact (unique attachment, else the
    header's for the line's language, else its Word template; E10, E11)."""
    key = segment_no.strip().upper()
    record = f"Segment {key}, line {line_no}"
    lines = resolved_segment(ctx, key)
    line = ctx.session.execute(select(lines).where(lines.c.line_no == line_no)).one_or_none()
    if line is None:
        raise NotFoundError(f"{record} does not exist", record=record, field="line_no",
                            reason="does not exist")
    attachment_no = document_attachment(ctx, line.attachment_no, line.word_template_code,
                                        record=record)
    data = one_record(ctx, line_source(lines).where(lines.c.line_no == line_no), line_no,
                      record=record)
    contact = ctx.session.get(m.Contact, line.contact_no)
    company, person = ((contact.company_name, contact.name) if contact is not None
                       and contact.type == "Person" else ("", contact.name if contact else ""))
    return MergedDocument(letter_file_name(company, person, "docx"),
                          merge_attachment(ctx, attachment_no, data))
