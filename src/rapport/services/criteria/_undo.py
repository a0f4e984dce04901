"""Go Back and Reset Criteria (SPEC §3.6–§3.7 with A3/K1, K15).

Go Back undoes the last criteria action exactly: the lines it inserted (its line-number range)
are removed, the lines it deleted come back from the journal — the same narrow rows, with their
personalised data and line-level language rows where they had any — with their original line
numbers, and the action with its filter rows leaves the criteria log. Nothing is
ever reset implicitly; ``reset_criteria`` is an explicit action.
"""

from __future__ import annotations

from contextlib import nullcontext

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from rapport.db.models import rowcount
from rapport.domain.enums import CriteriaLineType
from rapport.errors import RuleViolationError
from rapport.services.context import Ctx
from rapport.services.segments import action_count, large_step, lines_changed, require_segment
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


def go_back(ctx: Ctx, segment_no: str) -> int:
    """Undo the segment's last criteria action; returns the remaining No. of Criteria Actions."""
    session = ctx.session
    require_segment(ctx, segment_no)
    large_step(session)
    number = action_count(session, segment_no)
    row = session.execute(
        select(CRITERIA)
        .where(
            CRITERIA.c.segment_no == segment_no, CRITERIA.c.type == CriteriaLineType.ACTION.value
        )
        .order_by(CRITERIA.c.line_no.desc())
        .limit(1)
    ).first()
    if row is None:
        raise RuleViolationError(
            f"Segment {segment_no} has no criteria actions to undo",
            record=segment_no,
            field="no_of_criteria_actions",
            reason="zero",
        )
    removed = 0
    if row.first_line_no is not None:
        removed = _remove_inserted(session, segment_no, row.first_line_no, row.last_line_no)
    # The journaled lines' contacts all exist while no contact went since they were journaled
    # (migration 0009): the restore then vouches for the lines' contact key.
    unchanged = (row.contact_key_epoch is not None
                 and row.contact_key_epoch == contact_key_epoch(session, locked=True))
    with vouched(session, [("segment_line", "contact_no")]) if unchanged else nullcontext():
        restored = _restore_deleted(session, segment_no, number)
    lines_changed(session, segment_no, restored - removed)
    session.execute(
        delete(CRITERIA).where(
            CRITERIA.c.segment_no == segment_no, CRITERIA.c.line_no >= row.line_no
        )
    )
    return number - 1


def _remove_inserted(session: Session, segment_no: str, first: int, last: int) -> int:
    """Delete exactly the lines the action inserted, with their data and language rows;
    returns the number of lines deleted."""
    deleted = 0
    for table, column in ((LANG, LANG.c.segment_line_no), (LINE_DATA, LINE_DATA.c.line_no),
                          (LINE, LINE.c.line_no)):
        deleted = rowcount(session.execute(
            delete(table).where(table.c.segment_no == segment_no, column.between(first, last),
                                column != 0)
        ))
    return deleted  # the last statement's: the lines'


def _restore_deleted(session: Session, segment_no: str, action_no: int) -> int:
    """Put back the lines the action deleted, from the journal, then empty it for the action;
    returns the number of lines put back."""
    restored = 0
    keys = (LINE, LINE_DATA, LANG)
    journals = (HISTORY, HISTORY_DATA, LANG_HISTORY)
    columns = (["line_no", *MEMBERSHIP], ["line_no", *LINE_FIELDS],
               ["segment_line_no", *LANG_DATA])
    for target, journal, names in zip(keys, journals, columns, strict=True):
        of_action = and_(journal.c.segment_no == segment_no,
                         journal.c.segment_action_no == action_no)
        rows = (select(journal.c.segment_no, *[journal.c[n] for n in names]).where(of_action)
                .order_by(journal.c[names[0]]))  # key order: the target's index is walked once
        done = session.execute(insert(target).from_select(["segment_no", *names], rows)
                               .execution_options(preserve_rowcount=True))
        restored = rowcount(done) if target is LINE else restored
        session.execute(delete(journal).where(of_action))
    return restored


def reset_criteria(ctx: Ctx, segment_no: str) -> int:
    """Forget the segment's criteria log and undo journal (lines stay); returns actions dropped."""
    session = ctx.session
    require_segment(ctx, segment_no)
    dropped = action_count(session, segment_no)
    for journal in (LANG_HISTORY, HISTORY_DATA, HISTORY):
        session.execute(delete(journal).where(journal.c.segment_no == segment_no))
    session.execute(delete(CRITERIA).where(CRITERIA.c.segment_no == segment_no))
    return dropped
