"""New segment lines defaulted from the segment header and the contact (SPEC §3.2, §3.4).

``defaulted_lines`` is the one SELECT that ``segment_lines.insert_lines`` inserts: header fields
copied as they are, the salesperson, campaign, correspondence type, language (with the header's
language rows for subject, attachment and Word template) and the contact's alternate address on
the line date, numbered after the segment's last line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import BigInteger, ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.services.tables import CONTACT, LANG, LINE

#: New lines are numbered in steps, so that lines can be put between them (manual lines).
LINE_STEP = 10_000



@dataclass(frozen=True)
class LineSource:
    """Which contacts get new lines: a SELECT with a ``contact_no`` column.

    ``sort_key`` (a column name of the select) orders the new lines instead of the §3.4 order;
    ``campaign_column`` names a column whose value replaces the header's campaign (Reuse Segment).
    """

    select: Select[Any]
    sort_key: str | None = None
    campaign_column: str | None = None



def defaulted_lines(
    session: Session, header: m.SegmentHeader, source: LineSource, base: int
) -> Select[Any]:
    """The SELECT producing fully defaulted segment_line rows (SPEC §3.2), one per source row,
    numbered base + LINE_STEP, base + 2 × LINE_STEP … in the §3.4 order or the source's own."""
    src = source.select.subquery("src")
    c = CONTACT.alias("c")
    own_lang, default_lang = LANG.alias("own_lang"), LANG.alias("default_lang")
    header_lang = literal(header.language_code_default or "")
    order = (
        [src.c[source.sort_key]]
        if source.sort_key
        else [c.c.company_name, c.c.company_no, c.c.type, c.c.name, c.c.no]
    )
    campaign = (
        src.c[source.campaign_column]
        if source.campaign_column
        else literal(header.campaign_no, LINE.c.campaign_no.type)
    )
    salesperson = (
        literal(header.salesperson_code, LINE.c.salesperson_code.type)
        if header.salesperson_code
        else c.c.salesperson_code
    )
    number = literal(base, BigInteger) + LINE_STEP * func.row_number().over(order_by=order)
    columns: list[ColumnElement[Any]] = [
        literal(header.no).label("segment_no"),
        number.label("line_no"),
        c.c.no.label("contact_no"),
        c.c.company_no.label("contact_company_no"),
        _alt_address(c, header).label("contact_alt_address_code"),
        c.c.exclude_from_segment.label("contact_excluded"),
        campaign.label("campaign_no"),
        salesperson.label("salesperson_code"),
        _correspondence_type(session, header, c).label("correspondence_type"),
        *_language_columns(header, header_lang, own_lang, default_lang),
        *[literal(v, LINE.c[k].type).label(k) for k, v in _header_values(header).items()],
    ]
    contact_lang = func.coalesce(c.c.language_code, "")
    return (
        select(*columns)
        .select_from(src)
        .join(c, c.c.no == src.c.contact_no)
        .outerjoin(own_lang, _header_lang_row(own_lang, header.no, contact_lang))
        .outerjoin(default_lang, _header_lang_row(default_lang, header.no, header_lang))
    )


def _language_columns(header: m.SegmentHeader, header_lang: ColumnElement[Any], own_lang: Any,
                      default_lang: Any) -> list[ColumnElement[Any]]:
    """The line's language: the header's language row for the contact's language when there is
    one, else the header's default language; subject, attachment and Word template from that
    row, else from the default language's row (§3.2)."""
    return [
        case(
            (own_lang.c.language_code.is_not(None), own_lang.c.language_code),
            else_=header_lang,
        ).label("language_code"),
        func.coalesce(own_lang.c.attachment_no, default_lang.c.attachment_no).label(
            "attachment_no"
        ),
        func.coalesce(own_lang.c.subject, default_lang.c.subject, "").label("subject"),
        func.coalesce(
            own_lang.c.word_template_code,
            default_lang.c.word_template_code,
            literal(header.word_template_code, LINE.c.word_template_code.type),
        ).label("word_template_code"),
    ]


def _header_values(header: m.SegmentHeader) -> dict[str, Any]:
    """Line fields that are copied from the header as they are (§3.2 step 1)."""
    return {
        "description": header.description,
        "interaction_template_code": header.interaction_template_code,
        "interaction_group_code": header.interaction_group_code,
        "cost": header.unit_cost,
        "duration": header.unit_duration,
        "date": header.date,
        "campaign_target": header.campaign_target,
        "campaign_response": header.campaign_response,
        "information_flow": header.information_flow,
        "initiated_by": header.initiated_by,
        "send_word_doc_as_attmt": header.send_word_docs_as_attmt,
    }


def _header_lang_row(lang: Any, segment_no: str, language: ColumnElement[Any]) -> Any:
    return and_(
        lang.c.segment_no == segment_no,
        lang.c.segment_line_no == 0,
        lang.c.language_code == language,
    )


def _alt_address(c: Any, header: m.SegmentHeader) -> ColumnElement[Any]:
    """The contact's alternate address active on the line date (blank if none)."""
    rng = m.table(m.ContactAltAddrDateRange)
    if header.date is None:
        return literal(None, LINE.c.contact_alt_address_code.type)
    active = and_(
        rng.c.contact_no == c.c.no,
        rng.c.starting_date <= header.date,
        (rng.c.ending_date.is_(None)) | (rng.c.ending_date >= header.date),
    )
    return (
        select(rng.c.contact_alt_address_code)
        .where(active)
        .order_by(rng.c.starting_date.desc())
        .limit(1)
        .scalar_subquery()
    )


def _correspondence_type(session: Session, header: m.SegmentHeader, c: Any) -> ColumnElement[Any]:
    """§3.2: header ignore flag → template default → the contact's own type."""
    if header.ignore_contact_corres_type and header.correspondence_type_default:
        return literal(header.correspondence_type_default)
    template = (
        session.get(m.InteractionTemplate, header.interaction_template_code)
        if header.interaction_template_code
        else None
    )
    if template is None:
        return cast(ColumnElement[Any], c.c.correspondence_type)
    if template.ignore_contact_corres_type:
        return literal(template.correspondence_type_default)
    return case(
        (c.c.correspondence_type == "", literal(template.correspondence_type_default)),
        else_=c.c.correspondence_type,
    )
