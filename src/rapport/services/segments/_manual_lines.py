"""Lines by hand (SPEC §3.3, A3/K10, K15) and per-line field overrides (§3.11).

Adding, removing or changing the contact of a line is recorded as criteria actions (an Add
Contacts and/or a Reduce action filtered on the contact's number), so Go Back undoes each one
exactly. Lines without a contact record nothing. Nothing here ever resets the criteria (K15).
Template, language and attachment changes of a line live in ``segment_line_languages`` and are
re-exported here.
"""

from __future__ import annotations

from sqlalchemy import select, update

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.criteria import SectionFilter
from rapport.domain.enums import CriteriaAction, CriteriaSection
from rapport.errors import RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.records import get_or_raise
from rapport.services.segments._criteria_log import record_action
from rapport.services.segments._fields import campaign_flags, check_value
from rapport.services.segments._inputs import LineChanges, LineFieldChanges
from rapport.services.segments._line_count import lines_changed
from rapport.services.segments._line_defaults import LINE_STEP, LineSource
from rapport.services.segments._line_languages import (
    edit_line,
    remove_line_attachment,
    require_line,
    set_line_language,
    set_line_template,
    upload_line_attachment,
)
from rapport.services.segments._lines import delete_lines, insert_lines, last_line_no
from rapport.services.segments._records import record_name, require_segment
from rapport.services.segments._resolved import LineView, line_view
from rapport.services.segments._views import LineRow, list_lines
from rapport.services.tables import CONTACT, CRITERIA, LANG, LINE, LINE_DATA, MEMBERSHIP
from rapport.services.templates import AttachmentUpload, drop_attachments

__all__ = [
    "LINE_FIELDS", "LineRow", "add_blank_line", "add_line", "change_line", "change_line_contact",
    "list_lines",
    "remove_line", "remove_line_attachment", "set_line_language", "set_line_template",
    "update_line", "upload_line_attachment",
]

_FILTER_SPECIALS = set("|&()'<>=*?@. \t")

#: Line fields a user may override by hand (§3.11); the template and language have own verbs.
LINE_FIELDS = frozenset(LineFieldChanges.model_fields)


def contact_filter(contact_no: str) -> str:
    """The filter expression "No. = contact", quoted when the number has filter characters (A5)."""
    if any(ch in _FILTER_SPECIALS for ch in contact_no):
        return "'" + contact_no.replace("'", "''") + "'"
    return contact_no


def _usable_contact(ctx: Ctx, contact_no: str) -> m.Contact:
    """The contact to put on a line: it must exist and not be privacy-blocked (E38)."""
    key = require_code(contact_no, field="contact_no", record="Segment Line")
    contact = get_or_raise(ctx, m.Contact, key, what="Contact", field="contact_no")
    if contact.privacy_blocked:
        raise RuleViolationError(
            f"Contact {key} cannot be used because it is blocked for privacy reasons.",
            code="E38", record=f"Contact {key}", field="privacy_blocked",
            reason="privacy blocked")
    return contact


def _add(ctx: Ctx, header: m.SegmentHeader, contact: m.Contact) -> tuple[int, int]:
    """One Add Contacts action for one contact and its defaulted line: (line no., action row)."""
    ref = record_action(ctx, header.no, CriteriaAction.ADD, filters=[
        SectionFilter(CriteriaSection.CONTACT, {"no": contact_filter(contact.no)})])
    source = LineSource(select(CONTACT.c.no.label("contact_no")).where(CONTACT.c.no == contact.no),
                        contact=CONTACT)
    insert_lines(ctx, header, source, ref)
    return last_line_no(ctx.session, header.no), ref.criteria_line_no


def add_line(ctx: Ctx, segment_no: str, contact_no: str) -> int:
    """Put a contact on a new line by hand (no exclusion/duplicate check); returns its line no."""
    header = require_segment(ctx, segment_no)
    contact = _usable_contact(ctx, contact_no)
    line_no, _ = _add(ctx, header, contact)
    return line_no


def add_blank_line(ctx: Ctx, segment_no: str) -> int:
    """A line without a contact, defaulted from the header; no criteria action is recorded."""
    header = require_segment(ctx, segment_no)
    line_no = last_line_no(ctx.session, header.no) + LINE_STEP
    ctx.session.add(m.SegmentLine(
        segment_no=header.no, line_no=line_no, salesperson_code=header.salesperson_code,
        correspondence_type=header.correspondence_type_default,
        language_code=header.language_code_default or "",
    ))
    ctx.session.flush()
    lines_changed(ctx.session, header.no, 1)
    return line_no


