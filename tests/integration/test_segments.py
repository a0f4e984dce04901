"""Segments: creation and numbering (§3.1, E01, E02), figures, listing, cascading delete."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError, RuleViolationError
from rapport.services.segments import (
    SegmentInput,
    add_line,
    create_segment,
    delete_segment,
    get_segment,
    list_segments,
    remove_line,
    set_line_template,
)
from tests.builders_segment_header import make_segment, snapshot
from tests.conftest import WORK_DATE, TxFactory

SF = sessionmaker[Session]


def test_new_segment_gets_next_number_date_and_user_salesperson(
    fixture_db: SF, tx: TxFactory
) -> None:
    """Scenario 1."""
    with tx() as ctx:
        header = create_segment(ctx, SegmentInput())
        assert header.no == "SEG0001"
    with tx() as ctx:
        seg = get_segment(ctx, "SEG0001")
        h = seg.header
        assert (h.no_series, h.date, h.salesperson_code, h.user_id) == (
            "SEG",
            WORK_DATE,
            "SP1",
            "U1",
        )
        assert (seg.no_of_lines, seg.no_of_criteria_actions) == (0, 0)
        assert (seg.cost, seg.duration) == (Decimal("0.00"), 0)
        assert h.interaction_template_code is None and h.unit_cost == 0
    with tx() as ctx:
        assert create_segment(ctx, SegmentInput()).no == "SEG0002"


def test_blank_segment_nos_refuses_creation_with_e01(fixture_db: SF, tx: TxFactory) -> None:
    """Scenario 2."""
    with fixture_db.begin() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None
        setup.segment_nos = None
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        create_segment(ctx, SegmentInput(description="x"))
    assert err.value.code == "E01"
    assert "Segment Nos." in err.value.message
    assert snapshot(fixture_db) == before


def test_manual_number_refused_when_series_disallows_it(fixture_db: SF, tx: TxFactory) -> None:
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        create_segment(ctx, SegmentInput(no="my-seg"))
    assert err.value.code == "E02"
    assert "SEG" in err.value.message
    assert snapshot(fixture_db) == before


def test_manual_number_allowed_by_series_or_without_series(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        series = s.get(m.NumberSeries, "SEG")
        assert series is not None
        series.manual_nos = True
    with tx() as ctx:
        header = create_segment(ctx, SegmentInput(no="my-seg"))
        assert (header.no, header.no_series) == ("MY-SEG", None)
    with fixture_db.begin() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None
        setup.segment_nos = None
    with tx() as ctx:
        assert create_segment(ctx, SegmentInput(no="other")).no == "OTHER"


def test_duplicate_number_refused(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        series = s.get(m.NumberSeries, "SEG")
        assert series is not None
        series.manual_nos = True
    with tx() as ctx:
        create_segment(ctx, SegmentInput(no="DUP"))
    before = snapshot(fixture_db)
    with pytest.raises(ConflictError, match="DUP already exists"), tx() as ctx:
        create_segment(ctx, SegmentInput(no="dup"))
    assert snapshot(fixture_db) == before


def test_given_values_are_checked_and_kept(fixture_db: SF, tx: TxFactory) -> None:
    with tx() as ctx:
        header = create_segment(
            ctx, SegmentInput(description="Spring", campaign_no="cp1", salesperson_code="sp2")
        )
        assert (header.description, header.campaign_no, header.salesperson_code) == (
            "Spring",
            "CP1",
            "SP2",
        )
    before = snapshot(fixture_db)
    with pytest.raises(NotFoundError, match="CPX"), tx() as ctx:
        create_segment(ctx, SegmentInput(campaign_no="CPX"))
    with pytest.raises(NotFoundError, match="SPX"), tx() as ctx:
        create_segment(ctx, SegmentInput(salesperson_code="SPX"))
    assert snapshot(fixture_db) == before


def test_blocked_salesperson_refused(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        sp = s.get(m.Salesperson, "SP2")
        assert sp is not None
        sp.blocked = True
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        create_segment(ctx, SegmentInput(salesperson_code="SP2"))
    assert "SP2 is blocked" in err.value.message
    assert snapshot(fixture_db) == before


def test_user_without_user_setup_gets_blank_salesperson(fixture_db: SF, tx: TxFactory) -> None:
    with tx(user_id="u2") as ctx:
        header = create_segment(ctx, SegmentInput())
        assert (header.salesperson_code, header.user_id) == (None, "U2")


def test_creating_with_a_template_defaults_the_header(fixture_db: SF, tx: TxFactory) -> None:
    with tx() as ctx:
        header = create_segment(ctx, SegmentInput(interaction_template_code="t-let"))
        assert header.interaction_template_code == "T-LET"
        assert (header.unit_cost, header.unit_duration) == (Decimal("2.50"), 5)
        assert header.interaction_group_code == "LETTER"
        assert header.correspondence_type_default == "Hard Copy"


def test_figures_count_lines_cost_duration_and_actions(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P3"))
    with tx() as ctx:
        seg = get_segment(ctx, no)
        assert (seg.no_of_lines, seg.cost, seg.duration, seg.no_of_criteria_actions) == (
            2,
            Decimal("5.00"),
            10,
            2,
        )


def test_list_segments_filters_pages_and_uses_one_query(
    fixture_db: SF, tx: TxFactory, engine: object
) -> None:
    first = make_segment(tx, description="Spring mail", contacts=("P11",))
    make_segment(tx, description="Autumn", campaign_no="CP1")
    make_segment(tx, description="Winter")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        with tx() as ctx:
            page = list_segments(ctx, limit=2)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [s.no for s in page] == ["SEG0001", "SEG0002"]
    assert page[0].no_of_lines == 1 and page[0].no_of_criteria_actions == 1
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    with tx() as ctx:
        assert [s.no for s in list_segments(ctx, search="spring")] == [first]
        assert [s.header.description for s in list_segments(ctx, campaign_no="cp1")] == ["Autumn"]
        assert [s.no for s in list_segments(ctx, offset=2)] == ["SEG0003"]


def test_unknown_segment_not_found(fixture_db: SF, tx: TxFactory) -> None:
    with pytest.raises(NotFoundError, match="NOPE"), tx() as ctx:
        get_segment(ctx, "nope")
    with pytest.raises(NotFoundError, match="NOPE"), tx() as ctx:
        delete_segment(ctx, "nope")


def test_delete_cascades_and_keeps_shared_attachments(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P3"))
    other = make_segment(tx, contacts=("P12",))
    with tx() as ctx:
        set_line_template(ctx, no, 20000, "T-MAIL")
        add_line(ctx, no, "P21")
        remove_line(ctx, no, 20000)  # its unique row moves to the undo journal
    with fixture_db() as s:
        owned = set(
            s.scalars(
                select(m.SegmentInteractionLanguage.attachment_no).where(
                    m.SegmentInteractionLanguage.segment_no == no
                )
            )
        ) | set(s.scalars(select(m.SegmentLanguageHistory.attachment_no)))
        assert len(owned) == 3  # two header-level copies, one unique copy of the P3 line
        shared = next(iter(owned))
        s.add(
            m.InteractionTmplLanguage(
                interaction_template_code="T-CALL", language_code="", attachment_no=shared
            )
        )
        s.commit()
    with tx() as ctx:
        delete_segment(ctx, no)
    with fixture_db() as s:
        for model in (
            m.SegmentLine,
            m.SegmentCriteriaLine,
            m.SegmentHistory,
            m.SegmentInteractionLanguage,
            m.SegmentLanguageHistory,
        ):
            rows = s.scalars(select(model).where(model.segment_no == no)).all()
            assert rows == [], model
        assert s.get(m.SegmentHeader, no) is None
        remaining = set(s.scalars(select(m.Attachment.no).where(m.Attachment.no.in_(owned))))
        assert remaining == {shared}
        assert (
            len(s.scalars(select(m.SegmentLine).where(m.SegmentLine.segment_no == other)).all())
            == 1
        )


def test_blocked_user_salesperson_is_not_defaulted(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        sp = s.get(m.Salesperson, "SP1")
        assert sp is not None
        sp.blocked = True
    with tx() as ctx:
        assert create_segment(ctx, SegmentInput()).salesperson_code is None
