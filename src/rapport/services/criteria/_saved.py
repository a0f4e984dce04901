"""Save Criteria and Reuse Criteria (SPEC §3.8, §2.13, E14, E15, A2/Q05, K5).

A saved criteria is a 1:1 copy of a segment's criteria log (actions with their options, and their
filter rows), owned by the user who saved it. Reusing it parses every saved action's filters
through the one parser (``parse_filters``, as if typed again) before anything runs, then replays
the actions in order through the same verbs as a user would run them (``add_contacts``,
``reduce_contacts``, ``refine_contacts``), so each replayed step is appended to the segment's own
log and can be undone on its own with Go Back. A saved Refine applies its own Entire Companies
flag (K5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, literal, select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.criteria import ActionOptions
from rapport.domain.enums import CriteriaAction, CriteriaLineType
from rapport.errors import ConflictError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.criteria._parse import Criteria, parse_filters
from rapport.services.criteria._selection import (
    add_contacts,
    reduce_contacts,
    refine_contacts,
    refuse_if_criteria,
)
from rapport.services.records import get_or_raise
from rapport.services.segments import CriteriaStep, action_count, require_segment, steps_of
from rapport.services.tables import CRITERIA, SAVED, SAVED_LINE

_OPTION_FIELDS = tuple(vars(ActionOptions()))
#: The columns a saved line shares with a segment criteria line (all but the owner's key).
_SHARED = [c.name for c in SAVED_LINE.columns if c.name != "segment_criteria_code"]


@dataclass(frozen=True)
class SavedCriteriaInfo:
    """A saved criteria as listed: code, description, who saved it, how many actions."""

    code: str
    description: str
    user_id: str
    no_of_actions: int


@dataclass(frozen=True)
class SavedCriteriaDetail:
    """A saved criteria with its steps."""

    info: SavedCriteriaInfo
    steps: list[CriteriaStep] = field(default_factory=list)


@dataclass(frozen=True)
class ReuseResult:
    """What Reuse Criteria did: steps replayed, lines added and removed, actions now."""

    actions_replayed: int
    lines_added: int
    lines_removed: int
    no_of_criteria_actions: int


def save_criteria(ctx: Ctx, segment_no: str, code: str, description: str = "") -> int:
    """Save the segment's criteria log under a new code; returns the number of actions saved."""
    header = require_segment(ctx, segment_no, lock=False)
    actions = action_count(ctx.session, header.no)
    if actions == 0:
        raise RuleViolationError(
            f"No. of Criteria Actions must have a value on segment {header.no}",
            code="E14",
            record=header.no,
            field="no_of_criteria_actions",
            reason="no criteria actions to save",
        )
    saved_code = _saved_code(ctx, code)
    ctx.session.add(
        m.SavedSegmentCriteria(code=saved_code, description=description, user_id=ctx.user_id)
    )
    ctx.session.flush()
    rows = select(
        literal(saved_code).label("segment_criteria_code"), *[CRITERIA.c[n] for n in _SHARED]
    ).where(CRITERIA.c.segment_no == header.no)
    ctx.session.execute(insert(SAVED_LINE).from_select(["segment_criteria_code", *_SHARED], rows))
    return actions


def _saved_code(ctx: Ctx, code: str) -> str:
    """E15: the code must be filled in and must not exist yet."""
    try:
        saved_code = require_code(code, field="code", max_length=10)
    except ValidationError as exc:
        raise ValidationError(
            f"Code must be filled in for saved segment criteria ({exc.reason})",
            code="E15",
            field="code",
            reason=exc.reason,
        ) from None
    if ctx.session.get(m.SavedSegmentCriteria, saved_code) is not None:
        raise ConflictError(
            f"A saved segment criteria with code {saved_code} already exists",
            code="E15",
            record=saved_code,
            field="code",
            reason="already exists",
        )
    return saved_code


def reuse_criteria(ctx: Ctx, segment_no: str, code: str, *, append: bool = False) -> ReuseResult:
    """Replay a saved criteria's actions in order on the segment (each its own criteria action)."""
    header = require_segment(ctx, segment_no)
    detail = show_saved_criteria(ctx, code)
    refuse_if_criteria(ctx.session, header.no, append, "reuse saved criteria")
    # Every step is checked before any runs; relative dates count from today's work date.
    plan = [(step, _parsed(step, ctx.work_date)) for step in detail.steps]
    added = removed = 0
    for step, criteria in plan:
        if step.action is CriteriaAction.ADD:
            added += _replay_add(ctx, header.no, step, criteria)
        elif step.action in (CriteriaAction.REDUCE, CriteriaAction.REFINE):
            verb = reduce_contacts if step.action is CriteriaAction.REDUCE else refine_contacts
            # K5: a Refine replays with its own saved Entire Companies flag, like a Reduce.
            entire = step.options.entire_companies
            removed += verb(ctx, header.no, criteria, entire_companies=entire)
    actions = action_count(ctx.session, header.no)
    return ReuseResult(len(detail.steps), added, removed, actions)


def _parsed(step: CriteriaStep, work_date: datetime.date) -> Criteria:
    """A saved step's filters through the one parser, as if they were typed again."""
    texts = (text for item in step.filters for text in item.texts())
    return parse_filters(texts, work_date=work_date)


def _replay_add(ctx: Ctx, segment_no: str, step: CriteriaStep, criteria: Criteria) -> int:
    opts = step.options
    return add_contacts(
        ctx,
        segment_no,
        criteria,
        expand_companies=opts.expand_contact,
        allow_related_companies=opts.allow_company_with_persons,
        ignore_exclusion=opts.ignore_exclusion,
        allow_existing=opts.allow_existing_contacts,
    ).added


def list_saved_criteria(ctx: Ctx) -> list[SavedCriteriaInfo]:
    """Every saved criteria, by code, with its number of actions."""
    actions = (
        select(SAVED_LINE.c.segment_criteria_code, func.count().label("n"))
        .where(SAVED_LINE.c.type == CriteriaLineType.ACTION.value)
        .group_by(SAVED_LINE.c.segment_criteria_code)
        .subquery()
    )
    rows = ctx.session.execute(
        select(SAVED, func.coalesce(actions.c.n, 0).label("n"))
        .outerjoin(actions, actions.c.segment_criteria_code == SAVED.c.code)
        .order_by(SAVED.c.code)
    )
    return [SavedCriteriaInfo(r.code, r.description, r.user_id, int(r.n)) for r in rows]


def show_saved_criteria(ctx: Ctx, code: str) -> SavedCriteriaDetail:
    """A saved criteria with its steps, or NotFoundError."""
    saved_code = require_code(code, field="code", max_length=10)
    saved = get_or_raise(
        ctx, m.SavedSegmentCriteria, saved_code, what="Saved segment criteria", field="code"
    )
    rows = ctx.session.execute(
        select(SAVED_LINE)
        .where(SAVED_LINE.c.segment_criteria_code == saved_code)
        .order_by(SAVED_LINE.c.line_no)
    )
    steps = steps_of(rows)
    info = SavedCriteriaInfo(saved.code, saved.description, saved.user_id, len(steps))
    return SavedCriteriaDetail(info, steps)


def delete_saved_criteria(ctx: Ctx, code: str) -> None:
    """Delete a saved criteria and its lines."""
    saved_code = show_saved_criteria(ctx, code).info.code
    ctx.session.execute(delete(SAVED_LINE).where(SAVED_LINE.c.segment_criteria_code == saved_code))
    ctx.session.execute(delete(SAVED).where(SAVED.c.code == saved_code))
