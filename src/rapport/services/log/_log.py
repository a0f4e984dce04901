"""Log Segment (SPEC §3.14, §3.15): turn a segment into interaction log entries in one transaction.

Set-based throughout: the lines are checked by one query (``log_validation``), the campaign
entries and the interaction log entries are written with ``INSERT … SELECT``, the attachments are
marked read-only and the segment is deleted with one statement each — no Python loop over lines.
Delivery is not done here (A4): lines to deliver get Delivery Status "In Progress" and the
delivery outbox picks them up after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute

from rapport.db.models import (
    Attachment,
    CampaignEntry,
    InteractionGroup,
    InteractionLogEntry,
    InteractionTemplate,
    LoggedSegment,
    SegmentHeader,
)
from rapport.domain.codes import require_code
from rapport.domain.enums import DeliveryStatus
from rapport.errors import ConcurrencyError, ConflictError, ValidationError
from rapport.services.context import Ctx, run
from rapport.services.criteria import reuse_logged_segment
from rapport.services.delivery import queue_logged_entries
from rapport.services.log._validation import (
    check_lines,
    downgraded_lines,
    line_facts,
    logged_correspondence_type,
)
from rapport.services.records import not_found
from rapport.services.segments import (
    SegmentInput,
    create_segment,
    large_step,
    resolved_segment,
)
from rapport.services.tables import ENTRY_KEYS, HISTORY, HISTORY_DATA, LINE, LINE_DATA, vouched

# Test seam: called after the entries are written and before anything else (crash tests).
AFTER_ENTRIES_HOOK: Callable[[Ctx], None] | None = None

FOLLOW_UP_DESCRIPTION_LENGTH = 50

# The locked header: no., description, campaign no., modified Word template.
Header = Row[tuple[str, str, str | None, int | None]]
Expr = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class LogWarning:
    """A line logged differently than it says (K12): an Email line without an address."""

    line_no: int
    contact_no: str
    message: str


@dataclass(frozen=True)
class LogResult:
    """What logging a segment produced."""

    segment_no: str
    logged_segment_entry_no: int
    entries: int
    campaign_entries: int
    queued_for_delivery: int
    send: bool
    warnings: list[LogWarning] = field(default_factory=list)
    follow_up_segment_no: str | None = None
    #: E-mail messages written to the delivery outbox (sent after the commit).
    emails_queued: int = 0

    @property
    def hard_copies_queued(self) -> int:
        """Hard Copy entries waiting for their letters (the queued ones that are not e-mail)."""
        return self.queued_for_delivery - self.emails_queued


def log_segment(
    ctx: Ctx, segment_no: str, *, send: bool | None = None, follow_up: bool = False
) -> LogResult:
    """Log a segment: logged segment, campaign entries, interaction log entries; delete it."""
    no = require_code(segment_no, field="Segment No.", record="Segment")
    header = _lock_header(ctx, no)
    large_step(ctx.session)
    _check_header(ctx, header)
    facts = line_facts(ctx, no)
    if facts.lines_with_contact == 0:
        raise ValidationError(f"Segment {no} is empty: no line has a contact", code="E05",
                              record=f"Segment {no}", field="Contact No.", reason="empty")
    deliver = _resolve_send(no, send, facts.lines_with_type)
    # Every line is checked (its salesperson, attachment … exist) and the entries join the
    # contact, template, group and campaign entry they name: the entries' keys are vouched for.
    with vouched(ctx.session, ENTRY_KEYS):
        check_lines(ctx, no, send=deliver)
        warnings = [] if deliver else _warnings(ctx, no)
        ls_no = _create_logged_segment(ctx, header)
        campaign_entries = _insert_campaign_entries(ctx, header, ls_no)
        entries = _insert_entries(ctx, header, ls_no, deliver)
    emails = queue_logged_entries(ctx, ls_no) if deliver else 0
    if entries != facts.lines_with_contact:  # a line's contact exists: its key says so
        raise ConcurrencyError(
            f"Segment {no} changed while it was logged: {facts.lines_with_contact} line(s) "
            f"with a contact, {entries} logged; nothing was logged", record=f"Segment {no}",
            reason="lines changed")
    if AFTER_ENTRIES_HOOK is not None:
        AFTER_ENTRIES_HOOK(ctx)
    _mark_attachments_read_only(ctx, header)
    _delete_segment(ctx, no)
    follow_up_no = _create_follow_up(ctx, header, ls_no) if follow_up else None
    return LogResult(
        segment_no=no, logged_segment_entry_no=ls_no, entries=entries,
        campaign_entries=campaign_entries,
        queued_for_delivery=facts.lines_with_type if deliver else 0, send=deliver,
        warnings=warnings, follow_up_segment_no=follow_up_no, emails_queued=emails,
    )


def _lock_header(ctx: Ctx, no: str) -> Header:
    """Lock the segment header; a segment that vanished meanwhile was logged or deleted."""
    stmt = (
        select(SegmentHeader.no, SegmentHeader.description, SegmentHeader.campaign_no,
               SegmentHeader.modified_word_template)
        .where(SegmentHeader.no == no)
        .with_for_update()
    )
    header = ctx.session.execute(stmt).one_or_none()
    if header is not None:
        return header
    logged = ctx.session.scalar(
        select(LoggedSegment.entry_no).where(LoggedSegment.segment_no == no))
    if logged is not None:
        raise ConcurrencyError(
            f"Segment {no} no longer exists: it was logged by another user or earlier "
            f"(logged segment {logged})", code="E03", record=f"Segment {no}",
            reason="already logged")
    raise not_found("Segment", no, field="segment_no")


def _check_header(ctx: Ctx, header: Header) -> None:
    logged = ctx.session.scalar(
        select(LoggedSegment.entry_no).where(LoggedSegment.segment_no == header.no))
    if logged is not None:
        raise ConflictError(
            f"A logged segment for segment no. {header.no} already exists (logged segment "
            f"{logged})", code="E03", record=f"Segment {header.no}", field="No.",
            reason="already logged")
    if not header.description.strip():
        raise ValidationError(f"Description must have a value on segment {header.no}",
                              code="E04", record=f"Segment {header.no}", field="Description",
                              reason="blank")


def _resolve_send(no: str, send: bool | None, lines_with_type: int) -> bool:
    """Send Attachments: on by default when a line has a type; cannot be on when none has."""
    if send is None:
        return lines_with_type > 0
    if send and lines_with_type == 0:
        raise ValidationError(
            f"Segment {no} cannot be sent: no line has a correspondence type",
            record=f"Segment {no}", field="send", reason="nothing to deliver")
    return send


def _warnings(ctx: Ctx, no: str) -> list[LogWarning]:
    return [
        LogWarning(line_no, contact,
                   f"Line {line_no}: contact {contact} has no e-mail address; logged with "
                   f"a blank correspondence type instead of Email")
        for line_no, contact in downgraded_lines(ctx, no)
    ]


def _create_logged_segment(ctx: Ctx, header: Header) -> int:
    logged = LoggedSegment(segment_no=header.no, description=header.description,
                           creation_date=ctx.work_date, user_id=ctx.user_id,
                           canceled=False, created_at=ctx.now())
    ctx.session.add(logged)
    try:
        ctx.session.flush()
    except IntegrityError as exc:  # the unique segment_no: another transaction won the race
        raise ConcurrencyError(
            f"Segment {header.no} was logged by another user", code="E03",
            record=f"Segment {header.no}", reason="already logged") from exc
    return logged.entry_no


def _insert_campaign_entries(
    ctx: Ctx, header: Header, ls_no: int
) -> int:
    """One campaign entry per campaign of the segment, dated and signed by its first line."""
    line = resolved_segment(ctx, header.no)
    first = (
        select(line.c.campaign_no, func.min(line.c.line_no).label("line_no"))
        .where(line.c.contact_no.is_not(None), line.c.campaign_no.is_not(None))
        .group_by(line.c.campaign_no)
        .subquery()
    )
    source = select(
        line.c.campaign_no, literal(header.description), line.c.date,
        literal(ctx.user_id), literal(header.no), literal(False), line.c.salesperson_code,
        literal(ls_no), literal(""), literal(ctx.now()),
    ).join(first, line.c.line_no == first.c.line_no)
    stmt = insert(CampaignEntry).from_select(
        ["campaign_no", "description", "date", "user_id", "segment_no", "canceled",
         "salesperson_code", "register_no", "document_type", "created_at"], source)
    return run(ctx, stmt)


def _entry_columns(ctx: Ctx, line: FromClause, header: Header, ls_no: int,
                   deliver: bool) -> dict[str, Expr]:
    """Each interaction log entry column and the SQL expression that fills it from its line."""
    # Sending: check_lines refused every Email line without an address (E08), so each line
    # keeps its type; otherwise such a line is logged with a blank type (K12).
    corr: Expr = line.c.correspondence_type if deliver else logged_correspondence_type(line)
    in_progress = literal(DeliveryStatus.IN_PROGRESS.value)
    status = case((corr != "", in_progress), else_=literal("")) if deliver else literal("")
    mwt = header.modified_word_template
    # The segment's edited Word template applies to the lines without an own document.
    own = null() if mwt is None else case((line.c.attachment_no.is_(None), literal(mwt)),
                                          else_=null())
    copied = {name: line.c[name] for name in (
        "contact_no", "date", "description", "subject", "information_flow", "initiated_by",
        "attachment_no", "cost", "duration", "interaction_template_code", "campaign_no",
        "campaign_response", "campaign_target", "segment_no", "evaluation", "attempt_failed",
        "todo_no", "opportunity_no", "salesperson_code", "contact_alt_address_code",
        "contact_via", "document_type", "document_no", "version_no", "doc_no_occurrence",
        "word_template_code", "merged")}
    return {
        # The line's company is the contact's: E31 keeps it so while the contact is on a line
        # (§3.14 6.2 copies it from the line), so the entries do not read the contacts again.
        **copied, "contact_company_no": line.c.contact_company_no,
        "user_id": literal(ctx.user_id),
        "interaction_group_code": func.coalesce(InteractionGroup.code,
                                                InteractionTemplate.interaction_group_code),
        "interaction_language_code": line.c.language_code,
        "campaign_entry_no": CampaignEntry.entry_no,
        "logged_segment_entry_no": literal(ls_no),
        "delivery_status": status,
        "delivery_error": literal(""), "canceled": literal(False), "postponed": literal(False),
        "correspondence_type": corr,
        "send_word_docs_as_attmt": line.c.send_word_doc_as_attmt,
        "email_logged": literal(False),
        "modified_word_template": own, "created_at": literal(ctx.now()),
    }


def _insert_entries(ctx: Ctx, header: Header, ls_no: int, deliver: bool) -> int:
    """One interaction log entry per line with a contact, numbered in line order."""
    line = resolved_segment(ctx, header.no)
    columns = _entry_columns(ctx, line, header, ls_no, deliver)
    source = (
        select(*columns.values())
        .select_from(line)
        .join(InteractionTemplate,
              InteractionTemplate.code == line.c.interaction_template_code)
        .outerjoin(InteractionGroup, InteractionGroup.code == line.c.interaction_group_code)
        .outerjoin(CampaignEntry, (CampaignEntry.register_no == ls_no)
                   & (CampaignEntry.campaign_no == line.c.campaign_no))
        .where(line.c.contact_no.is_not(None))
        .order_by(line.c.line_no)
    )
    stmt = insert(InteractionLogEntry).from_select(list(columns), source)
    return run(ctx, stmt)


def _mark_attachments_read_only(
    ctx: Ctx, header: Header
) -> None:
    """Attachments used by logged interactions become read-only."""
    line = resolved_segment(ctx, header.no)
    used = select(line.c.attachment_no).where(
        line.c.contact_no.is_not(None), line.c.attachment_no.is_not(None))
    condition = Attachment.no.in_(used)
    if header.modified_word_template is not None:
        condition = condition | (Attachment.no == header.modified_word_template)
    run(ctx, update(Attachment).where(condition, ~Attachment.read_only).values(read_only=True))


def _delete_segment(ctx: Ctx, no: str) -> None:
    """Delete the segment: its lines, their data and journal, then the header (the criteria
    and language rows go with it by their cascades)."""
    for table in (LINE, LINE_DATA, HISTORY, HISTORY_DATA):
        run(ctx, delete(table).where(table.c.segment_no == no))
    run(ctx, delete(SegmentHeader).where(SegmentHeader.no == no))


def _create_follow_up(
    ctx: Ctx, header: Header, ls_no: int
) -> str:
    """A new segment with the logged contacts (§3.15): numbered from Segment Nos. (E01)."""
    # No salesperson given: create_segment takes the user's User Setup salesperson (§3.15).
    description = f"Follow-up on segment {header.no}"[:FOLLOW_UP_DESCRIPTION_LENGTH]
    segment = create_segment(ctx, SegmentInput(description=description,
                                               campaign_no=header.campaign_no))
    reuse_logged_segment(ctx, segment.no, ls_no)
    return segment.no
