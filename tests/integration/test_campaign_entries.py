"""Campaign entries (SPEC §3.20, K14): figures, switch canceled, delete canceled ones."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RapportError, ValidationError
from rapport.services import campaigns as ce
from rapport.services import interactions as ie
from tests.builders_logging import (
    QueryCounter,
    db_state,
    log_new_segment,
    make_attachment,
    make_entry,
)
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def _campaign_entry(tx: TxFactory, campaign_no: str = "CP1") -> int:
    with tx() as ctx:
        return ce.list_campaign_entries(ctx, campaign_no=campaign_no).items[0].entry_no


def test_list_shows_figures_of_entries_with_the_same_canceled_state(
    fixture_db: SF, tx: TxFactory
) -> None:
    log_new_segment(fixture_db, tx, ["P11", "P3", "P12"], campaign_no="CP1")
    with fixture_db.begin() as s:
        s.execute(
            update(m.InteractionLogEntry)
            .where(m.InteractionLogEntry.contact_no == "P12")
            .values(canceled=True)
        )
    with tx() as ctx:
        page = ce.list_campaign_entries(ctx)
    row = page.items[0]
    assert page.total == 1
    assert (row.campaign_no, row.segment_no, row.description, row.canceled) == (
        "CP1",
        "SEG0001",
        "Spring",
        False,
    )
    assert (row.no_of_interactions, row.cost, row.duration) == (2, 2, 20)


def test_switch_canceled_propagates_to_its_entries(fixture_db: SF, tx: TxFactory) -> None:
    log_new_segment(fixture_db, tx, ["P11", "P3"], campaign_no="CP1")
    entry_no = _campaign_entry(tx)
    with tx() as ctx:
        result = ce.switch_canceled(ctx, [entry_no])
    assert (result.canceled, result.campaign_entries, result.entries) == (True, 1, 2)
    with tx() as ctx:
        row = ce.list_campaign_entries(ctx, canceled=True).items[0]
        assert (row.no_of_interactions, row.canceled) == (2, True)
        assert {i.entry.canceled for i in ie.list_entries(ctx).items} == {True}
        assert ce.switch_canceled(ctx, [entry_no]).canceled is False
        assert {i.entry.canceled for i in ie.list_entries(ctx).items} == {False}


def _unchanged(factory: SF, tx: TxFactory, action: object) -> RapportError:
    with factory() as s:
        before = db_state(s)
    with pytest.raises(RapportError) as info, tx() as ctx:
        action(ctx)  # type: ignore[operator]
    with factory() as s:
        assert db_state(s) == before
    return info.value


def test_unknown_or_empty_selection_is_refused(fixture_db: SF, tx: TxFactory) -> None:
    log_new_segment(fixture_db, tx, ["P3"], campaign_no="CP1")
    err = _unchanged(fixture_db, tx, lambda ctx: ce.switch_canceled(ctx, [777]))
    assert isinstance(err, NotFoundError) and "777" in err.message
    err = _unchanged(fixture_db, tx, lambda ctx: ce.set_canceled(ctx, [], True))
    assert isinstance(err, ValidationError)


def test_delete_canceled_deletes_entries_comments_and_unique_attachments(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        s.add(m.Campaign(no="CP2", description="Other"))
        own, shared = make_attachment(s, "own"), make_attachment(s, "shared")
    log_new_segment(fixture_db, tx, ["P11", "P3"], campaign_no="CP1")
    log_new_segment(fixture_db, tx, ["P12"], no="SEG0002", campaign_no="CP2")
    gone = _campaign_entry(tx, "CP1")
    with fixture_db.begin() as s:
        ile = m.InteractionLogEntry
        s.execute(update(ile).where(ile.contact_no == "P11").values(attachment_no=own))
        s.execute(update(ile).where(ile.contact_no.in_(["P3", "P12"])).values(attachment_no=shared))
        p11 = s.scalars(select(ile.entry_no).where(ile.contact_no == "P11")).one()
    with tx() as ctx:
        ie.add_comment(ctx, p11, ie.CommentInput(comment="about to go"))
        ce.set_canceled(ctx, [gone], True)
    with tx() as ctx:
        result = ce.delete_canceled(ctx)
    assert (result.campaign_entries, result.entries) == (1, 2)
    with fixture_db() as s:
        assert list(s.scalars(select(m.CampaignEntry.campaign_no))) == ["CP2"]
        assert list(s.scalars(select(m.InteractionLogEntry.contact_no))) == ["P12"]
        assert list(s.scalars(select(m.InterLogEntryCommentLine.entry_no))) == []
        assert s.get(m.Attachment, own) is None and s.get(m.Attachment, shared) is not None


def test_delete_canceled_touches_only_canceled_matching_entries(
    fixture_db: SF, tx: TxFactory
) -> None:
    log_new_segment(fixture_db, tx, ["P11"], campaign_no="CP1")
    entry_no = _campaign_entry(tx)
    with tx() as ctx:
        assert ce.delete_canceled(ctx).campaign_entries == 0
        ce.set_canceled(ctx, [entry_no], True)
    with tx() as ctx:
        assert ce.delete_canceled(ctx, campaign_no="CP2").campaign_entries == 0
        assert ce.delete_canceled(ctx, [424242]).campaign_entries == 0
    with fixture_db() as s:
        assert len(list(s.scalars(select(m.CampaignEntry.entry_no)))) == 1
        assert len(list(s.scalars(select(m.InteractionLogEntry.entry_no)))) == 1


def test_entries_of_a_deleted_campaign_entry_with_a_shared_attachment_among_them(
    fixture_db: SF, tx: TxFactory
) -> None:
    log_new_segment(fixture_db, tx, ["P11", "P3"], campaign_no="CP1")
    with fixture_db.begin() as s:
        among = make_attachment(s, "among")
        s.execute(update(m.InteractionLogEntry).values(attachment_no=among))
        make_entry(s, "P12")  # unrelated entry without attachment
    entry_no = _campaign_entry(tx)
    with tx() as ctx:
        ce.set_canceled(ctx, [entry_no], True)
        assert ce.delete_canceled(ctx).entries == 2
    with fixture_db() as s:
        assert s.get(m.Attachment, among) is None


def test_list_issues_a_fixed_number_of_queries(fixture_db: SF, tx: TxFactory,
                                               engine: Engine) -> None:
    log_new_segment(fixture_db, tx, ["P3"], campaign_no="CP1")
    with tx() as ctx, QueryCounter(engine) as one:
        assert len(ce.list_campaign_entries(ctx).items) == 1
    for i in range(2, 5):
        log_new_segment(fixture_db, tx, ["P3", "P11"], no=f"SEG000{i}", campaign_no="CP1")
    with tx() as ctx, QueryCounter(engine) as four:
        assert len(ce.list_campaign_entries(ctx).items) == 4
    assert four.count == one.count
