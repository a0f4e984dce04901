"""Set-based primitives of segment lines: the criteria log, line insertion, journaled deletion.

Everything that changes which contacts are in a segment goes through three verbs here, so that
every change is one criteria action that Go Back can undo exactly (A3/K1):

- ``record_action`` appends an Action row (with its options) and its Filter rows to the log;
- ``insert_lines`` adds lines for a set of contacts with one ``INSERT … SELECT``, defaulted from
  the header and the contact as SPEC §3.2 says (segment_line_defaults), numbered after the last
  line in the order of §3.4; the action row remembers the range of line numbers it inserted;
- ``delete_lines`` snapshots the lines it removes into the undo journal (segment_history), with
  their line-level language rows, then deletes them.

``go_back`` (services/undo.py) reverses the last action with the range and the snapshots.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.domain.enums import HistoryAction
from rapport.services.context import Ctx, run
from rapport.services.segments._criteria_log import ActionRef
from rapport.services.segments._line_defaults import LINE_STEP, LineSource, defaulted_lines
from rapport.services.tables import (
    CRITERIA,
    HISTORY,
    LANG,
    LANG_DATA,
    LANG_HISTORY,
    LINE,
    LINE_DATA,
)


def last_line_no(session: Session, segment_no: str) -> int:
    """The highest line number of a segment (0 when it has no lines)."""
    stmt = select(func.coalesce(func.max(LINE.c.line_no), 0)).where(LINE.c.segment_no == segment_no)
    return int(session.execute(stmt).scalar_one())


def insert_lines(ctx: Ctx, header: m.SegmentHeader, source: LineSource, action: ActionRef) -> int:
    """Add one defaulted line per source row after the last line; returns how many were added."""
    session = ctx.session
    base = last_line_no(session, header.no)
    stmt = defaulted_lines(session, header, source, base)
    count = run(ctx, insert(LINE).from_select(list(stmt.selected_columns.keys()), stmt))
    if count:
        _extend_range(session, header.no, action, base + LINE_STEP, base + LINE_STEP * count)
    return count


def _extend_range(
    session: Session, segment_no: str, action: ActionRef, first: int, last: int
) -> None:
    row = and_(CRITERIA.c.segment_no == segment_no, CRITERIA.c.line_no == action.criteria_line_no)
    session.execute(
        update(CRITERIA)
        .where(row)
        .values(first_line_no=func.coalesce(CRITERIA.c.first_line_no, first), last_line_no=last)
    )


def delete_lines(
    ctx: Ctx, segment_no: str, condition: ColumnElement[bool], action: ActionRef
) -> int:
    """Delete the segment's lines matching ``condition`` (over segment_line), journaling them."""
    session = ctx.session
    chosen = select(
        LINE.c.segment_no,
        literal(action.no).label("segment_action_no"),
        LINE.c.line_no,
        literal(HistoryAction.DELETION.value).label("action_taken"),
        *[LINE.c[name] for name in LINE_DATA],
    ).where(LINE.c.segment_no == segment_no, condition)
    journaled_count = run(
        ctx, insert(HISTORY).from_select(list(chosen.selected_columns.keys()), chosen)
    )
    journaled = select(HISTORY.c.line_no).where(
        HISTORY.c.segment_no == segment_no, HISTORY.c.segment_action_no == action.no
    )
    _journal_line_languages(session, segment_no, action.no, journaled)
    session.execute(
        delete(LINE).where(LINE.c.segment_no == segment_no, LINE.c.line_no.in_(journaled))
    )
    return journaled_count


def _journal_line_languages(
    session: Session, segment_no: str, action_no: int, lines: Select[Any]
) -> None:
    """Move the unique (line-level) language rows of deleted lines into the journal."""
    own = and_(
        LANG.c.segment_no == segment_no,
        LANG.c.segment_line_no != 0,
        LANG.c.segment_line_no.in_(lines),
    )
    chosen = select(
        LANG.c.segment_no,
        literal(action_no).label("segment_action_no"),
        LANG.c.segment_line_no,
        *[LANG.c[n] for n in LANG_DATA],
    ).where(own)
    session.execute(insert(LANG_HISTORY).from_select(list(chosen.selected_columns.keys()), chosen))
    session.execute(delete(LANG).where(own))
