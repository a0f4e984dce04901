"""The home page's one read: the acting user's open segments, the last logged segments and
the counts of the main records."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from rapport.db.models import Contact, InteractionLogEntry, LoggedSegment, SegmentHeader
from rapport.services.context import Ctx
from rapport.services.log import LoggedSegmentRow, list_logged_segments
from rapport.services.segments import SegmentSummary, list_segments


@dataclass(frozen=True)
class Home:
    """What the home page shows."""

    open_segments: list[SegmentSummary]
    logged_segments: list[LoggedSegmentRow]
    counts: dict[str, int]


def home(ctx: Ctx, *, limit: int = 10) -> Home:
    """The acting user's open segments, the latest logged segments and the record counts."""
    mine = list_segments(ctx, user_id=ctx.user_id, limit=limit)
    logged = list_logged_segments(ctx, limit=limit).items
    counts = {
        "contacts": ctx.session.scalar(select(func.count()).select_from(Contact)) or 0,
        "segments": ctx.session.scalar(select(func.count()).select_from(SegmentHeader)) or 0,
        "logged_segments": ctx.session.scalar(
            select(func.count()).select_from(LoggedSegment)) or 0,
        "interactions": ctx.session.scalar(
            select(func.count()).select_from(InteractionLogEntry)) or 0,
    }
    return Home(mine, logged, {k: int(v) for k, v in counts.items()})
