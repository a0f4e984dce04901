"""The header's interaction template and the lines (SPEC §3.10, A2 Q02, K2, K3, E12).

Choosing a template re-defaults the header from it and rebuilds the header's language rows;
with ``update_lines`` every line takes the template and is re-defaulted (K2) — lines without
data of their own show the header's new values, personalised lines get them in their data, and
every line gets its correspondence type and (without unique rows) its language. Without
``update_lines`` the change is refused while a line inherits its attachment (E12); otherwise
every line keeps what it showed. Clearing the template is allowed (K3).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, literal, select, true, update

from rapport.db import models as m
from rapport.errors import RuleViolationError
from rapport.services.context import Ctx
from rapport.services.segments import _languages as sl
from rapport.services.segments._records import record_name
from rapport.services.segments._records import require_segment as _segment
from rapport.services.segments._resolved import (
    before_header_change,
    personalise,
    resolved_segment,
)
from rapport.services.setup import ensure_exists
from rapport.services.tables import LANG, LINE, LINE_DATA
from rapport.services.templates import drop_attachments


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
