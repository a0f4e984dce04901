"""Classification code tables (territory, language, mailing group …) and profile questionnaires.

Every table is a code plus a description (``name`` for territory, language and country/region).
A code that any other row refers to cannot be deleted; the error names the referring table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from sqlalchemy import Column, ColumnElement, and_, func, select

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.domain.enums import ProfileContactType, ProfileLineType
from rapport.errors import ConflictError, NotFoundError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise


@dataclass(frozen=True)
class CodeTable:
    """One classification table: its model, caption, and the column holding its text."""

    model: type[Any]
    caption: str
    text_field: str = "description"
    max_length: int = 10


CODE_TABLES: dict[str, CodeTable] = {
    "territory": CodeTable(m.Territory, "Territory", "name"),
    "language": CodeTable(m.Language, "Language", "name"),
    "country_region": CodeTable(m.CountryRegion, "Country/Region", "name"),
    "salutation": CodeTable(m.Salutation, "Salutation"),
    "mailing_group": CodeTable(m.MailingGroup, "Mailing Group"),
    "industry_group": CodeTable(m.IndustryGroup, "Industry Group"),
    "business_relation": CodeTable(m.BusinessRelation, "Business Relation"),
    "job_responsibility": CodeTable(m.JobResponsibility, "Job Responsibility"),
    "campaign_status": CodeTable(m.CampaignStatus, "Campaign Status"),
    "profile_questionnaire": CodeTable(m.ProfileQuestionnaire, "Profile Questionnaire",
                                       max_length=20),
}

# Columns that hold a language code as text (blank language is a valid value, so no foreign key).
_LANGUAGE_TEXT_REFS = [
    m.InteractionTmplLanguage.language_code,
    m.InteractionTemplate.language_code_default,
    m.SegmentHeader.language_code_default,
    m.SegmentLine.language_code,
    m.SegmentInteractionLanguage.language_code,
    m.InteractionLogEntry.interaction_language_code,
]


def code_table(table: str) -> CodeTable:
    """The code table called ``table`` (``mailing-group`` and ``mailing_group`` both work)."""
    key = table.strip().lower().replace("-", "_").replace("/", "_")
    try:
        return CODE_TABLES[key]
    except KeyError:
        known = ", ".join(sorted(CODE_TABLES))
        raise NotFoundError(f"Unknown code table {table!r}; known tables: {known}",
                            field="table", reason="unknown table") from None


def ensure_exists(
    ctx: Ctx, model: type[Any], value: str | None, *, field: str, record: str
) -> str | None:
    """Normalise a reference to a code (blank → None) and refuse a code that does not exist."""
    code = normalize_code(value, field=field, record=record)
    if code is not None and ctx.session.get(model, code) is None:
        caption = getattr(model, "__tablename__", model.__name__).replace("_", " ")
        raise NotFoundError(
            f"{field} {code} of {record} does not exist (no {caption} {code})",
            record=record, field=field, reason="does not exist",
        )
    return code


class CodeInput(Input):
    """A new code of a classification table; ``description`` is the name where the table has
    names (territory, language, country/region)."""

    record: ClassVar[str] = "Code"

    code: str
    description: str = ""


class CodeChanges(Input):
    """Changes to a code: its description (or name)."""

    record: ClassVar[str] = "Code"

    description: str | None = None


def create_code(ctx: Ctx, table: str, data: CodeInput) -> Any:
    """Create a code in a classification table."""
    spec = code_table(table)
    key = require_code(data.code, field="code", max_length=spec.max_length, record=spec.caption)
    if ctx.session.get(spec.model, key) is not None:
        raise ConflictError(f"{spec.caption} {key} already exists",
                            record=f"{spec.caption} {key}", field="code", reason="duplicate")
    row = spec.model(code=key, **{spec.text_field: data.description.strip()})
    ctx.session.add(row)
    ctx.session.flush()
    return row


def update_code(ctx: Ctx, table: str, code: str, changes: CodeChanges) -> Any:
    """Change the description (or name) of a code."""
    spec = code_table(table)
    row = _get(ctx, spec, code)
    if "description" in changes.model_fields_set:
        setattr(row, spec.text_field, (changes.description or "").strip())
    ctx.session.flush()
    return row


def list_codes(ctx: Ctx, table: str) -> list[tuple[str, str]]:
    """Every code of a table with its description, by code."""
    spec = code_table(table)
    rows = ctx.session.scalars(select(spec.model).order_by(spec.model.code)).all()
    return [(r.code, getattr(r, spec.text_field)) for r in rows]


def delete_code(ctx: Ctx, table: str, code: str) -> None:
    """Delete a code that nothing refers to."""
    spec = code_table(table)
    row = _get(ctx, spec, code)
    if spec.model is m.ProfileQuestionnaire:
        _refuse_if_answered(ctx, m.ContactProfileAnswer.profile_questionnaire_code == row.code,
                            f"{spec.caption} {row.code}")
    for column in _referring_columns(spec.model):
        _refuse_if_used(ctx, column, row.code, f"{spec.caption} {row.code}")
    ctx.session.delete(row)
    ctx.session.flush()


def _get(ctx: Ctx, spec: CodeTable, code: str) -> Any:
    key = require_code(code, field="code", max_length=spec.max_length, record=spec.caption)
    return get_or_raise(ctx, spec.model, key, what=spec.caption, field="code")


def _referring_columns(model: type[Any]) -> list[Column[Any]]:
    """Columns of other tables that refer to this table's code (owned, cascading rows excluded)."""
    target = model.__table__
    columns: list[Column[Any]] = [
        fk.parent
        for table in m.Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is target and (fk.ondelete or "").upper() != "CASCADE"
    ]
    if model is m.Language:
        columns += [c.property.columns[0] for c in _LANGUAGE_TEXT_REFS]
    return columns


