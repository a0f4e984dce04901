"""Create Interaction wizard (SPEC §3.17): defaults, templates, finishing, errors (both engines)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.domain.enums import CorrespondenceType, Evaluation, WizardAction
from rapport.errors import MultipleErrors, NotFoundError, RapportError, RuleViolationError
from rapport.services.interactions import (
    MANUAL_CAMPAIGN_ENTRY,
    DraftAttachment,
    DraftChanges,
    InteractionDraft,
    apply_changes,
    apply_template,
    check_first_step,
    create_interaction,
    finish,
    interaction_time,
    start_from_contact,
    start_from_entry,
    start_from_salesperson,
)
from tests.builders_interactions import (
    add_alt_address,
    build,
    comments_of,
    db_state,
    entries,
    make_entry,
    open_tx,
    update_row,
)

Factory = sessionmaker[Session]


def _draft(factory: Factory, contact: str, template: str, **fields: object) -> InteractionDraft:
    with open_tx(factory) as ctx:
        draft = apply_template(ctx, start_from_contact(ctx, contact), template)
    return InteractionDraft.model_validate({**draft.model_dump(), **fields})


def _finish(factory: Factory, draft: InteractionDraft, **kw: bool) -> int:
    with open_tx(factory) as ctx:
        return finish(ctx, draft, **kw)


def _codes(exc: RapportError) -> list[str]:
    return [e.code for e in exc.errors] if isinstance(exc, MultipleErrors) else [exc.code]


# --- time of interaction -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2025, 3, 10, 12, 33, 59), dt.time(12, 34)),
        (dt.datetime(2025, 3, 10, 12, 34, 0), dt.time(12, 35)),
        (dt.datetime(2025, 3, 10, 12, 33, 59, 500000), dt.time(12, 35)),
        (dt.datetime(2025, 3, 10, 12, 33, 0, 1), dt.time(12, 34)),
    ],
)
def test_wizard_time_is_now_plus_a_second_rounded_up_to_the_minute(
    now: dt.datetime, expected: dt.time
) -> None:
    assert interaction_time(now) == expected


def test_wizard_time_is_taken_in_the_configured_time_zone() -> None:
    now = dt.datetime(2025, 3, 10, 11, 33, 59, tzinfo=dt.UTC)
    assert interaction_time(now, ZoneInfo("Europe/Oslo")) == dt.time(12, 34)


# --- scenario 65 and defaults ----------------------------------------------------------------


def test_scenario_65_create_from_contact(fixture_db: Factory) -> None:
    draft = _draft(
        fixture_db, "P11", "T-CALL", evaluation=Evaluation.POSITIVE, interaction_successful=False
    )
    assert draft.description == "Call" and draft.time_of_interaction == dt.time(12, 34)
    entry_no = _finish(fixture_db, draft)
    [entry] = entries(fixture_db)
    assert entry.entry_no == entry_no
    assert (entry.contact_no, entry.contact_company_no) == ("P11", "C1")
    assert (entry.interaction_template_code, entry.interaction_group_code) == ("T-CALL", "LETTER")
    assert (Decimal(entry.cost), entry.duration) == (Decimal("1.00"), 10)
    assert entry.date == dt.date(2025, 3, 10) and entry.time_of_interaction == dt.time(12, 34)
    assert entry.salesperson_code == "SP1" and entry.correspondence_type == ""
    assert entry.evaluation == "Positive" and entry.attempt_failed is True
    assert entry.postponed is False and entry.canceled is False
    assert (entry.subject, entry.description) == ("Call", "Call")
    assert (entry.information_flow, entry.initiated_by) == ("Outbound", "Us")
    assert entry.delivery_status == "" and entry.user_id == "U1"
    assert entry.campaign_no is None and entry.campaign_entry_no is None


def test_start_from_contact_defaults(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        person = start_from_contact(ctx, "p11")
        company = start_from_contact(ctx, "C1")
        standalone = start_from_contact(ctx, "P3")
    assert (person.contact_no, person.contact_company_no) == ("P11", "C1")
    assert person.date == dt.date(2025, 3, 10) and person.interaction_successful is True
    assert person.locked == {"contact_no"}
    assert company.contact_company_no == "C1"
    assert standalone.contact_company_no is None and standalone.salesperson_code == "SP1"


def _salesperson_for(factory: Factory, contact: str = "P11", user: str = "U1") -> str | None:
    with open_tx(factory, user_id=user) as ctx:
        return start_from_contact(ctx, contact).salesperson_code


def test_salesperson_with_the_users_email_wins(fixture_db: Factory) -> None:
    update_row(fixture_db, m.Salesperson, "SP2", email="U1@Rapport.test")
    assert _salesperson_for(fixture_db) == "SP2"


def test_salesperson_email_match_must_be_unique(fixture_db: Factory) -> None:
    update_row(fixture_db, m.Salesperson, "SP2", email="u1@rapport.test")
    build(fixture_db, lambda s: s.add(m.Salesperson(code="SP3", email="u1@rapport.test")))
    assert _salesperson_for(fixture_db) == "SP1"


def test_salesperson_falls_back_to_the_contacts(fixture_db: Factory) -> None:
    update_row(fixture_db, m.AppUser, "U1", salesperson_code=None)
    assert _salesperson_for(fixture_db) == "SP2"
    assert _salesperson_for(fixture_db, user="NOBODY") == "SP2"


def test_start_from_privacy_blocked_contact_is_refused(fixture_db: Factory) -> None:
    update_row(fixture_db, m.Contact, "P3", privacy_blocked=True)
    with pytest.raises(RuleViolationError) as err, open_tx(fixture_db) as ctx:
        start_from_contact(ctx, "P3")
    assert err.value.code == "E38" and "P3" in err.value.message


def test_start_from_unknown_contact_or_salesperson(fixture_db: Factory) -> None:
    with pytest.raises(NotFoundError) as err, open_tx(fixture_db) as ctx:
        start_from_contact(ctx, "NOPE")
    assert err.value.code == "E07"
    with pytest.raises(NotFoundError) as err, open_tx(fixture_db) as ctx:
        start_from_salesperson(ctx, "SP9")
    assert err.value.code == "E07" and "SP9" in err.value.message


def test_start_from_salesperson(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = start_from_salesperson(ctx, "sp2")
    assert draft.salesperson_code == "SP2" and draft.contact_no is None
    assert draft.locked == {"salesperson_code"}


def test_k17_start_from_the_selected_entry(fixture_db: Factory) -> None:
    entry = build(
        fixture_db,
        lambda s: make_entry(
            s,
            contact_no="P12",
            salesperson_code="SP2",
            campaign_no="CP1",
            opportunity_no="OP1",
            date=dt.date(2025, 1, 2),
        ),
    )
    with open_tx(fixture_db) as ctx:
        draft = start_from_entry(ctx, entry.entry_no)
    assert (draft.contact_no, draft.contact_company_no, draft.salesperson_code) == (
        "P12",
        "C1",
        "SP2",
    )
    assert (draft.campaign_no, draft.opportunity_no) == ("CP1", "OP1")
    assert draft.date == dt.date(2025, 3, 10) and draft.entry_no is None
    assert draft.locked == {
        "contact_no",
        "contact_company_no",
        "salesperson_code",
        "campaign_no",
        "opportunity_no",
    }


# --- templates -------------------------------------------------------------------------------


def _attachment_name(factory: Factory, no: int | None) -> str | None:
    with factory() as session:
        return session.scalar(select(m.Attachment.file_name).where(m.Attachment.no == no))


def test_template_language_follows_the_contact(fixture_db: Factory) -> None:
    german = _draft(fixture_db, "P12", "T-LET")
    blank = _draft(fixture_db, "P11", "T-LET")
    assert (german.language_code, _attachment_name(fixture_db, german.attachment_no)) == (
        "DEU",
        "A-LET-DE.docx",
    )
    assert (blank.language_code, _attachment_name(fixture_db, blank.attachment_no)) == (
        "",
        "A-LET-EN.docx",
    )
    assert german.correspondence_type == CorrespondenceType.HARD_COPY
    assert (german.cost, german.duration, german.description) == (Decimal("2.50"), 5, "Letter")


def test_template_campaign_and_description_defaults(fixture_db: Factory) -> None:
    update_row(fixture_db, m.InteractionTemplate, "T-CALL", campaign_no="CP1", campaign_target=True)
    draft = _draft(fixture_db, "P11", "T-LET")
    with open_tx(fixture_db) as ctx:
        switched = apply_template(ctx, draft, "T-CALL")
        typed = apply_template(ctx, draft.model_copy(update={"description": "Mine"}), "T-CALL")
    assert (switched.description, switched.campaign_no, switched.campaign_target) == (
        "Call",
        "CP1",
        True,
    )
    assert typed.description == "Mine"


# --- finishing -------------------------------------------------------------------------------


def test_email_interaction_is_queued_with_its_own_copy_of_the_attachment(
    fixture_db: Factory,
) -> None:
    draft = _draft(fixture_db, "P3", "T-MAIL", comments=["first", "second"])
    entry_no = _finish(fixture_db, draft)
    [entry] = entries(fixture_db)
    assert entry.entry_no == entry_no
    assert entry.correspondence_type == "Email" and entry.delivery_status == "In Progress"
    assert entry.attachment_no not in (None, draft.attachment_no)
    with fixture_db() as session:
        copy = session.get(m.Attachment, entry.attachment_no)
        assert copy is not None and copy.content == b"A-MAIL" and copy.read_only is True
    assert comments_of(fixture_db, entry_no) == [(10000, "first"), (20000, "second")]


def test_result_description_becomes_the_entrys_description(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P11", "T-CALL", result_description="Customer will call back")
    _finish(fixture_db, draft)
    [entry] = entries(fixture_db)
    assert (entry.subject, entry.description) == ("Call", "Customer will call back")


def test_imported_file_becomes_the_attachment(fixture_db: Factory) -> None:
    draft = _draft(
        fixture_db, "P11", "T-CALL", upload=DraftAttachment(file_name="notes.txt", content=b"hello")
    )
    _finish(fixture_db, draft)
    [entry] = entries(fixture_db)
    with fixture_db() as session:
        attachment = session.get(m.Attachment, entry.attachment_no)
        assert attachment is not None
        assert (attachment.file_name, attachment.file_extension, attachment.content) == (
            "notes.txt",
            "txt",
            b"hello",
        )


def test_two_manual_interactions_share_one_campaign_entry(fixture_db: Factory) -> None:
    first = _finish(fixture_db, _draft(fixture_db, "P11", "T-CALL", campaign_no="CP1"))
    second = _finish(fixture_db, _draft(fixture_db, "P3", "T-CALL", campaign_no="CP1"))
    with fixture_db() as session:
        [campaign_entry] = session.scalars(select(m.CampaignEntry)).all()
        numbers = session.scalars(
            select(m.InteractionLogEntry.campaign_entry_no).where(
                m.InteractionLogEntry.entry_no.in_([first, second])
            )
        ).all()
    assert numbers == [campaign_entry.entry_no, campaign_entry.entry_no]
    assert (campaign_entry.campaign_no, campaign_entry.description) == (
        "CP1",
        MANUAL_CAMPAIGN_ENTRY,
    )
    assert (campaign_entry.segment_no, campaign_entry.document_type) == ("", "")
    assert (campaign_entry.user_id, campaign_entry.salesperson_code) == ("U1", "SP1")
    assert campaign_entry.date == dt.date(2025, 3, 10) and campaign_entry.register_no is None


def test_a_canceled_campaign_entry_is_not_reused(fixture_db: Factory) -> None:
    _finish(fixture_db, _draft(fixture_db, "P11", "T-CALL", campaign_no="CP1"))
    with fixture_db.begin() as session:
        for row in session.scalars(select(m.CampaignEntry)):
            row.canceled = True
    _finish(fixture_db, _draft(fixture_db, "P3", "T-CALL", campaign_no="CP1"))
    with fixture_db() as session:
        assert len(session.scalars(select(m.CampaignEntry)).all()) == 2


def test_e08_email_without_any_address_when_delivering(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P21", "T-MAIL")
    before = db_state(fixture_db)
    with pytest.raises(RuleViolationError) as err:
        _finish(fixture_db, draft)
    assert err.value.code == "E08" and "P21" in err.value.message
    assert db_state(fixture_db) == before


def test_email_without_address_is_recorded_blank_without_delivery(fixture_db: Factory) -> None:
    _finish(fixture_db, _draft(fixture_db, "P21", "T-MAIL"), deliver=False)
    [entry] = entries(fixture_db)
    assert entry.correspondence_type == "" and entry.delivery_status == ""


def test_email_kept_for_an_alternate_address_with_email(fixture_db: Factory) -> None:
    build(fixture_db, lambda s: add_alt_address(s, "P21", "HOME", "carl@home.test"))
    _finish(fixture_db, _draft(fixture_db, "P21", "T-MAIL"))
    [entry] = entries(fixture_db)
    assert entry.correspondence_type == "Email" and entry.contact_alt_address_code == "HOME"
    assert entry.delivery_status == "In Progress"


# --- errors: all reported at once, nothing written -------------------------------------------


def test_e25_every_missing_field_at_once(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = start_from_salesperson(ctx, "SP1").model_copy(update={"date": None})
    before = db_state(fixture_db)
    with pytest.raises(MultipleErrors) as err:
        _finish(fixture_db, draft)
    assert _codes(err.value) == ["E25"] * 4
    assert [e.field for e in err.value.errors] == [
        "contact_no",
        "interaction_template_code",
        "date",
        "description",
    ]
    assert "You must select a contact" in err.value.message
    assert db_state(fixture_db) == before


def test_e25_missing_salesperson(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P11", "T-CALL", salesperson_code=None)
    with pytest.raises(RapportError) as err:
        _finish(fixture_db, draft)
    assert err.value.code == "E25" and "Salesperson Code" in err.value.message
    assert entries(fixture_db) == []


def test_e23_template_and_description_are_mandatory() -> None:
    with pytest.raises(MultipleErrors) as err:
        check_first_step(InteractionDraft(contact_no="P11"))
    assert _codes(err.value) == ["E23", "E23"]
    assert "Interaction Template Code is mandatory" in err.value.message
    check_first_step(InteractionDraft(interaction_template_code="T-CALL", description="Call"))


def test_e07_unknown_references(fixture_db: Factory) -> None:
    draft = _draft(
        fixture_db,
        "P11",
        "T-CALL",
        salesperson_code="SP9",
        campaign_no="CPX",
        interaction_template_code="T-NONE",
    )
    before = db_state(fixture_db)
    with pytest.raises(MultipleErrors) as err:
        _finish(fixture_db, draft)
    assert _codes(err.value) == ["E07", "E07", "E07"]
    assert all(code in err.value.message for code in ("SP9", "CPX", "T-NONE"))
    assert db_state(fixture_db) == before


def test_e38_contact_blocked_after_the_wizard_started(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P11", "T-CALL")
    update_row(fixture_db, m.Contact, "P11", privacy_blocked=True)
    with pytest.raises(RuleViolationError) as err:
        _finish(fixture_db, draft)
    assert err.value.code == "E38"
    assert entries(fixture_db) == []


def test_e24_open_action_without_attachment(fixture_db: Factory) -> None:
    update_row(fixture_db, m.InteractionTemplate, "T-CALL", wizard_action=WizardAction.OPEN.value)
    before = db_state(fixture_db)
    with pytest.raises(RuleViolationError) as err:
        _finish(fixture_db, _draft(fixture_db, "P11", "T-CALL"))
    assert err.value.code == "E24" and "T-CALL" in err.value.message
    assert db_state(fixture_db) == before


def test_e25_email_type_needs_attachment_content(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P11", "T-CALL", correspondence_type=CorrespondenceType.EMAIL)
    before = db_state(fixture_db)
    with pytest.raises(RuleViolationError) as err:
        _finish(fixture_db, draft)
    assert err.value.code == "E25" and "Email" in err.value.message
    assert db_state(fixture_db) == before


def test_too_long_texts_are_refused(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P11", "T-CALL", description="x" * 101, comments=["y" * 251])
    with pytest.raises(MultipleErrors) as err:
        _finish(fixture_db, draft)
    assert [e.field for e in err.value.errors] == ["description", "comments[0]"]
    assert entries(fixture_db) == []


# --- changes, language, concurrency -----------------------------------------------------------


def test_changes_apply_contact_then_template_then_fields(fixture_db: Factory) -> None:
    with open_tx(fixture_db) as ctx:
        draft = apply_changes(
            ctx,
            start_from_salesperson(ctx, "SP2"),
            DraftChanges(
                contact="bob",
                template_code="t-let",
                cost=Decimal("9"),
                campaign_no="cp1",
                add_comments=["one"],
            ),
        )
        cleared = apply_changes(ctx, draft, DraftChanges(campaign_no=None, contact="nobody"))
    assert (draft.contact_no, draft.contact_company_no, draft.language_code) == ("P12", "C1", "DEU")
    assert (draft.description, draft.cost, draft.campaign_no) == ("Letter", Decimal("9"), "CP1")
    assert [c.text for c in draft.comments] == ["one"]
    assert cleared.campaign_no is None and cleared.contact_no is None
    assert cleared.cost == Decimal("9")


def test_changing_the_language_takes_its_attachment(fixture_db: Factory) -> None:
    draft = _draft(fixture_db, "P11", "T-LET")
    with open_tx(fixture_db) as ctx:
        german = apply_changes(ctx, draft, DraftChanges(language_code="deu"))
        with pytest.raises(NotFoundError) as err:
            apply_changes(ctx, draft, DraftChanges(language_code="FRA"))
    assert _attachment_name(fixture_db, german.attachment_no) == "A-LET-DE.docx"
    assert err.value.code == "E07" and "FRA" in err.value.message


def test_create_interaction_starts_from_exactly_one_place(fixture_db: Factory) -> None:
    with pytest.raises(RapportError) as err, open_tx(fixture_db) as ctx:
        create_interaction(ctx, DraftChanges(), contact_no="P11", salesperson_code="SP1")
    assert "exactly one" in err.value.message
    with pytest.raises(NotFoundError), open_tx(fixture_db) as ctx:
        create_interaction(ctx, DraftChanges(template_code="T-CALL"), contact_no="zzz")
    with open_tx(fixture_db) as ctx:
        recorded = create_interaction(ctx, DraftChanges(template_code="T-CALL"), contact_no="anna")
    assert (recorded.contact_no, recorded.time_of_interaction) == ("P11", dt.time(12, 34))


def test_concurrent_finishes_share_one_campaign_entry(fixture_db: Factory) -> None:
    first = _draft(fixture_db, "P11", "T-CALL", campaign_no="CP1")
    second = _draft(fixture_db, "P3", "T-CALL", campaign_no="CP1")
    failures: list[BaseException] = []

    def other_user() -> None:
        try:
            _finish(fixture_db, second)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    thread = threading.Thread(target=other_user)
    with open_tx(fixture_db) as ctx:
        finish(ctx, first)
        thread.start()
        time.sleep(0.5)  # the other finish waits for the campaign lock until this commits
    thread.join(timeout=30)
    assert failures == [] and not thread.is_alive()
    with fixture_db() as session:
        assert len(session.scalars(select(m.CampaignEntry)).all()) == 1
        numbers = set(session.scalars(select(m.InteractionLogEntry.campaign_entry_no)))
    assert len(numbers) == 1 and None not in numbers
