"""A segment header's attachment per language (SPEC §2.11, §3.11): the letter every line of
that language inherits unless the line has its own (unique) one. E22: not with a Word template."""

from __future__ import annotations

from sqlalchemy import update

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError
from rapport.services.context import Ctx
from rapport.services.documents import (
    AttachmentUpload,
    attachment_file,
    drop_attachments,
    store_attachment,
)
from rapport.services.segments._records import require_segment
from rapport.services.tables import LINE_DATA


def _header_row(ctx: Ctx, segment_no: str, language_code: str | None, *, lock: bool = True
                ) -> tuple[m.SegmentHeader, m.SegmentInteractionLanguage]:
    header = require_segment(ctx, segment_no, lock=lock)
    lang = (language_code or "").strip().upper()
    row = ctx.session.get(m.SegmentInteractionLanguage, (header.no, 0, lang))
    if row is None:
        raise NotFoundError(
            f"Segment {header.no} has no language row {lang or '(blank)'}; its interaction "
            "template gives the languages", record=f"Segment {header.no}",
            field="language_code", reason="no language row")
    if row.word_template_code or header.word_template_code:
        raise RuleViolationError(
            f"An attachment cannot be used or changed on segment {header.no} because a Word "
            "template has been specified", code="E22", record=f"Segment {header.no}",
            field="attachment_no", reason="Word template in use")
    return header, row


def set_header_attachment(ctx: Ctx, segment_no: str, language_code: str | None,
                          upload: AttachmentUpload) -> int:
    """Upload or replace the header's attachment of a language; inheriting lines follow."""
    header, row = _header_row(ctx, segment_no, language_code)
    old, row.attachment_no = row.attachment_no, store_attachment(ctx, upload)
    ctx.session.flush()
    if old is not None:  # personalised lines hold the inherited attachment's number
        ctx.session.execute(update(LINE_DATA).where(
            LINE_DATA.c.segment_no == header.no, LINE_DATA.c.attachment_no == old,
        ).values(attachment_no=row.attachment_no))
    drop_attachments(ctx, [old])
    return row.attachment_no


def remove_header_attachment(ctx: Ctx, segment_no: str, language_code: str | None) -> None:
    """Remove the header's attachment of a language (lines that inherit it have none then)."""
    header, row = _header_row(ctx, segment_no, language_code)
    old, row.attachment_no = row.attachment_no, None
    ctx.session.flush()
    if old is not None:
        ctx.session.execute(update(LINE_DATA).where(
            LINE_DATA.c.segment_no == header.no, LINE_DATA.c.attachment_no == old,
        ).values(attachment_no=None))
    drop_attachments(ctx, [old])


def header_attachment(ctx: Ctx, segment_no: str, language_code: str | None) -> AttachmentUpload:
    """The header's attachment of a language (download; reads, so it locks nothing)."""
    header, row = _header_row(ctx, segment_no, language_code, lock=False)
    if row.attachment_no is None:
        raise NotFoundError(f"Segment {header.no} has no attachment for language "
                            f"{row.language_code or '(blank)'}", record=f"Segment {header.no}",
                            field="attachment_no", reason="no attachment")
    return attachment_file(ctx, row.attachment_no)
