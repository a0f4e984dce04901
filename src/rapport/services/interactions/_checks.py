"""Checks of a wizard draft before it is written (SPEC §3.17, §3.13; E07, E08, E23–E25, E38).

Every problem is collected and reported at once: one problem is raised as itself, several as
``MultipleErrors``. Finishing checks everything (E25 completeness, E24 Open without attachment,
the Email attachment rule, E07 references, E38 privacy, the §3.13 e-mail rule with E08).
Postponing a draft (K16) only needs an existing, usable contact; codes that are filled must
still exist, since the entry references them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from rapport.db.models import (
    Attachment,
    Campaign,
    Contact,
    ContactAltAddrDateRange,
    ContactAltAddress,
    InteractionTemplate,
    Salesperson,
)
from rapport.domain.enums import CorrespondenceType, WizardAction
from rapport.errors import (
    MultipleErrors,
    NotFoundError,
    RapportError,
    RuleViolationError,
    ValidationError,
)
from rapport.services.context import Ctx
from rapport.services.interactions._drafts import InteractionDraft, privacy_error

_MANDATORY = (("interaction_template_code", "Interaction Template Code"),
              ("salesperson_code", "Salesperson Code"), ("date", "Date"),
              ("description", "Description"))
_TEXT_LIMITS = (("description", 100), ("result_description", 100), ("opportunity_no", 20),
                ("todo_no", 20), ("language_code", 20))


@dataclass(frozen=True)
class CheckedDraft:
    """What the checks resolved: the contact, the template and the final correspondence type."""

    contact: Contact
    template: InteractionTemplate | None
    correspondence_type: CorrespondenceType
    alt_address_code: str | None


def _record(draft: InteractionDraft) -> str:
    if draft.entry_no is not None:
        return f"Interaction Log Entry {draft.entry_no}"
    return f"Interaction for contact {draft.contact_no or '(none)'}"


def raise_all(problems: list[RapportError], summary: str) -> None:
    """Raise nothing, the one problem, or all of them as MultipleErrors."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise MultipleErrors(problems, summary=summary)


def check_first_step(draft: InteractionDraft) -> None:
    """Step 1 → Next: the template and the description are mandatory (E23)."""
    problems: list[RapportError] = []
    if not draft.interaction_template_code:
        problems.append(ValidationError("Interaction Template Code is mandatory", code="E23",
                                        record=_record(draft),
                                        field="interaction_template_code", reason="blank"))
    if not draft.description.strip():
        problems.append(ValidationError("Description is mandatory", code="E23",
                                        record=_record(draft), field="description",
                                        reason="blank"))
    raise_all(problems, "The interaction type is incomplete")


def _contact(ctx: Ctx, draft: InteractionDraft, problems: list[RapportError]) -> Contact | None:
    if not draft.contact_no:
        problems.append(ValidationError("You must select a contact to interact with", code="E25",
                                        record=_record(draft), field="contact_no",
                                        reason="blank"))
        return None
    contact = ctx.session.get(Contact, draft.contact_no)
    if contact is None:
        problems.append(_missing("Contact", draft.contact_no, "contact_no", draft))
        return None
    blocked = privacy_error(contact)
    if blocked is not None:
        problems.append(blocked)
    return contact


def _missing(what: str, code: str, field: str, draft: InteractionDraft) -> NotFoundError:
    return NotFoundError(f"{what} {code} does not exist ({_record(draft)})", code="E07",
                         record=_record(draft), field=field, reason="does not exist")


def _references(ctx: Ctx, draft: InteractionDraft, problems: list[RapportError]
                ) -> InteractionTemplate | None:
    """E07 for every filled code that does not exist; returns the template when it does."""
    template = None
    if draft.interaction_template_code:
        template = ctx.session.get(InteractionTemplate, draft.interaction_template_code)
        if template is None:
            problems.append(_missing("Interaction template", draft.interaction_template_code,
                                     "interaction_template_code", draft))
    if draft.salesperson_code and ctx.session.get(Salesperson, draft.salesperson_code) is None:
        problems.append(_missing("Salesperson", draft.salesperson_code, "salesperson_code",
                                 draft))
    if draft.campaign_no and ctx.session.get(Campaign, draft.campaign_no) is None:
        problems.append(_missing("Campaign", draft.campaign_no, "campaign_no", draft))
    if draft.attachment_no is not None and ctx.session.scalar(
            select(Attachment.no).where(Attachment.no == draft.attachment_no)) is None:
        problems.append(_missing("Attachment", str(draft.attachment_no), "attachment_no", draft))
    return template


def _texts(draft: InteractionDraft, problems: list[RapportError]) -> None:
    too_long = [(name, limit) for name, limit in _TEXT_LIMITS
                if len(getattr(draft, name)) > limit]
    too_long += [(f"comments[{i}]", 250) for i, c in enumerate(draft.comments)
                 if len(c.text) > 250]
    if draft.upload is not None and len(draft.upload.file_name) > 250:
        too_long.append(("upload.file_name", 250))
    problems.extend(ValidationError(f"{name} is longer than {limit} characters ({_record(draft)})",
                                    record=_record(draft), field=name,
                                    reason=f"at most {limit} characters")
                    for name, limit in too_long)


