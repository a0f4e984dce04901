"""Interaction log entries (SPEC §3.19, Q11, E28, K14): list, cancel, evaluate, comment, delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RapportError, RuleViolationError, ValidationError
from rapport.services import campaigns as ce
from rapport.services import interactions as ie
from rapport.services import log as ls
from rapport.services.interactions import EntryFilter
from tests.builders_logging import (
    QueryCounter,
    db_state,
    log_new_segment,
    make_attachment,
    make_entry,
)
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def _unchanged(factory: SF, tx: TxFactory, action: Callable[[Any], object]) -> RapportError:
    with factory() as s:
        before = db_state(s)
    with pytest.raises(RapportError) as info, tx() as ctx:
        action(ctx)
    with factory() as s:
        assert db_state(s) == before
    return info.value


def _state(factory: SF, entry_no: int) -> m.InteractionLogEntry:
    with factory() as s:
        entry = s.get(m.InteractionLogEntry, entry_no)
        assert entry is not None
        return entry


@pytest.fixture
def three(fixture_db: SF) -> list[int]:
    """Entries P3 (SP1, T-CALL, 2025-03-01), P11 (SP2, T-MAIL, CP1), P12 postponed."""
    with fixture_db.begin() as s:
        a = make_entry(s, "P3", date=dt.date(2025, 3, 1))
        b = make_entry(
            s,
            "P11",
            contact_company_no="C1",
            salesperson_code="SP2",
            interaction_template_code="T-MAIL",
            interaction_group_code="EMAIL",
            campaign_no="CP1",
            segment_no="S9",
            evaluation="Positive",
        )
        c = make_entry(s, "P12", postponed=True)
        return [a.entry_no, b.entry_no, c.entry_no]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EntryFilter(), [1, 0]),
        (EntryFilter(contact_no="p11"), [1]),
        (EntryFilter(company_no="C1"), [1]),
        (EntryFilter(salesperson_code="SP1"), [0]),
        (EntryFilter(campaign_no="CP1"), [1]),
        (EntryFilter(segment_no="S9"), [1]),
        (EntryFilter(template_code="T-CALL"), [0]),
        (EntryFilter(group_code="EMAIL"), [1]),
        (EntryFilter(date_from=dt.date(2025, 3, 5)), [1]),
        (EntryFilter(date_to=dt.date(2025, 3, 5)), [0]),
        (EntryFilter(evaluation="positive"), [1]),
        (EntryFilter(canceled=True), []),
        (EntryFilter(contact_no="P12"), []),
    ],
)
def test_list_filters_and_hides_postponed(
    three: list[int], tx: TxFactory, filters: EntryFilter, expected: list[int]
) -> None:
    with tx() as ctx:
        page = ie.list_entries(ctx, filters)
    assert [i.entry.entry_no for i in page.items] == [three[k] for k in expected]
    assert page.total == len(expected)


def test_list_pages_flags_comments_and_uses_fixed_queries(
    fixture_db: SF, tx: TxFactory, engine: Engine
) -> None:
    with fixture_db.begin() as s:
        first = make_entry(s).entry_no
    with tx() as ctx:
        ie.add_comment(ctx, first, ie.CommentInput(comment="Called back"))
    with tx() as ctx, QueryCounter(engine) as one:
        assert ie.list_entries(ctx).items[0].has_comments
    with fixture_db.begin() as s:
        for _ in range(6):
            make_entry(s)
    with tx() as ctx, QueryCounter(engine) as many:
        page = ie.list_entries(ctx, limit=5, offset=0)
        assert len(page.items) == 5 and page.total == 7
        assert not page.items[0].has_comments
    assert one.count == many.count


def test_switch_canceled_takes_opposite_of_first(
    three: list[int], tx: TxFactory, fixture_db: SF
) -> None:
    with tx() as ctx:
        assert ie.set_canceled(ctx, [three[1]], True).entries == 1
    with tx() as ctx:
        result = ie.switch_canceled(ctx, [three[0], three[1]])
    assert result.canceled is True and result.entries == 2
    assert _state(fixture_db, three[0]).canceled and _state(fixture_db, three[1]).canceled


def test_postponed_or_unknown_entries_are_refused(
    three: list[int], fixture_db: SF, tx: TxFactory
) -> None:
    err = _unchanged(fixture_db, tx, lambda ctx: ie.switch_canceled(ctx, [three[0], three[2]]))
    assert isinstance(err, NotFoundError) and str(three[2]) in err.message
    err = _unchanged(fixture_db, tx, lambda ctx: ie.evaluate(ctx, [424242], "Positive"))
    assert isinstance(err, NotFoundError)


def test_e28_uncancel_refused_while_logged_segment_canceled(fixture_db: SF, tx: TxFactory) -> None:
    logged = log_new_segment(fixture_db, tx, ["P3"])
    with tx() as ctx:
        ls.cancel(ctx, [logged.logged_segment_entry_no])
        entry_no = ie.list_entries(ctx).items[0].entry.entry_no
    err = _unchanged(fixture_db, tx, lambda ctx: ie.switch_canceled(ctx, [entry_no]))
    assert isinstance(err, RuleViolationError) and err.code == "E28"
    assert f"logged segment {logged.logged_segment_entry_no}" in err.message


def test_e28_uncancel_refused_while_campaign_entry_canceled(fixture_db: SF, tx: TxFactory) -> None:
    log_new_segment(fixture_db, tx, ["P3"], campaign_no="CP1")
    with tx() as ctx:
        campaign_entry = ce.list_campaign_entries(ctx).items[0].entry_no
        ce.set_canceled(ctx, [campaign_entry], True)
        entry_no = ie.list_entries(ctx).items[0].entry.entry_no
    err = _unchanged(fixture_db, tx, lambda ctx: ie.set_canceled(ctx, [entry_no], False))
    assert err.code == "E28" and f"campaign entry {campaign_entry}" in err.message


def test_cancel_can_remove_unique_attachments_only(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        own, shared, tmpl = (make_attachment(s, n) for n in ("own", "shared", "tmpl"))
        s.add(
            m.InteractionTmplLanguage(
                interaction_template_code="T-CALL", language_code="", attachment_no=tmpl
            )
        )
        a = make_entry(s, attachment_no=own).entry_no
        b = make_entry(s, attachment_no=shared).entry_no
        make_entry(s, attachment_no=shared)
        c = make_entry(s, attachment_no=tmpl).entry_no
    with tx() as ctx:
        result = ie.set_canceled(ctx, [a, b, c], True, remove_attachments=True)
    assert (result.entries, result.attachments_removed) == (3, 1)
    with fixture_db() as s:
        assert s.get(m.Attachment, own) is None
        assert s.get(m.Attachment, shared) is not None and s.get(m.Attachment, tmpl) is not None
    assert [_state(fixture_db, n).attachment_no for n in (a, b, c)] == [None, shared, tmpl]


def test_cancel_keeps_attachments_by_default(fixture_db: SF, tx: TxFactory) -> None:
    with fixture_db.begin() as s:
        own = make_attachment(s)
        a = make_entry(s, attachment_no=own).entry_no
    with tx() as ctx:
        assert ie.switch_canceled(ctx, [a]).attachments_removed == 0
    assert _state(fixture_db, a).attachment_no == own


def test_evaluate_sets_the_evaluation_on_all_selected(
    three: list[int], fixture_db: SF, tx: TxFactory
) -> None:
    with tx() as ctx:
        assert ie.evaluate(ctx, three[:2], "very negative") == 2
    assert {_state(fixture_db, n).evaluation for n in three[:2]} == {"Very Negative"}
    err = _unchanged(fixture_db, tx, lambda ctx: ie.evaluate(ctx, three[:1], "Great"))
    assert isinstance(err, ValidationError) and "Very Positive" in err.message
    err = _unchanged(fixture_db, tx, lambda ctx: ie.evaluate(ctx, three[:1], ""))
    assert isinstance(err, ValidationError)


def test_comments_are_numbered_and_listed(three: list[int], fixture_db: SF, tx: TxFactory) -> None:
    with tx() as ctx:
        ie.add_comment(ctx, three[0], ie.CommentInput(comment=" First "))
        second = ie.CommentInput(comment="Second", date=dt.date(2025, 1, 2))
        ie.add_comment(ctx, three[0], second)
    with tx() as ctx:
        lines = ie.list_comments(ctx, three[0])
    assert [(c.line_no, c.comment, c.date) for c in lines] == [
        (10000, "First", dt.date(2025, 3, 10)),
        (20000, "Second", dt.date(2025, 1, 2)),
    ]
    blank = ie.CommentInput(comment="  ")
    err = _unchanged(fixture_db, tx, lambda ctx: ie.add_comment(ctx, three[0], blank))
    assert isinstance(err, ValidationError)
    some = ie.CommentInput(comment="x")
    err = _unchanged(fixture_db, tx, lambda ctx: ie.add_comment(ctx, 999999, some))
    assert isinstance(err, NotFoundError) and err.field == "entry_no"


def test_delete_canceled_removes_comments_and_unshared_attachments(
    fixture_db: SF, tx: TxFactory
) -> None:
    with fixture_db.begin() as s:
        own, among, kept = (make_attachment(s, n) for n in ("own", "among", "kept"))
        a = make_entry(s, attachment_no=own, canceled=True).entry_no
        b = make_entry(s, attachment_no=among, canceled=True).entry_no
        c = make_entry(s, attachment_no=among, canceled=True).entry_no
        d = make_entry(s, attachment_no=kept, canceled=True).entry_no
        live = make_entry(s, attachment_no=kept).entry_no
        other = make_entry(s, "P11", canceled=True).entry_no
        postponed = make_entry(s, canceled=True, postponed=True).entry_no
    with tx() as ctx:
        ie.add_comment(ctx, a, ie.CommentInput(comment="gone with the entry"))
        ie.add_comment(ctx, live, ie.CommentInput(comment="stays"))
    with tx() as ctx:
        assert ie.delete_canceled(ctx, EntryFilter(contact_no="P3")) == 4
    with fixture_db() as s:
        left = set(s.scalars(select(m.InteractionLogEntry.entry_no)))
        assert left == {live, other, postponed} and not {a, b, c, d} & left
        assert s.get(m.Attachment, own) is None and s.get(m.Attachment, among) is None
        assert s.get(m.Attachment, kept) is not None
        comments = list(s.scalars(select(m.InterLogEntryCommentLine.entry_no)))
        assert comments == [live]


def test_delete_canceled_without_canceled_entries_deletes_nothing(
    three: list[int], fixture_db: SF, tx: TxFactory
) -> None:
    with tx() as ctx:
        assert ie.delete_canceled(ctx) == 0
    with fixture_db() as s:
        assert len(list(s.scalars(select(m.InteractionLogEntry.entry_no)))) == 3
