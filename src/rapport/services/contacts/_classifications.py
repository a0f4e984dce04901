"""A contact's classifications (SPEC §2.2): mailing groups, industry groups, business relations,
job responsibilities and profile answers, with who may have which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from rapport.db import models as m
from rapport.domain.codes import require_code
from rapport.domain.enums import (
    BusinessRelationLink,
    ContactType,
    ProfileContactType,
    ProfileLineType,
)
from rapport.errors import ConflictError, NotFoundError, ValidationError
from rapport.services.contacts._contacts import get_contact
from rapport.services.context import Ctx
from rapport.services.setup import ensure_exists


@dataclass(frozen=True)
class Classification:
    """One assignment table: its row model, code table, code column and who may have it."""

    model: type[Any]
    code_model: type[Any]
    code_field: str
    caption: str
    only: str | None = None  # ContactType value allowed, None = any contact


KINDS: dict[str, Classification] = {
    "mailing_group": Classification(m.ContactMailingGroup, m.MailingGroup,
                                    "mailing_group_code", "Mailing group"),
    "industry_group": Classification(m.ContactIndustryGroup, m.IndustryGroup,
                                     "industry_group_code", "Industry group",
                                     ContactType.COMPANY.value),
    "business_relation": Classification(m.ContactBusinessRelation, m.BusinessRelation,
                                        "business_relation_code", "Business relation",
                                        ContactType.COMPANY.value),
    "job_responsibility": Classification(m.ContactJobResponsibility, m.JobResponsibility,
                                         "job_responsibility_code", "Job responsibility",
                                         ContactType.PERSON.value),
}


def _kind(kind: str) -> Classification:
    key = kind.strip().lower().replace("-", "_")
    if key not in KINDS:
        raise NotFoundError(f"Unknown classification {kind!r}; known: {', '.join(KINDS)}",
                            field="kind", reason="unknown classification")
    return KINDS[key]


def assign(ctx: Ctx, contact_no: str, kind: str, code: str, *, link_to_table: str = "",
           link_no: str = "") -> Any:
    """Give a contact a mailing group, industry group, business relation or job responsibility."""
    spec = _kind(kind)
    contact = get_contact(ctx, contact_no)
    record = f"Contact {contact.no}"
    if spec.only is not None and contact.type != spec.only:
        who = "companies" if spec.only == ContactType.COMPANY else "persons"
        raise ValidationError(
            f"{spec.caption}s can only be assigned to {who}; {record} is a {contact.type}",
            record=record, field=spec.code_field, reason=f"only for {who}")
    value = ensure_exists(ctx, spec.code_model, code, field=spec.code_field, record=record)
    if value is None:
        raise ValidationError(f"{spec.caption} code must have a value", record=record,
                              field=spec.code_field, reason="blank")
    if ctx.session.get(spec.model, (contact.no, value)) is not None:
        raise ConflictError(f"{record} already has {spec.caption.lower()} {value}",
                            record=record, field=spec.code_field, reason="duplicate")
    row = spec.model(contact_no=contact.no, **{spec.code_field: value})
    if spec.model is m.ContactBusinessRelation:
        _link(row, link_to_table, link_no, record)
    ctx.session.add(row)
    ctx.session.flush()
    return row


def _link(row: m.ContactBusinessRelation, table: str, no: str, record: str) -> None:
    if table not in {v.value for v in BusinessRelationLink}:
        raise ValidationError(f"Link to Table {table!r} of {record} is not a valid option",
                              record=record, field="link_to_table", reason="invalid option")
    row.link_to_table, row.link_no = table, no.strip()


def unassign(ctx: Ctx, contact_no: str, kind: str, code: str) -> None:
    """Remove a classification from a contact."""
    spec = _kind(kind)
    contact = get_contact(ctx, contact_no)
    value = require_code(code, field=spec.code_field, record=f"Contact {contact.no}")
    row = ctx.session.get(spec.model, (contact.no, value))
    if row is None:
        raise NotFoundError(f"Contact {contact.no} has no {spec.caption.lower()} {value}",
                            record=f"Contact {contact.no}", field=spec.code_field)
    ctx.session.delete(row)
    ctx.session.flush()


def assigned_codes(ctx: Ctx, contact_no: str, kind: str) -> list[str]:
    """The codes of one classification a contact has, sorted."""
    spec = _kind(kind)
    contact = get_contact(ctx, contact_no)
    column = getattr(spec.model, spec.code_field)
    return list(ctx.session.scalars(select(column).where(spec.model.contact_no == contact.no)
                                    .order_by(column)))


def set_profile_answer(ctx: Ctx, contact_no: str, questionnaire_code: str, line_no: int
                       ) -> m.ContactProfileAnswer:
    """Record a contact's answer: an answer line of a questionnaire meant for its type."""
    contact = get_contact(ctx, contact_no)
    record = f"Contact {contact.no}"
    code = require_code(questionnaire_code, field="profile_questionnaire_code", record=record)
    questionnaire = ctx.session.get(m.ProfileQuestionnaire, code)
    line = ctx.session.get(m.ProfileQuestionnaireLine, (code, line_no))
    if questionnaire is None or line is None or line.type != ProfileLineType.ANSWER:
        raise ValidationError(
            f"Line {line_no} of profile questionnaire {code} is not an answer ({record})",
            record=record, field="line_no", reason="not an answer line")
    wanted = {ProfileContactType.COMPANIES: ContactType.COMPANY,
              ProfileContactType.PEOPLE: ContactType.PERSON}.get(
        ProfileContactType(questionnaire.contact_type))
    if wanted is not None and contact.type != wanted:
        raise ValidationError(f"Profile questionnaire {code} is for {questionnaire.contact_type}"
                              f"; {record} is a {contact.type}", record=record,
                              field="profile_questionnaire_code", reason="wrong contact type")
    if ctx.session.get(m.ContactProfileAnswer, (contact.no, code, line_no)) is not None:
        raise ConflictError(f"{record} already has answer {line_no} of {code}", record=record,
                            field="line_no", reason="duplicate")
    answer = m.ContactProfileAnswer(contact_no=contact.no, profile_questionnaire_code=code,
                                    line_no=line_no, last_date_updated=ctx.work_date)
    ctx.session.add(answer)
    ctx.session.flush()
    return answer


def remove_profile_answer(ctx: Ctx, contact_no: str, questionnaire_code: str,
                          line_no: int) -> None:
    """Remove a contact's answer."""
    contact = get_contact(ctx, contact_no)
    code = require_code(questionnaire_code, field="profile_questionnaire_code",
                        record=f"Contact {contact.no}")
    answer = ctx.session.get(m.ContactProfileAnswer, (contact.no, code, line_no))
    if answer is None:
        raise NotFoundError(f"Contact {contact.no} has no answer {line_no} of {code}",
                            record=f"Contact {contact.no}", field="line_no")
    ctx.session.delete(answer)
    ctx.session.flush()
