"""Apply Mailing Group (SPEC §3.21, E40, A3/K13).

Every contact of the segment gets the mailing group (once, however many lines it has), with one
``INSERT … SELECT``. "Delete old assignments" removes the group first — but only from the
segment's own contacts (K13): contacts outside the segment are never touched, unlike the
reference, which removed the group from every contact in the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, delete, exists, insert, literal, select

from rapport.db import models as m
from rapport.domain.codes import normalize_code
from rapport.errors import ValidationError
from rapport.services.context import Ctx, run
from rapport.services.records import get_or_raise
from rapport.services.segments._records import record_name, require_segment
from rapport.services.tables import LINE
from rapport.services.tables import MAILING_GROUP_MEMBER as MEMBER


def _segment_contacts(segment_no: str) -> Select[Any]:
    """The distinct contacts on the segment's lines."""
    return (
        select(LINE.c.contact_no)
        .where(LINE.c.segment_no == segment_no, LINE.c.contact_no.is_not(None))
        .distinct()
    )


def apply_mailing_group(
    ctx: Ctx,
    segment_no: str,
    mailing_group_code: str | None,
    *,
    delete_old_assignments: bool = False,
) -> int:
    """Assign a mailing group to every contact of the segment; returns how many got it newly."""
    header = require_segment(ctx, segment_no, lock=False)
    record = record_name(header.no)
    code = normalize_code(mailing_group_code, field="mailing_group_code", record=record)
    if code is None:
        raise ValidationError(
            "Specify a mailing group code.",
            code="E40",
            record=record,
            field="mailing_group_code",
            reason="blank",
        )
    get_or_raise(ctx, m.MailingGroup, code, what="Mailing group", field="mailing_group_code")
    members = _segment_contacts(header.no)
    if delete_old_assignments:
        ctx.session.execute(
            delete(MEMBER).where(
                MEMBER.c.mailing_group_code == code, MEMBER.c.contact_no.in_(members)
            )
        )
    missing = (
        select(LINE.c.contact_no, literal(code).label("mailing_group_code"))
        .where(
            LINE.c.segment_no == header.no,
            LINE.c.contact_no.is_not(None),
            ~exists().where(
                and_(MEMBER.c.contact_no == LINE.c.contact_no, MEMBER.c.mailing_group_code == code)
            ),
        )
        .distinct()
    )
    return run(ctx, insert(MEMBER).from_select(["contact_no", "mailing_group_code"], missing))
