"""Header fields and their propagation to the lines (§3.10; K2, K3, K4; E12; Q01–Q04)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RuleViolationError, ValidationError
from rapport.services.segments import (
    HeaderFieldChanges,
    LineFieldChanges,
    add_line,
    get_segment,
    list_lines,
    set_header_template,
    set_language_default,
    set_line_template,
    set_subject_default,
    subject_default,
    update_header,
    update_line,
    upload_line_attachment,
)
from rapport.services.templates import AttachmentUpload
from tests.builders_documents import word_letter
from tests.builders_segment_header import (
    header_languages,
    header_of,
    line_of,
    lines,
    make_segment,
    snapshot,
)
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def test_header_description_reaches_only_lines_with_the_header_template(
    fixture_db: SF, tx: TxFactory
) -> None:
    """Scenario 39: a per-line template override survives header edits."""
    no = make_segment(tx, template="T-LET", description="Spring", contacts=("P11", "P3", "P21"))
    with tx() as ctx:
        set_line_template(ctx, no, 30000, "T-CALL")
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(description="Autumn"))
    assert [x.description for x in lines(fixture_db, no)] == ["Autumn", "Autumn", "Call"]
    assert header_of(fixture_db, no).description == "Autumn"


def test_header_unit_cost_propagates_and_sums(fixture_db: SF, tx: TxFactory) -> None:
    """Scenario 42."""
    no = make_segment(tx, template="T-LET", contacts=("P11", "P3"))
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(unit_cost=Decimal("3.00")))
    assert [x.cost for x in lines(fixture_db, no)] == [Decimal("3.00"), Decimal("3.00")]
    with tx() as ctx:
        assert get_segment(ctx, no).cost == Decimal("6.00")


def test_update_lines_false_changes_only_the_header(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    with tx() as ctx:
        update_header(
            ctx, no, HeaderFieldChanges(unit_duration=7, description="X"), update_lines=False
        )
    h = header_of(fixture_db, no)
    assert (h.unit_duration, h.description) == (7, "X")
    line = lines(fixture_db, no)[0]
    assert (line.duration, line.description) == (5, "")


def test_every_ordinary_field_propagates(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    day = dt.date(2025, 4, 1)
    with tx() as ctx:
        update_header(
            ctx,
            no,
            HeaderFieldChanges(
                campaign_no="CP1",
                salesperson_code="SP2",
                date=day,
                unit_duration=9,
                information_flow="Inbound",
                initiated_by="Them",
                campaign_target=True,
                campaign_response=True,
                send_word_docs_as_attmt=True,
            ),
        )
    line = lines(fixture_db, no)[0]
    assert (line.campaign_no, line.salesperson_code, line.date, line.duration) == (
        "CP1",
        "SP2",
        day,
        9,
    )
    assert (line.information_flow, line.initiated_by) == ("Inbound", "Them")
    assert (line.campaign_target, line.campaign_response, line.send_word_doc_as_attmt) == (
        True,
        True,
        True,
    )
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(campaign_no=None))
    h, line = header_of(fixture_db, no), lines(fixture_db, no)[0]
    assert (h.campaign_target, h.campaign_response, line.campaign_target, line.campaign_no) == (
        False,
        False,
        False,
        None,
    )


def test_correspondence_type_propagates_even_without_attachment_k4(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, template="T-CALL", contacts=("P11", "C2"))
    with tx() as ctx:
        update_header(
            ctx,
            no,
            HeaderFieldChanges(
                ignore_contact_corres_type=True,
                correspondence_type_default="",
            ),
        )
    assert [x.correspondence_type for x in lines(fixture_db, no)] == ["", ""]
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(correspondence_type_default="Hard Copy"))
    assert [x.correspondence_type for x in lines(fixture_db, no)] == ["Hard Copy", "Hard Copy"]
    assert header_of(fixture_db, no).ignore_contact_corres_type is True


def test_ignore_flag_does_not_propagate_and_type_needs_it(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    before = snapshot(fixture_db)
    with pytest.raises(ValidationError, match="Ignore Contact Corres. Type"), tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(correspondence_type_default="Email"))
    assert snapshot(fixture_db) == before
    with tx() as ctx:
        update_header(ctx, no, HeaderFieldChanges(ignore_contact_corres_type=True))
    assert lines(fixture_db, no)[0].correspondence_type == "Email"  # P11's own type, unchanged


def test_correspondence_type_precedence_with_header_ignore(fixture_db: SF, tx: TxFactory) -> None:
    """Scenario 45."""
    no = make_segment(tx, template="T-LET", contacts=("C2", "P3", "P12"))
    assert [x.correspondence_type for x in lines(fixture_db, no)] == [
        "Hard Copy",
        "Email",
        "Hard Copy",
    ]
    with tx() as ctx:
        update_header(
            ctx,
            no,
            HeaderFieldChanges(
                ignore_contact_corres_type=True,
                correspondence_type_default="Email",
            ),
            update_lines=False,
        )
    with tx() as ctx:
        add_line(ctx, no, "C2")
    assert lines(fixture_db, no)[-1].correspondence_type == "Email"


def test_header_refusals_leave_the_database_unchanged(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    with fixture_db.begin() as s:
        sp = s.get(m.Salesperson, "SP2")
        assert sp is not None
        sp.blocked = True
    before = snapshot(fixture_db)
    bad: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"salesperson_code": "SP2"}, RuleViolationError, "blocked"),
        ({"campaign_no": "NOPE"}, NotFoundError, "NOPE"),
        ({"unit_cost": "-1"}, ValidationError, "amount"),
        ({"unit_duration": 1.5}, ValidationError, "whole minutes"),
        ({"information_flow": "Sideways"}, ValidationError, "must be one of"),
        ({"campaign_target": True}, ValidationError, "need a Campaign No."),
        ({"description": "x" * 101}, ValidationError, "longer than 100"),
        ({"no_such_field": 1}, ValidationError, "no editable field"),
    ]
    for change, error, text in bad:
        with pytest.raises(error, match=text), tx() as ctx:
            update_header(ctx, no, HeaderFieldChanges.model_validate(change))
    assert snapshot(fixture_db) == before


def test_template_change_redefaults_header_and_all_lines_k2(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P12", "C2"))
    with tx() as ctx:
        # still the old template's default:
        update_line(ctx, no, 10000, LineFieldChanges(description="Letter"))
        update_line(ctx, no, 20000, LineFieldChanges(description="Personal"))
    with tx() as ctx:
        set_header_template(ctx, no, "T-MAIL")
    h = header_of(fixture_db, no)
    assert (h.interaction_template_code, h.interaction_group_code, h.unit_cost) == (
        "T-MAIL",
        "EMAIL",
        Decimal("0.10"),
    )
    assert (h.correspondence_type_default, h.ignore_contact_corres_type) == ("Email", True)
    rows = lines(fixture_db, no)
    assert {x.interaction_template_code for x in rows} == {"T-MAIL"}
    assert {(x.cost, x.duration, x.interaction_group_code) for x in rows} == {
        (Decimal("0.10"), 1, "EMAIL")
    }
    assert [x.description for x in rows] == ["Mailing", "Personal", "Mailing"]
    assert [x.correspondence_type for x in rows] == ["Email", "Email", "Email"]
    mail_row = header_languages(fixture_db, no)[""]
    assert set(header_languages(fixture_db, no)) == {""}
    assert {(x.language_code, x.attachment_no) for x in rows} == {("", mail_row.attachment_no)}
    with fixture_db() as s:
        template_att = s.scalar(
            select(m.InteractionTmplLanguage.attachment_no).where(
                m.InteractionTmplLanguage.interaction_template_code == "T-MAIL"
            )
        )
        assert mail_row.attachment_no != template_att  # a copy, not the template's attachment
        copy = s.get(m.Attachment, mail_row.attachment_no)
        assert copy is not None and copy.content == b"A-MAIL"
        old_copies = s.scalars(
            select(m.Attachment.no).where(m.Attachment.content.in_([b"A-LET-EN", b"A-LET-DE"]))
        ).all()
        assert len(old_copies) == 2  # only the template's own; the segment's copies are gone


def test_template_languages_follow_contact_language(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, contacts=("P11", "P12"))
    with tx() as ctx:
        set_header_template(ctx, no, "T-LET")
    langs = header_languages(fixture_db, no)
    p11, p12 = line_of(fixture_db, no, "P11"), line_of(fixture_db, no, "P12")
    assert (p11.language_code, p11.attachment_no) == ("", langs[""].attachment_no)
    assert (p12.language_code, p12.attachment_no) == ("DEU", langs["DEU"].attachment_no)
    assert p11.description == "Letter"  # blank description takes the template's
    with tx() as ctx:
        assert {r.attachment for r in list_lines(ctx, no)} == {"Inherited"}


def test_template_change_without_updating_lines_refused_with_inherited_e12(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        set_header_template(ctx, no, "T-CALL", update_lines=False)
    assert err.value.code == "E12"
    assert no in err.value.message
    assert snapshot(fixture_db) == before


def test_template_change_without_updating_lines_keeps_lines(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-CALL", contacts=("P11",))
    with tx() as ctx:
        set_header_template(ctx, no, "T-LET", update_lines=False)
    assert header_of(fixture_db, no).interaction_template_code == "T-LET"
    assert set(header_languages(fixture_db, no)) == {"", "DEU"}
    line = lines(fixture_db, no)[0]
    assert (line.interaction_template_code, line.cost) == ("T-CALL", Decimal("1.00"))


def test_clearing_the_template_resets_template_fields_k3(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", description="Spring", contacts=("P12",))
    with tx() as ctx:
        set_header_template(ctx, no, None)
    h = header_of(fixture_db, no)
    assert (h.interaction_template_code, h.interaction_group_code, h.unit_cost) == (
        None,
        None,
        Decimal("0.00"),
    )
    assert (h.unit_duration, h.information_flow, h.correspondence_type_default) == (0, "", "")
    assert header_languages(fixture_db, no) == {}
    line = lines(fixture_db, no)[0]
    assert (line.interaction_template_code, line.cost, line.attachment_no) == (
        None,
        Decimal("0.00"),
        None,
    )
    assert (line.description, line.correspondence_type, line.language_code) == ("Spring", "", "")


def test_template_campaign_becomes_the_header_campaign(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        t = s.get(m.InteractionTemplate, "T-CALL")
        assert t is not None
        t.campaign_no, t.campaign_target = "CP1", True
    no = make_segment(tx, contacts=("P11",))
    with tx() as ctx:
        set_header_template(ctx, no, "T-CALL")
    h, line = header_of(fixture_db, no), lines(fixture_db, no)[0]
    assert (h.campaign_no, h.campaign_target, line.campaign_no, line.campaign_target) == (
        "CP1",
        True,
        "CP1",
        True,
    )
    with tx() as ctx:
        set_header_template(ctx, no, None)
    assert header_of(fixture_db, no).campaign_no is None


def test_unique_attachment_survives_header_template_change(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    with tx() as ctx:
        att = upload_line_attachment(ctx, no, 10000, AttachmentUpload(
            "mine.docx", word_letter([["mine"]])))
    with tx() as ctx:
        set_header_template(ctx, no, "T-MAIL")
    line = lines(fixture_db, no)[0]
    assert (line.interaction_template_code, line.attachment_no) == ("T-MAIL", att)


def test_language_default_creates_row_or_is_refused(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-CALL", contacts=("P11",))
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as err, tx() as ctx:
        set_language_default(ctx, no, "DEU", create_language_row=False)
    assert err.value.code == "E13"
    with pytest.raises(NotFoundError, match="XX"), tx() as ctx:
        set_language_default(ctx, no, "xx")
    assert snapshot(fixture_db) == before
    with tx() as ctx:
        set_language_default(ctx, no, "deu")
    assert header_of(fixture_db, no).language_code_default == "DEU"
    assert set(header_languages(fixture_db, no)) == {"DEU"}
    assert lines(fixture_db, no)[0].language_code == "DEU"


def test_language_default_repoints_lines_without_own_language(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P12"))
    with tx() as ctx:
        set_language_default(ctx, no, "DEU", create_language_row=False)
    de = header_languages(fixture_db, no)["DEU"]
    p11, p12 = line_of(fixture_db, no, "P11"), line_of(fixture_db, no, "P12")
    assert (p11.language_code, p12.language_code) == ("", "DEU")  # P11's blank language has a row
    assert p12.attachment_no == de.attachment_no


def test_subject_default_updates_matching_lines_only(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11", "P3", "P12", "C2"))
    with tx() as ctx:
        set_subject_default(ctx, no, "Hello")
    assert [x.subject for x in lines(fixture_db, no)] == ["Hello", "Hello", "", "Hello"]
    with tx() as ctx:
        update_line(ctx, no, 20000, LineFieldChanges(subject="Dear Dora"))
        set_line_template(ctx, no, 40000, "T-CALL")
    with tx() as ctx:
        header = set_subject_default(ctx, no, "Hi")
        assert subject_default(ctx, header) == "Hi"
    assert [x.subject for x in lines(fixture_db, no)] == ["Hi", "Dear Dora", "", ""]
    with tx() as ctx:
        set_subject_default(ctx, no, "Hey", update_lines=False)
    assert lines(fixture_db, no)[0].subject == "Hi"


def test_subject_default_needs_a_language_row(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-CALL")
    before = snapshot(fixture_db)
    with pytest.raises(NotFoundError, match="Subject"), tx() as ctx:
        set_subject_default(ctx, no, "x")
    assert snapshot(fixture_db) == before


def test_unknown_template_refused(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P11",))
    before = snapshot(fixture_db)
    with pytest.raises(NotFoundError, match="T-NONE"), tx() as ctx:
        set_header_template(ctx, no, "t-none")
    assert snapshot(fixture_db) == before
