"""Segments (SPEC §2.9, §3.1, §3.22): create, read with computed figures, list, delete.

The header stores no counts: No. of Lines, Cost (LCY), Duration (Min.) and No. of Criteria
Actions are computed by one query, whether for one segment or a page of segments.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.domain.enums import CriteriaLineType
from rapport.errors import ConflictError
from rapport.services.context import Ctx
from rapport.services.paging import Page
from rapport.services.records import not_found
from rapport.services.segments._header_template import set_header_template
from rapport.services.segments._inputs import SegmentInput
from rapport.services.segments._records import (
    check_description,
    check_salesperson,
    record_name,
    require_segment,
)
from rapport.services.setup import (
    check_manual_no,
    draw_next,
    ensure_exists,
    require_series,
    user_salesperson,
)
from rapport.services.tables import (
    CRITERIA,
    HEADER,
    HISTORY,
    HISTORY_DATA,
    LANG,
    LANG_HISTORY,
    LINE,
    LINE_DATA,
)
from rapport.services.templates import drop_attachments


def create_segment(ctx: Ctx, data: SegmentInput) -> m.SegmentHeader:
    """Create a segment: numbered from Segment Nos. unless a number is given (§3.1)."""
    key, series = _new_number(ctx, data.no)
    record = record_name(key)
    text = check_description(data.description, record=record)
    campaign = ensure_exists(ctx, m.Campaign, data.campaign_no, field="campaign_no",
                             record=record)
    salesperson = check_salesperson(ctx, data.salesperson_code, record=record)
    if salesperson is None:
        salesperson = _default_salesperson(ctx)
    header = m.SegmentHeader(
        no=key, description=text, campaign_no=campaign, salesperson_code=salesperson,
        date=ctx.work_date, no_series=series, user_id=ctx.user_id, created_at=ctx.now(),
    )
    ctx.session.add(header)
    ctx.session.flush()
    if normalize_code(data.interaction_template_code, field="interaction_template_code"):
        set_header_template(ctx, key, data.interaction_template_code)
    return header


def _new_number(ctx: Ctx, no: str | None) -> tuple[str, str | None]:
    """The new segment's number and series: drawn (E01) or typed (E02, no duplicates)."""
    typed = normalize_code(no, field="no", record="Segment")
    if typed is None:
        series = require_series(ctx, "segment_nos")
        key, source = draw_next(ctx, series), series
    else:
        setup = ctx.session.get(m.MarketingSetup, 1)
        series_code = setup.segment_nos if setup is not None else None
        check_manual_no(ctx, series_code, record=record_name(typed))
        key, source = typed, None
    if ctx.session.get(m.SegmentHeader, key) is not None:
        raise ConflictError(
            f"Segment {key} already exists", record=record_name(key), field="no",
            reason="duplicate",
        )
    return key, source


def _default_salesperson(ctx: Ctx) -> str | None:
    """The acting user's User Setup salesperson, unless that salesperson is blocked."""
    code = user_salesperson(ctx, ctx.user_id)
    if code is None:
        return None
    person = ctx.session.get(m.Salesperson, code)
    return code if person is not None and not person.blocked else None


@dataclass(frozen=True)
class SegmentSummary:
    """A segment header with its computed figures (SPEC §2.9)."""

    header: m.SegmentHeader
    no_of_lines: int
    cost: Decimal
    duration: int
    no_of_criteria_actions: int

    @property
    def no(self) -> str:
        return self.header.no


def _figures(only: Any = None) -> tuple[Any, Any]:
    """Grouped subqueries: line figures and criteria-action counts per segment (of segment
    ``only``: the filter inside the grouping, which SQLite does not push down by itself).

    A line's cost and duration are its own when it has data, else the header's (as
    ``resolved_lines`` resolves them). The lines are read once, with their data and without
    the header: the count, the number with data and the sums of their data; ``_summaries``
    adds the header's unit figures for the lines without data."""
    query = select(
        LINE.c.segment_no,
        func.count().label("n"),
        func.count(LINE_DATA.c.line_no).label("own"),
        func.sum(LINE_DATA.c.cost).label("cost"),
        func.sum(LINE_DATA.c.duration).label("duration"),
    ).select_from(
        LINE.outerjoin(LINE_DATA, and_(LINE_DATA.c.segment_no == LINE.c.segment_no,
                                       LINE_DATA.c.line_no == LINE.c.line_no)))
    if only is not None:
        query = query.where(LINE.c.segment_no == only)
    lines = query.group_by(LINE.c.segment_no).subquery("lines")
    actions = (
        select(CRITERIA.c.segment_no, func.count().label("n"))
        .where(CRITERIA.c.type == CriteriaLineType.ACTION.value,
               *([CRITERIA.c.segment_no == only] if only is not None else []))
        .group_by(CRITERIA.c.segment_no)
        .subquery("actions")
    )
    return lines, actions


def _summaries(session: Session, condition: Any, *, offset: int, limit: int | None,
               only: str | None = None) -> list[SegmentSummary]:
    return _summarized(session, _summary_statement(condition, offset=offset, limit=limit,
                                                   only=only))


