"""Log Segment's line checks (SPEC §3.14 6.1, A3/K11): every line is checked by one query.

All problems of all lines are collected and raised as one ``MultipleErrors`` (line no., contact,
field, reason), so a large segment is fixed in one round instead of one retry per bad line.
The e-mail rule of §3.13 lives here too, as SQL expressions the logging ``INSERT … SELECT`` reuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import QueryableAttribute

from rapport.db.models import (
    Attachment,
    Campaign,
    Contact,
    ContactAltAddrDateRange,
    ContactAltAddress,
    InteractionTemplate,
    Salesperson,
)
from rapport.domain.enums import CorrespondenceType
from rapport.errors import MultipleErrors, NotFoundError, RapportError, ValidationError
from rapport.services.context import Ctx
from rapport.services.segments import resolved_segment
from rapport.services.tables import LINE

EMAIL = CorrespondenceType.EMAIL.value
PRIVACY_TEXT = "Contact {contact} cannot be used because it is blocked for privacy reasons."


def has_email_address(line: FromClause, *, joined: bool = True) -> ColumnElement[bool]:
    """SQL over a resolved line: the contact, or its alternate address (set on the line or
    active on its date), has an e-mail. ``joined``: the statement joins the line's contact
    (``Contact``); otherwise the contact is looked up among those without an e-mail, a
    semi-join that reads neither every contact of the segment nor the contact table."""
    alt, rng = ContactAltAddress.__table__.alias("alt"), ContactAltAddrDateRange.__table__
    active = (
        select(rng.c.contact_no)
        .where(
            rng.c.contact_no == alt.c.contact_no,
            rng.c.contact_alt_address_code == alt.c.code,
            rng.c.starting_date <= line.c.date,
            or_(rng.c.ending_date.is_(None), rng.c.ending_date >= line.c.date),
        )
        .correlate(alt, line)  # the line is two levels up: name it, or it joins every line
    )
    alt_with_email = exists(
        select(alt.c.contact_no)
        .where(
            alt.c.contact_no == line.c.contact_no,
            alt.c.email != "",
            or_(alt.c.code == line.c.contact_alt_address_code, exists(active)),
        )
        .correlate(line)
    )
    # The contacts without an e-mail are read through their partial index (ix_contact_without
    # _email, whose condition the literal '' matches on both engines), not by a scan.
    without = select(Contact.no).where(Contact.email == literal_column("''"))
    own = Contact.email != "" if joined else line.c.contact_no.not_in(without)
    # Cheap test first: both engines probe alternate addresses only without a contact e-mail.
    return or_(own, alt_with_email)


def missing_email(line: FromClause, *, joined: bool = True) -> ColumnElement[bool]:
    """SQL: an Email line whose contact has no usable e-mail address (§3.13)."""
    return and_(line.c.correspondence_type == EMAIL, ~has_email_address(line, joined=joined))


def logged_correspondence_type(line: FromClause) -> ColumnElement[str]:
    """SQL: the line's type, blank for an Email line without an address (§3.13, K12); the
    contact is looked up among those without an e-mail (the statement does not join it)."""
    return case((missing_email(line, joined=False), literal("")),
                else_=line.c.correspondence_type)


@dataclass(frozen=True)
class LineFacts:
    """What Log Segment needs to know about a segment's lines before checking them."""

    lines_with_contact: int
    lines_with_type: int


def line_facts(ctx: Ctx, segment_no: str) -> LineFacts:
    """Count the lines with a contact, and those with a correspondence type, in one query."""
    typed = func.sum(case((LINE.c.correspondence_type != "", 1), else_=0))
    row = ctx.session.execute(
        select(func.count(), func.coalesce(typed, 0)).where(
            LINE.c.segment_no == segment_no, LINE.c.contact_no.is_not(None)
        )
    ).one()
    return LineFacts(lines_with_contact=int(row[0]), lines_with_type=int(row[1]))


Condition = Callable[[FromClause], ColumnElement[bool]]
Col = QueryableAttribute[Any]


@dataclass(frozen=True)
class _Check:
    code: str
    field: str
    reason: str
    condition: Condition  # over the resolved line (joined to what it refers to)
    delivery_only: bool = False


def _blank(column: str) -> Condition:
    return lambda line: line.c[column].is_(None)


def _dangling(column: str, target: Col) -> Condition:
    return lambda line: and_(line.c[column].is_not(None), target.is_(None))


