"""Add, Reduce and Refine contacts, their preview, and Reuse Segment (SPEC §3.4, §3.5, §3.9).

Each verb takes its filters as given (``FilterText``: section, field, expression, as the edges
pass them) and parses them once (``_parse.parse_filters``) — or takes criteria an internal
caller parsed already. It writes its criteria action first (so Go Back can undo it), then
changes the lines with ONE set-based statement built from the compiled criteria
(``_predicates``): an ``INSERT … SELECT`` through ``segments.insert_lines`` or a journaled
``DELETE … WHERE`` through ``segments.delete_lines``. ``preview`` counts the same selection
without writing.

Privacy-blocked contacts (A3/K10, E38) never get a line: every selection leaves them out, and
``add_contacts`` reports how many it left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, false, func, not_, select
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.domain.criteria import ActionOptions, SectionFilter
from rapport.domain.enums import CriteriaAction, CriteriaSection
from rapport.errors import ConflictError, ValidationError
from rapport.services.context import Ctx
from rapport.services.criteria._catalogue import INCLUDE_CANCELED
from rapport.services.criteria._parse import Criteria, Filters, criteria_of
from rapport.services.criteria._predicates import (
    ContactNos,
    company_match,
    contact_predicate,
    expanded_contacts,
    with_related_companies,
)
from rapport.services.records import get_or_raise
from rapport.services.segments import (
    LineSource,
    action_count,
    delete_lines,
    insert_lines,
    large_step,
    record_action,
    require_segment,
)
from rapport.services.tables import CONTACT, ILE, LINE


@dataclass(frozen=True)
class AddResult:
    """What Add Contacts did: lines added, privacy-blocked contacts left out, actions now."""

    added: int
    skipped_privacy: int
    no_of_criteria_actions: int


def add_contacts(
    ctx: Ctx,
    segment_no: str,
    filters: Filters,
    *,
    expand_companies: bool = False,
    allow_related_companies: bool = False,
    ignore_exclusion: bool = False,
    allow_existing: bool = False,
) -> AddResult:
    """Add every contact selected by the filters and options to the segment (§3.4)."""
    options = ActionOptions(
        allow_existing_contacts=allow_existing,
        expand_contact=expand_companies,
        allow_company_with_persons=allow_related_companies,
        ignore_exclusion=ignore_exclusion,
    )
    criteria = criteria_of(filters, ctx.work_date)
    header = require_segment(ctx, segment_no)
    large_step(ctx.session)
    skipped = _count(ctx.session, _add_selection(criteria, header.no, options, privacy=True))
    action = record_action(
        ctx, header.no, CriteriaAction.ADD, options=options, filters=criteria.section_filters()
    )
    selection = _add_selection(criteria, header.no, options, privacy=False)
    source = LineSource(selection, contact=selection.get_final_froms()[0])
    added = insert_lines(ctx, header, source, action)
    return AddResult(added=added, skipped_privacy=skipped, no_of_criteria_actions=action.no)


def reduce_contacts(
    ctx: Ctx, segment_no: str, filters: Filters, *, entire_companies: bool = False
) -> int:
    """Remove the lines whose contact matches the filters (§3.5); returns lines removed."""
    return _remove(ctx, segment_no, CriteriaAction.REDUCE, filters, entire_companies)


def refine_contacts(
    ctx: Ctx, segment_no: str, filters: Filters, *, entire_companies: bool = False
) -> int:
    """Keep only the lines whose contact matches the filters (§3.5); returns lines removed."""
    return _remove(ctx, segment_no, CriteriaAction.REFINE, filters, entire_companies)


def _remove(
    ctx: Ctx,
    segment_no: str,
    action: CriteriaAction,
    filters: Filters,
    entire_companies: bool,
) -> int:
    criteria = criteria_of(filters, ctx.work_date)
    header = require_segment(ctx, segment_no)
    options = ActionOptions(entire_companies=entire_companies)
    ref = record_action(ctx, header.no, action, options=options, filters=criteria.section_filters())
    condition = _removal_condition(criteria, action, entire_companies)
    return delete_lines(ctx, header.no, condition, ref)


def preview(
    ctx: Ctx,
    segment_no: str,
    action: CriteriaAction,
    filters: Filters,
    options: ActionOptions = ActionOptions(),
) -> int:
    """How many lines Add would insert, or Reduce/Refine would delete; changes nothing."""
    criteria = criteria_of(filters, ctx.work_date)
    header = require_segment(ctx, segment_no, lock=False)
    large_step(ctx.session)
    if action is CriteriaAction.ADD:
        return _count(ctx.session, _add_selection(criteria, header.no, options, privacy=False))
    if action not in (CriteriaAction.REDUCE, CriteriaAction.REFINE):
        raise ValidationError(
            f"Cannot preview criteria action {action.value!r}",
            field="action",
            reason="unknown action",
        )
    condition = _removal_condition(criteria, action, options.entire_companies)
    stmt = select(func.count()).where(LINE.c.segment_no == header.no, condition)
    return int(ctx.session.execute(stmt).scalar_one())


def _count(session: Session, selection: Select[Any]) -> int:
    return int(session.execute(select(func.count()).select_from(selection.subquery())).scalar_one())


def _add_selection(
    criteria: Criteria, segment_no: str, options: ActionOptions, *, privacy: bool
) -> Select[Any]:
    """The contacts Add Contacts puts on lines (privacy=False), or leaves out for privacy (True).

    Match → Expand Companies → Allow Related Companies → drop excluded (after expansion) → drop
    contacts already on a line → each contact once (one row per contact of the contact table).
    """
    contact = CONTACT.alias("candidate")
    condition = contact_predicate(criteria, contact)
    if options.expand_contact or options.allow_company_with_persons:
        matched = CONTACT.alias("matched")
        pool: ContactNos = (
            expanded_contacts(criteria)
            if options.expand_contact
            else select(matched.c.no).where(contact_predicate(criteria, matched))
        )
        if options.allow_company_with_persons:
            pool = with_related_companies(pool)
        condition = contact.c.no.in_(pool)  # AND-ed: a semi-join on both engines
    blocked = contact.c.privacy_blocked
    conditions = [blocked if privacy else not_(blocked), condition]  # cheap test first
    if not options.ignore_exclusion:
        conditions.append(contact.c.exclude_from_segment == false())
    if not options.allow_existing_contacts:
        on_line = select(LINE.c.line_no).where(
            LINE.c.segment_no == segment_no, LINE.c.contact_no == contact.c.no
        )
        conditions.append(not_(exists(on_line.correlate(contact))))
    return select(contact.c.no.label("contact_no")).where(*conditions)


def _removal_condition(
    criteria: Criteria, action: CriteriaAction, entire_companies: bool
) -> ColumnElement[bool]:
    """Over segment_line: the line's contact is in the match set (Reduce) or not (Refine).

    Live contact data is used (K7): a line whose stored company no. is stale is judged by the
    contact's current company. Lines without a contact never match, so Refine removes them.
    """
    contact = CONTACT.alias("line_contact")
    match = (
        company_match(criteria, contact)
        if entire_companies
        else contact_predicate(criteria, contact)
    )
    in_set = exists(select(contact.c.no).where(contact.c.no == LINE.c.contact_no, match))
    return in_set if action is CriteriaAction.REDUCE else not_(in_set)


def reuse_logged_segment(
    ctx: Ctx,
    segment_no: str,
    logged_segment_entry_no: int,
    *,
    append: bool = False,
    ignore_exclusion: bool = False,
) -> int:
    """Add one line per interaction of a logged segment (§3.9, A2/Q06, K10); returns lines added.

    Lines follow the entries' order and take each entry's campaign; canceled entries count,
    duplicates stay; excluded contacts are left out unless ``ignore_exclusion``; privacy-blocked
    contacts always.
    """
    header = require_segment(ctx, segment_no)
    _require_logged_segment(ctx, logged_segment_entry_no)
    refuse_if_criteria(ctx.session, header.no, append, "reuse a logged segment")
    options = ActionOptions(allow_existing_contacts=True, ignore_exclusion=ignore_exclusion)
    entry_filter = {
        "logged_segment_entry_no": str(logged_segment_entry_no),
        INCLUDE_CANCELED: "Yes",
    }
    action = record_action(
        ctx,
        header.no,
        CriteriaAction.ADD,
        options=options,
        filters=[SectionFilter(CriteriaSection.INTERACTION, entry_filter)],
    )
    entries = _logged_entries(logged_segment_entry_no, ignore_exclusion)
    source = LineSource(entries, sort_key="entry_no", campaign_column="entry_campaign_no")
    return insert_lines(ctx, header, source, action)


def _require_logged_segment(ctx: Ctx, entry_no: int) -> None:
    get_or_raise(
        ctx, m.LoggedSegment, entry_no, what="Logged segment", field="logged_segment_entry_no"
    )


def _logged_entries(entry_no: int, ignore_exclusion: bool) -> Select[Any]:
    """The contacts of a logged segment's entries with entry no. and campaign (K10, E38)."""
    contact = CONTACT.alias("entry_contact")
    entries = (
        select(
            ILE.c.contact_no,
            ILE.c.entry_no.label("entry_no"),
            ILE.c.campaign_no.label("entry_campaign_no"),
        )
        .join(contact, contact.c.no == ILE.c.contact_no)
        .where(ILE.c.logged_segment_entry_no == entry_no, not_(contact.c.privacy_blocked))
    )
    if not ignore_exclusion:
        entries = entries.where(contact.c.exclude_from_segment == false())
    return entries


def refuse_if_criteria(session: Session, segment_no: str, append: bool, what: str) -> None:
    """A2/Q05/Q06: a segment that already has criteria actions needs ``append=True``."""
    count = action_count(session, segment_no)
    if count and not append:
        raise ConflictError(
            f"Segment {segment_no} already contains {count} criteria action(s); "
            f"pass append=True (--append) to {what} anyway",
            record=segment_no,
            field="no_of_criteria_actions",
            reason=f"{count} existing criteria actions",
        )
