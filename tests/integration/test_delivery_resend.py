"""Resend (SPEC §3.19, E33) and a person's decision on unknown messages."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from rapport.db import models as m
from rapport.errors import ConflictError, RapportError
from rapport.services.delivery import mark_sent, message_id, resend
from rapport.wiring import Rapport
from tests.builders_delivery import SF, entries, logged_emails, outbox, worker
from tests.conftest import TxFactory
from tests.smtp_server import Handler, SmtpServer


def test_resend_delivers_selected_entries_again_with_a_new_message_id(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    ls = logged_emails(fixture_db, tx, 3)
    first = sorted(entries(fixture_db))[0]
    with SmtpServer() as server:
        worker(rapport, server.port).run()
        with tx() as ctx:
            result = resend(ctx, ls, [first])
        assert (result.queued, result.skipped) == (1, 0)
        assert entries(fixture_db)[first][1] == "In Progress"
        worker(rapport, server.port).run()
    ids = server.message_ids()
    assert len(ids) == 4 and ids[-1] == message_id(first, 1, "rapport.test")
    assert entries(fixture_db)[first][1] == ""


def test_resend_with_update_merge_fields_logs_new_entries(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    ls = logged_emails(fixture_db, tx, 2)
    with SmtpServer() as server:
        worker(rapport, server.port).run()
        with tx() as ctx:
            result = resend(ctx, ls, update_merge_fields=True)
        worker(rapport, server.port).run()
    assert len(result.new_entries) == 2 and len(server.received) == 4
    with fixture_db() as s:
        new = s.scalars(select(m.InteractionLogEntry).where(
            m.InteractionLogEntry.entry_no.in_(result.new_entries))).all()
    assert {e.description for e in new} == {"Resend: Bulk SEG0001"}
    assert {e.logged_segment_entry_no for e in new} == {ls}


def test_resend_errors_e33(rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    ls = logged_emails(fixture_db, tx, 1)
    other = logged_emails(fixture_db, tx, 1, no="SEG0002", prefix="OT")
    theirs = [e for e, (c, _, _) in entries(fixture_db).items() if c == "OT1"]
    with pytest.raises(RapportError, match="Logged Segment Entry No. must be specified"), \
            tx() as ctx:
        resend(ctx, None)
    with pytest.raises(RapportError, match="same logged segment") as info, tx() as ctx:
        resend(ctx, ls, theirs)
    assert info.value.code == "E33"
    with pytest.raises(ConflictError, match="still wait to be sent"), tx() as ctx:
        resend(ctx, other)
    with fixture_db.begin() as s:
        s.execute(update(m.InteractionLogEntry).values(attachment_no=None))
    with SmtpServer() as server:
        worker(rapport, server.port).run()
    with pytest.raises(RapportError, match="nothing to send") as info, tx() as ctx:
        resend(ctx, ls)
    assert info.value.code == "E33"


def test_an_unknown_message_can_be_marked_sent(rapport: Rapport, fixture_db: SF,
                                               tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 2)
    with SmtpServer(Handler(drop_after_data={"bk1@bulk.test"})) as server:
        worker(rapport, server.port).run()
        worker(rapport, server.port).run()
    doubtful = [r.entry_no for r in outbox(fixture_db) if r.status == "unknown"]
    sent = [r.entry_no for r in outbox(fixture_db) if r.status == "sent"]
    with pytest.raises(ConflictError, match="Only messages whose outcome is unknown"), \
            tx() as ctx:
        mark_sent(ctx, sent)
    with tx() as ctx:
        assert mark_sent(ctx, doubtful) == 1
    assert {r.status for r in outbox(fixture_db)} == {"sent"}
    assert {st for _, st, _ in entries(fixture_db).values()} == {""}
