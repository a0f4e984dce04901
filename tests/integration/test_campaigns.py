"""Campaigns: numbering (E01/E02), dates (E36), references, deletion (SPEC §2.17)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from rapport.services import campaigns as c
from rapport.services.campaigns import CampaignChanges, CampaignInput
from tests.builders_setup import assert_refused, basic_setup, log_interaction
from tests.conftest import TxFactory

SF = sessionmaker[Session]
MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)


@pytest.fixture
def world(factory: SF) -> SF:
    with factory.begin() as s:
        basic_setup(s)
        s.add(m.CampaignStatus(code="PLANNED", description="Planned"))
    return factory


def test_campaign_number_is_drawn_from_campaign_nos(tx: TxFactory, world: SF) -> None:
    with tx() as ctx:
        first = c.create_campaign(ctx, CampaignInput(description="Spring"))
        second = c.create_campaign(ctx, CampaignInput())
        assert (first.no, first.no_series, second.no) == ("CP0001", "CAMP", "CP0002")


def test_campaign_without_series_is_refused_e01(tx: TxFactory, factory: SF) -> None:
    with factory.begin() as s:
        basic_setup(s, campaign_nos=None)
    assert_refused(
        tx,
        factory,
        lambda ctx: c.create_campaign(ctx, CampaignInput()),
        RuleViolationError,
        code="E01",
        match="The Campaign Nos. field",
    )


def test_manual_campaign_number_follows_the_series_e02(tx: TxFactory, world: SF) -> None:
    assert_refused(
        tx,
        world,
        lambda ctx: c.create_campaign(ctx, CampaignInput(no="X1")),
        RuleViolationError,
        code="E02",
        match="Manual numbers are not allowed for number series CAMP",
    )
    with world.begin() as s:
        s.get(m.NumberSeries, "CAMP").manual_nos = True  # type: ignore[union-attr]
    with tx() as ctx:
        camp = c.create_campaign(ctx, CampaignInput(no="x1", description="Manual"))
        assert (camp.no, camp.no_series) == ("X1", None)
    assert_refused(
        tx,
        world,
        lambda ctx: c.create_campaign(ctx, CampaignInput(no="X1")),
        ConflictError,
        match="Campaign X1 already exists",
    )


def test_campaign_fields_are_validated_and_stored(tx: TxFactory, world: SF) -> None:
    with tx() as ctx:
        c.create_campaign(
            ctx,
            CampaignInput(
                description="Spring",
                starting_date=MARCH,
                ending_date=APRIL,
                salesperson_code="sp1",
                status_code="planned",
                activated=True,
            ),
        )
    with tx() as ctx:
        camp = c.get_campaign(ctx, "cp0001")
        assert (camp.salesperson_code, camp.status_code, camp.activated) == ("SP1", "PLANNED", True)
        assert (camp.starting_date, camp.ending_date) == (MARCH, APRIL)


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        (CampaignInput(starting_date=APRIL, ending_date=MARCH), RuleViolationError, "E36"),
        (CampaignInput(salesperson_code="NOPE"), NotFoundError, None),
        (CampaignInput(salesperson_code="SPX"), RuleViolationError, "BLOCKED"),
        (CampaignInput(status_code="NOPE"), NotFoundError, None),
        (CampaignInput(description="x" * 101), ValidationError, None),
    ],
)
def test_invalid_campaigns_are_refused(
    tx: TxFactory, world: SF, data: CampaignInput, error: type, code: str | None
) -> None:
    assert_refused(tx, world, lambda ctx: c.create_campaign(ctx, data), error, code=code)


def test_update_checks_dates_against_stored_ones_e36(tx: TxFactory, world: SF) -> None:
    with tx() as ctx:
        c.create_campaign(ctx, CampaignInput(starting_date=MARCH))
    err = assert_refused(
        tx,
        world,
        lambda ctx: c.update_campaign(
            ctx, "CP0001", CampaignChanges(ending_date=dt.date(2025, 2, 1))
        ),
        RuleViolationError,
        code="E36",
    )
    assert err.message.startswith("Starting Date must not be later than Ending Date")
    assert_refused(
        tx,
        world,
        lambda ctx: c.update_campaign(ctx, "CP0001", CampaignChanges.model_validate({"no": "X"})),
        ValidationError,
        match="no editable field",
    )
    with tx() as ctx:
        c.update_campaign(ctx, "CP0001", CampaignChanges(ending_date=APRIL, description="Longer"))
        assert [(x.no, x.description) for x in c.list_campaigns(ctx)] == [("CP0001", "Longer")]


def test_delete_campaign_deletes_entries_and_keeps_interactions(tx: TxFactory, world: SF) -> None:
    with tx() as ctx:
        c.create_campaign(ctx, CampaignInput())
        c.create_campaign(ctx, CampaignInput())
    with world.begin() as s:
        s.add_all(
            [
                m.CampaignEntry(entry_no=1, campaign_no="CP0001"),
                m.CampaignEntry(entry_no=2, campaign_no="CP0002"),
            ]
        )
        s.flush()
        kept = log_interaction(s, None, campaign_no="CP0001", campaign_entry_no=1)
        other = log_interaction(s, None, campaign_no="CP0002", campaign_entry_no=2)
    with tx() as ctx:
        c.delete_campaign(ctx, "CP0001")
    with world() as s:
        assert s.get(m.Campaign, "CP0001") is None
        assert s.scalars(select(m.CampaignEntry.entry_no)).all() == [2]
        entry = s.get(m.InteractionLogEntry, kept)
        # The entry stays, keeps its campaign number as history, and loses the deleted grouping.
        assert entry is not None
        assert (entry.campaign_no, entry.campaign_entry_no) == ("CP0001", None)
        untouched = s.get(m.InteractionLogEntry, other)
        assert untouched is not None and untouched.campaign_entry_no == 2


def test_campaign_used_by_segments_or_templates_cannot_be_deleted(tx: TxFactory, world: SF) -> None:
    with tx() as ctx:
        c.create_campaign(ctx, CampaignInput())
        c.create_campaign(ctx, CampaignInput())
    with world.begin() as s:
        s.add(m.SegmentHeader(no="S1", campaign_no="CP0001"))
        s.add(m.InteractionGroup(code="G"))
        s.flush()
        s.add(m.InteractionTemplate(code="T", interaction_group_code="G", campaign_no="CP0002"))
    assert_refused(
        tx,
        world,
        lambda ctx: c.delete_campaign(ctx, "CP0001"),
        ConflictError,
        match="1 segment header",
    )
    assert_refused(
        tx,
        world,
        lambda ctx: c.delete_campaign(ctx, "CP0002"),
        ConflictError,
        match="1 interaction template",
    )
    assert_refused(tx, world, lambda ctx: c.delete_campaign(ctx, "CP0009"), NotFoundError)
