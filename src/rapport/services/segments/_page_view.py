"""The Segment page's one read: the header with its figures, the default subject, the criteria
steps and one keyset page of lines (a fixed number of queries whatever the page size)."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.services.context import Ctx
from rapport.services.paging import Page
from rapport.services.segments._criteria_log import CriteriaStep, segment_criteria
from rapport.services.segments._header import subject_default
from rapport.services.segments._segments import SegmentSummary, get_segment
from rapport.services.segments._views import LineRow, line_page


@dataclass(frozen=True)
class SegmentView:
    """What the Segment page shows."""

    summary: SegmentSummary
    subject_default: str
    steps: list[CriteriaStep]
    lines: Page[LineRow]

    @property
    def next_after(self) -> int | None:
        """The key of the next page of lines, or None on the last page."""
        items = self.lines.items
        return items[-1].line_no if len(items) == self.lines.limit else None


def segment_view(ctx: Ctx, no: str, *, after: int | None = None,
                 limit: int = 50) -> SegmentView:
    """The segment ``no`` as its page shows it, with the lines after line ``after``."""
    summary = get_segment(ctx, no)
    return SegmentView(summary, subject_default(ctx, summary.header),
                       segment_criteria(ctx, summary.no),
                       line_page(ctx, summary.no, after=after, limit=limit))
