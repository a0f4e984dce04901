"""Segment interaction languages (SPEC §2.11, §3.2, §3.11): inherited and unique attachments.

Header-level rows (line 0) hold the attachment and subject per language that lines *inherit*;
line-level rows are *unique* to one line. The helpers here copy a template's language rows (with
their attachments copied to new attachment records), drop rows with their orphaned attachments,
and re-point lines at the header-level row of the right language with set-based UPDATEs: of the
line's language (segment_line), and of the attachment, subject and Word template of personalised
lines (segment_line_data); a line without data shows its row's values (``_resolved``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    FromClause,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from rapport.db import models as m
from rapport.services.context import Ctx
from rapport.services.segments._resolved import personalised
from rapport.services.tables import ATTACHMENT, CONTACT, LANG, LINE, LINE_DATA
from rapport.services.templates import drop_attachments

_COPIED = ("file_name", "file_extension", "content", "storage_type", "storage_pointer")

INHERITED = "Inherited"
UNIQUE = "Unique"


def same_template(template_code: str | None) -> ColumnElement[bool]:
    """Over segment_line_data: the personalised line's template equals ``template_code``
    (blank = blank)."""
    if template_code is None:
        return LINE_DATA.c.interaction_template_code.is_(None)
    return LINE_DATA.c.interaction_template_code == template_code


def follows_header_template(header: m.SegmentHeader) -> ColumnElement[bool]:
    """Over segment_line: the line's template is the header's — a line without data of its own
    shows the header's template; a personalised one has its own (§3.10 "affected lines")."""
    return or_(~personalised(), exists().where(
        LINE_DATA.c.segment_no == LINE.c.segment_no, LINE_DATA.c.line_no == LINE.c.line_no,
        same_template(header.interaction_template_code)))


def has_unique_rows() -> ColumnElement[bool]:
    """The segment line (of an UPDATE/SELECT over segment_line) has its own language rows."""
    return exists().where(
        LANG.c.segment_no == LINE.c.segment_no, LANG.c.segment_line_no == LINE.c.line_no
    )


def attachment_inherited(line: FromClause) -> ColumnElement[bool]:
    """Over a resolved line (``_resolved``): its attachment is the header-level attachment of
    its language."""
    return and_(
        line.c.attachment_no.is_not(None),
        exists().where(
            LANG.c.segment_no == line.c.segment_no,
            LANG.c.segment_line_no == 0,
            LANG.c.language_code == line.c.language_code,
            LANG.c.attachment_no == line.c.attachment_no,
        ),
    )


def attachment_indicator(line: FromClause) -> ColumnElement[str]:
    """The "Attachment" column of a resolved line: Inherited, Unique or blank (§2.10)."""
    return case(
        (attachment_inherited(line), literal(INHERITED)),
        (line.c.attachment_no.is_not(None), literal(UNIQUE)),
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
    """§3.2 language rule for matching lines (over segment_line) without unique rows: the
    language, and for personalised lines the attachment, subject and Word template of its
    header-level row (the others show them from the row anyway, see ``_resolved``)."""
    plain = and_(LINE.c.segment_no == header.no, condition, ~has_unique_rows())
    ctx.session.execute(update(LINE).where(plain).values(language_code=inherited_language(header)))
    data_of_plain = LINE_DATA.c.line_no.in_(select(LINE.c.line_no).where(plain))
    ctx.session.execute(
        update(LINE_DATA)
        .where(LINE_DATA.c.segment_no == header.no, data_of_plain)
        .values(**row_values(header))
    )


def inherited_language(header: m.SegmentHeader) -> ColumnElement[Any]:
    """Over segment_line: the contact's language when the header has a row for it, else the
    header's default language (§3.2)."""
    probe = LANG.alias("probe")
    contact_lang = func.coalesce(contact_value("language_code"), "")
    has_own = and_(LINE.c.contact_no.is_not(None), exists().where(
        probe.c.segment_no == header.no, probe.c.segment_line_no == 0,
        probe.c.language_code == contact_lang))
    return case((has_own, contact_lang), else_=literal(header.language_code_default or ""))


def row_values(header: m.SegmentHeader) -> dict[str, Any]:
    """Over segment_line_data: attachment, subject and Word template of the header-level row
    of the line's language (the header's Word template when the row has none)."""
    row = LANG.alias("row")
    language = select(LINE.c.language_code).where(
        LINE.c.segment_no == LINE_DATA.c.segment_no, LINE.c.line_no == LINE_DATA.c.line_no
    ).correlate(LINE_DATA).scalar_subquery()  # two levels down: named, not guessed

    def pick(column: str) -> Any:
        return select(row.c[column]).where(
            row.c.segment_no == header.no, row.c.segment_line_no == 0,
            row.c.language_code == language).scalar_subquery()

    return {
        "attachment_no": pick("attachment_no"),
        "subject": func.coalesce(pick("subject"), ""),
        "word_template_code": func.coalesce(
            pick("word_template_code"),
            literal(header.word_template_code, LINE_DATA.c.word_template_code.type),
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
