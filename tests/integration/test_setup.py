"""Marketing setup, E01, salespeople, users and the classification code tables."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services import setup
from rapport.services.setup import (
    CodeChanges,
    CodeInput,
    QuestionnaireChanges,
    QuestionnaireLineInput,
)
from tests.builders import make_contact
from tests.builders_setup import assert_refused, basic_setup
from tests.concurrency import run_at_once
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def test_get_marketing_setup_creates_the_singleton_with_defaults(tx: TxFactory) -> None:
    with tx() as ctx:
        first = setup.get_marketing_setup(ctx)
        assert first.segment_nos is None and first.default_correspondence_type == ""
        assert first.inherit_salesperson and first.inherit_address
        assert first.attachment_storage_type == "Embedded"
    with tx() as ctx:
        assert setup.get_marketing_setup(ctx).id == 1
        assert ctx.session.query(m.MarketingSetup).count() == 1


def test_two_transactions_creating_the_setup_at_once_both_get_the_one_row(
    tx: TxFactory, factory: SF
) -> None:
    """The second transaction finds no row, waits for the first one's insert, then reads it."""
    created = threading.Event()
    seen: list[bool] = []

    def first() -> None:
        try:
            with tx() as ctx:
                setup.get_marketing_setup(ctx)
                created.set()
                time.sleep(0.5)  # still uncommitted while the second one looks
        finally:
            created.set()

    def second() -> None:
        created.wait(10)
        with tx() as ctx:
            seen.append(setup.get_marketing_setup(ctx).inherit_address)

    errors = run_at_once(first, second)
    assert errors == [] and seen == [True]
    with factory() as s:
        assert s.query(m.MarketingSetup).count() == 1


def test_update_marketing_setup_normalises_and_checks_codes(tx: TxFactory, factory: SF) -> None:
    with factory.begin() as s:
        basic_setup(s)
    with tx() as ctx:
        setup.update_marketing_setup(
            ctx,
            setup.MarketingSetupChanges(
                segment_nos="seg",
                default_salesperson_code="sp1",
                default_correspondence_type="Email",
                inherit_address=False,
                mergefield_language_id=1033,
                default_format_region=" nb-NO ",
            ),
        )
    with factory() as s:
        row = s.get(m.MarketingSetup, 1)
        assert row is not None
        assert (row.segment_nos, row.default_salesperson_code) == ("SEG", "SP1")
        assert row.default_correspondence_type == "Email" and row.inherit_address is False
        assert row.default_format_region == "nb-NO" and row.mergefield_language_id == 1033


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"segment_nos": "NOPE"}, NotFoundError, "segment_nos"),
        ({"default_territory_code": "WEST"}, NotFoundError, "default_territory_code"),
        ({"default_correspondence_type": "Fax"}, ValidationError, "default_correspondence_type"),
        (
            {"attachment_storage_type": "Exchange Storage"},
            ValidationError,
            "attachment_storage_type",
        ),
        ({"inherit_language": "yes"}, ValidationError, "inherit_language"),
        ({"mergefield_language_id": -1}, ValidationError, "mergefield_language_id"),
        ({"colour": "red"}, ValidationError, "colour"),
    ],
)
def test_invalid_marketing_setup_changes_are_refused(
    tx: TxFactory, factory: SF, changes: dict, error: type, field: str
) -> None:
    with factory.begin() as s:
        basic_setup(s)
    err = assert_refused(
        tx,
        factory,
        lambda ctx: setup.update_marketing_setup(
            ctx, setup.MarketingSetupChanges.model_validate(changes)
        ),
        error,
    )
    assert err.field == field


def test_require_series_returns_the_code_or_raises_e01(tx: TxFactory, factory: SF) -> None:
    with factory.begin() as s:
        basic_setup(s, segment_nos=None)
    with tx() as ctx:
        assert setup.require_series(ctx, "contact_nos") == "CONT"
    err = assert_refused(
        tx,
        factory,
        lambda ctx: setup.require_series(ctx, "segment_nos"),
        RuleViolationError,
        code="E01",
    )
    assert err.message == "The Segment Nos. field in Marketing Setup must be filled in."
    assert err.field == "segment_nos"