_CHECKS: tuple[_Check, ...] = (
    _Check("E06", "Date", "must have a value", _blank("date")),
    # A line's contact exists (its set-based key, migration 0002): only privacy is checked,
    # among the few privacy-blocked contacts rather than by reading every line's contact.
    _Check("E38", "Contact No.", PRIVACY_TEXT, lambda line: line.c.contact_no.in_(
        select(Contact.no).where(Contact.privacy_blocked == True))),  # noqa: E712
    _Check("E06", "Salesperson Code", "must have a value", _blank("salesperson_code")),
    _Check("E07", "Salesperson Code", "the salesperson does not exist",
           _dangling("salesperson_code", Salesperson.code)),
    _Check("E06", "Interaction Template Code", "must have a value",
           _blank("interaction_template_code")),
    _Check("E07", "Interaction Template Code", "the interaction template does not exist",
           _dangling("interaction_template_code", InteractionTemplate.code)),
    _Check("E07", "Campaign No.", "the campaign does not exist",
           _dangling("campaign_no", Campaign.no)),
    _Check("E07", "Attachment No.", "the attachment does not exist",
           _dangling("attachment_no", Attachment.no)),
    _Check("E08", "E-Mail",
           "make sure the E-Mail field is filled in for contact {contact} or for its "
           "alternate address", lambda line: missing_email(line, joined=False),
           delivery_only=True),
    _Check("E09", "Attachment No.", "must have a value: the line is to be delivered and has no "
           "Word template (log without sending to only record it)",
           lambda line: and_(line.c.correspondence_type != "",
                             line.c.word_template_code.is_(None),
                             line.c.attachment_no.is_(None)), delivery_only=True),
)


def line_problems(ctx: Ctx, segment_no: str, *, send: bool) -> list[RapportError]:
    """Every problem of every line with a contact, in line order (one query)."""
    line = resolved_segment(ctx, segment_no)
    checks = [c for c in _CHECKS if send or not c.delivery_only]
    conditions = [c.condition(line) for c in checks]
    flags = [case((cond, 1), else_=0).label(f"p{i}") for i, cond in enumerate(conditions)]
    stmt = (
        select(line.c.line_no, line.c.contact_no, *flags)
        .select_from(line)
        .outerjoin(Salesperson, Salesperson.code == line.c.salesperson_code)
        .outerjoin(InteractionTemplate,
                   InteractionTemplate.code == line.c.interaction_template_code)
        .outerjoin(Campaign, Campaign.no == line.c.campaign_no)
        .outerjoin(Attachment, Attachment.no == line.c.attachment_no)
        .where(line.c.contact_no.is_not(None), or_(*conditions))
        .order_by(line.c.line_no)
    )
    problems: list[RapportError] = []
    for row in ctx.session.execute(stmt):
        for i, check in enumerate(checks):
            if row[2 + i]:
                problems.append(_problem(segment_no, row.line_no, row.contact_no, check))
    return problems


def _problem(segment_no: str, line_no: int, contact: str, check: _Check) -> RapportError:
    reason = check.reason.format(contact=contact)
    message = (f"Segment {segment_no} line {line_no}, contact {contact}, {check.field}: "
               f"{reason} [{check.code}]")
    kind = NotFoundError if check.code == "E07" else ValidationError
    return kind(message, code=check.code, record=f"Segment Line {segment_no} {line_no}",
                field=check.field, reason=reason)


def check_lines(ctx: Ctx, segment_no: str, *, send: bool) -> None:
    """Refuse the logging with one error listing every problem of every line (K11)."""
    problems = line_problems(ctx, segment_no, send=send)
    if problems:
        lines = len({p.record for p in problems})
        raise MultipleErrors(
            problems,
            summary=f"Segment {segment_no} cannot be logged, nothing was logged "
                    f"({len(problems)} problem(s) on {lines} line(s))",
        )


def downgraded_lines(ctx: Ctx, segment_no: str) -> list[tuple[int, str]]:
    """(line no., contact) of the Email lines logged with a blank type for want of an address."""
    line = resolved_segment(ctx, segment_no)
    stmt = (
        select(line.c.line_no, line.c.contact_no)
        .where(line.c.contact_no.is_not(None), missing_email(line, joined=False))
        .order_by(line.c.line_no)
    )
    return [(int(r.line_no), str(r.contact_no)) for r in ctx.session.execute(stmt)]
