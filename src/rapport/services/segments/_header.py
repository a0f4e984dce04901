"""Segment header fields and their propagation to the lines (SPEC §3.10, A2 Q01–Q04, K2–K4).

Ordinary fields propagate to the *affected lines* — those whose template equals the header's
(blank = blank) — when ``update_lines`` is true; lines with another template keep their per-line
values. Correspondence Type (Default) propagates like any other field (K4). The header's
template, which re-defaults the header and the lines (K2, K3), lives in ``_header_template``.

A line without data of its own shows what the header gives (``_resolved``), so propagation
writes only where a line stores the value itself: the data of personalised lines and the
salesperson and correspondence type every line keeps. Before a change, the lines that must not
follow it (``update_lines`` false) and the undo journal (K1) are personalised.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.segments import _languages as sl
from rapport.services.segments._fields import campaign_flags, check_value
from rapport.services.segments._header_template import set_header_template
from rapport.services.segments._inputs import HeaderFieldChanges, SegmentChanges
from rapport.services.segments._records import record_name
from rapport.services.segments._records import require_segment as _segment
from rapport.services.segments._resolved import before_header_change, freeze_journal, personalise
from rapport.services.tables import LINE, LINE_DATA, LINE_FIELDS
from rapport.services.templates import language_key

#: Header field → the line field it propagates to (§3.10).
PROPAGATED = {
    "description": "description",
    "campaign_no": "campaign_no",
    "salesperson_code": "salesperson_code",
    "date": "date",
    "unit_cost": "cost",
    "unit_duration": "duration",
    "information_flow": "information_flow",
    "initiated_by": "initiated_by",
    "campaign_target": "campaign_target",
    "campaign_response": "campaign_response",
    "send_word_docs_as_attmt": "send_word_doc_as_attmt",
    "correspondence_type_default": "correspondence_type",
}
HEADER_FIELDS = frozenset({*PROPAGATED, "ignore_contact_corres_type"})


def update_header(
    ctx: Ctx, no: str, data: HeaderFieldChanges, *, update_lines: bool = True
) -> m.SegmentHeader:
    """Change ordinary header fields; with ``update_lines`` the affected lines follow (Q01)."""
    header = _segment(ctx, no)
    record = record_name(header.no)
    changes = data.given()
    unknown = sorted(set(changes) - HEADER_FIELDS)  # a SegmentChanges goes to change_header
    if unknown:
        raise ValidationError(f"{record} has no editable field(s) {', '.join(unknown)}",
                              record=record, field=unknown[0], reason="unknown field")
    values = {k: check_value(ctx, k, v, record=record) for k, v in changes.items()}
    values = _campaign_rules(header, values, record)
    changed = {PROPAGATED.get(k) for k, v in values.items() if getattr(header, k) != v}
    if changed & set(LINE_FIELDS):
        before_header_change(ctx, header.no, update_lines=update_lines)
    for name, value in values.items():
        setattr(header, name, value)
    ctx.session.flush()
    line_values = {PROPAGATED[k]: v for k, v in values.items() if k in PROPAGATED}
    if update_lines and line_values:
        _propagate(ctx, header, line_values)
    return header


def _propagate(ctx: Ctx, header: m.SegmentHeader, values: dict[str, Any]) -> None:
    """The affected lines (§3.10: the header's template) take the new values: personalised
    lines in their data, every affected line in what it stores itself (salesperson,
    correspondence type); lines without data show the header's values anyway."""
    own = {k: v for k, v in values.items() if k in LINE_FIELDS}
    stored = {k: v for k, v in values.items() if k not in LINE_FIELDS}
    if own:
        ctx.session.execute(
            update(LINE_DATA)
            .where(LINE_DATA.c.segment_no == header.no,
                   sl.same_template(header.interaction_template_code))
            .values(**own)
        )
    if stored:
        ctx.session.execute(
            update(LINE)
            .where(LINE.c.segment_no == header.no, sl.follows_header_template(header))
            .values(**stored)
        )


def _campaign_rules(header: m.SegmentHeader, values: dict[str, Any], record: str) -> dict[
    str, Any
]:
    """Campaign Target/Response need a campaign; clearing the campaign clears them (§2.9).

    Correspondence Type (Default) can be changed only with "Ignore Contact Corres. Type" (§3.1).
    """
    values = campaign_flags(values, header.campaign_no, record)
    ignore = values.get("ignore_contact_corres_type", header.ignore_contact_corres_type)
    wanted = values.get("correspondence_type_default", header.correspondence_type_default)
    if wanted != header.correspondence_type_default and not ignore:
        raise ValidationError(
            f"Correspondence Type (Default) of {record} can only be changed when Ignore "
            "Contact Corres. Type is set", record=record, field="correspondence_type_default",
            reason="ignore flag not set")
    return values


def header_language_row(
    ctx: Ctx, segment_no: str, language: str
) -> m.SegmentInteractionLanguage | None:
    """The header-level language row of a language, or None."""
    return ctx.session.get(m.SegmentInteractionLanguage, (segment_no, 0, language))


def subject_default(ctx: Ctx, header: m.SegmentHeader) -> str:
    """Subject (Default): the subject of the header-level row of the default language."""
    row = header_language_row(ctx, header.no, header.language_code_default)
    return row.subject if row is not None else ""


def set_language_default(
    ctx: Ctx, no: str, language: str | None, *, create_language_row: bool = True
) -> m.SegmentHeader:
    """Choose the header's default language; a missing language row is created (Q04) or refused."""
    header = _segment(ctx, no)
    record = record_name(header.no)
    lang = language_key(ctx, language, record=record)
    if header_language_row(ctx, header.no, lang) is None:
        if not create_language_row:
            raise RuleViolationError(
                f"{record} has no interaction language {lang or '(blank)'}; create it or "
                "choose another default language", code="E13", record=record,
                field="language_code_default", reason="language row missing")
        ctx.session.add(m.SegmentInteractionLanguage(
            segment_no=header.no, segment_line_no=0, language_code=lang,
            description=f"{header.interaction_template_code or ''} {lang}".strip()))
    header.language_code_default = lang
    ctx.session.flush()
    sl.refresh_inherited(ctx, header, sl.follows_header_template(header))
    return header


def set_subject_default(
    ctx: Ctx, no: str, subject: str, *, update_lines: bool = True
) -> m.SegmentHeader:
    """Change Subject (Default); lines still showing the old subject follow (Q03)."""
    header = _segment(ctx, no)
    record = record_name(header.no)
    text = check_value(ctx, "subject", subject, record=record)
    row = header_language_row(ctx, header.no, header.language_code_default)
    if row is None:
        raise NotFoundError(
            f"{record} has no interaction language for its default language "
            f"{header.language_code_default or '(blank)'}; Subject (Default) cannot be set",
            record=record, field="subject_default", reason="language row missing")
    previous = row.subject
    freeze_journal(ctx, header.no)
    default_language = LINE.c.language_code == header.language_code_default
    if not update_lines:
        personalise(ctx, header.no, default_language)
    row.subject = text
    ctx.session.flush()
    if update_lines:
        in_default_language = select(LINE.c.line_no).where(
            LINE.c.segment_no == header.no, default_language)
        ctx.session.execute(
            update(LINE_DATA)
            .where(
                LINE_DATA.c.segment_no == header.no,
                sl.same_template(header.interaction_template_code),
                LINE_DATA.c.line_no.in_(in_default_language),
                LINE_DATA.c.subject == previous,
            )
            .values(subject=text)
        )
    return header


def change_header(
    ctx: Ctx, no: str, changes: SegmentChanges, *, update_lines: bool = True,
    create_language_row: bool = True,
) -> m.SegmentHeader:
    """Several header changes in one go: template first, then fields, language and subject."""
    header = _segment(ctx, no)
    given = changes.given()
    if "interaction_template_code" in given:
        header = set_header_template(ctx, header.no, given["interaction_template_code"],
                                     update_lines=update_lines)
    fields = {name: value for name, value in given.items() if name in HEADER_FIELDS}
    if fields:
        header = update_header(ctx, header.no, HeaderFieldChanges(**fields),
                               update_lines=update_lines)
    if "language_code_default" in given:
        header = set_language_default(ctx, header.no, given["language_code_default"],
                                      create_language_row=create_language_row)
    if "subject_default" in given:
        header = set_subject_default(ctx, header.no, given["subject_default"] or "",
                                     update_lines=update_lines)
    return header
