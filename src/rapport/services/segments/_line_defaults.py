"""New segment lines defaulted from the segment header and the contact (SPEC §3.2, §3.4).

``defaulted_lines`` is the one SELECT that ``_lines.insert_lines`` inserts: the contact with what
§3.2 takes from it — company, alternate address on the line date, exclusion flag, salesperson
(the header's, else the contact's), correspondence type (header ignore flag → template →
contact), language (the contact's when the header has a row for it, else the default) —
numbered after the segment's last line. What the header gives (description, template, cost …,
attachment and subject of the line's language) is not copied: ``_resolved`` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Select,
    and_,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.services.tables import ALT_ADDRESS_RANGE, CONTACT, LANG, LINE

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
    #: The contact alias the select reads, when each of its rows is one row of it: the new
    #: lines then take the contact's columns from it instead of joining the contact again.
    contact: FromClause | None = None


def defaulted_lines(
    session: Session, header: m.SegmentHeader, source: LineSource, base: int
) -> Select[Any]:
    """The SELECT producing new segment_line rows (SPEC §3.2), one per source row, numbered
    base + LINE_STEP, base + 2 × LINE_STEP … in the §3.4 order or the source's own.

    Only what a line *is* is written: the contact and what §3.2 takes from it (company,
    alternate address on the line date, exclusion flag, salesperson, correspondence type,
    language). Everything the header gives is resolved when the line is read
    (``_resolved``). The lines are numbered over the narrow candidate rows first, so the sort
    carries only the sort keys and the contact's few columns."""
    if source.contact is not None:
        c, rows = source.contact, source.select
    else:
        src = source.select.subquery("src")
        c = CONTACT.alias("c")
        rows = select(src).join(c, c.c.no == src.c.contact_no)
    order = (
        [rows.selected_columns[source.sort_key]]
        if source.sort_key
        else [c.c.company_name, c.c.company_no, c.c.type, c.c.name, c.c.no]
    )
    salesperson = (
        literal(header.salesperson_code, LINE.c.salesperson_code.type)
        if header.salesperson_code
        else c.c.salesperson_code
    )
    numbered = rows.with_only_columns(
        c.c.no, c.c.company_no, c.c.exclude_from_segment,
        salesperson.label("salesperson_code"),
        _correspondence_type(session, header, c).label("correspondence_type"),
        func.coalesce(c.c.language_code, "").label("contact_language"),
        func.row_number().over(order_by=order).label("n"),
        maintain_column_froms=True,
    ).subquery("numbered")
    own_lang = LANG.alias("own_lang")
    header_lang = literal(header.language_code_default or "", LINE.c.language_code.type)
    alt = _active_alt_addresses(header)
    alt_code = (alt.c.code if alt is not None
                else literal(None, LINE.c.contact_alt_address_code.type))
    columns: list[ColumnElement[Any]] = [
        literal(header.no, LINE.c.segment_no.type).label("segment_no"),
        (literal(base, BigInteger) + LINE_STEP * numbered.c.n).label("line_no"),
        numbered.c.no.label("contact_no"),
        numbered.c.company_no.label("contact_company_no"),
        alt_code.label("contact_alt_address_code"),
        numbered.c.exclude_from_segment.label("contact_excluded"),
        numbered.c.salesperson_code,
        numbered.c.correspondence_type,
        # §3.2: the contact's language when the header has a row for it, else the default.
        case((own_lang.c.language_code.is_not(None), own_lang.c.language_code),
             else_=header_lang).label("language_code"),
    ]
    joined = numbered.outerjoin(own_lang, _header_lang_row(own_lang, header.no,
                                                            numbered.c.contact_language))
    if alt is not None:
        joined = joined.outerjoin(alt, alt.c.contact_no == numbered.c.no)
    return select(*columns).select_from(joined)


def campaign_overrides(header: m.SegmentHeader, source: LineSource, base: int) -> Select[Any]:
    """(line no., campaign) of the new lines whose source row gives another campaign than the
    header's (Reuse Segment, §3.9): those lines are personalised with it. The numbering is the
    one ``defaulted_lines`` gives the same source."""
    assert source.campaign_column and source.sort_key
    src = source.select.subquery("src")
    c = CONTACT.alias("c")
    numbered = (
        select(src.c[source.campaign_column].label("campaign_no"),
               func.row_number().over(order_by=[src.c[source.sort_key]]).label("n"))
        .select_from(src)
        .join(c, c.c.no == src.c.contact_no)
        .subquery("numbered")
    )
    return select(
        (literal(base, BigInteger) + LINE_STEP * numbered.c.n).label("line_no"),
        numbered.c.campaign_no,
    ).where(numbered.c.campaign_no.is_distinct_from(header.campaign_no))


def _header_lang_row(lang: Any, segment_no: str, language: ColumnElement[Any]) -> Any:
    return and_(
        lang.c.segment_no == segment_no,
        lang.c.segment_line_no == 0,
        lang.c.language_code == language,
    )


def _active_alt_addresses(header: m.SegmentHeader) -> Any:
    """Per contact, the alternate address active on the header's date (the latest starting
    one), as a subquery to join; None when the header has no date (no address is active)."""
    if header.date is None:
        return None
    rng = ALT_ADDRESS_RANGE
    active = and_(rng.c.starting_date <= header.date,
                  (rng.c.ending_date.is_(None)) | (rng.c.ending_date >= header.date))
    ranked = (
        select(rng.c.contact_no, rng.c.contact_alt_address_code.label("code"),
               func.row_number().over(partition_by=rng.c.contact_no,
                                      order_by=rng.c.starting_date.desc()).label("rank"))
        .where(active)
        .subquery("ranked")
    )
    return select(ranked.c.contact_no, ranked.c.code).where(ranked.c.rank == 1).subquery("alt")


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