@functools.cache
def _one_summary() -> Select[Any]:
    """The statement of one segment's summary (built once: the segment is its parameter)."""
    key = bindparam("segment_no", type_=String())
    return _summary_statement(m.SegmentHeader.no == key, offset=0, limit=1, only=key)


def _summary_statement(condition: Any, *, offset: int, limit: int | None,
                       only: Any = None) -> Select[Any]:
    lines, actions = _figures(only)
    header = m.SegmentHeader
    inherited = func.coalesce(lines.c.n, 0) - func.coalesce(lines.c.own, 0)
    return (
        select(
            header,
            header.no_of_lines,
            func.coalesce(lines.c.cost, 0) + inherited * func.coalesce(header.unit_cost, 0),
            func.coalesce(lines.c.duration, 0)
            + inherited * func.coalesce(header.unit_duration, 0),
            func.coalesce(actions.c.n, 0),
        )
        .outerjoin(lines, lines.c.segment_no == header.no)
        .outerjoin(actions, actions.c.segment_no == header.no)
        .where(condition)
        .order_by(header.no)
        .offset(offset)
        .limit(limit)
    )


def _summarized(session: Session, stmt: Select[Any],
                params: dict[str, Any] | None = None) -> list[SegmentSummary]:
    return [
        SegmentSummary(h, int(n), Decimal(c).quantize(Decimal("0.01")), int(d), int(a))
        for h, n, c, d, a in session.execute(stmt, params).all()
    ]


def get_segment(ctx: Ctx, no: str) -> SegmentSummary:
    """One segment with No. of Lines, Cost, Duration and No. of Criteria Actions."""
    key = require_code(no, field="segment_no", record="Segment")
    found = _summarized(ctx.session, _one_summary(), {"segment_no": key})
    if not found:
        raise not_found("Segment", key, field="segment_no")
    return found[0]


def _conditions(search: str | None, campaign_no: str | None, salesperson_code: str | None = None,
                user_id: str | None = None) -> Any:
    conditions: list[Any] = []
    salesperson = normalize_code(salesperson_code, field="salesperson_code")
    if salesperson:
        conditions.append(m.SegmentHeader.salesperson_code == salesperson)
    if user_id:
        conditions.append(m.SegmentHeader.user_id == user_id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        conditions.append(
            or_(
                func.lower(m.SegmentHeader.no).like(pattern),
                func.lower(m.SegmentHeader.description).like(pattern),
            )
        )
    campaign = normalize_code(campaign_no, field="campaign_no")
    if campaign:
        conditions.append(m.SegmentHeader.campaign_no == campaign)
    return and_(True, *conditions)


def list_segments(
    ctx: Ctx,
    *,
    search: str | None = None,
    campaign_no: str | None = None,
    salesperson_code: str | None = None,
    user_id: str | None = None,
    offset: int = 0,
    limit: int | None = 50,
) -> list[SegmentSummary]:
    """A page of segments by number, with their figures, in one query whatever the page size."""
    condition = _conditions(search, campaign_no, salesperson_code, user_id)
    return _summaries(ctx.session, condition, offset=offset, limit=limit)


def segment_page(
    ctx: Ctx, *, search: str | None = None, campaign_no: str | None = None,
    salesperson_code: str | None = None, offset: int = 0, limit: int = 50,
) -> Page[SegmentSummary]:
    """A page of segments by number with their figures, and the total (two queries)."""
    condition = _conditions(search, campaign_no, salesperson_code)
    items = _summaries(ctx.session, condition, offset=offset, limit=limit)
    total = ctx.session.scalar(select(func.count()).select_from(m.SegmentHeader)
                               .where(condition)) or 0
    return Page(items, int(total), limit, offset)


def delete_segment(ctx: Ctx, no: str) -> None:
    """Delete an unlogged segment with its lines, criteria, history and language rows (§3.22)."""
    header = require_segment(ctx, no)
    key = header.no
    owned = list(ctx.session.scalars(_owned_attachments(key)).all())
    ctx.session.execute(delete(CRITERIA).where(CRITERIA.c.segment_no == key))
    for table in (HISTORY, HISTORY_DATA, LANG_HISTORY, LANG, LINE_DATA, LINE):
        ctx.session.execute(delete(table).where(table.c.segment_no == key))
    ctx.session.delete(header)
    ctx.session.flush()
    drop_attachments(ctx, owned)


def _owned_attachments(segment_no: str) -> Any:
    """Attachments of this segment's language rows (and its modified Word template)."""
    langs = select(LANG.c.attachment_no).where(
        LANG.c.segment_no == segment_no, LANG.c.attachment_no.is_not(None)
    )
    journal = select(LANG_HISTORY.c.attachment_no).where(
        LANG_HISTORY.c.segment_no == segment_no, LANG_HISTORY.c.attachment_no.is_not(None)
    )
    modified = select(HEADER.c.modified_word_template).where(
        HEADER.c.no == segment_no, HEADER.c.modified_word_template.is_not(None)
    )
    return langs.union(journal, modified)
