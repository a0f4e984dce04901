"""Segment interaction languages (SPEC §2.11, §3.2, §3.11): inherited and unique attachments.

Header-level rows (line 0) hold the attachment and subject per language that lines *inherit*;
line-level rows are *unique* to one line. The helpers here copy a template's language rows (with
their attachments copied to new attachment records), drop rows with their orphaned attachments,
and re-point lines at the header-level row of the right language with set-based UPDATEs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from rapport.db import models as m
from rapport.services.context import Ctx
from rapport.services.tables import ATTACHMENT, CONTACT, LANG, LINE
from rapport.services.templates import drop_attachments

_COPIED = ("file_name", "file_extension", "content", "storage_type", "storage_pointer")

INHERITED = "Inherited"
UNIQUE = "Unique"


def same_template(template_code: str | None) -> ColumnElement[bool]:
    """Lines whose template equals ``template_code`` (blank = blank)."""
    if template_code is None:
        return LINE.c.interaction_template_code.is_(None)
    return LINE.c.interaction_template_code == template_code


def has_unique_rows() -> ColumnElement[bool]:
    """The segment line (of an UPDATE/SELECT over segment_line) has its own language rows."""
    return exists().where(
        LANG.c.segment_no == LINE.c.segment_no, LANG.c.segment_line_no == LINE.c.line_no
    )


def attachment_inherited() -> ColumnElement[bool]:
    """The line's attachment is the header-level attachment of the line's language."""
    return and_(
        LINE.c.attachment_no.is_not(None),
        exists().where(
            LANG.c.segment_no == LINE.c.segment_no,
            LANG.c.segment_line_no == 0,
            LANG.c.language_code == LINE.c.language_code,
            LANG.c.attachment_no == LINE.c.attachment_no,
        ),
    )


def attachment_indicator() -> ColumnElement[str]:
    """The "Attachment" column of a line: Inherited, Unique or blank (§2.10)."""
    return case(
        (attachment_inherited(), literal(INHERITED)),
        (LINE.c.attachment_no.is_not(None), literal(UNIQUE)),
        else_=literal(""),
    )


def contact_value(column: str) -> Any:
    """A column of the line's contact, as a correlated scalar subquery (NULL without contact)."""
    stmt = select(CONTACT.c[column]).where(CONTACT.c.no == LINE.c.contact_no).correlate(LINE)
    return stmt.scalar_subquery()


def copy_attachment(ctx: Ctx, source_no: int | None) -> int | None:
    """A new attachment record with the content of ``source_no`` (copied in SQL)."""
    if source_no is None:
        return None
    now = ctx.now()
    source = select(
        *(ATTACHMENT.c[c] for c in _COPIED),
        literal(False, Boolean),
        literal(now, DateTime(timezone=True)),
        literal(now, DateTime(timezone=True)),
    ).where(ATTACHMENT.c.no == source_no)
    stmt = (
        insert(ATTACHMENT)
        .from_select([*_COPIED, "read_only", "last_modified_at", "created_at"], source)
        .returning(ATTACHMENT.c.no)
    )
    return ctx.session.execute(stmt).scalar_one_or_none()


def copy_template_languages(
    ctx: Ctx, segment_no: str, line_no: int, template_code: str
) -> list[m.SegmentInteractionLanguage]:
    """Copy a template's language rows to the segment (line 0 = header level), by language."""
    sources = ctx.session.scalars(
        select(m.InteractionTmplLanguage)
        .where(m.InteractionTmplLanguage.interaction_template_code == template_code)
        .order_by(m.InteractionTmplLanguage.language_code)
    ).all()
    rows = [
        m.SegmentInteractionLanguage(
            segment_no=segment_no,
            segment_line_no=line_no,
            language_code=src.language_code,
            description=src.description,
            attachment_no=copy_attachment(ctx, src.attachment_no),
            subject="",
            word_template_code=src.word_template_code,
        )
        for src in sources
    ]
    ctx.session.add_all(rows)
    ctx.session.flush()
    return rows


def drop_language_rows(ctx: Ctx, segment_no: str, line_no: int) -> None:
    """Delete the language rows of the header (0) or of one line, and their orphaned attachments."""
    where = and_(LANG.c.segment_no == segment_no, LANG.c.segment_line_no == line_no)
    attachments = ctx.session.scalars(select(LANG.c.attachment_no).where(where)).all()
    ctx.session.execute(delete(LANG).where(where))
    drop_attachments(ctx, attachments)


def refresh_inherited(ctx: Ctx, header: m.SegmentHeader, condition: ColumnElement[bool]) -> None:
    """§3.2 language rule for matching lines without unique rows, in one UPDATE."""
    ctx.session.execute(
        update(LINE)
        .where(LINE.c.segment_no == header.no, condition, ~has_unique_rows())
        .values(**inherited_values(header))
    )


def inherited_values(header: m.SegmentHeader) -> dict[str, Any]:
    """Per-line SQL for language, attachment, subject and Word template from the header rows.

    Language := the contact's language when a header-level row exists for it, else the header's
    default language; attachment, subject and Word template := those of that row.
    """
    own, default_row, probe = LANG.alias("own_row"), LANG.alias("default_row"), LANG.alias("probe")
    contact_lang = func.coalesce(contact_value("language_code"), "")
    default = header.language_code_default or ""

    def row_of(lang: Any, language: Any) -> list[ColumnElement[bool]]:
        return [lang.c.segment_no == header.no, lang.c.segment_line_no == 0,
                lang.c.language_code == language]

    has_own = and_(LINE.c.contact_no.is_not(None), exists().where(*row_of(probe, contact_lang)))

    def pick(column: str) -> Any:
        from_own = select(own.c[column]).where(*row_of(own, contact_lang)).scalar_subquery()
        from_default = (
            select(default_row.c[column]).where(*row_of(default_row, literal(default)))
            .scalar_subquery()
        )
        return case((has_own, from_own), else_=from_default)

    return {
        "language_code": case((has_own, contact_lang), else_=literal(default)),
        "attachment_no": pick("attachment_no"),
        "subject": func.coalesce(pick("subject"), ""),
        "word_template_code": func.coalesce(
            pick("word_template_code"),
            literal(header.word_template_code, LINE.c.word_template_code.type),
        ),
    }


def correspondence_type(
    header: m.SegmentHeader, template: m.InteractionTemplate | None
) -> ColumnElement[Any]:
    """§3.2 precedence for a line: header ignore flag → template → contact → previous value."""
    if header.ignore_contact_corres_type and header.correspondence_type_default:
        return literal(header.correspondence_type_default)
    own = contact_value("correspondence_type")
    if template is None:
        return func.coalesce(own, LINE.c.correspondence_type)
    if template.ignore_contact_corres_type:
        return literal(template.correspondence_type_default)
    return case(
        (func.coalesce(own, "") == "", literal(template.correspondence_type_default)),
        else_=own,
    )
