"""Finishing, postponing and resuming wizard interactions (SPEC §3.17 steps 3–4, §3.18).

``finish`` writes an interaction log entry (a new one, or the same entry when the draft was a
resumed postponed entry), its shared campaign entry (one per campaign with blank segment and
document type, description "Interactions"), its comment lines and its own copy of the
attachment. When the correspondence type is not blank and delivery is requested, Delivery Status
becomes In Progress: the delivery run sends it after the commit; nothing is sent here.
``postpone`` writes the draft as a Postponed entry (K16: only the contact is required), without
campaign entry and delivery. ``resume`` loads a postponed entry back into a draft, keeping its
date and time unless the caller changes them (K19).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    and_,
    delete,
    exists,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import QueryableAttribute, aliased

from rapport.db.models import (
    Attachment,
    Campaign,
    CampaignEntry,
    InteractionLogEntry,
    InteractionTmplLanguage,
    InterLogEntryCommentLine,
    SegmentHeader,
    SegmentHistoryData,
    SegmentInteractionLanguage,
    SegmentLanguageHistory,
    SegmentLineData,
    WordTemplate,
)
from rapport.domain.enums import (
    CorrespondenceType,
    DeliveryStatus,
    Evaluation,
    InformationFlow,
    InitiatedBy,
)
from rapport.errors import ConflictError
from rapport.services.context import Ctx
from rapport.services.interactions._checks import CheckedDraft, check_for_finish, check_for_postpone
from rapport.services.interactions._drafts import DraftComment, InteractionDraft
from rapport.services.records import get_or_raise

ILE = InteractionLogEntry
MANUAL_CAMPAIGN_ENTRY = "Interactions"
_COMMENT_STEP = 10000


def finish(ctx: Ctx, draft: InteractionDraft, *, deliver: bool = True) -> int:
    """Record the interaction (step 3/4 Finish) and return its entry number.

    ``deliver=False`` records without delivery: an Email draft for a contact without any
    address is then recorded with type blank instead of failing with E08 (§3.13).
    """
    checked = check_for_finish(ctx, draft, deliver=deliver)
    return _write(ctx, draft, checked, postponed=False, deliver=deliver)


def postpone(ctx: Ctx, draft: InteractionDraft) -> int:
    """Save the draft as a postponed interaction (K16) and return its entry number."""
    checked = check_for_postpone(ctx, draft)
    return _write(ctx, draft, checked, postponed=True, deliver=False)


def resume(ctx: Ctx, entry_no: int) -> InteractionDraft:
    """Load a postponed interaction into a draft (same entry, comments and attachment)."""
    entry = _postponed_entry(ctx, entry_no, lock=False)
    comments = ctx.session.scalars(
        select(InterLogEntryCommentLine).where(InterLogEntryCommentLine.entry_no == entry_no)
        .order_by(InterLogEntryCommentLine.line_no)).all()
    fixed: dict[str, Any] = {
        "todo_no": entry.todo_no, "contact_company_no": entry.contact_company_no,
        "contact_no": entry.contact_no, "salesperson_code": entry.salesperson_code,
        "campaign_no": entry.campaign_no, "opportunity_no": entry.opportunity_no}
    return InteractionDraft(
        entry_no=entry.entry_no, **fixed,
        interaction_template_code=entry.interaction_template_code,
        interaction_group_code=entry.interaction_group_code,
        description=entry.description, language_code=entry.interaction_language_code,
        date=entry.date, time_of_interaction=entry.time_of_interaction,
        correspondence_type=CorrespondenceType(entry.correspondence_type),
        information_flow=InformationFlow(entry.information_flow),
        initiated_by=InitiatedBy(entry.initiated_by),
        campaign_target=entry.campaign_target, campaign_response=entry.campaign_response,
        cost=Decimal(entry.cost), duration=entry.duration,
        evaluation=Evaluation(entry.evaluation), interaction_successful=not entry.attempt_failed,
        comments=[DraftComment(text=c.comment, date=c.date) for c in comments],
        attachment_no=entry.attachment_no,
        word_template_code=entry.word_template_code,
        locked=frozenset(name for name, value in fixed.items() if value))


def _postponed_entry(ctx: Ctx, entry_no: int, *, lock: bool) -> InteractionLogEntry:
    entry = get_or_raise(ctx, InteractionLogEntry, entry_no, what="Interaction log entry",
                         field="entry_no", lock=lock)
    if not entry.postponed:
        raise ConflictError(
            f"Interaction log entry {entry_no} is not postponed: only postponed interactions "
            "can be resumed", code="NOT_POSTPONED", record=f"Interaction Log Entry {entry_no}",
            field="postponed", reason="not postponed")
    return entry


def _write(ctx: Ctx, draft: InteractionDraft, checked: CheckedDraft, *, postponed: bool,
           deliver: bool) -> int:
    if draft.entry_no is not None:
        entry = _postponed_entry(ctx, draft.entry_no, lock=True)
        own = entry.attachment_no
    else:
        entry, own = InteractionLogEntry(created_at=ctx.now()), None
        ctx.session.add(entry)
    _fill(entry, draft, checked, ctx.user_id)
    entry.postponed = postponed
    entry.campaign_entry_no = (None if postponed or not draft.campaign_no
                               else _campaign_entry_no(ctx, draft))
    sending = deliver and not postponed and checked.correspondence_type != CorrespondenceType.BLANK
    entry.delivery_status = (DeliveryStatus.IN_PROGRESS if sending
                             else DeliveryStatus.BLANK).value
    entry.delivery_error = ""
    attachment_no, obsolete = _entry_attachment(ctx, draft, own, read_only=not postponed)
    entry.attachment_no = attachment_no
    ctx.session.flush()
    if obsolete is not None:
        ctx.session.execute(delete(Attachment).where(Attachment.no == obsolete))
    _replace_comments(ctx, entry.entry_no, draft.comments)
    return entry.entry_no


def _fill(entry: InteractionLogEntry, draft: InteractionDraft, checked: CheckedDraft,
          user_id: str) -> None:
    """Copy the draft onto the entry (Subject = Description; Attempt Failed = not successful)."""
    template = checked.template
    entry.contact_no = checked.contact.no
    entry.contact_company_no = checked.contact.company_no
    entry.date = draft.date
    entry.time_of_interaction = draft.time_of_interaction
    entry.subject = draft.description
    entry.description = draft.result_description.strip() or draft.description
    entry.information_flow = draft.information_flow.value
    entry.initiated_by = draft.initiated_by.value
    entry.cost = Decimal(draft.cost)
    entry.duration = draft.duration
    entry.user_id = user_id
    entry.interaction_template_code = template.code if template is not None else None
    entry.interaction_group_code = template.interaction_group_code if template else None
    entry.interaction_language_code = draft.language_code
    entry.campaign_no = draft.campaign_no
    entry.campaign_target = draft.campaign_target
    entry.campaign_response = draft.campaign_response
    entry.evaluation = draft.evaluation.value
    entry.attempt_failed = not draft.interaction_successful
    entry.todo_no = draft.todo_no
    entry.opportunity_no = draft.opportunity_no
    entry.salesperson_code = draft.salesperson_code
    entry.correspondence_type = checked.correspondence_type.value
    entry.contact_alt_address_code = checked.alt_address_code
    entry.word_template_code = draft.word_template_code
    entry.canceled = False


def _campaign_entry_no(ctx: Ctx, draft: InteractionDraft) -> int:
    """The shared campaign entry of manual interactions (blank segment and document type).

    The campaign row is locked first so that two concurrent finishes share one entry. A canceled
    campaign entry is not reused: a new interaction would otherwise join a canceled group.
    """
    ctx.session.execute(select(Campaign.no).where(Campaign.no == draft.campaign_no)
                        .with_for_update())
    found = ctx.session.scalar(
        select(CampaignEntry.entry_no)
        .where(CampaignEntry.campaign_no == draft.campaign_no, CampaignEntry.segment_no == "",
               CampaignEntry.document_type == "", CampaignEntry.canceled.is_(False))
        .order_by(CampaignEntry.entry_no).limit(1))
    if found is not None:
        return found
    campaign_entry = CampaignEntry(
        campaign_no=draft.campaign_no, description=MANUAL_CAMPAIGN_ENTRY, date=draft.date,
        user_id=ctx.user_id, segment_no="", salesperson_code=draft.salesperson_code,
        document_type="", created_at=ctx.now())
    ctx.session.add(campaign_entry)
    ctx.session.flush()
    return campaign_entry.entry_no


def attachment_in_use(no: QueryableAttribute[int] | int, *, except_entry: int | None = None
                      ) -> ColumnElement[bool]:
    """SQL: the attachment is used by a log entry (other than ``except_entry``), a template,
    a Word template or a segment (including the undo snapshots of segment lines)."""
    other_entry = ILE.attachment_no == no
    if except_entry is not None:
        other_entry = and_(other_entry, ILE.entry_no != except_entry)
    return or_(exists().where(other_entry), *(exists().where(column == no) for column in (
        InteractionTmplLanguage.attachment_no, WordTemplate.attachment_no,
        SegmentHeader.modified_word_template, SegmentInteractionLanguage.attachment_no,
        SegmentLineData.attachment_no, SegmentHistoryData.attachment_no,
        SegmentLanguageHistory.attachment_no)))


def _shared(ctx: Ctx, attachment_no: int, entry_no: int | None) -> bool:
    """True when anything but the entry ``entry_no`` uses the attachment."""
    return bool(ctx.session.scalar(select(attachment_in_use(attachment_no,
                                                            except_entry=entry_no))))


def _entry_attachment(ctx: Ctx, draft: InteractionDraft, own: int | None, *, read_only: bool
                      ) -> tuple[int | None, int | None]:
    """The entry's own attachment: an upload, or a copy of the template's (as the reference).

    A resumed entry keeps its attachment number (``own``) and gets the new content in place.
    Returns (attachment for the entry, attachment to delete once the entry no longer uses it).
    """
    reusable = own if own is not None and not _shared(ctx, own, draft.entry_no) else None
    now = ctx.now()
    if draft.upload is not None:
        values = {"file_name": draft.upload.file_name, "file_extension": draft.upload.extension,
                  "content": draft.upload.content, "read_only": read_only,
                  "last_modified_at": now}
        if reusable is not None:
            ctx.session.execute(update(Attachment).where(Attachment.no == reusable)
                                .values(**values))
            return reusable, None
        stmt = insert(Attachment).values(created_at=now, **values).returning(Attachment.no)
        return ctx.session.execute(stmt).scalar_one(), None
    if draft.attachment_no is None:
        return None, reusable
    if draft.attachment_no == own:
        if read_only or reusable is not None:  # never unlock an attachment used elsewhere
            ctx.session.execute(update(Attachment).where(Attachment.no == own)
                                .values(read_only=read_only))
        return own, None
    if reusable is not None:
        _copy_into(ctx, draft.attachment_no, reusable, read_only, now)
        return reusable, None
    return _copy(ctx, draft.attachment_no, read_only, now), None


_COPIED = ("file_name", "file_extension", "content", "storage_type", "storage_pointer")


def _copy(ctx: Ctx, source_no: int, read_only: bool, now: dt.datetime) -> int:
    """A new attachment with the content of ``source_no`` (INSERT … SELECT, no blob in Python)."""
    source = select(*(getattr(Attachment, c) for c in _COPIED),
                    literal(read_only, Boolean), literal(now, DateTime(timezone=True)),
                    literal(now, DateTime(timezone=True))).where(Attachment.no == source_no)
    stmt = (insert(Attachment)
            .from_select([*_COPIED, "read_only", "last_modified_at", "created_at"], source)
            .returning(Attachment.no))
    return ctx.session.execute(stmt).scalar_one()


def _copy_into(ctx: Ctx, source_no: int, target_no: int, read_only: bool,
               now: dt.datetime) -> None:
    """Replace the content of ``target_no`` by that of ``source_no`` (same attachment no.)."""
    src = aliased(Attachment)
    values = {c: select(getattr(src, c)).where(src.no == source_no).scalar_subquery()
              for c in _COPIED}
    ctx.session.execute(update(Attachment).where(Attachment.no == target_no)
                        .values(read_only=read_only, last_modified_at=now, **values))


def _replace_comments(ctx: Ctx, entry_no: int, comments: list[DraftComment]) -> None:
    ctx.session.execute(delete(InterLogEntryCommentLine)
                        .where(InterLogEntryCommentLine.entry_no == entry_no))
    rows = [{"entry_no": entry_no, "line_no": (i + 1) * _COMMENT_STEP,
             "date": c.date or ctx.work_date, "comment": c.text}
            for i, c in enumerate(comments) if c.text.strip()]
    if rows:
        ctx.session.execute(insert(InterLogEntryCommentLine), rows)
