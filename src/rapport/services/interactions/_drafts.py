"""The Create Interaction wizard's draft (SPEC §3.17): starting points, defaults and templates.

A draft lives in memory (a web form, an API body, one CLI call); nothing is written until it is
finished or postponed (``services.interactions``). Start functions return a draft with the
reference's defaults: date = the work date, time = now rounded **up** to the next full minute,
interaction successful = yes, plus what the starting point pre-fills (contact, salesperson, or
the selected log entry: K17). ``locked`` names the fields the starting point fixed; a UI shows
them read-only, services do not refuse changing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, field_validator
from sqlalchemy import ColumnElement, func, select

from rapport.db.models import (
    AppUser,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    Salesperson,
)
from rapport.domain.enums import (
    CorrespondenceType,
    Evaluation,
    InformationFlow,
    InitiatedBy,
)
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Amount, Input, Minutes
from rapport.services.records import get_or_raise

_CODE_FIELDS = ("contact_no", "contact_company_no", "salesperson_code",
                "interaction_template_code", "interaction_group_code", "campaign_no",
                "word_template_code")


class DraftComment(Input):
    """One comment line; a blank date becomes the work date when the draft is written."""

    record: ClassVar[str] = "Comment"

    text: str
    date: dt.date | None = None


class DraftAttachment(Input):
    """A file the user uploaded in the wizard (wizard action Import)."""

    record: ClassVar[str] = "Attachment"

    file_name: str
    content: bytes

    @property
    def extension(self) -> str:
        """The file extension, lower-case, without the dot."""
        return self.file_name.rsplit(".", 1)[-1].lower()[:20] if "." in self.file_name else ""


class InteractionDraft(Input):
    """The fields of the Create Interaction wizard; ``entry_no`` is set for a resumed entry.

    It is the input of ``finish`` and ``postpone``; the wizard's steps return changed copies.
    """

    record: ClassVar[str] = "Interaction"

    entry_no: int | None = None
    contact_no: str | None = None
    contact_company_no: str | None = None
    salesperson_code: str | None = None
    interaction_template_code: str | None = None
    interaction_group_code: str | None = None
    description: str = ""
    language_code: str = ""
    date: dt.date | None = None
    time_of_interaction: dt.time | None = None
    correspondence_type: CorrespondenceType = CorrespondenceType.BLANK
    information_flow: InformationFlow = InformationFlow.BLANK
    initiated_by: InitiatedBy = InitiatedBy.BLANK
    campaign_no: str | None = None
    campaign_target: bool = False
    campaign_response: bool = False
    opportunity_no: str = ""
    todo_no: str = ""
    cost: Amount = Decimal("0")
    duration: Minutes = 0
    evaluation: Evaluation = Evaluation.BLANK
    interaction_successful: bool = True
    result_description: str = ""
    comments: list[DraftComment] = Field(default_factory=list)
    attachment_no: int | None = None
    upload: DraftAttachment | None = None
    word_template_code: str | None = None
    locked: frozenset[str] = frozenset()

    @field_validator(*_CODE_FIELDS, mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        """Codes are upper-cased and trimmed; blank is None (A6)."""
        if isinstance(value, str):
            return value.strip().upper() or None
        return value

    @field_validator("language_code", "opportunity_no", "todo_no", mode="before")
    @classmethod
    def _text_code(cls, value: Any) -> Any:
        if value is None:
            return ""
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("comments", mode="before")
    @classmethod
    def _comment_lines(cls, value: Any) -> Any:
        """Plain strings are accepted as comment lines without a date."""
        if isinstance(value, list):
            return [{"text": item} if isinstance(item, str) else item for item in value]
        return value


def interaction_time(now: dt.datetime, tz: dt.tzinfo | None = None) -> dt.time:
    """The wizard's default time: now (in ``tz``) plus one second, rounded up to the minute.

    As in the reference (``RoundDateTime(CurrentDateTime + 1000, 60000, '>')``): 12:33:59 gives
    12:34:00, and an exact minute 12:34:00 gives 12:35:00 (the time is always later than now).
    """
    local = now.astimezone(tz) if tz is not None and now.tzinfo is not None else now
    later = local + dt.timedelta(seconds=1)
    if later.second or later.microsecond:
        later = later.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return later.time().replace(tzinfo=None)


def get_contact(ctx: Ctx, contact_no: str) -> Contact:
    """The contact with this number, or E07."""
    return get_or_raise(ctx, Contact, contact_no.strip().upper(), what="Contact",
                        field="contact_no", code="E07")


def privacy_error(contact: Contact) -> RuleViolationError | None:
    """E38 for a privacy-blocked contact, else None."""
    if not contact.privacy_blocked:
        return None
    return RuleViolationError(
        f"Contact {contact.no} cannot be used because it is blocked for privacy reasons",
        code="E38", record=f"Contact {contact.no}", field="privacy_blocked",
        reason="privacy blocked")


#: How many candidates an ambiguous contact name lists.
_CANDIDATES = 10


def _usable_contact(ctx: Ctx, contact_no: str) -> Contact:
    contact = get_contact(ctx, contact_no)
    blocked = privacy_error(contact)
    if blocked is not None:
        raise blocked
    return contact


def find_contact(ctx: Ctx, text: str) -> Contact | None:
    """The contact typed in step 1: by number, else the one whose name is or contains the text.

    A name that several contacts share (or contain) is refused with the candidates listed
    (number, name, company), so the user picks one by its number: never a guess.
    """
    typed = text.strip()
    if not typed:
        return None
    exact = ctx.session.get(Contact, typed.upper())
    if exact is not None:
        return exact
    same = _named(ctx, func.lower(Contact.name) == typed.lower())
    if len(same) == 1:
        return same[0]
    found = same or _named(ctx, Contact.name.icontains(typed, autoescape=True))
    if len(found) > 1:
        raise _ambiguous(ctx, typed, found)
    return found[0] if found else None


def _named(ctx: Ctx, condition: ColumnElement[bool]) -> list[Contact]:
    stmt = select(Contact).where(condition).order_by(Contact.no).limit(_CANDIDATES + 1)
    return list(ctx.session.scalars(stmt))


def _ambiguous(ctx: Ctx, typed: str, found: Sequence[Contact]) -> ValidationError:
    shown = found[:_CANDIDATES]
    listed = "; ".join(
        f"{c.no} {c.name}" + (f" ({c.company_name})" if c.company_name and c.company_no != c.no
                             else "") for c in shown)  # fmt: skip
    more = " …" if len(found) > _CANDIDATES else ""
    return ValidationError(
        f"{typed!r} matches several contacts: {listed}{more}; give the contact's number",
        record="Contact", field="contact_no", reason="ambiguous name",
    )


def default_salesperson(ctx: Ctx, contact: Contact | None) -> str | None:
    """E-mail match (exactly one) > the user's User Setup salesperson > the contact's."""
    user = ctx.session.scalars(
        select(AppUser).where(func.upper(AppUser.user_id) == ctx.user_id.upper())).first()
    if user is not None and user.authentication_email.strip():
        email = user.authentication_email.strip().lower()
        matches = ctx.session.scalars(
            select(Salesperson.code).where(func.lower(Salesperson.email) == email).limit(2)).all()
        if len(matches) == 1:
            return matches[0]
    if user is not None and user.salesperson_code:
        return user.salesperson_code
    return contact.salesperson_code if contact is not None else None


def _started(ctx: Ctx, tz: dt.tzinfo | None, locked: Iterable[str],
             **values: Any) -> InteractionDraft:
    return InteractionDraft(date=ctx.work_date, time_of_interaction=interaction_time(ctx.now(), tz),
                            interaction_successful=True, locked=frozenset(locked), **values)


def start_from_contact(ctx: Ctx, contact_no: str, *, tz: dt.tzinfo | None = None
                       ) -> InteractionDraft:
    """Start the wizard from a contact (its company and the default salesperson pre-filled)."""
    contact = _usable_contact(ctx, contact_no)
    return _started(ctx, tz, {"contact_no"}, contact_no=contact.no,
                    contact_company_no=contact.company_no,
                    salesperson_code=default_salesperson(ctx, contact))


def start_from_salesperson(ctx: Ctx, salesperson_code: str, *, tz: dt.tzinfo | None = None
                           ) -> InteractionDraft:
    """Start the wizard from a salesperson, who is pre-filled."""
    code = salesperson_code.strip().upper()
    get_or_raise(ctx, Salesperson, code, what="Salesperson", field="salesperson_code",
                 code="E07")
    return _started(ctx, tz, {"salesperson_code"}, salesperson_code=code)


def start_from_entry(ctx: Ctx, entry_no: int, *, tz: dt.tzinfo | None = None
                     ) -> InteractionDraft:
    """Start from a selected log entry (K17): its contact, company, salesperson, campaign …"""
    entry = get_or_raise(ctx, InteractionLogEntry, entry_no, what="Interaction log entry",
                         field="entry_no")
    if entry.contact_no:
        _usable_contact(ctx, entry.contact_no)
    values = {"contact_no": entry.contact_no, "contact_company_no": entry.contact_company_no,
              "salesperson_code": entry.salesperson_code, "campaign_no": entry.campaign_no,
              "opportunity_no": entry.opportunity_no, "todo_no": entry.todo_no}
    return _started(ctx, tz, [name for name, value in values.items() if value], **values)


def _template(ctx: Ctx, code: str) -> InteractionTemplate:
    return get_or_raise(ctx, InteractionTemplate, code.strip().upper(),
                        what="Interaction template", field="interaction_template_code",
                        code="E07")


def _language_row(ctx: Ctx, template: InteractionTemplate, contact_no: str | None
                  ) -> tuple[str, InteractionTmplLanguage | None]:
    """The contact's language if the template has a row for it, else the template default."""
    contact = ctx.session.get(Contact, contact_no) if contact_no else None
    wanted = (contact.language_code or "") if contact is not None else None
    if wanted is not None:
        row = ctx.session.get(InteractionTmplLanguage, (template.code, wanted))
        if row is not None:
            return wanted, row
    default = template.language_code_default or ""
    return default, ctx.session.get(InteractionTmplLanguage, (template.code, default))


