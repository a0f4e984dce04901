"""A line shows what its header gives unless it was personalised (issue 11, SPEC §3.2, §3.10, K1).

Lines are stored narrowly; the header's values are resolved when lines are read, logged or
restored. These tests hold the rules that make that exact: logging writes what each line
shows, a header change reaches only the lines it should, and Go Back restores a line with what
it showed when it was removed — also after the header changed meanwhile.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.criteria import add_contacts, go_back, reduce_contacts
from rapport.services.log import log_segment
from rapport.services.segments import (
    HeaderFieldChanges,
    LineFieldChanges,
    SegmentInput,
    create_segment,
    set_subject_default,
    update_header,
    update_line,
)
from tests.builders_segment_header import header_languages, line_of, lines
from tests.builders_segments import filters
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def _segment(tx: TxFactory) -> str:
    """A T-LET segment with P11 (no language) and P12 (DEU), P12's line personalised."""
    with tx() as ctx:
        no = create_segment(ctx, SegmentInput(description="Spring",
                                              interaction_template_code="T-LET")).no
    with tx() as ctx:
        add_contacts(ctx, no, filters("Contact.no=P11|P12"))
    return no


def _personalise_p12(tx: TxFactory, factory: SF, no: str) -> None:
    p12 = line_of(factory, no, "P12")
    with tx() as ctx:
        update_line(ctx, no, p12.line_no, LineFieldChanges(description="Für Bob"))


def test_logging_writes_what_each_line_shows(fixture_db: SF, tx: TxFactory) -> None:
    no = _segment(tx)
    _personalise_p12(tx, fixture_db, no)
    langs = header_languages(fixture_db, no)
    with tx() as ctx:
        result = log_segment(ctx, no, send=False)
    assert result.entries == 2
    with fixture_db() as s:
        entries = {e.contact_no: e for e in s.scalars(select(m.InteractionLogEntry))}
        left = [s.scalar(select(func.count()).select_from(t)) for t in
                (m.SegmentLine, m.SegmentLineData, m.SegmentHistory, m.SegmentHistoryData)]
    p11, p12 = entries["P11"], entries["P12"]
    assert (p11.description, p11.interaction_template_code, p11.interaction_group_code) == (
        "Spring", "T-LET", "LETTER")
    assert (p11.cost, p11.duration, p11.information_flow) == (Decimal("2.50"), 5, "Outbound")
    assert (p11.interaction_language_code, p11.attachment_no) == ("", langs[""].attachment_no)
    assert (p12.description, p12.interaction_language_code) == ("Für Bob", "DEU")
    assert p12.attachment_no == langs["DEU"].attachment_no
    assert left == [0, 0, 0, 0]


def test_a_header_change_reaches_lines_without_data_and_personalised_ones_alike(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = _segment(tx)
    _personalise_p12(tx, fixture_db, no)
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(unit_cost=Decimal("4"), salesperson_code="SP2"))
    assert [(x.contact_no, x.cost, x.salesperson_code) for x in lines(fixture_db, no)] == [
        ("P11", Decimal("4.00"), "SP2"), ("P12", Decimal("4.00"), "SP2")]
    assert line_of(fixture_db, no, "P12").description == "Für Bob"
    with tx() as ctx:  # without updating the lines, every line keeps what it showed
        update_header(ctx, no, HeaderFieldChanges(description="Autumn", unit_cost=Decimal("5")),
                      update_lines=False)
    assert [(x.description, x.cost) for x in lines(fixture_db, no)] == [
        ("Spring", Decimal("4.00")), ("Für Bob", Decimal("4.00"))]


def test_go_back_restores_what_a_line_showed_before_the_header_changed(
    fixture_db: SF, tx: TxFactory
) -> None:
    """K1 with narrow lines: the journal does not follow the header."""
    no = _segment(tx)
    before = {x.contact_no: x for x in lines(fixture_db, no)}
    with tx() as ctx:
        reduce_contacts(ctx, no, filters("Contact.no=P12"))
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(description="Autumn"))
        set_subject_default(ctx, no, "Hallo")  # P12 is German: the default row is ''
    with tx() as ctx:
        go_back(ctx, no)
    after = {x.contact_no: x for x in lines(fixture_db, no)}
    # as it was, now with data of its own
    assert tuple(after["P12"]) == (*tuple(before["P12"])[:-1], True)
    assert (after["P11"].description, after["P11"].subject) == ("Autumn", "Hallo")
