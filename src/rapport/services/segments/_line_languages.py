"""A line's own template, language and unique attachment (SPEC §3.11; E20, E21, E22).

A line whose template differs from the header's gets the template's language rows as *unique*
line-level rows; a line with the header's template inherits the header-level rows. Removing a
unique attachment falls back to another unique language of the line, else to the header.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError
from rapport.services.context import Ctx
from rapport.services.documents import attachment_file
from rapport.services.records import get_or_raise
from rapport.services.segments import _languages as sl
from rapport.services.segments._records import record_name, require_segment
from rapport.services.segments._resolved import LineView, line_view, personalise
from rapport.services.setup import ensure_exists
from rapport.services.tables import LINE
from rapport.services.templates import (
    AttachmentUpload,
    drop_attachments,
    language_key,
    store_attachment,
)

Row = m.SegmentInteractionLanguage


def line_record(segment_no: str, line_no: int) -> str:
    """How messages name a segment line."""
    return f"{record_name(segment_no)} line {line_no}"


def require_line(ctx: Ctx, segment_no: str, line_no: int) -> m.SegmentLine:
    """A line of the segment; NotFoundError when there is no such line."""
    return get_or_raise(ctx, m.SegmentLine, (segment_no, line_no), what="Segment line",
                        field="line_no", label=line_record(segment_no, line_no))


@dataclass(frozen=True)
class EditedLine:
    """A line being changed by hand: what it is (``line``) and its own data (``data``), which
    it gets, with what it showed, as soon as anything of it is personalised (§3.11)."""

    line: m.SegmentLine
    data: m.SegmentLineData


def edit_line(ctx: Ctx, segment_no: str, line_no: int) -> EditedLine:
    """The line with data of its own (made from what it shows when it has none)."""
    line = require_line(ctx, segment_no, line_no)
    personalise(ctx, segment_no, LINE.c.line_no == line_no)
    data = ctx.session.get(m.SegmentLineData, (segment_no, line_no))
    assert data is not None  # personalise made it
    return EditedLine(line, data)


def _unique_rows(ctx: Ctx, segment_no: str, line_no: int) -> list[Row]:
    return list(ctx.session.scalars(
        select(Row).where(Row.segment_no == segment_no, Row.segment_line_no == line_no)
        .order_by(Row.language_code)).all())


def _use_row(data: m.SegmentLineData, row: Row | None, fallback_word_template: str | None
             ) -> None:
    """Point the line at a language row (or at nothing)."""
    data.attachment_no = row.attachment_no if row else None
    data.subject = row.subject if row else ""
    data.word_template_code = (row.word_template_code if row else None) or fallback_word_template


def _refresh(ctx: Ctx, edit: EditedLine) -> None:
    ctx.session.refresh(edit.line)
    ctx.session.refresh(edit.data)


def set_line_template(
    ctx: Ctx, segment_no: str, line_no: int, template_code: str | None
) -> LineView:
    """Give one line its own interaction template (§3.11 steps 1–4; E20 without contact)."""
    header = require_segment(ctx, segment_no)
    record = line_record(header.no, line_no)
    if require_line(ctx, header.no, line_no).contact_no is None:
        raise RuleViolationError(f"Contact No. must have a value on {record}.", code="E20",
                                 record=record, field="contact_no", reason="blank")
    edit = edit_line(ctx, header.no, line_no)
    line, data = edit.line, edit.data
    code = ensure_exists(ctx, m.InteractionTemplate, template_code,
                         field="interaction_template_code", record=record)
    new = ctx.session.get(m.InteractionTemplate, code) if code else None
    contact = ctx.session.get(m.Contact, line.contact_no)
    _apply_template(edit, header, new, contact)
    data.attachment_no, line.language_code, data.subject, data.word_template_code = (
        None, "", "", None)
    sl.drop_language_rows(ctx, header.no, line_no)
    if new is not None and new.code != header.interaction_template_code:
        rows = sl.copy_template_languages(ctx, header.no, line_no, new.code)
        row = _pick(rows, contact.language_code if contact else None, new.language_code_default)
        line.language_code = row.language_code if row else ""
        _use_row(data, row, new.word_template_code)
    elif new is not None:
        ctx.session.flush()
        sl.refresh_inherited(ctx, header, LINE.c.line_no == line_no)
        _refresh(ctx, edit)
    return line_view(ctx, header.no, line_no)


def _pick(rows: list[Row], contact_language: str | None, default: str) -> Row | None:
    """The contact's language if present, else the template default, else the first row."""
    by_lang = {r.language_code: r for r in rows}
    return by_lang.get(contact_language or "") or by_lang.get(default) or (
        rows[0] if rows else None)


def _apply_template(
    edit: EditedLine, header: m.SegmentHeader, new: m.InteractionTemplate | None,
    contact: m.Contact | None,
) -> None:
    """Re-derive the line's interaction fields from the new template (§3.11 steps 2 and 4)."""
    data = edit.data
    changed_between_templates = data.interaction_template_code is not None and new is not None
    data.interaction_template_code = new.code if new else None
    data.interaction_group_code = new.interaction_group_code if new else None
    data.cost = new.unit_cost if new else Decimal("0")
    data.duration = new.unit_duration if new else 0
    data.information_flow = new.information_flow if new else ""
    data.initiated_by = new.initiated_by if new else ""
    if new is not None and (not data.description or changed_between_templates):
        data.description = new.description
    if new is not None:
        data.campaign_no = header.campaign_no or new.campaign_no or data.campaign_no
    has_campaign = data.campaign_no is not None
    data.campaign_target = bool(new and new.campaign_target and has_campaign)
    data.campaign_response = bool(new and new.campaign_response and has_campaign)
    edit.line.correspondence_type = _correspondence_type(header, new, contact,
                                                         edit.line.correspondence_type)


