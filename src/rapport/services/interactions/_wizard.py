"""The whole Create Interaction wizard in one call, for the CLI and the API (SPEC §3.17, §3.18).

A draft only lives in memory, so an edge that cannot keep it between requests states the user's
input as ``DraftChanges`` and calls ``create_interaction`` (start → template → fields → finish or
postpone) or ``complete_postponed`` (resume → fields → finish or postpone again). An edge that
keeps drafts between requests stores them with ``_stored_drafts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from pydantic import Field
from sqlalchemy import func, select

from rapport.db.models import Contact, InteractionLogEntry, InterLogEntryCommentLine
from rapport.domain.enums import CorrespondenceType, Evaluation, InformationFlow, InitiatedBy
from rapport.errors import NotFoundError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Amount, Input, Minutes
from rapport.services.interactions import _interactions as interactions
from rapport.services.interactions._drafts import (
    DraftAttachment,
    DraftComment,
    InteractionDraft,
    apply_template,
    find_contact,
    set_language,
    start_from_contact,
    start_from_entry,
    start_from_salesperson,
)


class DraftChanges(Input):
    """What the user typed in the wizard; only the fields explicitly given are applied.

    ``contact`` is a contact number or part of a name (step 1: no match clears the contact);
    ``template_code`` applies the template's defaults before the other fields are set;
    ``add_comments`` appends comment lines, ``comments`` replaces them.
    """

    record: ClassVar[str] = "Interaction"

    contact: str | None = None
    template_code: str | None = None
    salesperson_code: str | None = None
    description: str | None = None
    language_code: str | None = None
    date: dt.date | None = None
    time_of_interaction: dt.time | None = None
    correspondence_type: CorrespondenceType | None = None
    information_flow: InformationFlow | None = None
    initiated_by: InitiatedBy | None = None
    campaign_no: str | None = None
    campaign_target: bool | None = None
    campaign_response: bool | None = None
    opportunity_no: str | None = None
    todo_no: str | None = None
    cost: Amount | None = None
    duration: Minutes | None = None
    evaluation: Evaluation | None = None
    interaction_successful: bool | None = None
    result_description: str | None = None
    comments: list[DraftComment] | None = None
    add_comments: list[str] = Field(default_factory=list)
    upload: DraftAttachment | None = None


_NOT_CLEARABLE = {"description", "correspondence_type", "information_flow",
                  "initiated_by", "campaign_target", "campaign_response", "opportunity_no",
                  "todo_no", "cost", "duration", "evaluation", "interaction_successful",
                  "result_description", "comments"}


def apply_changes(ctx: Ctx, draft: InteractionDraft, changes: DraftChanges) -> InteractionDraft:
    """The draft with the user's changes applied (contact first, then template, then fields)."""
    given = changes.model_fields_set
    if "contact" in given:
        contact = find_contact(ctx, changes.contact or "")
        draft = draft.model_copy(update={
            "contact_no": contact.no if contact is not None else None,
            "contact_company_no": contact.company_no if contact is not None else None})
    if "template_code" in given:
        if changes.template_code:
            draft = apply_template(ctx, draft, changes.template_code)
        else:
            draft = draft.model_copy(update={"interaction_template_code": None,
                                              "interaction_group_code": None})
    if changes.language_code is not None:
        draft = set_language(ctx, draft, changes.language_code)
    updates = {name: getattr(changes, name) for name in given
               if name not in {"contact", "template_code", "add_comments", "language_code"}
               and not (name in _NOT_CLEARABLE and getattr(changes, name) is None)}
    data = {**draft.model_dump(), **updates}
    if changes.add_comments:
        data["comments"] = [*data["comments"], *({"text": t} for t in changes.add_comments)]
    return InteractionDraft.model_validate(data)


@dataclass(frozen=True)
class RecordedInteraction:
    """The entry a wizard call wrote, as the edges show it."""

    entry_no: int
    postponed: bool
    contact_no: str | None
    contact_name: str
    interaction_template_code: str | None
    description: str
    subject: str
    date: dt.date | None
    time_of_interaction: dt.time | None
    salesperson_code: str | None
    campaign_no: str | None
    campaign_entry_no: int | None
    correspondence_type: str
    delivery_status: str
    evaluation: str
    attempt_failed: bool
    cost: Decimal
    duration: int
    comment_lines: int


def recorded_interaction(ctx: Ctx, entry_no: int) -> RecordedInteraction:
    """One log entry with its contact name and number of comment lines (one query)."""
    ile = InteractionLogEntry
    comments = (select(func.count()).select_from(InterLogEntryCommentLine)
                .where(InterLogEntryCommentLine.entry_no == ile.entry_no)
                .correlate(ile).scalar_subquery())
    row = ctx.session.execute(
        select(ile.entry_no, ile.postponed, ile.contact_no, func.coalesce(Contact.name, ""),
               ile.interaction_template_code, ile.description, ile.subject, ile.date,
               ile.time_of_interaction, ile.salesperson_code, ile.campaign_no,
               ile.campaign_entry_no, ile.correspondence_type, ile.delivery_status,
               ile.evaluation, ile.attempt_failed, ile.cost, ile.duration, comments)
        .outerjoin(Contact, Contact.no == ile.contact_no)
        .where(ile.entry_no == entry_no)).one()
    return RecordedInteraction(*row)


def start_draft(ctx: Ctx, contact_no: str | None, salesperson_code: str | None,
                from_entry: int | None, tz: dt.tzinfo | None) -> InteractionDraft:
    """A new draft from exactly one starting point (a contact, a salesperson, a log entry)."""
    given = [v for v in (contact_no, salesperson_code, from_entry) if v not in (None, "")]
    if len(given) != 1:
        raise ValidationError(
            "Start the interaction from exactly one of: a contact, a salesperson, a log entry",
            field="start", reason=f"{len(given)} starting points given")
    if contact_no:
        contact = find_contact(ctx, contact_no)
        if contact is None:
            raise NotFoundError(f"No contact has the number or a name containing {contact_no!r}",
                                code="E07", record="Contact", field="contact_no",
                                reason="no match")
        return start_from_contact(ctx, contact.no, tz=tz)
    if salesperson_code:
        return start_from_salesperson(ctx, salesperson_code, tz=tz)
    assert from_entry is not None
    return start_from_entry(ctx, from_entry, tz=tz)


def _write(ctx: Ctx, draft: InteractionDraft, *, postpone: bool, deliver: bool) -> int:
    if postpone:
        return interactions.postpone(ctx, draft)
    return interactions.finish(ctx, draft, deliver=deliver)


def create_interaction(
    ctx: Ctx, changes: DraftChanges, *, contact_no: str | None = None,
    salesperson_code: str | None = None, from_entry: int | None = None,
    postpone: bool = False, deliver: bool = True, tz: dt.tzinfo | None = None,
) -> RecordedInteraction:
    """Run the wizard from one starting point, apply the changes, then finish or postpone."""
    draft = start_draft(ctx, contact_no, salesperson_code, from_entry, tz)
    draft = apply_changes(ctx, draft, changes)
    return recorded_interaction(ctx, _write(ctx, draft, postpone=postpone, deliver=deliver))


def complete_postponed(ctx: Ctx, entry_no: int, changes: DraftChanges, *,
                       postpone: bool = False, deliver: bool = True) -> RecordedInteraction:
    """Resume a postponed interaction, apply the changes, then finish it (or postpone again)."""
    draft = apply_changes(ctx, interactions.resume(ctx, entry_no), changes)
    return recorded_interaction(ctx, _write(ctx, draft, postpone=postpone, deliver=deliver))
