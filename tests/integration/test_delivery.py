"""E-mail delivery from the outbox (issue 12): a real SMTP server on loopback, both engines."""

from __future__ import annotations

import dataclasses

from sqlalchemy import update

from rapport.db import models as m
from rapport.domain.enums import OutboxStatus
from rapport.services.delivery import message_id, outbox_state
from rapport.wiring import Rapport
from tests.builders_delivery import SF, entries, logged_emails, outbox, worker
from tests.conftest import TxFactory
from tests.smtp_server import Handler, SmtpServer


def test_logging_writes_one_outbox_row_per_email_entry(fixture_db: SF, tx: TxFactory) -> None:
    ls = logged_emails(fixture_db, tx, 4)
    rows = outbox(fixture_db)
    assert [(r.status, r.generation, r.attempts) for r in rows] == [("pending", 0, 0)] * 4
    states = entries(fixture_db)
    assert {e for e in states} == {r.entry_no for r in rows}
    assert {st for _, st, _ in states.values()} == {"In Progress"}
    assert ls > 0


def test_a_logged_segment_is_delivered(rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    ls = logged_emails(fixture_db, tx, 3)
    with SmtpServer() as server:
        report = worker(rapport, server.port).run(logged_segment=ls)
    assert (report.sent, report.failed, report.stopped) == (3, 0, None)
    assert sorted(r.recipients[0] for r in server.received) == [
        "bk1@bulk.test", "bk2@bulk.test", "bk3@bulk.test"]
    states = entries(fixture_db)
    for received in server.received:
        mail = received.message
        assert received.sender == "sales@rapport.test"
        assert mail["Subject"] == "Spring offer"
        assert mail["From"] == "Sales <sales@rapport.test>"
        entry_no = next(e for e, (c, _, _) in states.items()
                        if f"{c.lower()}@bulk.test" == received.recipients[0])
        assert mail["Message-ID"] == message_id(entry_no, 0, "rapport.test")
        assert mail["List-Unsubscribe"].startswith("<https://crm.rapport.test/unsubscribe/")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        parts = {p.get_content_type(): p.get_payload(decode=True) for p in mail.walk()}
        assert b"Dear Bulk" in parts["text/plain"] and b"<p>Dear Bulk" in parts["text/html"]
    assert {st for _, st, _ in states.values()} == {""}
    assert {r.status for r in outbox(fixture_db)} == {"sent"}


def test_the_alternate_address_is_the_recipient(rapport: Rapport, fixture_db: SF,
                                               tx: TxFactory) -> None:
    ls = logged_emails(fixture_db, tx, 2)
    with fixture_db.begin() as s:
        s.add(m.ContactAltAddress(contact_no="BK2", code="HOME", email="bk2@home.test"))
        s.flush()
        s.execute(update(m.InteractionLogEntry).where(m.InteractionLogEntry.contact_no == "BK2")
                  .values(contact_alt_address_code="HOME"))
    with SmtpServer() as server:
        worker(rapport, server.port).run(logged_segment=ls)
    assert sorted(r.recipients[0] for r in server.received) == ["bk1@bulk.test",
                                                                "bk2@home.test"]


def test_a_word_document_goes_as_attachment_when_asked(rapport: Rapport, fixture_db: SF,
                                                     tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 1, send_word_doc_as_attmt=True)
    with SmtpServer() as server:
        worker(rapport, server.port).run()
    mail = server.received[0].message
    files = [p for p in mail.walk() if p.get_filename()]
    assert [f.get_filename() for f in files] == ["Spring offer.docx"]
    assert bytes(files[0].get_payload(decode=True)).startswith(b"PK-docx-")


def test_refusals_fail_exactly_their_entries(rapport: Rapport, fixture_db: SF,
                                             tx: TxFactory) -> None:
    """5xx fails at once with the server's reason; 4xx is retried (twice here) then given up;
    a 4xx that clears is sent. Every other entry is sent once."""
    logged_emails(fixture_db, tx, 6)
    handler = Handler(refuse={
        "bk2@bulk.test": ["550 5.1.1 No such user here"],
        "bk3@bulk.test": ["451 4.3.0 Mailbox busy"] * 5,
        "bk4@bulk.test": ["452 4.2.2 Over quota, try later"],
    })
    with SmtpServer(handler) as server:
        report = worker(rapport, server.port).run()
    assert (report.sent, report.failed) == (4, 2)
    by_contact = {c: (st, err) for c, st, err in entries(fixture_db).values()}
    assert by_contact["BK2"] == ("Error", "550 5.1.1 No such user here")
    assert by_contact["BK3"][0] == "Error"
    assert by_contact["BK3"][1].startswith("gave up after 3 attempt(s): 451 4.3.0 Mailbox busy")
    assert {c for c, (st, _) in by_contact.items() if st == ""} == {"BK1", "BK4", "BK5", "BK6"}
    ids = server.message_ids()
    assert len(ids) == len(set(ids)) == 4


def test_a_dropped_connection_stops_the_run_and_a_later_run_finishes(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 5)
    handler = Handler(drop_at_rcpt={"bk3@bulk.test"})
    with SmtpServer(handler) as server:
        first = worker(rapport, server.port).run()
        assert first.sent == 2 and first.stopped and "broke" in first.stopped
        assert {c for c, st, _ in entries(fixture_db).values() if st == "In Progress"} == {
            "BK3", "BK4", "BK5"}
        second = worker(rapport, server.port).run()
    assert (second.sent, second.failed, second.unknown) == (3, 0, 0)
    ids = server.message_ids()
    assert len(ids) == len(set(ids)) == 5
    assert {st for _, st, _ in entries(fixture_db).values()} == {""}


def test_a_connection_lost_after_hand_over_is_unknown_and_not_resent(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 3)
    handler = Handler(drop_after_data={"bk2@bulk.test"})
    with SmtpServer(handler) as server:
        first = worker(rapport, server.port).run()
        second = worker(rapport, server.port).run()
    assert (first.sent, first.unknown, second.sent, second.unknown) == (1, 1, 1, 0)
    by_contact = {c: (st, err) for c, st, err in entries(fixture_db).values()}
    assert by_contact["BK2"][0] == "Error" and "outcome unknown" in by_contact["BK2"][1]
    with tx() as ctx:
        state = outbox_state(ctx)
    assert (state.counts["sent"], state.counts["unknown"]) == (2, 1)
    assert [p.recipient for p in state.problems] == ["BK2@bulk.test"]


def test_opted_out_and_privacy_blocked_contacts_are_not_sent_to(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    """Checked when the message is claimed, not only when the segment was built."""
    logged_emails(fixture_db, tx, 3)
    with fixture_db.begin() as s:
        s.add(m.EmailOptOut(contact_no="BK1", via="test"))
        s.execute(update(m.Contact).where(m.Contact.no == "BK2").values(privacy_blocked=True))
    with SmtpServer() as server:
        report = worker(rapport, server.port).run()
    assert (report.sent, report.blocked) == (1, 2)
    assert [r.recipients for r in server.received] == [["bk3@bulk.test"]]
    by_contact = {c: (st, err) for c, st, err in entries(fixture_db).values()}
    assert by_contact["BK1"] == ("Error", "not sent: the contact unsubscribed from e-mail")
    assert by_contact["BK2"] == ("Error", "not sent: the contact is blocked for privacy reasons")
    assert by_contact["BK3"] == ("", "")
    assert [r.status for r in outbox(fixture_db)] == [
        OutboxStatus.BLOCKED, OutboxStatus.BLOCKED, OutboxStatus.SENT]


def test_an_unreachable_server_leaves_every_message_queued(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 2)
    with SmtpServer() as server:
        port = server.port
    report = worker(rapport, port).run()
    assert report.sent == 0 and report.stopped and "cannot be used" in report.stopped
    assert [(r.status, r.attempts) for r in outbox(fixture_db)] == [("pending", 0)] * 2


def test_a_batch_uses_one_connection_and_the_limit_is_kept(
        rapport: Rapport, fixture_db: SF, tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 7)
    options = dataclasses.replace(worker(rapport, 0).options, batch_size=3)
    connections = 0

    class Counting(Handler):
        async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
            nonlocal connections
            connections += 1
            session.host_name = hostname
            return responses

    with SmtpServer(Counting()) as server:
        report = worker(rapport, server.port, options).run(limit=5)
    assert report.sent == 5
    assert connections == 2  # batches of 3 and 2
    assert [r.status for r in outbox(fixture_db)].count("pending") == 2