def test_require_series_e01_names_the_field_caption(tx: TxFactory) -> None:
    with pytest.raises(RuleViolationError, match="The Campaign Nos. field") as info, tx() as ctx:
        setup.require_series(ctx, "campaign_nos")
    assert info.value.field == "campaign_nos"


def test_salesperson_create_update_block_and_list(tx: TxFactory, factory: SF) -> None:
    with tx() as ctx:
        setup.create_salesperson(
            ctx, setup.SalespersonInput(code="sp9", name="Nina", email="nina@example.com")
        )
        setup.create_salesperson(ctx, setup.SalespersonInput(code="SP8", name="Otto"))
    with tx() as ctx:
        setup.update_salesperson(
            ctx, "SP9", setup.SalespersonChanges(job_title="Boss", phone_no="123")
        )
        setup.set_salesperson_blocked(ctx, "sp8")
    with tx() as ctx:
        all_codes = [(p.code, p.blocked) for p in setup.list_salespeople(ctx)]
        active = [p.code for p in setup.list_salespeople(ctx, include_blocked=False)]
        nina = setup.get_salesperson(ctx, "SP9")
        assert (nina.name, nina.job_title, nina.email) == ("Nina", "Boss", "nina@example.com")
    assert all_codes == [("SP8", True), ("SP9", False)]
    assert active == ["SP9"]
    with tx() as ctx:
        setup.set_salesperson_blocked(ctx, "SP8", False)
        assert not setup.get_salesperson(ctx, "SP8").blocked


@pytest.mark.parametrize(
    ("action", "error", "match"),
    [
        (
            lambda ctx: setup.create_salesperson(ctx, setup.SalespersonInput(code="SP1")),
            ConflictError,
            "already exists",
        ),
        (
            lambda ctx: setup.create_salesperson(
                ctx, setup.SalespersonInput(code="SP7", email="not-an-address")
            ),
            ValidationError,
            "not a valid e-mail",
        ),
        (
            lambda ctx: setup.create_salesperson(
                ctx, setup.SalespersonInput(code="SP7", name="x" * 51)
            ),
            ValidationError,
            "longer than 50",
        ),
        (
            lambda ctx: setup.update_salesperson(
                ctx, "SP1", setup.SalespersonChanges.model_validate({"code": "X"})
            ),
            ValidationError,
            "no editable field",
        ),
        (lambda ctx: setup.set_salesperson_blocked(ctx, "NOPE"), NotFoundError, "does not exist"),
    ],
)
def test_invalid_salesperson_changes_are_refused(
    tx: TxFactory, factory: SF, action: object, error: type, match: str
) -> None:
    with factory.begin() as s:
        basic_setup(s)
    assert_refused(tx, factory, action, error, match=match)  # type: ignore[arg-type]


def test_user_link_creates_user_and_resolves_salesperson(tx: TxFactory, factory: SF) -> None:
    with factory.begin() as s:
        basic_setup(s)
    with tx() as ctx:
        assert setup.user_salesperson(ctx, "u1") is None
        setup.link_user(
            ctx,
            "u1",
            setup.UserChanges(
                salesperson_code="sp1",
                full_name="User One",
                authentication_email="u1@rapport.test",
            ),
        )
    with tx() as ctx:
        assert setup.user_salesperson(ctx, "U1") == "SP1"
        setup.link_user(ctx, "U1", setup.UserChanges(salesperson_code="SP2"))
        assert setup.user_salesperson(ctx, "u1") == "SP2"
        assert setup.list_users(ctx)[0].full_name == "User One"
        setup.link_user(ctx, "U1", setup.UserChanges(salesperson_code=None))
        assert setup.user_salesperson(ctx, "U1") is None
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.link_user(ctx, "U2", setup.UserChanges(salesperson_code="NOPE")),
        NotFoundError,
        match="salesperson_code NOPE of User U2 does not exist",
    )


# --- Code tables ---------------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(setup.CODE_TABLES))
def test_every_code_table_supports_create_update_list_delete(tx: TxFactory, table: str) -> None:
    with tx() as ctx:
        first = CodeInput(code=" new1 ", description="First")
        setup.create_code(ctx, table.replace("_", "-"), first)
        setup.create_code(ctx, table, CodeInput(code="NEW2"))
    with tx() as ctx:
        setup.update_code(ctx, table, "new2", CodeChanges(description="Second"))
        assert setup.list_codes(ctx, table) == [("NEW1", "First"), ("NEW2", "Second")]
    with tx() as ctx:
        setup.delete_code(ctx, table, "NEW1")
        assert setup.list_codes(ctx, table) == [("NEW2", "Second")]


