"""Interaction log entries (SPEC §2.16, §3.19): list, switch canceled, evaluate, comments, delete.

Postponed entries are drafts (§3.18) and are left out of every verb here except the comments.
Deleting entries removes their comment lines and the attachments no remaining entry or other
record uses (K14); ``delete_entries`` serves both Delete Canceled Entries and the deletion of
canceled campaign entries. Every verb is a fixed number of set-based statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import aliased

from rapport.db import models as m
from rapport.domain.codes import normalize_code
from rapport.domain.enums import Evaluation
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import Ctx, run
from rapport.services.inputs import Input
from rapport.services.paging import Page
from rapport.services.records import get_or_raise

ILE = m.InteractionLogEntry
Comment = m.InterLogEntryCommentLine
Owned = Callable[[Any], ColumnElement[bool]]  # entity (ILE or an alias) → "is in the set"
COMMENT_LENGTH = 250
_CHUNK = 1000


@dataclass(frozen=True)
class EntryFilter:
    """Filters of the Interaction Log Entries page and of Delete Canceled Entries."""

    entry_nos: Sequence[int] | None = None
    contact_no: str | None = None
    company_no: str | None = None
    salesperson_code: str | None = None
    campaign_no: str | None = None
    segment_no: str | None = None
    template_code: str | None = None
    group_code: str | None = None
    logged_segment_entry_no: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    canceled: bool | None = None
    evaluation: str | None = None


def entry_conditions(f: EntryFilter, ent: Any = ILE) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on ``ent`` (the entry table or an alias); never postponed."""
    conds: list[ColumnElement[bool]] = [ent.postponed == False]  # noqa: E712
    codes = {"contact_no": f.contact_no, "contact_company_no": f.company_no,
             "salesperson_code": f.salesperson_code, "campaign_no": f.campaign_no,
             "segment_no": f.segment_no, "interaction_template_code": f.template_code,
             "interaction_group_code": f.group_code}
    for column, value in codes.items():
        code = normalize_code(value, field=column)
        if code is not None:
            conds.append(getattr(ent, column) == code)
    if f.entry_nos is not None:
        conds.append(ent.entry_no.in_([int(n) for n in f.entry_nos]))
    if f.logged_segment_entry_no is not None:
        conds.append(ent.logged_segment_entry_no == f.logged_segment_entry_no)
    if f.date_from is not None:
        conds.append(ent.date >= f.date_from)
    if f.date_to is not None:
        conds.append(ent.date <= f.date_to)
    if f.canceled is not None:
        conds.append(ent.canceled == f.canceled)
    if f.evaluation is not None:
        conds.append(ent.evaluation == parse_evaluation(f.evaluation, allow_blank=True))
    return conds


def parse_evaluation(value: str, *, allow_blank: bool = False) -> str:
    """An Evaluation caption, matched case-insensitively (blank only where allowed)."""
    for option in Evaluation:
        if option.value.lower() == value.strip().lower() and (option.value or allow_blank):
            return option.value
    allowed = ", ".join(e.value for e in Evaluation if e.value)
    raise ValidationError(f"Evaluation {value!r} is not one of: {allowed}", field="Evaluation",
                          reason="unknown option")


@dataclass(frozen=True)
class EntryItem:
    entry: m.InteractionLogEntry
    has_comments: bool


def list_entries(ctx: Ctx, filters: EntryFilter | None = None, *, limit: int = 50,
                 offset: int = 0, before: int | None = None) -> Page[EntryItem]:
    """Interaction log entries (not postponed), newest first, one page (2 queries); with
    ``before``, the page starts below that entry number (keyset: as fast deep in the log)."""
    conds = entry_conditions(filters or EntryFilter())
    commented = exists().where(Comment.entry_no == ILE.entry_no)
    page = [ILE.entry_no < before] if before is not None else []
    stmt = (select(ILE, commented).where(*conds, *page).order_by(ILE.entry_no.desc())
            .limit(limit).offset(offset))
    items = [EntryItem(entry, bool(flag)) for entry, flag in ctx.session.execute(stmt)]
    total = ctx.session.scalar(select(func.count()).select_from(ILE).where(*conds))
    return Page(items, int(total or 0), limit, offset)


