"""The segment-line primitives: defaulting (§3.2), numbering (§3.4), journaling and exact undo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.domain.criteria import ActionOptions, SectionFilter
from rapport.domain.enums import CriteriaAction, CriteriaSection
from rapport.errors import RuleViolationError
from rapport.services.criteria import go_back, reset_criteria
from rapport.services.segments import (
    LineFieldChanges,
    LineSource,
    action_count,
    delete_lines,
    insert_lines,
    lines_changed,
    record_action,
    resolved_lines,
    update_line,
)
from rapport.services.tables import LINE
from tests.conftest import WORK_DATE, TxFactory


def _segment(factory: sessionmaker[Session], template: str | None = "T-LET") -> None:
    with factory.begin() as s:
        tmpl = s.get(m.InteractionTemplate, template) if template else None
        s.add(
            m.SegmentHeader(
                no="S1",
                description="Spring mail",
                salesperson_code="SP1",
                date=WORK_DATE,
                interaction_template_code=template,
                interaction_group_code=tmpl.interaction_group_code if tmpl else None,
                unit_cost=tmpl.unit_cost if tmpl else 0,
                unit_duration=tmpl.unit_duration if tmpl else 0,
                information_flow=tmpl.information_flow if tmpl else "",
                initiated_by=tmpl.initiated_by if tmpl else "",
                correspondence_type_default=tmpl.correspondence_type_default if tmpl else "",
            )
        )
        s.flush()
        if tmpl:
            for row in s.scalars(
                select(m.InteractionTmplLanguage).where(
                    m.InteractionTmplLanguage.interaction_template_code == template
                )
            ):
                s.add(
                    m.SegmentInteractionLanguage(
                        segment_no="S1",
                        segment_line_no=0,
                        language_code=row.language_code,
                        attachment_no=row.attachment_no,
                        subject=f"subject {row.language_code}",
                    )
                )


def _contacts(*nos: str) -> LineSource:
    contact = m.Contact.__table__
    return LineSource(select(contact.c.no.label("contact_no")).where(contact.c.no.in_(nos)))


def _add(tx: TxFactory, *nos: str) -> int:
    with tx() as ctx:
        header = ctx.session.get(m.SegmentHeader, "S1")
        assert header is not None
        ref = record_action(
            ctx,
            "S1",
            CriteriaAction.ADD,
            filters=[SectionFilter(CriteriaSection.CONTACT, {"no": "|".join(nos)})],
        )
        return insert_lines(ctx, header, _contacts(*nos), ref)


def _lines(factory: sessionmaker[Session]) -> list[tuple[int, str]]:
    with factory() as s:
        rows = s.execute(select(LINE.c.line_no, LINE.c.contact_no).order_by(LINE.c.line_no))
        return [(r.line_no, r.contact_no) for r in rows]


def test_new_lines_are_defaulted_from_header_and_contact(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    assert _add(tx, "P11", "P12", "C2", "P3") == 4
    with fixture_db() as s:
        p11 = s.execute(resolved_lines().where(LINE.c.contact_no == "P11")).one()
        assert (p11.contact_company_no, p11.salesperson_code, p11.description) == (
            "C1",
            "SP1",
            "Spring mail",
        )
        assert (p11.interaction_template_code, p11.cost, p11.duration) == (
            "T-LET",
            Decimal("2.50"),
            5,
        )
        assert (p11.information_flow, p11.initiated_by, p11.date) == ("Outbound", "Us", WORK_DATE)
        query = select(LINE.c.contact_no, LINE.c.correspondence_type)
        types = dict(s.execute(query).tuples().all())
        # §3.2 precedence (scenario 45): contact's own type unless blank, then template default.
        assert types == {"P11": "Email", "P12": "Hard Copy", "C2": "Hard Copy", "P3": "Email"}
        langs = dict(s.execute(select(LINE.c.contact_no, LINE.c.language_code)).tuples().all())
        assert langs == {"P11": "", "P12": "DEU", "C2": "", "P3": ""}
        p12 = s.execute(resolved_lines().where(LINE.c.contact_no == "P12")).one()
        assert p12.subject == "subject DEU" and p12.attachment_no is not None


def test_lines_are_numbered_in_company_order_after_the_last_line(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    _add(tx, "P11", "P3", "C1", "P12")
    _add(tx, "C2")
    assert _lines(fixture_db) == [
        (10000, "P3"),
        (20000, "C1"),
        (30000, "P11"),
        (40000, "P12"),
        (50000, "C2"),
    ]


def test_salesperson_falls_back_to_the_contacts_when_header_has_none(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db, template=None)
    with fixture_db.begin() as s:
        s.get(m.SegmentHeader, "S1").salesperson_code = None  # type: ignore[union-attr]
    _add(tx, "P3")
    with fixture_db() as s:
        line = s.scalars(select(m.SegmentLine)).one()
        assert line.salesperson_code == "SP2" and line.correspondence_type == "Email"


def test_go_back_restores_deleted_lines_exactly_and_removes_only_inserted_ones(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    _add(tx, "P3", "P11", "X1")
    with tx() as ctx:  # a per-line override that undo must bring back
        update_line(ctx, "S1", 10000, LineFieldChanges(description="Personal"))
    with tx() as ctx:
        ref = record_action(ctx, "S1", CriteriaAction.REFINE)
        assert delete_lines(ctx, "S1", LINE.c.contact_no != "P11", ref) == 2
    # A new P3 line is numbered after the *current* last line, reusing 30000 (X1's journaled
    # number): undo is last-in-first-out, so it is gone before X1 comes back.
    _add(tx, "P3")
    assert _lines(fixture_db) == [(20000, "P11"), (30000, "P3")]
    with tx() as ctx:
        assert go_back(ctx, "S1") == 2
    assert _lines(fixture_db) == [(20000, "P11")]
    with tx() as ctx:
        assert go_back(ctx, "S1") == 1
    assert _lines(fixture_db) == [(10000, "P3"), (20000, "P11"), (30000, "X1")]
    with fixture_db() as s:
        p3 = s.execute(resolved_lines().where(LINE.c.contact_no == "P3")).one()
        assert p3.description == "Personal" and p3.personalised
        assert s.scalar(select(func.count()).select_from(m.SegmentHistory)) == 0
        assert s.scalar(select(func.count()).select_from(m.SegmentHistoryData)) == 0
    with tx() as ctx:
        assert go_back(ctx, "S1") == 0
    assert _lines(fixture_db) == []


def test_go_back_restores_unique_line_attachments(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    _add(tx, "P3")
    with fixture_db.begin() as s:
        s.add(
            m.SegmentInteractionLanguage(
                segment_no="S1", segment_line_no=10000, language_code="", subject="Only for Dora"
            )
        )
    with tx() as ctx:
        delete_lines(ctx, "S1", literal(True), record_action(ctx, "S1", CriteriaAction.REDUCE))
    with fixture_db() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(m.SegmentInteractionLanguage)
                .where(m.SegmentInteractionLanguage.segment_line_no == 10000)
            )
            == 0
        )
    with tx() as ctx:
        go_back(ctx, "S1")
    with fixture_db() as s:
        row = s.get(m.SegmentInteractionLanguage, ("S1", 10000, ""))
        assert row is not None and row.subject == "Only for Dora"


def test_go_back_without_actions_is_refused(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    with pytest.raises(RuleViolationError, match="no criteria actions"), tx() as ctx:
        go_back(ctx, "S1")


def test_criteria_log_records_actions_options_and_filters(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    with tx() as ctx:
        record_action(
            ctx,
            "S1",
            CriteriaAction.ADD,
            options=ActionOptions(expand_contact=True),
            filters=[
                SectionFilter(CriteriaSection.CONTACT, {"type": "Company"}),
                SectionFilter(CriteriaSection.PROFILE, {}),
                SectionFilter(CriteriaSection.MAILING_GROUP, {"code": "NEWS"}),
            ],
        )
    with fixture_db() as s:
        rows = s.scalars(select(m.SegmentCriteriaLine).order_by(m.SegmentCriteriaLine.line_no))
        shape = [(r.line_no, r.type, r.table_name, r.no_of_filters, r.expand_contact) for r in rows]
        assert shape == [
            (1, "Action", "", 2, True),
            (2, "Filter", "Contact", 0, False),
            (3, "Filter", "Mailing Group", 0, False),
        ]
        assert action_count(s, "S1") == 1


def test_reset_criteria_forgets_the_log_but_keeps_lines(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    _segment(fixture_db)
    _add(tx, "P3", "P11")
    with tx() as ctx:
        assert reset_criteria(ctx, "S1") == 1
    assert [c for _, c in _lines(fixture_db)] == ["P3", "P11"]
    with fixture_db() as s:
        assert action_count(s, "S1") == 0


def test_lines_are_added_after_line_numbers_beyond_32_bits(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    # 300,000 lines step by 10 000 up to 3·10⁹: the next Add must number past a 32-bit integer.
    _segment(fixture_db)
    with fixture_db.begin() as s:
        s.add(m.SegmentLine(segment_no="S1", line_no=3_000_000_000, contact_no="C1"))
        s.flush()
        lines_changed(s, "S1", 1)
    _add(tx, "P3")
    assert _lines(fixture_db) == [(3_000_000_000, "C1"), (3_000_010_000, "P3")]
    with tx() as ctx:
        go_back(ctx, "S1")
    assert _lines(fixture_db) == [(3_000_000_000, "C1")]
