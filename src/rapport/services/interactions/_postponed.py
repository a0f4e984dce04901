"""The Postponed Interactions page (SPEC §3.18): list and delete postponed entries.

Deleting removes the entries with their comment lines and their **unique** attachments: an
attachment that another log entry (or a template, Word template or segment) still uses is kept.
All of it is set-based: one statement per table whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    func,
    select,
)
from sqlalchemy.orm import aliased

from rapport.db.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InterLogEntryCommentLine,
)
from rapport.errors import ConflictError, NotFoundError, ValidationError
from rapport.services.context import Ctx, run
from rapport.services.interactions._interactions import attachment_in_use

ILE = InteractionLogEntry


@dataclass(frozen=True)
class PostponedFilter:
    """Filters of the Postponed Interactions list (the postponed restriction always applies)."""

    contact_no: str | None = None
    salesperson_code: str | None = None
    campaign_no: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class PostponedRow:
    """One line of the Postponed Interactions list."""

    entry_no: int
    date: dt.date | None
    time_of_interaction: dt.time | None
    contact_no: str | None
    contact_name: str
    interaction_template_code: str | None
    description: str
    salesperson_code: str | None
    campaign_no: str | None
    user_id: str
    has_attachment: bool
    comment_lines: int


@dataclass(frozen=True)
class DeletedPostponed:
    """What Delete on the Postponed Interactions page removed."""

    entries: int
    comment_lines: int
    attachments: int


def _filtered(stmt: Select[tuple[int]], flt: PostponedFilter) -> Select[tuple[int]]:
    conditions: list[ColumnElement[bool]] = [ILE.postponed.is_(True)]
    for column, value in ((ILE.contact_no, flt.contact_no),
                          (ILE.salesperson_code, flt.salesperson_code),
                          (ILE.campaign_no, flt.campaign_no)):
        if value:
            conditions.append(column == value.strip().upper())
    if flt.date_from is not None:
        conditions.append(ILE.date >= flt.date_from)
    if flt.date_to is not None:
        conditions.append(ILE.date <= flt.date_to)
    return stmt.where(*conditions)


def list_postponed(ctx: Ctx, flt: PostponedFilter | None = None) -> list[PostponedRow]:
    """Postponed interactions by entry number (one query whatever their number)."""
    comments = (select(func.count()).select_from(InterLogEntryCommentLine)
                .where(InterLogEntryCommentLine.entry_no == ILE.entry_no)
                .correlate(ILE).scalar_subquery())
    stmt = (select(ILE.entry_no, ILE.date, ILE.time_of_interaction, ILE.contact_no,
                   func.coalesce(Contact.name, ""), ILE.interaction_template_code,
                   ILE.description, ILE.salesperson_code, ILE.campaign_no, ILE.user_id,
                   ILE.attachment_no.is_not(None), comments)
            .outerjoin(Contact, Contact.no == ILE.contact_no).order_by(ILE.entry_no))
    rows = ctx.session.execute(_filtered(stmt, flt or PostponedFilter())).all()
    return [PostponedRow(*row) for row in rows]


def _check_selection(ctx: Ctx, entry_nos: Sequence[int]) -> list[int]:
    wanted = sorted(set(entry_nos))
    if not wanted:
        raise ValidationError("Select at least one postponed interaction to delete",
                              field="entry_nos", reason="empty selection")
    found = dict(ctx.session.execute(
        select(ILE.entry_no, ILE.postponed).where(ILE.entry_no.in_(wanted))).tuples().all())
    missing = [no for no in wanted if no not in found]
    if missing:
        raise NotFoundError(f"Interaction log entries do not exist: {missing}",
                            record="Interaction Log Entry", field="entry_no",
                            reason="does not exist")
    not_postponed = [no for no in wanted if not found[no]]
    if not_postponed:
        raise ConflictError(
            f"Only postponed interactions can be deleted here; not postponed: {not_postponed}",
            code="NOT_POSTPONED", record="Interaction Log Entry", field="postponed",
            reason="not postponed")
    return wanted


def delete_postponed(ctx: Ctx, entry_nos: Sequence[int]) -> DeletedPostponed:
    """Delete postponed entries with their comments and unique attachments (Q13 = this call)."""
    wanted = _check_selection(ctx, entry_nos)
    chosen = and_(ILE.entry_no.in_(wanted), ILE.postponed.is_(True))
    candidates = select(ILE.attachment_no).where(chosen, ILE.attachment_no.is_not(None))
    owned = [no for no in ctx.session.scalars(candidates.distinct()).all() if no is not None]
    comment_lines = run(ctx, delete(InterLogEntryCommentLine)
                             .where(InterLogEntryCommentLine.entry_no.in_(wanted)))
    entries = run(ctx, delete(ILE).where(chosen))
    removed = 0
    if owned:
        att = aliased(Attachment)
        unused = select(att.no).where(att.no.in_(owned), ~attachment_in_use(att.no))
        removed = run(ctx, delete(Attachment).where(Attachment.no.in_(unused)))
    ctx.session.expire_all()
    return DeletedPostponed(entries=entries, comment_lines=comment_lines, attachments=removed)
