"""Log Segment (SPEC §3.14, §3.13, K6/K11/K12/K18): scenarios 48, 52, 78 and the checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import (
    ConflictError,
    MultipleErrors,
    NotFoundError,
    RapportError,
    ValidationError,
)
from rapport.services.log import log_segment
from rapport.services.segments import resolved_lines
from tests.builders import make_contact
from tests.builders_logging import (
    add_line,
    db_state,
    make_attachment,
    make_segment,
    segment_with_lines,
)
from tests.conftest import WORK_DATE, TxFactory

SF = sessionmaker[Session]


def _entries(factory: SF) -> list[m.InteractionLogEntry]:
    with factory() as s:
        return list(
            s.scalars(select(m.InteractionLogEntry).order_by(m.InteractionLogEntry.entry_no))
        )


def _refused(factory: SF, tx: TxFactory, segment_no: str, **kw: object) -> RapportError:
    """Log and expect a refusal that leaves the database exactly as it was."""
    with factory() as s:
        before = db_state(s)
    with pytest.raises(RapportError) as info, tx() as ctx:
        log_segment(ctx, segment_no, **kw)  # type: ignore[arg-type]
    with factory() as s:
        assert db_state(s) == before
    return info.value


def test_scenario_48_happy_path_without_delivery(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(
            s, ["P11", "P3"], description="Spring", campaign_no="CP1", template_code="T-CALL"
        )
    with tx() as ctx:
        result = log_segment(ctx, "seg0001", send=False)
    assert (result.entries, result.campaign_entries, result.queued_for_delivery) == (2, 1, 0)
    assert result.warnings == [] and result.follow_up_segment_no is None and not result.send
    with fixture_db() as s:
        logged = s.scalars(select(m.LoggedSegment)).one()
        assert (logged.entry_no, logged.segment_no, logged.description) == (
            result.logged_segment_entry_no,
            "SEG0001",
            "Spring",
        )
        assert (logged.creation_date, logged.user_id, logged.canceled) == (WORK_DATE, "U1", False)
        entry = s.scalars(select(m.CampaignEntry)).one()
        assert (entry.campaign_no, entry.segment_no, entry.register_no, entry.description) == (
            "CP1",
            "SEG0001",
            logged.entry_no,
            "Spring",
        )
        assert (entry.date, entry.salesperson_code, entry.user_id) == (WORK_DATE, "SP1", "U1")
        assert s.get(m.SegmentHeader, "SEG0001") is None
        assert s.scalar(select(func.count()).select_from(m.SegmentLine)) == 0
    ile = _entries(fixture_db)
    assert [(e.contact_no, e.contact_company_no) for e in ile] == [("P11", "C1"), ("P3", None)]
    for e in ile:
        assert (e.interaction_template_code, e.interaction_group_code) == ("T-CALL", "LETTER")
        assert (e.cost, e.duration, e.date) == (Decimal("1.00"), 10, WORK_DATE)
        assert (e.campaign_no, e.campaign_entry_no) == ("CP1", entry.entry_no)
        assert (e.logged_segment_entry_no, e.segment_no) == (logged.entry_no, "SEG0001")
        assert (e.postponed, e.canceled, e.delivery_status) == (False, False, "")
        assert (e.time_of_interaction, e.user_id, e.salesperson_code) == (None, "U1", "SP1")
        assert (e.description, e.information_flow, e.initiated_by) == ("Spring", "Outbound", "Us")
        assert e.correspondence_type == "Email"


def test_entries_are_numbered_in_line_order_and_blank_contact_lines_skipped(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        header = make_segment(s, template_code="T-CALL")
        add_line(s, header, "P3", line_no=30000)
        add_line(s, header, None, line_no=20000)
        add_line(s, header, "P12", line_no=10000, language_code="DEU")
    with tx() as ctx:
        result = log_segment(ctx, "SEG0001", send=False)
    assert result.entries == 2
    ile = _entries(fixture_db)
    assert [e.contact_no for e in ile] == ["P12", "P3"]
    assert ile[0].interaction_language_code == "DEU"


def test_creation_date_is_the_work_date_and_created_at_utc(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P3"], template_code="T-CALL", date=dt.date(2025, 3, 1))
    with tx(work_date=dt.date(2025, 3, 12)) as ctx:
        log_segment(ctx, "SEG0001", send=False)
    with fixture_db() as s:
        logged = s.scalars(select(m.LoggedSegment)).one()
        assert logged.creation_date == dt.date(2025, 3, 12)
        assert logged.created_at is not None
    assert _entries(fixture_db)[0].date == dt.date(2025, 3, 1)


def test_send_defaults_on_and_queues_typed_lines(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code="T-MAIL")
    with tx() as ctx:
        result = log_segment(ctx, "SEG0001")
    assert result.send and result.queued_for_delivery == 2
    assert {e.delivery_status for e in _entries(fixture_db)} == {"In Progress"}


def test_k6_only_lines_with_a_type_are_queued(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        header = make_segment(s, template_code="T-LET")
        add_line(s, header, "P3")  # Email (contact's own type)
        add_line(s, header, "P21", correspondence_type="")  # blank on the line
    with tx() as ctx:
        result = log_segment(ctx, "SEG0001", send=True)
    assert result.queued_for_delivery == 1
    assert [
        (e.contact_no, e.correspondence_type, e.delivery_status) for e in _entries(fixture_db)
    ] == [("P3", "Email", "In Progress"), ("P21", "", "")]


def test_send_requested_while_every_line_is_blank_is_refused(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P12", "P21"], template_code="T-CALL")
    err = _refused(fixture_db, tx, "SEG0001", send=True)
    assert isinstance(err, ValidationError) and "correspondence type" in err.message


def test_scenario_52_every_bad_line_reported_at_once(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code=None)
    err = _refused(fixture_db, tx, "SEG0001", send=False)
    assert isinstance(err, MultipleErrors)
    assert [(e.code, e.field, e.record) for e in err.errors] == [
        ("E06", "Interaction Template Code", "Segment Line SEG0001 10000"),
        ("E06", "Interaction Template Code", "Segment Line SEG0001 20000"),
    ]
    assert "P11" in err.errors[0].message and "P3" in err.errors[1].message
    assert "10000" in err.message and "20000" in err.message


def test_k11_all_kinds_of_problems_in_one_error(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        make_contact(
            s, no="PB", type="Person", name="Blocked", privacy_blocked=True, email="pb@x.test"
        )
        header = make_segment(s, template_code="T-CALL")
        add_line(s, header, "P11", date=None)
        add_line(s, header, "P3", salesperson_code=None)
        add_line(s, header, "PB")
        add_line(s, header, "P12", attachment_no=999999)
    err = _refused(fixture_db, tx, "SEG0001", send=False)
    assert isinstance(err, MultipleErrors)
    got = [(e.record.split()[-1] if e.record else "", e.code, e.field) for e in err.errors]
    assert got == [
        ("10000", "E06", "Date"),
        ("20000", "E06", "Salesperson Code"),
        ("30000", "E38", "Contact No."),
        ("40000", "E07", "Attachment No."),
    ]
    assert "Contact PB cannot be used because it is blocked for privacy reasons." in err.message


def test_e08_email_line_without_address_when_delivering(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        make_contact(s, no="PN", type="Person", name="No Mail", correspondence_type="Email")
        segment_with_lines(s, ["P3", "PN"], template_code="T-MAIL")
    err = _refused(fixture_db, tx, "SEG0001", send=True)
    assert isinstance(err, MultipleErrors)
    assert [(e.code, e.field) for e in err.errors] == [("E08", "E-Mail")]
    assert "PN" in err.errors[0].message


def test_k12_email_line_without_address_is_logged_blank_with_a_warning(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        make_contact(s, no="PN", type="Person", name="No Mail", correspondence_type="Email")
        segment_with_lines(s, ["P3", "PN"], template_code="T-MAIL")
    with tx() as ctx:
        result = log_segment(ctx, "SEG0001", send=False)
    assert [(w.line_no, w.contact_no) for w in result.warnings] == [(20000, "PN")]
    assert "PN" in result.warnings[0].message
    assert [(e.contact_no, e.correspondence_type) for e in _entries(fixture_db)] == [
        ("P3", "Email"),
        ("PN", ""),
    ]


def test_active_alternate_address_with_email_keeps_email_and_allows_delivery(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        make_contact(s, no="PN", type="Person", name="No Mail", correspondence_type="Email")
        s.add(m.ContactAltAddress(contact_no="PN", code="HOME", email="home@pn.test"))
        s.flush()
        s.add(
            m.ContactAltAddrDateRange(
                contact_no="PN",
                contact_alt_address_code="HOME",
                starting_date=dt.date(2025, 1, 1),
                ending_date=dt.date(2025, 12, 31),
            )
        )
        segment_with_lines(s, ["PN"], template_code="T-MAIL")
    with tx() as ctx:
        result = log_segment(ctx, "SEG0001", send=True)
    assert result.queued_for_delivery == 1 and result.warnings == []
    assert _entries(fixture_db)[0].correspondence_type == "Email"


def test_expired_alternate_address_does_not_count(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        make_contact(s, no="PN", type="Person", name="No Mail", correspondence_type="Email")
        s.add(m.ContactAltAddress(contact_no="PN", code="OLD", email="old@pn.test"))
        s.flush()
        s.add(
            m.ContactAltAddrDateRange(
                contact_no="PN",
                contact_alt_address_code="OLD",
                starting_date=dt.date(2024, 1, 1),
                ending_date=dt.date(2024, 12, 31),
            )
        )
        segment_with_lines(s, ["PN"], template_code="T-MAIL")
    err = _refused(fixture_db, tx, "SEG0001", send=True)
    assert isinstance(err, MultipleErrors) and err.errors[0].code == "E08"


def test_e09_delivered_line_without_attachment_or_word_template(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["C2"], template_code="T-CALL")  # Hard Copy, no attachment
    err = _refused(fixture_db, tx, "SEG0001", send=True)
    assert isinstance(err, MultipleErrors)
    assert [(e.code, e.field) for e in err.errors] == [("E09", "Attachment No.")]


def test_e03_segment_number_already_logged(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P3"], template_code="T-CALL")
    with tx() as ctx:
        log_segment(ctx, "SEG0001", send=False)
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11"], template_code="T-CALL")
    err = _refused(fixture_db, tx, "SEG0001")
    assert isinstance(err, ConflictError) and err.code == "E03"
    assert "SEG0001" in err.message


def test_e04_blank_description(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P3"], template_code="T-CALL", description=" ")
    err = _refused(fixture_db, tx, "SEG0001")
    assert err.code == "E04" and err.field == "Description"


def test_e05_no_line_with_a_contact(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        header = make_segment(s, template_code="T-CALL")
        add_line(s, header, None)
    err = _refused(fixture_db, tx, "SEG0001")
    assert err.code == "E05" and "SEG0001" in err.message


def test_missing_segment_is_not_found(fixture_db: SF, tx: TxFactory) -> None:
    err = _refused(fixture_db, tx, "NOPE")
    assert isinstance(err, NotFoundError) and "NOPE" in err.message


def test_one_campaign_entry_per_campaign(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        s.add(m.Campaign(no="CP2", description="Second"))
        header = make_segment(s, template_code="T-CALL", description="Mixed")
        add_line(
            s, header, "P11", campaign_no="CP2", salesperson_code="SP2", date=dt.date(2025, 3, 5)
        )
        add_line(s, header, "P3", campaign_no="CP1")
        add_line(s, header, "P12", campaign_no="CP2")
        add_line(s, header, "P21")
    with tx() as ctx:
        result = log_segment(ctx, "SEG0001", send=False)
    assert result.campaign_entries == 2
    with fixture_db() as s:
        entries = {c.campaign_no: c for c in s.scalars(select(m.CampaignEntry))}
    assert (entries["CP2"].date, entries["CP2"].salesperson_code) == (dt.date(2025, 3, 5), "SP2")
    assert {c.register_no for c in entries.values()} == {result.logged_segment_entry_no}
    got = [(e.contact_no, e.campaign_entry_no) for e in _entries(fixture_db)]
    assert got == [
        ("P11", entries["CP2"].entry_no),
        ("P3", entries["CP1"].entry_no),
        ("P12", entries["CP2"].entry_no),
        ("P21", None),
    ]


def test_attachments_become_read_only_and_modified_word_template_is_kept(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        own = make_attachment(s, "own")
        modified = make_attachment(s, "modified")
        header = make_segment(s, template_code="T-CALL", modified_word_template=modified)
        add_line(s, header, "P3", attachment_no=own)
        add_line(s, header, "P11")
    with tx() as ctx:
        log_segment(ctx, "SEG0001", send=False)
    with fixture_db() as s:
        flags = s.scalars(select(m.Attachment.read_only)
                          .where(m.Attachment.no.in_([own, modified]))).all()
        assert flags == [True, True]
    assert [(e.attachment_no, e.modified_word_template) for e in _entries(fixture_db)] == [
        (own, None),
        (None, modified),
    ]


def test_group_falls_back_to_the_template_group(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        header = make_segment(s, template_code="T-MAIL")
        add_line(s, header, "P3", interaction_group_code=None)
    with tx() as ctx:
        log_segment(ctx, "SEG0001", send=False)
    assert _entries(fixture_db)[0].interaction_group_code == "EMAIL"


def test_scenario_78_contact_deletable_once_its_segment_is_logged(
    fixture_db: SF, tx: TxFactory
) -> None:
    from rapport.services.contacts import delete_contact

    with fixture_db.begin() as s:
        segment_with_lines(s, ["P3", "P11"], template_code="T-CALL")
    with pytest.raises(RapportError) as info, tx() as ctx:
        delete_contact(ctx, "P3")
    assert info.value.code == "E30"
    with tx() as ctx:
        log_segment(ctx, "SEG0001", send=False)
    with tx() as ctx:
        delete_contact(ctx, "P3")
        delete_contact(ctx, "P11")
    assert [(e.contact_no, e.segment_no) for e in _entries(fixture_db)] == [
        (None, "SEG0001"), ("C1", "SEG0001")]


def test_scenario_59_follow_up_segment(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], campaign_no="CP1", template_code="T-CALL")
        s.execute(update(m.NumberSeries).where(m.NumberSeries.code == "SEG")
                  .values(last_no_used="SEG0001"))
    with tx(work_date=dt.date(2025, 3, 11)) as ctx:
        result = log_segment(ctx, "SEG0001", send=False, follow_up=True)
    assert result.follow_up_segment_no == "SEG0002"
    with fixture_db() as s:
        header = s.get(m.SegmentHeader, "SEG0002")
        assert header is not None
        assert (header.description, header.campaign_no, header.salesperson_code) == (
            "Follow-up on segment SEG0001", "CP1", "SP1")
        assert (header.date, header.interaction_template_code) == (dt.date(2025, 3, 11), None)
        lines = s.execute(resolved_lines().where(m.SegmentLine.segment_no == "SEG0002")
                          .order_by(m.SegmentLine.line_no)).all()
        assert [(ln.contact_no, ln.campaign_no) for ln in lines] == [("P11", "CP1"),
                                                                     ("P3", "CP1")]
        actions = s.scalars(select(m.SegmentCriteriaLine).where(
            m.SegmentCriteriaLine.segment_no == "SEG0002",
            m.SegmentCriteriaLine.type == "Action")).all()
        assert [(a.action, a.allow_existing_contacts) for a in actions] == [
            ("Add Contacts", True)]


def test_follow_up_leaves_out_excluded_contacts_k10(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P3", "X1"], no="MANUAL", template_code="T-CALL")
    with tx() as ctx:
        result = log_segment(ctx, "MANUAL", send=False, follow_up=True)
    assert result.entries == 2 and result.follow_up_segment_no == "SEG0001"
    with fixture_db() as s:
        contacts = s.scalars(select(m.SegmentLine.contact_no)
                             .where(m.SegmentLine.segment_no == "SEG0001")).all()
    assert contacts == ["P3"]


def test_scenario_60_follow_up_without_number_series_logs_nothing(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        s.execute(update(m.MarketingSetup).values(segment_nos=None))
        segment_with_lines(s, ["P11", "P3"], no="MANUAL", template_code="T-CALL")
    err = _refused(fixture_db, tx, "MANUAL", send=False, follow_up=True)
    assert err.code == "E01"
    with fixture_db() as s:
        assert s.get(m.SegmentHeader, "MANUAL") is not None