def apply_template(ctx: Ctx, draft: InteractionDraft, template_code: str) -> InteractionDraft:
    """Choose the interaction template: copy its defaults into the draft (step 1)."""
    template = _template(ctx, template_code)
    previous = (ctx.session.get(InteractionTemplate, draft.interaction_template_code)
                if draft.interaction_template_code else None)
    keep_description = draft.description.strip() and (
        previous is None or draft.description != previous.description)
    language, row = _language_row(ctx, template, draft.contact_no)
    row_word_template = row.word_template_code if row is not None else None
    return draft.model_copy(update={
        "interaction_template_code": template.code,
        "interaction_group_code": template.interaction_group_code,
        "description": draft.description if keep_description else template.description,
        "cost": Decimal(template.unit_cost), "duration": template.unit_duration,
        "information_flow": InformationFlow(template.information_flow),
        "initiated_by": InitiatedBy(template.initiated_by),
        "campaign_no": draft.campaign_no or template.campaign_no,
        "campaign_target": template.campaign_target,
        "campaign_response": template.campaign_response,
        "correspondence_type": CorrespondenceType(template.correspondence_type_default),
        "language_code": language,
        "attachment_no": row.attachment_no if row is not None else None,
        "word_template_code": row_word_template or template.word_template_code,
    })



def set_language(ctx: Ctx, draft: InteractionDraft, language_code: str) -> InteractionDraft:
    """Choose the language: its template row gives the attachment and Word template."""
    language = language_code.strip().upper()
    code = draft.interaction_template_code
    if code is None:
        return draft.model_copy(update={"language_code": language})
    row = ctx.session.get(InteractionTmplLanguage, (code, language))
    if row is None:
        raise NotFoundError(f"Interaction template {code} has no language {language!r}",
                            code="E07", record=f"Interaction Template {code}",
                            field="language_code", reason="no language row")
    template = _template(ctx, code)
    return draft.model_copy(update={
        "language_code": language, "attachment_no": row.attachment_no,
        "word_template_code": row.word_template_code or template.word_template_code})
