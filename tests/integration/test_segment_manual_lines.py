"""Lines by hand (§3.3, K10, K15, E38) and per-line overrides (§3.11; E20, E21, E22)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.criteria import go_back
from rapport.services.segments import (
    HeaderFieldChanges,
    LineFieldChanges,
    add_blank_line,
    add_line,
    change_line_contact,
    contact_filter,
    get_segment,
    list_lines,
    remove_line,
    remove_line_attachment,
    set_header_template,
    set_line_language,
    set_line_template,
    update_header,
    update_line,
    upload_line_attachment,
)
from rapport.services.tables import LINE_FIELDS, MEMBERSHIP
from rapport.services.templates import AttachmentUpload
from tests.builders_documents import word_letter
from tests.builders_segment_header import (
    header_languages,
    lines,
    make_segment,
    snapshot,
)
from tests.conftest import WORK_DATE, TxFactory

SF = sessionmaker[Session]


def _criteria(factory: SF, no: str) -> list[tuple[str, str, str, str]]:
    with factory() as s:
        rows = s.scalars(
            select(m.SegmentCriteriaLine)
            .where(m.SegmentCriteriaLine.segment_no == no)
            .order_by(m.SegmentCriteriaLine.line_no)
        )
        return [(r.type, r.action, r.table_name, r.table_view) for r in rows]


def _line_data(factory: SF, no: str) -> list[tuple[object, ...]]:
    fields = [*MEMBERSHIP, *LINE_FIELDS]
    return [(x.line_no, *(getattr(x, c) for c in fields)) for x in lines(factory, no)]


def _languages(factory: SF, no: str) -> list[tuple[object, ...]]:
    with factory() as s:
        rows = s.scalars(
            select(m.SegmentInteractionLanguage).where(
                m.SegmentInteractionLanguage.segment_no == no
            )
        )
        return sorted(
            (r.segment_line_no, r.language_code, r.attachment_no, r.subject) for r in rows
        )


def test_manual_line_is_defaulted_and_recorded(fixture_db: SF, tx: TxFactory) -> None:
    """Scenario 4."""
    no = make_segment(tx, template="T-LET", description="Spring mail")
    with tx() as ctx:
        assert add_line(ctx, no, "p11") == 10000
    line = lines(fixture_db, no)[0]
    assert (line.contact_no, line.contact_company_no, line.salesperson_code) == ("P11", "C1", "SP1")
    assert (line.description, line.interaction_template_code) == ("Spring mail", "T-LET")
    assert (line.cost, line.duration) == (Decimal("2.50"), 5)
    assert (line.information_flow, line.initiated_by) == ("Outbound", "Us")
    assert (line.correspondence_type, line.date) == ("Email", WORK_DATE)
    with tx() as ctx:
        assert [r.attachment for r in list_lines(ctx, no)] == ["Inherited"]
        assert get_segment(ctx, no).no_of_criteria_actions == 1
    assert _criteria(fixture_db, no) == [
        ("Action", "Add Contacts", "", ""),
        ("Filter", "Add Contacts", "Contact", json.dumps({"no": "P11"})),
    ]
    with fixture_db() as s:
        action = s.scalars(
            select(m.SegmentCriteriaLine).where(m.SegmentCriteriaLine.segment_no == no)
        ).first()
        assert action is not None
        assert not any(
            (
                action.allow_existing_contacts,
                action.expand_contact,
                action.allow_company_with_persons,
                action.ignore_exclusion,
                action.entire_companies,
            )
        )


def test_excluded_contact_allowed_and_flagged_duplicates_allowed(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, contacts=("X1", "P11", "P11"))
    rows = lines(fixture_db, no)
    assert [(x.contact_no, x.contact_excluded) for x in rows] == [
        ("X1", True),
        ("P11", False),
        ("P11", False),
    ]


def test_privacy_blocked_contact_refused_e38(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, contacts=("P11",))
    with fixture_db.begin() as s:
        p3 = s.get(m.Contact, "P3")
        assert p3 is not None
        p3.privacy_blocked = True
    before = snapshot(fixture_db)
    for call in (
        lambda c: add_line(c, no, "P3"),
        lambda c: change_line_contact(c, no, 10000, "P3"),
    ):
        with pytest.raises(RuleViolationError) as err, tx() as ctx:
            call(ctx)
        assert err.value.code == "E38"
        assert err.value.message == (
            "Contact P3 cannot be used because it is blocked for privacy reasons."
        )
    with pytest.raises(NotFoundError, match="NOPE"), tx() as ctx:
        add_line(ctx, no, "nope")
    assert snapshot(fixture_db) == before


def test_remove_line_records_reduce_and_go_back_restores_exactly(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P3", "P12"))
    with tx() as ctx:
        update_line(
            ctx, no, 20000, LineFieldChanges(description="Personal", evaluation="Positive")
        )
        upload_line_attachment(ctx, no, 20000, AttachmentUpload("p3.docx", word_letter([["p3"]])))
    before_lines, before_langs = _line_data(fixture_db, no), _languages(fixture_db, no)
    with tx() as ctx:
        remove_line(ctx, no, 20000)
    assert [x.contact_no for x in lines(fixture_db, no)] == ["P11", "P12"]
    assert _criteria(fixture_db, no)[-2:] == [
        ("Action", "Remove Contacts (Reduce)", "", ""),
        ("Filter", "Remove Contacts (Reduce)", "Contact", json.dumps({"no": "P3"})),
    ]
    with tx() as ctx:
        assert get_segment(ctx, no).no_of_criteria_actions == 4
        go_back(ctx, no)
    assert _line_data(fixture_db, no) == before_lines
    assert _languages(fixture_db, no) == before_langs


def test_last_line_removed_keeps_the_criteria_k15(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, contacts=("P11", "P3"))
    with tx() as ctx:
        remove_line(ctx, no, 10000)
        remove_line(ctx, no, 20000)
    with tx() as ctx:
        seg = get_segment(ctx, no)
        assert (seg.no_of_lines, seg.no_of_criteria_actions) == (0, 4)
        go_back(ctx, no)
    assert [x.contact_no for x in lines(fixture_db, no)] == ["P3"]


def test_change_contact_is_reduce_plus_add_and_undoes_exactly(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P3", "C2"))
    with tx() as ctx:
        update_line(ctx, no, 20000, LineFieldChanges(description="Personal"))
    before = _line_data(fixture_db, no)
    with tx() as ctx:
        assert change_line_contact(ctx, no, 20000, "p12") == 20000
    rows = lines(fixture_db, no)
    assert [(x.line_no, x.contact_no) for x in rows] == [
        (10000, "P11"),
        (20000, "P12"),
        (30000, "C2"),
    ]
    p12 = rows[1]
    assert (p12.description, p12.language_code, p12.contact_company_no) == ("", "DEU", "C1")
    assert [c[1] for c in _criteria(fixture_db, no) if c[0] == "Action"][-2:] == [
        "Remove Contacts (Reduce)",
        "Add Contacts",
    ]
    with tx() as ctx:
        assert get_segment(ctx, no).no_of_criteria_actions == 5
        go_back(ctx, no)
    assert [x.contact_no for x in lines(fixture_db, no)] == ["P11", "C2"]
    with tx() as ctx:
        go_back(ctx, no)
    assert _line_data(fixture_db, no) == before


def test_blank_lines_record_nothing(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", description="Spring", contacts=("P11",))
    with tx() as ctx:
        assert add_blank_line(ctx, no) == 20000
    blank = lines(fixture_db, no)[1]
    assert (blank.contact_no, blank.salesperson_code, blank.description) == (None, "SP1", "Spring")
    assert (blank.correspondence_type, blank.language_code) == ("Hard Copy", "")
    assert blank.attachment_no == header_languages(fixture_db, no)[""].attachment_no
    with tx() as ctx:
        remove_line(ctx, no, 20000)
        assert get_segment(ctx, no).no_of_criteria_actions == 1
    with tx() as ctx:
        add_blank_line(ctx, no)
        change_line_contact(ctx, no, 20000, "P3")
    assert [x.contact_no for x in lines(fixture_db, no)] == ["P11", "P3"]
    with tx() as ctx:
        assert get_segment(ctx, no).no_of_criteria_actions == 2


def test_update_line_overrides_fields(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    day = dt.date(2025, 5, 1)
    with tx() as ctx:
        update_line(
            ctx,
            no,
            10000,
            LineFieldChanges(
                description="Mine",
                subject="Hi",
                cost=Decimal("4"),
                duration=3,
                date=day,
                evaluation="Very Positive",
                correspondence_type="Hard Copy",
                campaign_no="cp1",
                campaign_target=True,
                salesperson_code="SP2",
                attempt_failed=True,
            ),
        )
    line = lines(fixture_db, no)[0]
    assert (line.description, line.subject, line.cost, line.duration, line.date) == (
        "Mine",
        "Hi",
        Decimal("4.00"),
        3,
        day,
    )
    assert (line.evaluation, line.correspondence_type, line.campaign_no) == (
        "Very Positive",
        "Hard Copy",
        "CP1",
    )
    assert (line.campaign_target, line.salesperson_code, line.attempt_failed) == (True, "SP2", True)
    before = snapshot(fixture_db)
    cases: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"evaluation": "Great"}, ValidationError),
        ({"cost": -1}, ValidationError),
        ({"interaction_template_code": "T-CALL"}, ValidationError),
        ({"salesperson_code": "SPX"}, NotFoundError),
    ]
    for change, error in cases:
        with pytest.raises(error), tx() as ctx:
            update_line(ctx, no, 10000, LineFieldChanges.model_validate(change))
    with pytest.raises(NotFoundError, match="line 99"), tx() as ctx:
        update_line(ctx, no, 99, LineFieldChanges(description="x"))
    assert snapshot(fixture_db) == before


def test_line_template_needs_a_contact_e20(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET")
    with tx() as ctx:
        add_blank_line(ctx, no)
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        set_line_template(ctx, no, 10000, "T-CALL")
    assert err.value.code == "E20"
    assert "Contact No. must have a value" in err.value.message
    assert snapshot(fixture_db) == before


def test_line_template_other_than_header_gets_unique_rows(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-MAIL", contacts=("P12", "P11"))
    with tx() as ctx:
        set_line_template(ctx, no, 10000, "T-LET")
    p12 = lines(fixture_db, no)[0]
    own = header_languages(fixture_db, no, 10000)
    assert set(own) == {"", "DEU"}
    assert (p12.language_code, p12.attachment_no) == ("DEU", own["DEU"].attachment_no)
    assert (p12.interaction_group_code, p12.cost, p12.duration) == ("LETTER", Decimal("2.50"), 5)
    assert p12.description == "Letter"  # blank description takes the template's
    assert p12.correspondence_type == "Email"  # header ignore flag (from T-MAIL) wins
    with tx() as ctx:
        assert [r.attachment for r in list_lines(ctx, no)] == ["Unique", "Inherited"]
    with tx() as ctx:
        edit = HeaderFieldChanges(description="Header edit", unit_cost=Decimal("9"))
        update_header(ctx, no, edit)
    p12 = lines(fixture_db, no)[0]
    assert (p12.description, p12.cost) == ("Letter", Decimal("2.50"))
    with tx() as ctx:
        set_line_template(ctx, no, 10000, "T-MAIL")  # back to the header's template
    p12 = lines(fixture_db, no)[0]
    assert header_languages(fixture_db, no, 10000) == {}
    assert p12.attachment_no == header_languages(fixture_db, no)[""].attachment_no
    assert p12.description == "Mailing"  # template changed from one template to another


def test_line_language_needs_template_e21_and_picks_rows(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, contacts=("P11",))
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        set_line_language(ctx, no, 10000, "DEU")
    assert err.value.code == "E21"
    assert snapshot(fixture_db) == before
    with tx() as ctx:
        set_header_template(ctx, no, "T-LET")
        set_line_language(ctx, no, 10000, "deu")
    line = lines(fixture_db, no)[0]
    assert (line.language_code, line.attachment_no) == (
        "DEU",
        header_languages(fixture_db, no)["DEU"].attachment_no,
    )
    with tx() as ctx:
        set_header_template(ctx, no, "T-MAIL")
        set_line_language(ctx, no, 10000, "DEU")
    line = lines(fixture_db, no)[0]
    assert (line.language_code, line.attachment_no, line.subject) == ("DEU", None, "")


def test_unique_attachment_upload_and_remove_fall_back(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P12",))
    with tx() as ctx:
        att = upload_line_attachment(ctx, no, 10000, AttachmentUpload(
            "mine.docx", word_letter([["mine"]])))
    line = lines(fixture_db, no)[0]
    assert (line.attachment_no, line.language_code) == (att, "DEU")
    with tx() as ctx:
        assert [r.attachment for r in list_lines(ctx, no)] == ["Unique"]
        att2 = upload_line_attachment(ctx, no, 10000, AttachmentUpload(
            "v2.docx", word_letter([["v2"]])))
    with fixture_db() as s:
        assert s.get(m.Attachment, att) is None  # replaced, nothing refers to it
    with tx() as ctx:
        remove_line_attachment(ctx, no, 10000)
    line = lines(fixture_db, no)[0]
    assert (line.language_code, line.attachment_no) == (
        "DEU",
        header_languages(fixture_db, no)["DEU"].attachment_no,
    )
    with fixture_db() as s:
        assert s.get(m.Attachment, att2) is None
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError, match="no unique attachment"), tx() as ctx:
        remove_line_attachment(ctx, no, 10000)
    assert snapshot(fixture_db) == before


def test_attachment_actions_refused_with_word_template_e22(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-CALL", contacts=("P11",))
    with fixture_db.begin() as s:
        s.add(m.WordTemplate(code="WT1", name="Letter"))
    with tx() as ctx:  # the line gets data of its own, then a Word template in it
        update_line(ctx, no, 10000, LineFieldChanges())
    with fixture_db.begin() as s:
        data = s.get(m.SegmentLineData, (no, 10000))
        assert data is not None
        data.word_template_code = "WT1"
    before = snapshot(fixture_db)
    for call in (
        lambda c: upload_line_attachment(c, no, 10000, AttachmentUpload("x.docx", b"x")),
        lambda c: remove_line_attachment(c, no, 10000),
    ):
        with pytest.raises(RuleViolationError) as err, tx() as ctx:
            call(ctx)
        assert err.value.code == "E22"
        assert "Word template" in err.value.message
    assert snapshot(fixture_db) == before


def test_contact_filter_quotes_special_numbers() -> None:
    assert contact_filter("P11") == "P11"
    assert contact_filter("A|B") == "'A|B'"
    assert contact_filter("O'NEIL") == "'O''NEIL'"


def test_manual_steps_replay_through_saved_criteria(fixture_db: SF, tx: TxFactory) -> None:
    from rapport.services.criteria import reuse_criteria, save_criteria
    from tests.builders import make_contact

    with fixture_db.begin() as s:
        make_contact(s, no="O'N.1|X", name="Odd Number")
    no = make_segment(tx, contacts=("P11", "O'N.1|X", "P3"))
    with tx() as ctx:
        remove_line(ctx, no, 30000)
        save_criteria(ctx, no, "MANUAL")
    other = make_segment(tx)
    with tx() as ctx:
        reuse_criteria(ctx, other, "MANUAL")
    assert [x.contact_no for x in lines(fixture_db, other)] == ["P11", "O'N.1|X"]
