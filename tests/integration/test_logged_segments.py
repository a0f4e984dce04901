"""Logged segments (SPEC §2.15, §3.16): counts, switch canceled (scenario 61), delete canceled."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RapportError, ValidationError
from rapport.services import log as ls
from rapport.services.interactions import campaign_statistics
from tests.builders_logging import QueryCounter, db_state, log_new_segment
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def _canceled(factory: SF) -> tuple[set[bool], set[bool], set[bool]]:
    with factory() as s:
        return (
            set(s.scalars(select(m.LoggedSegment.canceled))),
            set(s.scalars(select(m.InteractionLogEntry.canceled))),
            set(s.scalars(select(m.CampaignEntry.canceled))),
        )


def test_scenario_61_cancel_a_logged_segment(fixture_db: SF, tx: TxFactory) -> None:
    logged = log_new_segment(fixture_db, tx, ["P11", "P3"], campaign_no="CP1")
    with tx() as ctx:
        before = campaign_statistics(ctx, "CP1")
        result = ls.switch_canceled(ctx, [logged.logged_segment_entry_no])
    assert before.no_of_interactions == 2 and before.cost == 2 and before.duration == 20
    assert (result.canceled, result.logged_segments, result.entries, result.campaign_entries) == (
        True,
        1,
        2,
        1,
    )
    assert _canceled(fixture_db) == ({True}, {True}, {True})
    with tx() as ctx:
        row = ls.list_logged_segments(ctx).items[0]
        stats = campaign_statistics(ctx, "CP1")
    assert (row.canceled, row.no_of_interactions, row.no_of_campaign_entries) == (True, 2, 1)
    assert (stats.no_of_interactions, stats.cost, stats.duration) == (0, 0, 0)


def test_switch_again_uncancels_everything(fixture_db: SF, tx: TxFactory) -> None:
    logged = log_new_segment(fixture_db, tx, ["P11", "P3"], campaign_no="CP1")
    for _ in range(2):
        with tx() as ctx:
            result = ls.switch_canceled(ctx, [logged.logged_segment_entry_no])
    assert result.canceled is False
    assert _canceled(fixture_db) == ({False}, {False}, {False})


def test_switch_takes_the_opposite_of_the_first_selected(fixture_db: SF, tx: TxFactory) -> None:
    first = log_new_segment(fixture_db, tx, ["P11"], no="S1")
    second = log_new_segment(fixture_db, tx, ["P3"], no="S2")
    with tx() as ctx:
        ls.cancel(ctx, [first.logged_segment_entry_no])
    with tx() as ctx:
        result = ls.switch_canceled(
            ctx, [first.logged_segment_entry_no, second.logged_segment_entry_no]
        )
    assert result.canceled is False and result.logged_segments == 2
    assert _canceled(fixture_db) == ({False}, {False}, set())


def test_counts_only_entries_with_the_same_canceled_state(fixture_db: SF, tx: TxFactory) -> None:
    logged = log_new_segment(fixture_db, tx, ["P11", "P3"], campaign_no="CP1")
    with fixture_db.begin() as s:
        s.execute(
            update(m.InteractionLogEntry)
            .where(m.InteractionLogEntry.contact_no == "P3")
            .values(canceled=True)
        )
    with tx() as ctx:
        row = ls.list_logged_segments(ctx).items[0]
    assert row.entry_no == logged.logged_segment_entry_no
    assert (row.no_of_interactions, row.no_of_campaign_entries) == (1, 1)


def test_list_filters_and_pages(fixture_db: SF, tx: TxFactory) -> None:
    nos = [
        log_new_segment(fixture_db, tx, ["P3"], no=f"S{i}").logged_segment_entry_no
        for i in range(3)
    ]
    with tx() as ctx:
        ls.cancel(ctx, [nos[0]])
    with tx() as ctx:
        page = ls.list_logged_segments(ctx, limit=2, offset=0)
        assert [r.entry_no for r in page.items] == [nos[2], nos[1]] and page.total == 3
        assert [r.entry_no for r in ls.list_logged_segments(ctx, canceled=True).items] == [nos[0]]
        only = ls.list_logged_segments(ctx, segment_no="s1").items
        assert [(r.segment_no, r.user_id, r.description) for r in only] == [("S1", "U1", "Spring")]


def test_list_issues_a_fixed_number_of_queries(
    fixture_db: SF, tx: TxFactory, engine: Engine
) -> None:
    log_new_segment(fixture_db, tx, ["P3"], no="S0", campaign_no="CP1")
    with tx() as ctx, QueryCounter(engine) as one:
        ls.list_logged_segments(ctx)
    for i in range(1, 5):
        log_new_segment(fixture_db, tx, ["P3", "P11"], no=f"S{i}", campaign_no="CP1")
    with tx() as ctx, QueryCounter(engine) as five:
        assert len(ls.list_logged_segments(ctx).items) == 5
    assert five.count == one.count


def _unchanged(factory: SF, tx: TxFactory, action: object) -> RapportError:
    with factory() as s:
        before = db_state(s)
    with pytest.raises(RapportError) as info, tx() as ctx:
        action(ctx)  # type: ignore[operator]
    with factory() as s:
        assert db_state(s) == before
    return info.value


def test_unknown_logged_segment_is_refused(fixture_db: SF, tx: TxFactory) -> None:
    logged = log_new_segment(fixture_db, tx, ["P3"])
    err = _unchanged(
        fixture_db, tx, lambda ctx: ls.cancel(ctx, [logged.logged_segment_entry_no, 999])
    )
    assert isinstance(err, NotFoundError) and "999" in err.message
    err = _unchanged(fixture_db, tx, lambda ctx: ls.switch_canceled(ctx, []))
    assert isinstance(err, ValidationError)


def test_delete_canceled_detaches_entries_and_campaign_entries(
    fixture_db: SF, tx: TxFactory
) -> None:
    keep = log_new_segment(fixture_db, tx, ["P11"], no="S1", campaign_no="CP1")
    gone = log_new_segment(fixture_db, tx, ["P3", "P12"], no="S2", campaign_no="CP1")
    with tx() as ctx:
        ls.cancel(ctx, [gone.logged_segment_entry_no])
    with tx() as ctx:
        result = ls.delete_canceled(ctx)
    assert (result.deleted, result.entries_detached, result.campaign_entries_detached) == (1, 2, 1)
    with fixture_db() as s:
        assert list(s.scalars(select(m.LoggedSegment.entry_no))) == [keep.logged_segment_entry_no]
        entries = {e.contact_no: e for e in s.scalars(select(m.InteractionLogEntry))}
        assert len(entries) == 3
        assert entries["P3"].logged_segment_entry_no is None and entries["P3"].canceled
        assert entries["P11"].logged_segment_entry_no == keep.logged_segment_entry_no
        registers = sorted(s.scalars(select(m.CampaignEntry.register_no)), key=lambda n: n or 0)
        assert registers == [None, keep.logged_segment_entry_no]


def test_delete_canceled_skips_uncanceled_and_honours_filters(
    fixture_db: SF, tx: TxFactory
) -> None:
    a = log_new_segment(fixture_db, tx, ["P11"], no="S1")
    b = log_new_segment(fixture_db, tx, ["P3"], no="S2")
    with tx() as ctx:
        ls.cancel(ctx, [b.logged_segment_entry_no])
    with tx() as ctx:
        assert ls.delete_canceled(ctx, [a.logged_segment_entry_no]).deleted == 0
        assert ls.delete_canceled(ctx, segment_no="S1").deleted == 0
        assert ls.delete_canceled(ctx, segment_no="S2").deleted == 1
    with fixture_db() as s:
        assert list(s.scalars(select(m.LoggedSegment.segment_no))) == ["S1"]