def _mandatory(draft: InteractionDraft, problems: list[RapportError]) -> None:
    for name, caption in _MANDATORY:
        value = getattr(draft, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(ValidationError(f"You must fill in the {caption} field",
                                            code="E25", record=_record(draft), field=name,
                                            reason="blank"))


def _has_content(ctx: Ctx, draft: InteractionDraft) -> bool:
    if draft.upload is not None and draft.upload.content:
        return True
    if draft.attachment_no is None:
        return False
    size = ctx.session.scalar(select(func.coalesce(func.length(Attachment.content), 0))
                              .where(Attachment.no == draft.attachment_no))
    return bool(size)


def _attachments(ctx: Ctx, draft: InteractionDraft, template: InteractionTemplate,
                 problems: list[RapportError]) -> None:
    """E24 (Open without attachment) and the Email rule of E25 (no content, no Word template)."""
    word_template = draft.word_template_code or template.word_template_code
    has_attachment = draft.attachment_no is not None or draft.upload is not None
    if template.wizard_action == WizardAction.OPEN and not has_attachment and not word_template:
        problems.append(RuleViolationError(
            f"No attachment found for interaction template {template.code} (wizard action "
            "Open): add one or choose a Word template on the interaction template",
            code="E24", record=_record(draft), field="attachment_no", reason="no attachment"))
    if (draft.correspondence_type == CorrespondenceType.EMAIL and not word_template
            and not _has_content(ctx, draft)):
        problems.append(RuleViolationError(
            f"The correspondence type is Email, which needs an interaction template with an "
            f"attachment or Word template; template {template.code} has none for language "
            f"'{draft.language_code}': change the contact's type, choose another template, or "
            "one that ignores the contact's type",
            code="E25", record=_record(draft), field="correspondence_type",
            reason="no attachment for Email"))


def active_alt_address(ctx: Ctx, contact_no: str, on: dt.date | None) -> ContactAltAddress | None:
    """The contact's alternate address active on a date (its date ranges), if any."""
    if on is None:
        return None
    code = ctx.session.scalar(
        select(ContactAltAddrDateRange.contact_alt_address_code)
        .where(ContactAltAddrDateRange.contact_no == contact_no,
               ContactAltAddrDateRange.starting_date <= on,
               or_(ContactAltAddrDateRange.ending_date.is_(None),
                   ContactAltAddrDateRange.ending_date >= on))
        .order_by(ContactAltAddrDateRange.starting_date.desc()).limit(1))
    return ctx.session.get(ContactAltAddress, (contact_no, code)) if code else None


def email_rule(contact: Contact, alt: ContactAltAddress | None, wanted: CorrespondenceType,
               deliver: bool) -> tuple[CorrespondenceType, RapportError | None]:
    """§3.13: Email without any address becomes blank, or fails (E08) when delivering."""
    if wanted != CorrespondenceType.EMAIL:
        return wanted, None
    result = wanted if contact.email.strip() else CorrespondenceType.BLANK
    if alt is not None:
        return (CorrespondenceType.EMAIL if alt.email.strip() else result), None
    if deliver and not contact.email.strip():
        return result, RuleViolationError(
            f"Make sure the E-Mail field is filled in for contact {contact.no} or for its "
            "alternate address", code="E08", record=f"Contact {contact.no}", field="email",
            reason="no e-mail address")
    return result, None


def check_for_finish(ctx: Ctx, draft: InteractionDraft, *, deliver: bool) -> CheckedDraft:
    """Every check of finishing the wizard; all problems are reported at once."""
    problems: list[RapportError] = []
    contact = _contact(ctx, draft, problems)
    _mandatory(draft, problems)
    template = _references(ctx, draft, problems)
    if template is not None:
        _attachments(ctx, draft, template, problems)
    _texts(draft, problems)
    kind, alt_code = draft.correspondence_type, None
    if contact is not None:
        alt = active_alt_address(ctx, contact.no, draft.date)
        alt_code = alt.code if alt is not None else None
        kind, problem = email_rule(contact, alt, draft.correspondence_type, deliver)
        if problem is not None:
            problems.append(problem)
    raise_all(problems, f"{_record(draft)} cannot be finished")
    assert contact is not None  # a missing contact is a problem raised above
    return CheckedDraft(contact, template, kind, alt_code)


def check_for_postpone(ctx: Ctx, draft: InteractionDraft) -> CheckedDraft:
    """K16: a draft is postponed with only its contact; filled codes must exist."""
    problems: list[RapportError] = []
    contact = _contact(ctx, draft, problems)
    template = _references(ctx, draft, problems)
    _texts(draft, problems)
    raise_all(problems, f"{_record(draft)} cannot be postponed")
    assert contact is not None
    alt = active_alt_address(ctx, contact.no, draft.date)
    return CheckedDraft(contact, template, draft.correspondence_type,
                        alt.code if alt is not None else None)
