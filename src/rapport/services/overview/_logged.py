"""The Logged Segment page's one read: the logged segment with its figures and a page of its
interaction log entries (keyset, newest last)."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.db.models import LoggedSegment
from rapport.services.context import Ctx
from rapport.services.interactions import EntryFilter, EntryItem, list_entries
from rapport.services.log import LoggedSegmentRow, list_logged_segments
from rapport.services.paging import Page
from rapport.services.records import get_or_raise


@dataclass(frozen=True)
class LoggedSegmentView:
    """A logged segment and one page of its entries."""

    logged: LoggedSegmentRow
    entries: Page[EntryItem]

    @property
    def next_before(self) -> int | None:
        """The key of the next page of entries, or None on the last page."""
        items = self.entries.items
        return items[-1].entry.entry_no if len(items) == self.entries.limit else None


def logged_segment(ctx: Ctx, entry_no: int, *, before: int | None = None,
                   limit: int = 50) -> LoggedSegmentView:
    """Logged segment ``entry_no`` with its entries below entry ``before`` (canceled ones too)."""
    found = get_or_raise(ctx, LoggedSegment, entry_no, what="Logged Segment",
                         field="entry_no")
    row = list_logged_segments(ctx, segment_no=found.segment_no, limit=1).items[0]
    entries = list_entries(ctx, EntryFilter(logged_segment_entry_no=entry_no), limit=limit,
                           before=before)
    return LoggedSegmentView(row, entries)
