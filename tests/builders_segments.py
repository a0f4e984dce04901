"""Builders and probes for the segment criteria tests (headers, ILEs, logged segments, state)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.domain.criteria import FilterText, filter_texts
from rapport.services.segments import resolved_lines
from rapport.services.tables import CRITERIA, HISTORY, HISTORY_DATA, LINE
from tests.builders import unique
from tests.conftest import WORK_DATE

Factory = sessionmaker[Session]


def make_segment(
    factory: Factory, no: str = "S1", *, template: str | None = None, **kw: Any
) -> str:
    """A committed segment header (as create_segment would leave it), optionally with a template."""
    with factory.begin() as s:
        tmpl = s.get(m.InteractionTemplate, template) if template else None
        values: dict[str, Any] = dict(
            no=no, description="Spring mail", salesperson_code="SP1", date=WORK_DATE, user_id="U1"
        )
        if tmpl is not None:
            values.update(
                interaction_template_code=tmpl.code,
                interaction_group_code=tmpl.interaction_group_code,
                unit_cost=tmpl.unit_cost,
                unit_duration=tmpl.unit_duration,
                information_flow=tmpl.information_flow,
                initiated_by=tmpl.initiated_by,
                correspondence_type_default=tmpl.correspondence_type_default,
            )
        values.update(kw)
        s.add(m.SegmentHeader(**values))
    return no


def make_logged_segment(factory: Factory, **kw: Any) -> int:
    """A committed logged segment; returns its entry no."""
    with factory.begin() as s:
        logged = m.LoggedSegment(
            segment_no=kw.pop("segment_no", unique("LSEG")),
            description=kw.pop("description", "Logged"),
            creation_date=WORK_DATE,
            user_id="U1",
            **kw,
        )
        s.add(logged)
        s.flush()
        return logged.entry_no


def make_ile(factory: Factory, contact_no: str, **kw: Any) -> int:
    """A committed interaction log entry on a contact (its company taken from the contact)."""
    with factory.begin() as s:
        contact = s.get(m.Contact, contact_no)
        assert contact is not None
        entry = m.InteractionLogEntry(
            contact_no=contact_no,
            contact_company_no=kw.pop("contact_company_no", contact.company_no),
            date=kw.pop("date", WORK_DATE),
            description=kw.pop("description", "Letter"),
            **kw,
        )
        s.add(entry)
        s.flush()
        return entry.entry_no


def make_profile(factory: Factory, questionnaire: str, answers: dict[str, list[int]]) -> None:
    """A questionnaire with answer lines and the contacts' answers {contact: [line no …]}."""
    with factory.begin() as s:
        s.add(m.ProfileQuestionnaire(code=questionnaire, description=questionnaire))
        s.flush()
        lines = sorted({n for nos in answers.values() for n in nos})
        s.add_all(
            m.ProfileQuestionnaireLine(
                profile_questionnaire_code=questionnaire, line_no=n, type="Answer"
            )
            for n in lines
        )
        s.flush()
        s.add_all(
            m.ContactProfileAnswer(
                contact_no=c, profile_questionnaire_code=questionnaire, line_no=n
            )
            for c, nos in answers.items()
            for n in nos
        )


def lines(factory: Factory, segment_no: str = "S1") -> list[tuple[int, str | None]]:
    """The segment's lines as (line no., contact no.) in line order."""
    with factory() as s:
        rows = s.execute(
            select(LINE.c.line_no, LINE.c.contact_no)
            .where(LINE.c.segment_no == segment_no)
            .order_by(LINE.c.line_no)
        )
        return [(r.line_no, r.contact_no) for r in rows]


def contacts(factory: Factory, segment_no: str = "S1") -> list[str | None]:
    """The contacts of the segment's lines in line order."""
    return [c for _, c in lines(factory, segment_no)]


def state(factory: Factory, segment_no: str = "S1") -> dict[str, list[tuple[Any, ...]]]:
    """Everything about a segment that a criteria verb may change: its lines as they show
    (resolved), the log, and the journal (narrow rows and personalised data)."""
    with factory() as s:

        def rows(table: Any) -> list[tuple[Any, ...]]:
            query = select(table).where(table.c.segment_no == segment_no)
            return [tuple(r) for r in s.execute(query.order_by(*table.primary_key.columns))]

        shown = resolved_lines().where(LINE.c.segment_no == segment_no).order_by(LINE.c.line_no)
        return {"lines": [tuple(r) for r in s.execute(shown)], "criteria": rows(CRITERIA),
                "history": rows(HISTORY) + rows(HISTORY_DATA)}


def criteria_rows(factory: Factory, segment_no: str = "S1") -> list[m.SegmentCriteriaLine]:
    """The criteria log rows of a segment in order."""
    with factory() as s:
        return list(
            s.scalars(
                select(m.SegmentCriteriaLine)
                .where(m.SegmentCriteriaLine.segment_no == segment_no)
                .order_by(m.SegmentCriteriaLine.line_no)
            )
        )


def filters(*options: str) -> list[FilterText]:
    """Filters as the CLI hands them to the verbs: filters("Mailing Group.code=NEWS", …)."""
    return filter_texts(options)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
