"""Go Back and Reset Criteria (SPEC §3.6–§3.7 with A3/K1, K15).

Go Back undoes the last criteria action exactly: the lines it inserted (its line-number range)
are removed, the lines it deleted come back from their snapshots with all their data and their
original line numbers, and the action with its filter rows leaves the criteria log. Nothing is
ever reset implicitly; ``reset_criteria`` is an explicit action.
"""

from __future__ import annotations

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from rapport.domain.enums import CriteriaLineType, HistoryAction
from rapport.errors import RuleViolationError
from rapport.services.context import Ctx
from rapport.services.segments import action_count, require_segment
from rapport.services.tables import (
    CRITERIA,
    HISTORY,
    LANG,
    LANG_DATA,
    LANG_HISTORY,
    LINE,
    LINE_DATA,
)


def go_back(ctx: Ctx, segment_no: str) -> int:
    """Undo the segment's last criteria action; returns the remaining No. of Criteria Actions."""
    session = ctx.session
    require_segment(ctx, segment_no)
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
    if row.first_line_no is not None:
        _remove_inserted(session, segment_no, row.first_line_no, row.last_line_no)
    _restore_deleted(session, segment_no, number)
    session.execute(
        delete(CRITERIA).where(
            CRITERIA.c.segment_no == segment_no, CRITERIA.c.line_no >= row.line_no
        )
    )
    return number - 1


def _remove_inserted(session: Session, segment_no: str, first: int, last: int) -> None:
    """Delete exactly the lines the action inserted (and their line-level language rows)."""
    session.execute(
        delete(LANG).where(
            LANG.c.segment_no == segment_no,
            LANG.c.segment_line_no.between(first, last),
            LANG.c.segment_line_no != 0,
        )
    )
    session.execute(
        delete(LINE).where(LINE.c.segment_no == segment_no, LINE.c.line_no.between(first, last))
    )


def _restore_deleted(session: Session, segment_no: str, action_no: int) -> None:
    """Put back the lines the action deleted, from their snapshots, then drop the snapshots."""
    journal = and_(
        HISTORY.c.segment_no == segment_no,
        HISTORY.c.segment_action_no == action_no,
        HISTORY.c.action_taken == HistoryAction.DELETION.value,
    )
    lines = select(
        HISTORY.c.segment_no, HISTORY.c.line_no, *[HISTORY.c[n] for n in LINE_DATA]
    ).where(journal)
    session.execute(insert(LINE).from_select(["segment_no", "line_no", *LINE_DATA], lines))
    lang_journal = and_(
        LANG_HISTORY.c.segment_no == segment_no, LANG_HISTORY.c.segment_action_no == action_no
    )
    langs = select(
        LANG_HISTORY.c.segment_no,
        LANG_HISTORY.c.segment_line_no,
        *[LANG_HISTORY.c[n] for n in LANG_DATA],
    ).where(lang_journal)
    session.execute(insert(LANG).from_select(["segment_no", "segment_line_no", *LANG_DATA], langs))
    session.execute(delete(LANG_HISTORY).where(lang_journal))
    session.execute(
        delete(HISTORY).where(
            HISTORY.c.segment_no == segment_no, HISTORY.c.segment_action_no == action_no
        )
    )


def reset_criteria(ctx: Ctx, segment_no: str) -> int:
    """Forget the segment's criteria log and undo journal (lines stay); returns actions dropped."""
    session = ctx.session
    require_segment(ctx, segment_no)
    dropped = action_count(session, segment_no)
    session.execute(delete(LANG_HISTORY).where(LANG_HISTORY.c.segment_no == segment_no))
    session.execute(delete(HISTORY).where(HISTORY.c.segment_no == segment_no))
    session.execute(delete(CRITERIA).where(CRITERIA.c.segment_no == segment_no))
    return dropped
