"""Segment header fields and their propagation to the lines (SPEC §3.10, A2 Q01–Q04, K2–K4).

Ordinary fields propagate to the *affected lines* — those whose template equals the header's
(blank = blank) — when ``update_lines`` is true; lines with another template keep their per-line
values. Correspondence Type (Default) propagates like any other field (K4). A template change
re-defaults the header and, with ``update_lines``, every line (K2); clearing the template is
allowed and resets what came from it (K3).

A line without data of its own shows what the header gives (``_resolved``), so propagation
writes only where a line stores the value itself: the data of personalised lines and the
salesperson and correspondence type every line keeps. Before a change the lines must not follow
(``update_lines`` false, or K2's description rule) and the undo journal (K1) are personalised.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, literal, select, true, update

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.segments import _languages as sl
from rapport.services.segments._fields import campaign_flags, check_value
from rapport.services.segments._inputs import HeaderFieldChanges, SegmentChanges
from rapport.services.segments._records import record_name
from rapport.services.segments._records import require_segment as _segment
from rapport.services.segments._resolved import freeze_journal, personalise, resolved_segment
from rapport.services.setup import ensure_exists
from rapport.services.tables import LANG, LINE, LINE_DATA, LINE_FIELDS
from rapport.services.templates import drop_attachments, language_key

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


def before_header_change(ctx: Ctx, segment_no: str, *, update_lines: bool) -> None:
    """What a line shows from the header must not change behind its back: the journal never
    follows the header (K1), and without ``update_lines`` neither do the lines."""
    freeze_journal(ctx, segment_no)
    if not update_lines:
        personalise(ctx, segment_no)


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


def set_header_template(
    ctx: Ctx, no: str, template_code: str | None, *, update_lines: bool = True
) -> m.SegmentHeader:
    """Choose (or clear) the header's interaction template (§3.10, Q02, K2, K3)."""
    header = _segment(ctx, no)
    record = record_name(header.no)
    code = ensure_exists(ctx, m.InteractionTemplate, template_code,
                         field="interaction_template_code", record=record)
    new = ctx.session.get(m.InteractionTemplate, code) if code else None
    old = (ctx.session.get(m.InteractionTemplate, header.interaction_template_code)
           if header.interaction_template_code else None)
    if not update_lines and _inherits(ctx, header.no):
        raise RuleViolationError(
            f"The interaction template of {record} cannot be changed without updating the "
            "lines while lines inherit their attachment from the header",
            code="E12", record=record, field="interaction_template_code",
            reason="inherited attachments exist")
    before_header_change(ctx, header.no, update_lines=update_lines)
    if update_lines and _description_follows_template(header, new, old):
        personalise(ctx, header.no)
    old_campaign = header.campaign_no
    _redefault_header(header, new, old)
    old_attachments = _detach_header_rows(ctx, header.no)
    if new is not None:
        sl.copy_template_languages(ctx, header.no, 0, new.code)
    ctx.session.flush()
    if update_lines:
        _redefault_lines(ctx, header, new, old, campaign_changed=header.campaign_no != old_campaign)
    drop_attachments(ctx, old_attachments)
    return header


def _description_follows_template(
    header: m.SegmentHeader, new: m.InteractionTemplate | None, old: m.InteractionTemplate | None
) -> bool:
    """K2 gives a line the new template's description when its own is blank or the old
    template's: lines showing the header's description then show something else than the
    header, so they get data of their own first."""
    if new is None or new.description == header.description:
        return False
    return header.description == "" or (old is not None and header.description == old.description)


def _inherits(ctx: Ctx, segment_no: str) -> bool:
    """Some line of the segment inherits its attachment from the header."""
    line = resolved_segment(ctx, segment_no)
    stmt = select(exists(select(line.c.line_no).where(sl.attachment_inherited(line))))
    return bool(ctx.session.execute(stmt).scalar())


def _detach_header_rows(ctx: Ctx, segment_no: str) -> list[int | None]:
    """Delete the header-level rows; their attachments go once no line refers to them."""
    where = and_(LANG.c.segment_no == segment_no, LANG.c.segment_line_no == 0)
    attachments = list(ctx.session.scalars(select(LANG.c.attachment_no).where(where)).all())
    ctx.session.execute(LANG.delete().where(where))
    return attachments


def _redefault_header(
    header: m.SegmentHeader, new: m.InteractionTemplate | None, old: m.InteractionTemplate | None
) -> None:
    """Copy the template's defaults to the header, or reset them when it is cleared (K3)."""
    header.interaction_template_code = new.code if new else None
    header.interaction_group_code = new.interaction_group_code if new else None
    header.language_code_default = new.language_code_default if new else ""
    header.unit_cost = new.unit_cost if new else Decimal("0")
    header.unit_duration = new.unit_duration if new else 0
    header.information_flow = new.information_flow if new else ""
    header.initiated_by = new.initiated_by if new else ""
    header.correspondence_type_default = new.correspondence_type_default if new else ""
    header.ignore_contact_corres_type = new.ignore_contact_corres_type if new else False
    header.word_template_code = new.word_template_code if new else None
    header.modified_word_template = None
    if new is not None and new.campaign_no:
        header.campaign_no = new.campaign_no
    elif old is not None and old.campaign_no and header.campaign_no == old.campaign_no:
        header.campaign_no = None
    has_campaign = header.campaign_no is not None
    header.campaign_target = bool(new and new.campaign_target and has_campaign)
    header.campaign_response = bool(new and new.campaign_response and has_campaign)


def _redefault_lines(
    ctx: Ctx,
    header: m.SegmentHeader,
    new: m.InteractionTemplate | None,
    old: m.InteractionTemplate | None,
    *,
    campaign_changed: bool,
) -> None:
    """K2: every line takes the new template and is re-defaulted from it: personalised lines
    in their data, every line in its correspondence type and (without unique rows) language;
    lines without data show the header's new values."""
    new_description = new.description if new else header.description
    defaulted = LINE_DATA.c.description == ""
    if old is not None:
        defaulted = defaulted | (LINE_DATA.c.description == old.description)
    values: dict[str, Any] = {
        "interaction_template_code": header.interaction_template_code,
        "interaction_group_code": header.interaction_group_code,
        "cost": header.unit_cost,
        "duration": header.unit_duration,
        "information_flow": header.information_flow,
        "initiated_by": header.initiated_by,
        "campaign_target": header.campaign_target,
        "campaign_response": header.campaign_response,
        "description": case((defaulted, literal(new_description)),
                            else_=LINE_DATA.c.description),
    }
    if campaign_changed:
        values["campaign_no"] = header.campaign_no
    ctx.session.execute(
        update(LINE_DATA).where(LINE_DATA.c.segment_no == header.no).values(**values))
    ctx.session.execute(
        update(LINE).where(LINE.c.segment_no == header.no)
        .values(correspondence_type=sl.correspondence_type(header, new)))
    sl.refresh_inherited(ctx, header, true())


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
