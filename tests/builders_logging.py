"""Builders for the logging tests: segments with lines defaulted like SPEC §3.2, written directly.

They insert header and lines with the models (no segment services), so the logging tests do not
depend on another area. ``bulk_segment`` builds a large segment set-based (contacts + lines).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, String, cast, func, insert, literal, select
from sqlalchemy.orm import Session

from rapport.db import models as m
from rapport.services.segments import lines_changed
from rapport.services.tables import LINE_FIELDS, MEMBERSHIP
from tests.conftest import WORK_DATE


def make_segment(
    session: Session,
    no: str = "SEG0001",
    *,
    description: str = "Spring",
    template_code: str | None = None,
    campaign_no: str | None = None,
    salesperson_code: str | None = "SP1",
    date: dt.date | None = WORK_DATE,
    **kw: Any,
) -> m.SegmentHeader:
    """A segment header with the interaction defaults of its template copied onto it."""
    values: dict[str, Any] = dict(
        no=no, description=description, campaign_no=campaign_no,
        salesperson_code=salesperson_code, date=date, interaction_template_code=template_code,
        user_id="U1",
    )
    template = session.get(m.InteractionTemplate, template_code) if template_code else None
    if template is not None:
        values.update(
            interaction_group_code=template.interaction_group_code,
            unit_cost=template.unit_cost, unit_duration=template.unit_duration,
            information_flow=template.information_flow, initiated_by=template.initiated_by,
            correspondence_type_default=template.correspondence_type_default,
            ignore_contact_corres_type=template.ignore_contact_corres_type,
            language_code_default=template.language_code_default,
            word_template_code=template.word_template_code,
        )
    values.update(kw)
    header = m.SegmentHeader(**values)
    session.add(header)
    session.flush()
    return header


def _correspondence_type(header: m.SegmentHeader, template: m.InteractionTemplate | None,
                         contact: m.Contact) -> str:
    """§3.2: header ignore flag → template default → the contact's own type."""
    if header.ignore_contact_corres_type and header.correspondence_type_default:
        return header.correspondence_type_default
    if template is not None and (template.ignore_contact_corres_type
                                 or not contact.correspondence_type):
        return template.correspondence_type_default
    return contact.correspondence_type


def _language_row(session: Session, template: m.InteractionTemplate | None,
                  contact: m.Contact) -> m.InteractionTmplLanguage | None:
    if template is None:
        return None
    for language in (contact.language_code or "", template.language_code_default):
        row = session.get(m.InteractionTmplLanguage, (template.code, language))
        if row is not None:
            return row
    return None


def line_defaults(session: Session, header: m.SegmentHeader, contact_no: str) -> dict[str, Any]:
    """The values a line for ``contact_no`` gets from the header, its template and the contact."""
    contact = session.get(m.Contact, contact_no)
    assert contact is not None, contact_no
    code = header.interaction_template_code
    template = session.get(m.InteractionTemplate, code) if code else None
    language = _language_row(session, template, contact)
    return dict(
        contact_no=contact.no, contact_company_no=contact.company_no,
        description=header.description, campaign_no=header.campaign_no,
        salesperson_code=header.salesperson_code or contact.salesperson_code,
        correspondence_type=_correspondence_type(header, template, contact),
        interaction_template_code=code, interaction_group_code=header.interaction_group_code,
        cost=header.unit_cost, duration=header.unit_duration, date=header.date,
        campaign_target=header.campaign_target, campaign_response=header.campaign_response,
        information_flow=header.information_flow, initiated_by=header.initiated_by,
        word_template_code=header.word_template_code,
        language_code=language.language_code if language else "",
        attachment_no=language.attachment_no if language else None,
    )


def add_line(session: Session, header: m.SegmentHeader, contact_no: str | None,
             **overrides: Any) -> m.SegmentLine:
    """Append a line (last line no. + 10 000) defaulted per §3.2, then apply ``overrides``.

    The line is written as a personalised line: its membership row and a data row holding the
    values computed here (from the template's language rows), whatever the header shows."""
    last = session.scalar(select(func.max(m.SegmentLine.line_no))
                          .where(m.SegmentLine.segment_no == header.no)) or 0
    line_no = overrides.pop("line_no", last + 10000)
    values = line_defaults(session, header, contact_no) if contact_no else {
        "description": header.description, "salesperson_code": header.salesperson_code}
    values.update(overrides)
    own = {k: v for k, v in values.items() if k in MEMBERSHIP}
    data = {k: v for k, v in values.items() if k not in MEMBERSHIP}
    line = m.SegmentLine(segment_no=header.no, line_no=line_no, **own)
    session.add(line)
    session.add(m.SegmentLineData(segment_no=header.no, line_no=line_no, **data))
    session.flush()
    lines_changed(session, header.no, 1)
    return line


