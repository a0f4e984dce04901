"""The criteria log of a segment (SPEC §2.12): one Action row per criteria action, followed by
its Filter rows, written by every step and read back as ``CriteriaStep`` values.

The log belongs to the segment: Go Back, Save Criteria, Reuse Criteria and the segment's own
page all read it, and every Add/Reduce/Refine appends to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, insert, select
from sqlalchemy.orm import Session

from rapport.domain.criteria import ActionOptions, SectionFilter
from rapport.domain.enums import CriteriaAction, CriteriaLineType, CriteriaSection
from rapport.errors import ValidationError
from rapport.services.context import Ctx
from rapport.services.segments._records import require_segment
from rapport.services.tables import CRITERIA

_OPTION_FIELDS = tuple(vars(ActionOptions()))


@dataclass(frozen=True)
class ActionRef:
    """A recorded criteria action: its number (1, 2 …) and the log line of its Action row."""

    no: int
    criteria_line_no: int


def action_count(session: Session, segment_no: str) -> int:
    """No. of Criteria Actions of a segment."""
    stmt = select(func.count()).where(
        CRITERIA.c.segment_no == segment_no, CRITERIA.c.type == CriteriaLineType.ACTION.value
    )
    return int(session.execute(stmt).scalar_one())


@dataclass(frozen=True)
class CriteriaStep:
    """One action of a criteria log: what it does, its options and its filters."""

    action: CriteriaAction
    options: ActionOptions
    filters: tuple[SectionFilter, ...] = ()


def record_action(
    ctx: Ctx,
    segment_no: str,
    action: CriteriaAction,
    *,
    options: ActionOptions = ActionOptions(),
    filters: Sequence[SectionFilter] = (),
) -> ActionRef:
    """Append one criteria action with its filter rows to the segment's criteria log."""
    session = ctx.session
    last = session.execute(
        select(func.coalesce(func.max(CRITERIA.c.line_no), 0)).where(
            CRITERIA.c.segment_no == segment_no
        )
    ).scalar_one()
    used = [f for f in filters if f.fields]
    common = dict(segment_no=segment_no, action=action.value, **vars(ActionOptions()))
    rows: list[dict[str, Any]] = [
        {
            **common,
            **vars(options),
            "line_no": last + 1,
            "type": CriteriaLineType.ACTION.value,
            "table_name": "",
            "table_view": "",
            "no_of_filters": len(used),
        }
    ]
    rows += [
        {
            **common,
            "line_no": last + 2 + i,
            "type": CriteriaLineType.FILTER.value,
            "table_name": f.section.value,
            "table_view": json.dumps(dict(f.fields)),
            "no_of_filters": 0,
        }
        for i, f in enumerate(used)
    ]
    session.execute(insert(CRITERIA), rows)
    return ActionRef(no=action_count(session, segment_no), criteria_line_no=last + 1)


def segment_criteria(ctx: Ctx, segment_no: str) -> list[CriteriaStep]:
    """The criteria log of a segment, one step per action, oldest first."""
    header = require_segment(ctx, segment_no, lock=False)
    rows = ctx.session.execute(
        select(CRITERIA).where(CRITERIA.c.segment_no == header.no).order_by(CRITERIA.c.line_no)
    )
    return steps_of(rows)


def steps_of(rows: Iterable[Row[Any]]) -> list[CriteriaStep]:
    """Group criteria rows (Action rows each followed by their Filter rows) into steps."""
    steps: list[CriteriaStep] = []
    for row in rows:
        if row.type == CriteriaLineType.ACTION.value:
            options = ActionOptions(**{n: bool(getattr(row, n)) for n in _OPTION_FIELDS})
            steps.append(CriteriaStep(CriteriaAction(row.action), options))
        elif steps:
            last = steps[-1]
            section_filter = _section_filter(row.table_name, row.table_view)
            steps[-1] = CriteriaStep(last.action, last.options, (*last.filters, section_filter))
    return steps


def _section_filter(table_name: str, table_view: str) -> SectionFilter:
    try:
        fields = json.loads(table_view or "{}")
        section = CriteriaSection(table_name)
    except ValueError:
        fields, section = None, None
    if section is None or not isinstance(fields, dict):
        raise ValidationError(
            f"Criteria filter row for {table_name!r} is not readable: {table_view!r}",
            field="table_view",
            record=table_name,
            reason="unreadable filter row",
        )
    return SectionFilter(section, {str(k): str(v) for k, v in fields.items()})
