"""Read views of a segment: its lines as listed (with the attachment indicator) and its detail.

Each view is a fixed number of queries whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, Select, Subquery, bindparam, select

from rapport.db import models as m
from rapport.errors import NotFoundError, ValidationError
from rapport.services.context import Ctx
from rapport.services.paging import Page
from rapport.services.segments import _languages as sl
from rapport.services.segments._criteria_log import CriteriaStep, segment_criteria
from rapport.services.segments._header import subject_default
from rapport.services.segments._records import require_segment
from rapport.services.segments._resolved import LineView, resolved_lines
from rapport.services.segments._segments import SegmentSummary, get_segment
from rapport.services.tables import LINE


@dataclass(frozen=True)
class LineRow:
    """A segment line as listed: its resolved fields, contact names and the attachment
    indicator."""

    line: LineView
    contact_name: str
    contact_company_name: str
    attachment: str

    @property
    def line_no(self) -> int:
        return int(self.line.line_no)


def _listed(line: Subquery) -> Select[Any]:
    """The listed rows of the resolved lines ``line``: with the contact's names and the
    attachment indicator, in line order."""
    contact = m.table(m.Contact).alias("c")
    return (
        select(line, contact.c.name, contact.c.company_name,
               sl.attachment_indicator(line).label("attachment"))
        .select_from(line)
        .outerjoin(contact, contact.c.no == line.c.contact_no)
        .order_by(line.c.line_no)
    )


def _rows(ctx: Ctx, stmt: Select[Any], values: dict[str, Any] | None = None) -> list[LineRow]:
    # A listed row has the line's columns (and the contact's names and the indicator).
    return [LineRow(row, row.name or "", row.company_name or "", row.attachment)
            for row in ctx.session.execute(stmt, values).all()]


def list_lines(
    ctx: Ctx, segment_no: str, *, offset: int = 0, limit: int | None = 100
) -> list[LineRow]:
    """A page of the segment's lines in line order, in one query whatever the page size."""
    header = require_segment(ctx, segment_no, lock=False)
    return _rows(ctx, _listed(resolved_lines().where(LINE.c.segment_no == header.no)
                              .order_by(LINE.c.line_no).offset(offset).limit(limit)
                              .subquery("line")))


@cache
def _page_statement() -> Select[Any]:
    """The keyset page's statement, built once with bound parameters (segment_no, after,
    limit): resolving every field against the header makes it a large statement, and building
    it (and its cache key) took most of a page's time; built once, its cache key is kept with
    it and its compiled form comes from the engine's cache."""
    return _listed(
        resolved_lines()
        .where(LINE.c.segment_no == bindparam("segment_no"),
               LINE.c.line_no > bindparam("after", type_=BigInteger))
        .order_by(LINE.c.line_no).limit(bindparam("limit", type_=Integer)).subquery("line"))


def line_page(ctx: Ctx, segment_no: str, *, after: int | None = None, limit: int = 50
              ) -> Page[LineRow]:
    """A page of the segment's lines after line ``after`` (keyset: as fast deep inside a
    300,000-line segment as at its start), and the number of lines (kept on the header: two
    queries)."""
    header = require_segment(ctx, segment_no, lock=False)
    if limit < 1:
        raise ValidationError("limit must be at least 1", record=f"Segment {header.no}",
                              field="limit", reason="out of range")
    # Line numbers are positive (0 names the header's language rows): -1 is before the first.
    values = {"segment_no": header.no, "after": -1 if after is None else after, "limit": limit}
    return Page(_rows(ctx, _page_statement(), values), header.no_of_lines, limit, 0)


def line_row(ctx: Ctx, segment_no: str, line_no: int) -> LineRow:
    """One line as listed, or a NotFoundError naming it."""
    page = line_page(ctx, segment_no, after=line_no - 1, limit=1)
    if not page.items or page.items[0].line_no != line_no:
        record = f"Segment {segment_no.upper()} line {line_no}"
        raise NotFoundError(f"{record} does not exist", record=record, field="line_no",
                            reason="does not exist")
    return page.items[0]


@dataclass(frozen=True)
class SegmentDetail:
    """Everything ``segments show`` displays: figures, subject, criteria steps, first lines."""

    summary: SegmentSummary
    subject_default: str
    steps: list[CriteriaStep]
    lines: list[LineRow]


def segment_detail(ctx: Ctx, no: str, *, line_limit: int = 20) -> SegmentDetail:
    """A segment's header figures, criteria steps and first lines."""
    summary = get_segment(ctx, no)
    return SegmentDetail(
        summary=summary,
        subject_default=subject_default(ctx, summary.header),
        steps=segment_criteria(ctx, summary.no),
        lines=list_lines(ctx, summary.no, limit=line_limit),
    )