def _require(ctx: Ctx, entry_nos: Sequence[int]) -> list[int]:
    """The selected entries; all must exist and not be postponed."""
    wanted = list(dict.fromkeys(int(n) for n in entry_nos))
    if not wanted:
        raise ValidationError("Select at least one interaction log entry", field="entry_nos",
                              reason="empty selection")
    found = set(ctx.session.scalars(select(ILE.entry_no).where(
        ILE.entry_no.in_(wanted), ILE.postponed == False)))  # noqa: E712
    missing = [n for n in wanted if n not in found]
    if missing:
        raise NotFoundError(
            f"Interaction log entr(y/ies) {', '.join(map(str, missing[:10]))} do not exist",
            record="Interaction Log Entry", field="Entry No.")
    return wanted


@dataclass(frozen=True)
class CancelResult:
    canceled: bool
    entries: int
    attachments_removed: int


def set_canceled(ctx: Ctx, entry_nos: Sequence[int], canceled: bool, *,
                 remove_attachments: bool = False) -> CancelResult:
    """Cancel or un-cancel entries (E28); cancelling may remove their unique attachments (Q11)."""
    wanted = _require(ctx, entry_nos)
    if not canceled:
        _check_uncancel(ctx, wanted)
    removed = 0
    if canceled and remove_attachments:
        ids = unique_attachments(ctx, lambda e: e.entry_no.in_(wanted), shared_within=False)
        for chunk in _chunks(ids):
            run(ctx, update(ILE).where(ILE.attachment_no.in_(chunk)).values(attachment_no=None))
        removed = delete_attachments(ctx, ids)
    n = run(ctx, update(ILE).where(ILE.entry_no.in_(wanted)).values(canceled=canceled))
    return CancelResult(canceled, n, removed)


def switch_canceled(ctx: Ctx, entry_nos: Sequence[int], *,
                    remove_attachments: bool = False) -> CancelResult:
    """Switch Checkmark in Canceled: the new state is the opposite of the first selected one's."""
    wanted = _require(ctx, entry_nos)
    first = ctx.session.scalar(select(ILE.canceled).where(ILE.entry_no == wanted[0]))
    return set_canceled(ctx, wanted, not first, remove_attachments=remove_attachments)


def _check_uncancel(ctx: Ctx, wanted: list[int]) -> None:
    """E28: an entry stays canceled while its logged segment or campaign entry is canceled."""
    ls, ce = m.LoggedSegment, m.CampaignEntry
    stmt = (select(ILE.entry_no, ls.entry_no, ls.canceled, ce.entry_no, ce.canceled)
            .outerjoin(ls, ls.entry_no == ILE.logged_segment_entry_no)
            .outerjoin(ce, ce.entry_no == ILE.campaign_entry_no)
            .where(ILE.entry_no.in_(wanted), or_(ls.canceled == True, ce.canceled == True))  # noqa: E712
            .order_by(ILE.entry_no))
    blocked = [
        f"entry {n}: Canceled must be No on "
        + (f"logged segment {ls_no}" if ls_canceled else f"campaign entry {ce_no}")
        for n, ls_no, ls_canceled, ce_no, _ in ctx.session.execute(stmt)
    ]
    if blocked:
        more = f" … and {len(blocked) - 10} more" if len(blocked) > 10 else ""
        raise RuleViolationError("Cannot remove the canceled mark: " + "; ".join(blocked[:10])
                                 + more, code="E28", record="Interaction Log Entry",
                                 field="Canceled", reason="parent canceled")


def evaluate(ctx: Ctx, entry_nos: Sequence[int], evaluation: str) -> int:
    """Evaluate Interaction: set one of the five evaluations on the selected entries."""
    value = parse_evaluation(evaluation)
    wanted = _require(ctx, entry_nos)
    return run(ctx, update(ILE).where(ILE.entry_no.in_(wanted)).values(evaluation=value))


class CommentInput(Input):
    """A new comment line of an interaction log entry (dated the work date unless given)."""

    record: ClassVar[str] = "Comment"

    comment: str
    date: dt.date | None = None