def _correspondence_type(
    header: m.SegmentHeader, template: m.InteractionTemplate | None, contact: m.Contact | None,
    previous: str,
) -> str:
    """§3.2 precedence: header ignore flag → template → contact; else keep the previous value."""
    if header.ignore_contact_corres_type and header.correspondence_type_default:
        return header.correspondence_type_default
    own = contact.correspondence_type if contact else ""
    if template is not None and (template.ignore_contact_corres_type or not own):
        return template.correspondence_type_default
    return own if contact is not None else previous


def set_line_language(
    ctx: Ctx, segment_no: str, line_no: int, language: str | None
) -> LineView:
    """Choose the language of one line; attachment and subject follow its row (E21)."""
    header = require_segment(ctx, segment_no)
    record = line_record(header.no, line_no)
    edit = edit_line(ctx, header.no, line_no)
    if edit.data.interaction_template_code is None:
        raise RuleViolationError(f"Interaction Template Code must have a value on {record}.",
                                 code="E21", record=record, field="interaction_template_code",
                                 reason="blank")
    lang = language_key(ctx, language, record=record)
    owner = line_no if _unique_rows(ctx, header.no, line_no) else 0
    row = ctx.session.get(Row, (header.no, owner, lang))
    template = ctx.session.get(m.InteractionTemplate, edit.data.interaction_template_code)
    edit.line.language_code = lang
    _use_row(edit.data, row, template.word_template_code if template else None)
    return line_view(ctx, header.no, line_no)


def _refuse_word_template(data: m.SegmentLineData, record: str) -> None:
    """E22: classic attachment actions are refused on a line that uses a Word template."""
    if data.word_template_code:
        raise RuleViolationError(
            f"An attachment cannot be used or changed on {record} because a Word template "
            f"({data.word_template_code}) has been specified", code="E22", record=record,
            field="attachment_no", reason="Word template in use")


def upload_line_attachment(
    ctx: Ctx, segment_no: str, line_no: int, upload: AttachmentUpload,
    *, language_code: str | None = None,
) -> int:
    """Give one line its own (unique) attachment for a language; returns the attachment no."""
    header = require_segment(ctx, segment_no)
    record = line_record(header.no, line_no)
    edit = edit_line(ctx, header.no, line_no)
    line, data = edit.line, edit.data
    _refuse_word_template(data, record)
    lang = language_key(ctx, line.language_code if language_code is None else language_code,
                        record=record)
    new_no = store_attachment(ctx, upload)
    row = ctx.session.get(Row, (header.no, line_no, lang))
    old = row.attachment_no if row else None
    if row is None:
        row = Row(segment_no=header.no, segment_line_no=line_no, language_code=lang,
                  description=upload.file_name[:100], subject=data.subject)
        ctx.session.add(row)
    row.attachment_no = new_no
    line.language_code = lang
    _use_row(data, row, None)
    ctx.session.flush()
    drop_attachments(ctx, [old])
    return new_no


def remove_line_attachment(ctx: Ctx, segment_no: str, line_no: int) -> LineView:
    """Remove a line's unique attachment; the line falls back to another row (§3.11)."""
    header = require_segment(ctx, segment_no)
    record = line_record(header.no, line_no)
    edit = edit_line(ctx, header.no, line_no)
    line, data = edit.line, edit.data
    _refuse_word_template(data, record)
    row = ctx.session.get(Row, (header.no, line_no, line.language_code))
    if row is None:
        raise RuleViolationError(f"{record} has no unique attachment to remove", record=record,
                                 field="attachment_no", reason="no unique attachment")
    old = row.attachment_no
    ctx.session.delete(row)
    ctx.session.flush()
    others = _unique_rows(ctx, header.no, line_no)
    if others:
        line.language_code = others[0].language_code
        _use_row(data, others[0], None)
    elif data.interaction_template_code == header.interaction_template_code:
        sl.refresh_inherited(ctx, header, LINE.c.line_no == line_no)
        _refresh(ctx, edit)
    else:
        line.language_code = ""
        _use_row(data, None, None)
    ctx.session.flush()
    drop_attachments(ctx, [old])
    return line_view(ctx, header.no, line_no)


def line_attachment(ctx: Ctx, segment_no: str, line_no: int) -> AttachmentUpload:
    """The attachment a line uses (its unique one, else the header's it inherits); reads only."""
    header = require_segment(ctx, segment_no, lock=False)
    record = line_record(header.no, line_no)
    require_line(ctx, header.no, line_no)
    view = line_view(ctx, header.no, line_no)
    if view.word_template_code:
        raise RuleViolationError(
            f"An attachment cannot be used on {record} because a Word template "
            f"({view.word_template_code}) has been specified", code="E22", record=record,
            field="attachment_no", reason="Word template in use")
    if view.attachment_no is None:
        raise NotFoundError(f"{record} has no attachment (neither its own nor the header's)",
                            record=record, field="attachment_no", reason="no attachment")
    return attachment_file(ctx, view.attachment_no)