def _refuse_if_used(ctx: Ctx, column: Column[Any], code: str, record: str) -> None:
    count = ctx.session.scalar(select(func.count()).select_from(column.table)
                               .where(column == code))
    if count:
        used_by = column.table.name.replace("_", " ")
        raise ConflictError(
            f"{record} cannot be deleted because it is used by {count} {used_by} row(s) "
            f"({column.name})", record=record, field="code", reason="in use",
        )


def _refuse_if_answered(ctx: Ctx, condition: ColumnElement[bool], record: str) -> None:
    count = ctx.session.scalar(select(func.count()).select_from(m.ContactProfileAnswer)
                               .where(condition))
    if count:
        raise ConflictError(
            f"{record} cannot be deleted because {count} contact profile answer(s) use it",
            record=record, field="code", reason="in use",
        )


class QuestionnaireChanges(Input):
    """Changes to a profile questionnaire: which contacts it applies to (blank, Companies,
    People) and its priority; its description is the code's (``update_code``)."""

    record: ClassVar[str] = "Profile Questionnaire"

    contact_type: str | None = None
    priority: int | None = None


class QuestionnaireLineInput(Input):
    """A new question or answer line; without a line number it steps by 10 000."""

    record: ClassVar[str] = "Profile Questionnaire Line"

    type: str
    description: str = ""
    line_no: int | None = None


def set_questionnaire(
    ctx: Ctx, code: str, changes: QuestionnaireChanges
) -> m.ProfileQuestionnaire:
    """Set which contacts a questionnaire applies to (blank, Companies, People) and its priority."""
    row = _get(ctx, code_table("profile_questionnaire"), code)
    given = changes.given()
    if "contact_type" in given:
        contact_type = given["contact_type"] or ""
        if contact_type not in {t.value for t in ProfileContactType}:
            raise ValidationError(
                f"Contact Type {contact_type!r} of Profile Questionnaire {row.code} must be one "
                "of '', 'Companies', 'People'", record=f"Profile Questionnaire {row.code}",
                field="contact_type", reason="invalid option")
        row.contact_type = contact_type
    if "priority" in given:
        row.priority = given["priority"] or 0
    ctx.session.flush()
    return cast(m.ProfileQuestionnaire, row)


def add_questionnaire_line(
    ctx: Ctx, code: str, data: QuestionnaireLineInput
) -> m.ProfileQuestionnaireLine:
    """Add a question or an answer line; the line number steps by 10 000 when not given."""
    questionnaire = _get(ctx, code_table("profile_questionnaire"), code)
    record = f"Profile Questionnaire {questionnaire.code}"
    type, description, line_no = data.type, data.description, data.line_no
    if type not in {t.value for t in ProfileLineType}:
        raise ValidationError(f"Line type {type!r} on {record} must be Question or Answer",
                              record=record, field="type", reason="invalid option")
    if line_no is None:
        last = ctx.session.scalar(
            select(func.max(m.ProfileQuestionnaireLine.line_no))
            .where(m.ProfileQuestionnaireLine.profile_questionnaire_code == questionnaire.code))
        line_no = (last or 0) + 10000
    elif line_no <= 0:
        raise ValidationError(f"Line No. on {record} must be positive", record=record,
                              field="line_no", reason="not positive")
    if ctx.session.get(m.ProfileQuestionnaireLine, (questionnaire.code, line_no)) is not None:
        raise ConflictError(f"Line {line_no} of {record} already exists", record=record,
                            field="line_no", reason="duplicate")
    line = m.ProfileQuestionnaireLine(profile_questionnaire_code=questionnaire.code,
                                      line_no=line_no, type=type, description=description)
    ctx.session.add(line)
    ctx.session.flush()
    return line


def delete_questionnaire_line(ctx: Ctx, code: str, line_no: int) -> None:
    """Delete a questionnaire line no contact has chosen as an answer."""
    key = require_code(code, field="code", record="Profile Questionnaire")
    record = f"Line {line_no} of Profile Questionnaire {key}"
    line = get_or_raise(ctx, m.ProfileQuestionnaireLine, (key, line_no),
                        what="Profile Questionnaire Line", field="line_no", label=record)
    _refuse_if_answered(ctx, and_(m.ContactProfileAnswer.profile_questionnaire_code == key,
                                  m.ContactProfileAnswer.line_no == line_no), record)
    ctx.session.delete(line)
    ctx.session.flush()


def list_questionnaire_lines(ctx: Ctx, code: str) -> Sequence[m.ProfileQuestionnaireLine]:
    """The lines of a questionnaire in order."""
    key = _get(ctx, code_table("profile_questionnaire"), code).code
    return ctx.session.scalars(
        select(m.ProfileQuestionnaireLine)
        .where(m.ProfileQuestionnaireLine.profile_questionnaire_code == key)
        .order_by(m.ProfileQuestionnaireLine.line_no)).all()