def add_comment(ctx: Ctx, entry_no: int, data: CommentInput) -> m.InterLogEntryCommentLine:
    """Add a comment line to an entry (dated the work date unless given)."""
    text = data.comment.strip()
    if not text or len(text) > COMMENT_LENGTH:
        raise ValidationError(f"A comment must have 1 to {COMMENT_LENGTH} characters",
                              record=f"Interaction Log Entry {entry_no}", field="Comment",
                              reason="blank" if not text else "too long")
    get_or_raise(ctx, ILE, entry_no, what="Interaction log entry", field="entry_no")
    last = ctx.session.scalar(select(func.max(Comment.line_no))
                              .where(Comment.entry_no == entry_no)) or 0
    line = Comment(entry_no=entry_no, line_no=last + 10000, date=data.date or ctx.work_date,
                   comment=text)
    ctx.session.add(line)
    ctx.session.flush()
    return line


def list_comments(ctx: Ctx, entry_no: int) -> list[m.InterLogEntryCommentLine]:
    """The comment lines of an entry, in line order."""
    return list(ctx.session.scalars(select(Comment).where(Comment.entry_no == entry_no)
                                    .order_by(Comment.line_no)))


def delete_canceled(ctx: Ctx, filters: EntryFilter | None = None) -> int:
    """Delete Canceled Entries: canceled ones matching the filter, with comments and attachments."""
    base = filters or EntryFilter()
    return delete_entries(ctx, lambda e: entry_conditions(base, e) + [e.canceled == True])  # noqa: E712


def delete_entries(ctx: Ctx, where: Callable[[Any], list[ColumnElement[bool]]]) -> int:
    """Delete the entries matching ``where`` with their comments and unique attachments (K14)."""
    def owned(ent: Any) -> ColumnElement[bool]:
        # Never NULL, so that NOT owned(...) is true for every entry outside the set.
        return case((and_(*where(ent)), true()), else_=false())

    ids = unique_attachments(ctx, owned, shared_within=True)
    run(ctx, delete(Comment).where(Comment.entry_no.in_(select(ILE.entry_no).where(*where(ILE)))))
    count = run(ctx, delete(ILE).where(*where(ILE)))
    delete_attachments(ctx, ids)
    return count


def _in_use_elsewhere(att: Any) -> ColumnElement[bool]:
    """SQL: a record other than an interaction log entry refers to the attachment."""
    columns = [m.InteractionTmplLanguage.attachment_no, m.WordTemplate.attachment_no,
               m.SegmentHeader.modified_word_template, m.SegmentLineData.attachment_no,
               m.SegmentInteractionLanguage.attachment_no, m.SegmentHistoryData.attachment_no,
               m.SegmentLanguageHistory.attachment_no]
    return or_(*[att.in_(select(col).where(col.is_not(None))) for col in columns])


def unique_attachments(ctx: Ctx, owned: Owned, *, shared_within: bool) -> list[int]:
    """Attachments of the ``owned`` entries that nothing else uses.

    ``shared_within``: an attachment shared only among owned entries counts as unique (they are
    all deleted); otherwise any other entry keeps it (cancelling, as the reference does).
    """
    other = aliased(ILE)
    blocker = ~owned(other) if shared_within else other.entry_no != ILE.entry_no
    mwt = select(other.modified_word_template).where(other.modified_word_template.is_not(None))
    if shared_within:
        mwt = mwt.where(blocker)
    stmt = select(ILE.attachment_no).distinct().where(
        owned(ILE), ILE.attachment_no.is_not(None),
        ~exists().where(other.attachment_no == ILE.attachment_no, blocker),
        ILE.attachment_no.not_in(mwt), ~_in_use_elsewhere(ILE.attachment_no))
    return [int(n) for n in ctx.session.scalars(stmt) if n is not None]


def delete_attachments(ctx: Ctx, ids: list[int]) -> int:
    """Delete attachments by number (in chunks, to stay within the engines' parameter limits)."""
    return sum(run(ctx, delete(m.Attachment).where(m.Attachment.no.in_(chunk)))
               for chunk in _chunks(ids))


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