def segment_with_lines(session: Session, contact_nos: list[str], **header_kw: Any
                       ) -> m.SegmentHeader:
    """A segment with one defaulted line per contact."""
    header = make_segment(session, **header_kw)
    for contact_no in contact_nos:
        add_line(session, header, contact_no)
    return header


def make_attachment(session: Session, name: str = "doc") -> int:
    """A stored attachment; returns its number."""
    att = m.Attachment(file_name=f"{name}.docx", file_extension="docx", content=name.encode())
    session.add(att)
    session.flush()
    return att.no


def make_entry(session: Session, contact_no: str = "P3", **kw: Any) -> m.InteractionLogEntry:
    """An interaction log entry written directly (T-CALL defaults of the fixture)."""
    values: dict[str, Any] = dict(
        contact_no=contact_no, date=WORK_DATE, description="Call", user_id="U1",
        interaction_template_code="T-CALL", interaction_group_code="LETTER",
        cost=Decimal("1"), duration=10, salesperson_code="SP1")
    values.update(kw)
    entry = m.InteractionLogEntry(**values)
    session.add(entry)
    session.flush()
    return entry


def _numbers(count: int) -> Any:
    """A CTE of the integers 1..count (recursive: portable to SQLite and PostgreSQL)."""
    seq = select(literal(1, Integer).label("i")).cte("seq", recursive=True)
    return seq.union_all(select((seq.c.i + 1).label("i")).where(seq.c.i < count))


def bulk_segment(session: Session, no: str, count: int, *, template_code: str = "T-MAIL",
                 prefix: str = "BK", **header_kw: Any) -> m.SegmentHeader:
    """A segment of ``count`` lines on ``count`` new contacts, inserted set-based."""
    header = make_segment(session, no, description=f"Bulk {no}", template_code=template_code,
                          **header_kw)
    defaults = line_defaults_for_bulk(session, header)
    seq = _numbers(count)
    contact_no = literal(prefix) + cast(seq.c.i, String)
    session.execute(insert(m.Contact).from_select(
        ["no", "type", "name", "search_name", "email", "correspondence_type", "salesperson_code"],
        select(contact_no, literal("Person"), literal("Bulk ") + contact_no, contact_no,
               contact_no + literal("@bulk.test"), literal("Email"), literal("SP1"))))
    for model, names in ((m.SegmentLine, MEMBERSHIP), (m.SegmentLineData, LINE_FIELDS)):
        seq2 = _numbers(count)
        columns = {"segment_no": literal(no), "line_no": seq2.c.i * 10000}
        if model is m.SegmentLine:
            columns["contact_no"] = literal(prefix) + cast(seq2.c.i, String)
        columns.update({k: literal(v) for k, v in defaults.items() if k in names})
        session.execute(insert(model).from_select(list(columns), select(*columns.values())))
    session.flush()
    return header


def line_defaults_for_bulk(session: Session, header: m.SegmentHeader) -> dict[str, Any]:
    """Line values shared by every bulk line (Email contacts with the template's attachment)."""
    template = session.get(m.InteractionTemplate, header.interaction_template_code)
    assert template is not None
    language = session.get(m.InteractionTmplLanguage, (template.code,
                                                       template.language_code_default))
    return dict(
        description=header.description, salesperson_code="SP1", correspondence_type="Email",
        campaign_no=header.campaign_no,
        interaction_template_code=template.code,
        interaction_group_code=template.interaction_group_code, cost=template.unit_cost,
        duration=template.unit_duration, date=header.date,
        information_flow=template.information_flow, initiated_by=template.initiated_by,
        language_code=template.language_code_default,
        attachment_no=language.attachment_no if language else None,
    )


SNAPSHOT_TABLES = (m.SegmentHeader, m.SegmentLine, m.SegmentLineData, m.SegmentCriteriaLine,
                   m.LoggedSegment,
                   m.CampaignEntry, m.InteractionLogEntry, m.InterLogEntryCommentLine,
                   m.Attachment)


def db_state(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables logging touches, for "the database is unchanged" assertions."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    for model in SNAPSHOT_TABLES:
        table = m.table(model)
        rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
        state[table.name] = [tuple(r) for r in rows]
    return state


def log_new_segment(factory: Any, tx: Any, contact_nos: list[str], no: str = "SEG0001",
                    **header_kw: Any) -> Any:
    """Build a segment with these contacts (T-CALL unless told) and log it without delivery."""
    from rapport.services.log import log_segment

    header_kw.setdefault("template_code", "T-CALL")
    with factory.begin() as s:
        segment_with_lines(s, contact_nos, no=no, **header_kw)
    with tx() as ctx:
        return log_segment(ctx, no, send=False)


class QueryCounter:
    """Counts the SQL statements an engine executes inside a ``with`` block."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.count = 0

    def _on_execute(self, *_args: Any) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *_exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._on_execute)