def test_duplicate_unknown_and_too_long_codes_are_refused(tx: TxFactory, factory: SF) -> None:
    with tx() as ctx:
        setup.create_code(ctx, "mailing_group", CodeInput(code="NEWS", description="News"))
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.create_code(ctx, "mailing_group", CodeInput(code="news")),
        ConflictError,
        match="Mailing Group NEWS already exists",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.create_code(ctx, "colour", CodeInput(code="RED")),
        NotFoundError,
        match="Unknown code table 'colour'",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.create_code(ctx, "territory", CodeInput(code="X" * 11)),
        ValidationError,
        match="longer than 10",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.delete_code(ctx, "territory", "NONE"),
        NotFoundError,
        match="Territory NONE does not exist",
    )


def test_code_in_use_cannot_be_deleted(tx: TxFactory, factory: SF) -> None:
    with factory.begin() as s:
        basic_setup(s)
        s.add(m.MailingGroup(code="NEWS", description="News"))
        c = make_contact(s, no="C1", territory_code="NORTH")
        s.add(m.ContactMailingGroup(contact_no=c.no, mailing_group_code="NEWS"))
        s.add(
            m.InteractionTemplate(
                code="T1", interaction_group_code=_group(s), language_code_default="DEU"
            )
        )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.delete_code(ctx, "mailing_group", "NEWS"),
        ConflictError,
        match="used by 1 contact mailing group row",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.delete_code(ctx, "territory", "NORTH"),
        ConflictError,
        match="used by 1 contact row",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.delete_code(ctx, "language", "DEU"),
        ConflictError,
        match="interaction template",
    )
    with tx() as ctx:
        setup.delete_code(ctx, "territory", "SOUTH")


def _group(session: Session) -> str:
    session.add(m.InteractionGroup(code="G1"))
    session.flush()
    return "G1"


def test_questionnaire_lines_and_answers_protect_deletion(tx: TxFactory, factory: SF) -> None:
    with factory.begin() as s:
        make_contact(s, no="C1")
    with tx() as ctx:
        setup.create_code(
            ctx, "profile_questionnaire", CodeInput(code="SIZE", description="Company size")
        )
        setup.set_questionnaire(
            ctx, "SIZE", QuestionnaireChanges(contact_type="Companies", priority=2)
        )
        setup.add_questionnaire_line(
            ctx, "SIZE", QuestionnaireLineInput(type="Question", description="How big?")
        )
        setup.add_questionnaire_line(
            ctx, "SIZE", QuestionnaireLineInput(type="Answer", description="Small")
        )
        setup.add_questionnaire_line(
            ctx, "SIZE", QuestionnaireLineInput(type="Answer", description="Big", line_no=15)
        )
    with tx() as ctx:
        lines = [(x.line_no, x.type) for x in setup.list_questionnaire_lines(ctx, "SIZE")]
        ctx.session.add(
            m.ContactProfileAnswer(
                contact_no="C1", profile_questionnaire_code="SIZE", line_no=20000
            )
        )
    assert lines == [(15, "Answer"), (10000, "Question"), (20000, "Answer")]
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.delete_code(ctx, "profile_questionnaire", "SIZE"),
        ConflictError,
        match="1 contact profile answer",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.delete_questionnaire_line(ctx, "SIZE", 20000),
        ConflictError,
        match="1 contact profile answer",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.add_questionnaire_line(
            ctx, "SIZE", QuestionnaireLineInput(type="Maybe", description="?")
        ),
        ValidationError,
        match="Question or Answer",
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.add_questionnaire_line(
            ctx, "SIZE", QuestionnaireLineInput(type="Answer", description="dup", line_no=15)
        ),
        ConflictError,
    )
    assert_refused(
        tx,
        factory,
        lambda ctx: setup.set_questionnaire(
            ctx, "SIZE", QuestionnaireChanges(contact_type="Robots")
        ),
        ValidationError,
        match="Contact Type",
    )
    with tx() as ctx:
        setup.delete_questionnaire_line(ctx, "SIZE", 15)
        assert len(setup.list_questionnaire_lines(ctx, "SIZE")) == 2