def remove_line(ctx: Ctx, segment_no: str, line_no: int) -> None:
    """Delete a line by hand: a Reduce action on its contact, journaled for Go Back (§3.3)."""
    header = require_segment(ctx, segment_no)
    line = require_line(ctx, header.no, line_no)
    if line.contact_no is None:
        attachments = ctx.session.scalars(select(LANG.c.attachment_no).where(
            LANG.c.segment_no == header.no, LANG.c.segment_line_no == line_no)).all()
        ctx.session.execute(LANG.delete().where(
            LANG.c.segment_no == header.no, LANG.c.segment_line_no == line_no))
        ctx.session.execute(LINE_DATA.delete().where(
            LINE_DATA.c.segment_no == header.no, LINE_DATA.c.line_no == line_no))
        ctx.session.delete(line)
        ctx.session.flush()
        lines_changed(ctx.session, header.no, -1)
        drop_attachments(ctx, attachments)
        return
    _reduce(ctx, header.no, line)


def _reduce(ctx: Ctx, segment_no: str, line: m.SegmentLine) -> None:
    contact_no = line.contact_no or ""
    line_no = line.line_no
    ref = record_action(ctx, segment_no, CriteriaAction.REDUCE, filters=[
        SectionFilter(CriteriaSection.CONTACT, {"no": contact_filter(contact_no)})])
    ctx.session.expunge(line)
    delete_lines(ctx, segment_no, LINE.c.line_no == line_no, ref)


def change_line_contact(ctx: Ctx, segment_no: str, line_no: int, contact_no: str) -> int:
    """Replace a line's contact: Reduce of the old (if any) + Add of the new, at the same line no.

    The line is defaulted afresh from the header for the new contact (§3.2); two Go Backs
    restore the old line exactly.
    """
    header = require_segment(ctx, segment_no)
    line = require_line(ctx, header.no, line_no)
    contact = _usable_contact(ctx, contact_no)
    if line.contact_no is None:
        remove_line(ctx, header.no, line_no)
    else:
        _reduce(ctx, header.no, line)
    new_no, action_line = _add(ctx, header, contact)
    ctx.session.execute(update(LINE).where(
        LINE.c.segment_no == header.no, LINE.c.line_no == new_no).values(line_no=line_no))
    ctx.session.execute(update(CRITERIA).where(
        CRITERIA.c.segment_no == header.no, CRITERIA.c.line_no == action_line,
    ).values(first_line_no=line_no, last_line_no=line_no))
    return line_no


def update_line(
    ctx: Ctx, segment_no: str, line_no: int, changes: LineFieldChanges
) -> LineView:
    """Override fields of one line (description, subject, cost, evaluation …) (§3.11)."""
    header = require_segment(ctx, segment_no)
    require_line(ctx, header.no, line_no)
    record = f"{record_name(header.no)} line {line_no}"
    fields = changes.given()
    unknown = sorted(set(fields) - LINE_FIELDS)  # a LineChanges goes to change_line
    if unknown:
        raise ValidationError(f"{record} has no editable field(s) {', '.join(unknown)}",
                              record=record, field=unknown[0], reason="unknown field")
    values = {k: check_value(ctx, k, v, record=record) for k, v in fields.items()}
    edit = edit_line(ctx, header.no, line_no)
    values = campaign_flags(values, edit.data.campaign_no, record)
    for name, value in values.items():
        setattr(edit.line if name in MEMBERSHIP else edit.data, name, value)
    return line_view(ctx, header.no, line_no)


def change_line(
    ctx: Ctx,
    segment_no: str,
    line_no: int,
    changes: LineChanges,
    *,
    attachment: AttachmentUpload | None = None,
    remove_attachment: bool = False,
) -> LineView:
    """Several changes to one line: contact, template, language, attachment, then fields."""
    header = require_segment(ctx, segment_no)
    require_line(ctx, header.no, line_no)
    given = changes.given()
    if "contact_no" in given:
        change_line_contact(ctx, header.no, line_no, given["contact_no"] or "")
    if "interaction_template_code" in given:
        set_line_template(ctx, header.no, line_no, given["interaction_template_code"])
    if "language_code" in given:
        set_line_language(ctx, header.no, line_no, given["language_code"])
    if remove_attachment:
        remove_line_attachment(ctx, header.no, line_no)
    if attachment is not None:
        upload_line_attachment(ctx, header.no, line_no, attachment)
    fields = {name: value for name, value in given.items() if name in LINE_FIELDS}
    if fields:
        update_line(ctx, header.no, line_no, LineFieldChanges(**fields))
    return line_view(ctx, header.no, line_no)
