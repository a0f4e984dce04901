"""Logged segments (SPEC §2.15, §3.16): list with counts, switch canceled, delete canceled ones.

Cancelling cascades to the logged segment's interaction log entries and to the campaign entries
whose Register No. is the logged segment; deleting a canceled one detaches both (they remain).
Every change is one ``UPDATE … WHERE`` / ``DELETE … WHERE`` per table, whatever the selection size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select, update

from rapport.db.models import CampaignEntry, InteractionLogEntry, LoggedSegment
from rapport.domain.codes import normalize_code
from rapport.errors import NotFoundError, ValidationError
from rapport.services.context import Ctx, run
from rapport.services.paging import Page

ILE = InteractionLogEntry


@dataclass(frozen=True)
class LoggedSegmentRow:
    """A line of the Logged Segments page."""

    entry_no: int
    segment_no: str
    description: str
    creation_date: dt.date | None
    user_id: str
    canceled: bool
    no_of_interactions: int
    no_of_campaign_entries: int


@dataclass(frozen=True)
class CancelResult:
    """The new Canceled state and how many records took it."""

    canceled: bool
    logged_segments: int
    entries: int
    campaign_entries: int


@dataclass(frozen=True)
class DeleteResult:
    """Deleted canceled logged segments and the entries they left behind (detached)."""

    deleted: int
    entries_detached: int
    campaign_entries_detached: int


def _filters(canceled: bool | None, segment_no: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if canceled is not None:
        conditions.append(LoggedSegment.canceled == canceled)
    code = normalize_code(segment_no, field="Segment No.")
    if code is not None:
        conditions.append(LoggedSegment.segment_no == code)
    return conditions


def list_logged_segments(
    ctx: Ctx, *, canceled: bool | None = None, segment_no: str | None = None,
    limit: int = 50, offset: int = 0,
) -> Page[LoggedSegmentRow]:
    """Logged segments, newest first, counting entries whose Canceled equals theirs (2 queries)."""
    conditions = _filters(canceled, segment_no)
    interactions = (select(func.count())
                    .where(ILE.logged_segment_entry_no == LoggedSegment.entry_no,
                           ILE.canceled == LoggedSegment.canceled)
                    .scalar_subquery())
    campaign_entries = (select(func.count())
                        .where(CampaignEntry.register_no == LoggedSegment.entry_no,
                               CampaignEntry.canceled == LoggedSegment.canceled)
                        .scalar_subquery())
    stmt = (select(LoggedSegment, interactions, campaign_entries).where(*conditions)
            .order_by(LoggedSegment.entry_no.desc()).limit(limit).offset(offset))
    items = [
        LoggedSegmentRow(ls.entry_no, ls.segment_no, ls.description, ls.creation_date,
                         ls.user_id, ls.canceled, int(n_ile), int(n_ce))
        for ls, n_ile, n_ce in ctx.session.execute(stmt)
    ]
    total = ctx.session.scalar(select(func.count()).select_from(LoggedSegment).where(*conditions))
    return Page(items, int(total or 0), limit, offset)


def _require(ctx: Ctx, entry_nos: Sequence[int]) -> list[int]:
    """The selected logged segments; all must exist."""
    wanted = list(dict.fromkeys(int(n) for n in entry_nos))
    if not wanted:
        raise ValidationError("Select at least one logged segment", field="entry_nos",
                              reason="empty selection")
    found = set(ctx.session.scalars(select(LoggedSegment.entry_no)
                                    .where(LoggedSegment.entry_no.in_(wanted))))
    missing = [n for n in wanted if n not in found]
    if missing:
        raise NotFoundError(f"Logged segment(s) {', '.join(map(str, missing))} do not exist",
                            record="Logged Segment", field="Entry No.")
    return wanted


def set_canceled(ctx: Ctx, entry_nos: Sequence[int], canceled: bool) -> CancelResult:
    """Set Canceled on logged segments, their interaction log entries and campaign entries."""
    wanted = _require(ctx, entry_nos)
    n_ls = run(ctx, update(LoggedSegment).where(LoggedSegment.entry_no.in_(wanted))
               .values(canceled=canceled))
    n_ile = run(ctx, update(ILE).where(ILE.logged_segment_entry_no.in_(wanted))
                .values(canceled=canceled))
    n_ce = run(ctx, update(CampaignEntry).where(CampaignEntry.register_no.in_(wanted))
               .values(canceled=canceled))
    return CancelResult(canceled, n_ls, n_ile, n_ce)


def switch_canceled(ctx: Ctx, entry_nos: Sequence[int]) -> CancelResult:
    """Switch Checkmark in Canceled: the new state is the opposite of the first selected one's."""
    wanted = _require(ctx, entry_nos)
    first = ctx.session.scalar(select(LoggedSegment.canceled)
                               .where(LoggedSegment.entry_no == wanted[0]))
    return set_canceled(ctx, wanted, not first)


def cancel(ctx: Ctx, entry_nos: Sequence[int]) -> CancelResult:
    """Cancel logged segments with their entries and campaign entries."""
    return set_canceled(ctx, entry_nos, True)


def uncancel(ctx: Ctx, entry_nos: Sequence[int]) -> CancelResult:
    """Remove the canceled mark from logged segments, their entries and campaign entries."""
    return set_canceled(ctx, entry_nos, False)


def delete_canceled(
    ctx: Ctx, entry_nos: Sequence[int] | None = None, *, segment_no: str | None = None
) -> DeleteResult:
    """Delete Canceled Segments: only canceled ones; their entries are detached, not deleted."""
    conditions = [LoggedSegment.canceled == True, *_filters(None, segment_no)]  # noqa: E712
    if entry_nos is not None:
        conditions.append(LoggedSegment.entry_no.in_([int(n) for n in entry_nos]))
    targets = select(LoggedSegment.entry_no).where(*conditions)
    n_ile = run(ctx, update(ILE).where(ILE.logged_segment_entry_no.in_(targets))
                .values(logged_segment_entry_no=None))
    n_ce = run(ctx, update(CampaignEntry).where(CampaignEntry.register_no.in_(targets))
               .values(register_no=None))
    deleted = run(ctx, delete(LoggedSegment).where(*conditions))
    return DeleteResult(deleted, n_ile, n_ce)
