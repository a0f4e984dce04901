"""Set-based primitives of segment lines: insertion and journaled deletion.

Everything that changes which contacts are in a segment goes through these verbs, so that every
change is one criteria action that Go Back can undo exactly (A3/K1):

- ``insert_lines`` adds lines for a set of contacts with one ``INSERT … SELECT`` of narrow rows
  (``_line_defaults``: the contact and what §3.2 takes from it), numbered after the last line in
  the order of §3.4; the action row remembers the range of line numbers it inserted;
- ``delete_lines`` moves the lines it removes into the undo journal (``segment_history``, the
  same narrow rows), with their personalised data and line-level language rows where they have
  any, then deletes them.

``go_back`` (criteria/_undo.py) reverses the last action with the range and the journal.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.services.context import Ctx, run
from rapport.services.segments._criteria_log import ActionRef
from rapport.services.segments._line_count import lines_changed
from rapport.services.segments._line_defaults import (
    LINE_STEP,
    LineSource,
    campaign_overrides,
    defaulted_lines,
)
from rapport.services.segments._resolved import personalise
from rapport.services.tables import (
    CRITERIA,
    HISTORY,
    HISTORY_DATA,
    LANG,
    LANG_DATA,
    LANG_HISTORY,
    LINE,
    LINE_DATA,
    LINE_FIELDS,
    MEMBERSHIP,
    contact_key_epoch,
    vouched,
)

#: Working memory of one sort or hash of a step on PostgreSQL. The server's default (4 MB)
#: sends the sort that numbers 300,000 new lines, and the hash of a million contacts that
#: Reduce/Refine match against, to temporary files; a step is one statement at a time, so a
#: few of these per step is the most it takes.
STEP_WORK_MEM = "64MB"


def large_step(session: Session) -> None:
    """Give the transaction's sorts and hashes room (PostgreSQL; SQLite sizes its own)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL work_mem = '{STEP_WORK_MEM}'"))


def last_line_no(session: Session, segment_no: str) -> int:
    """The highest line number of a segment (0 when it has no lines)."""
    stmt = select(func.coalesce(func.max(LINE.c.line_no), 0)).where(LINE.c.segment_no == segment_no)
    return int(session.execute(stmt).scalar_one())


def insert_lines(ctx: Ctx, header: m.SegmentHeader, source: LineSource, action: ActionRef) -> int:
    """Add one defaulted line per source row after the last line; returns how many were added."""
    session = ctx.session
    large_step(session)
    base = last_line_no(session, header.no)
    stmt = defaulted_lines(session, header, source, base)
    with vouched(session, [("segment_line", "contact_no")]):  # it joins each line's contact
        count = run(ctx, insert(LINE).from_select(list(stmt.selected_columns.keys()), stmt))
    lines_changed(session, header.no, count)
    if count:
        _extend_range(session, header.no, action, base + LINE_STEP, base + LINE_STEP * count)
        if source.campaign_column:
            _personalise_campaigns(ctx, header, source, base)
    return count


def _personalise_campaigns(ctx: Ctx, header: m.SegmentHeader, source: LineSource,
                           base: int) -> None:
    """Lines whose source gives them another campaign than the header's get it as their own."""
    overrides = campaign_overrides(header, source, base).subquery("campaigns")
    personalise(ctx, header.no, LINE.c.line_no > base,
                values={"campaign_no": overrides.c.campaign_no},
                joined_with=(overrides, overrides.c.line_no == LINE.c.line_no))


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
    large_step(session)
    journaled = select(HISTORY.c.line_no).where(
        HISTORY.c.segment_no == segment_no, HISTORY.c.segment_action_no == action.no
    )
    mine = and_(LINE.c.segment_no == segment_no, condition)
    if session.get_bind().dialect.name == "postgresql":
        _remember_contact_key_epoch(session, segment_no, action)
        count = _move_to_journal(ctx, mine, action)
    else:
        count = _copy_to_journal(ctx, mine, action)
    if not count:
        return 0
    lines_changed(session, segment_no, -count)
    if _any(session, LINE_DATA, segment_no):
        _journal_data(session, segment_no, action.no, journaled)
    if _any(session, LANG, segment_no, LANG.c.segment_line_no != 0):
        _journal_line_languages(session, segment_no, action.no, journaled)
    if session.get_bind().dialect.name != "postgresql":
        run(ctx, delete(LINE).where(LINE.c.segment_no == segment_no,
                                    LINE.c.line_no.in_(journaled)))
    return count


def _remember_contact_key_epoch(session: Session, segment_no: str, action: ActionRef) -> None:
    """Store on the action the contact key epoch read before its lines are journaled (its
    first journaling, if it journals twice): Go Back need not check the contacts of the lines
    it restores while the epoch has not moved (migration 0009)."""
    epoch = contact_key_epoch(session)
    row = and_(CRITERIA.c.segment_no == segment_no, CRITERIA.c.line_no == action.criteria_line_no)
    session.execute(update(CRITERIA).where(row).values(
        contact_key_epoch=func.coalesce(CRITERIA.c.contact_key_epoch, epoch)))


def _journal_rows(source: Any, action: ActionRef) -> Select[Any]:
    """The journal rows of ``source``'s lines, in the journal's key order (its index then grows
    at its end)."""
    return (
        select(source.c.segment_no, literal(action.no).label("segment_action_no"),
               source.c.line_no, *[source.c[name] for name in MEMBERSHIP])
        .order_by(source.c.line_no)
    )


def _move_to_journal(ctx: Ctx, condition: ColumnElement[bool], action: ActionRef) -> int:
    """PostgreSQL: delete the lines and journal what the DELETE returns, in one statement —
    the lines are found once, and no join of lines and journal depends on statistics."""
    gone = delete(LINE).where(condition).returning(*LINE.c).cte("gone")
    rows = _journal_rows(gone, action)
    return run(ctx, insert(HISTORY).from_select(list(rows.selected_columns.keys()), rows))


def _copy_to_journal(ctx: Ctx, condition: ColumnElement[bool], action: ActionRef) -> int:
    """SQLite (no DELETE in a WITH): journal the lines; ``delete_lines`` deletes them after."""
    rows = _journal_rows(LINE, action).where(condition)
    return run(ctx, insert(HISTORY).from_select(list(rows.selected_columns.keys()), rows))


def _any(session: Session, table: Any, segment_no: str, *more: ColumnElement[bool]) -> bool:
    """Whether ``table`` has rows of the segment (one index probe: most segments have none)."""
    stmt = select(exists().where(table.c.segment_no == segment_no, *more))
    return bool(session.execute(stmt).scalar())


def _journal_data(session: Session, segment_no: str, action_no: int, lines: Select[Any]) -> None:
    """Move the personalised data of deleted lines into the journal."""
    own = and_(LINE_DATA.c.segment_no == segment_no, LINE_DATA.c.line_no.in_(lines))
    chosen = select(
        LINE_DATA.c.segment_no, literal(action_no).label("segment_action_no"),
        LINE_DATA.c.line_no, *[LINE_DATA.c[n] for n in LINE_FIELDS],
    ).where(own)
    session.execute(insert(HISTORY_DATA).from_select(list(chosen.selected_columns.keys()),
                                                     chosen))
    session.execute(delete(LINE_DATA).where(own))


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
