"""Several delivery workers on one outbox, and a worker killed mid-batch (both engines)."""

from __future__ import annotations

import os
import select as io_select
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from rapport.services.delivery import DeliveryOptions
from rapport.wiring import Rapport
from tests.builders_delivery import SF, entries, logged_emails, outbox, worker
from tests.concurrency import run_at_once
from tests.conftest import TxFactory
from tests.smtp_server import Handler, SmtpServer

CHILD = r"""
import sys
from rapport.mail import SmtpConfig, SmtpMailer
from rapport.services.delivery import (Content, DeliveryOptions, Letterhead, UnsubscribeLinks,
                                       Worker)
from rapport.wiring import for_url

class Plain:
    def prepare(self, ctx, messages):
        pass

    def compose(self, ctx, message):
        return Content(text=f"entry {message.entry_no}")

wired = for_url(sys.argv[1])
mailer = SmtpMailer(SmtpConfig("127.0.0.1", int(sys.argv[2]), security="none"))
letterhead = Letterhead("sales@rapport.test", UnsubscribeLinks("https://crm.rapport.test",
                                                               b"k" * 32))
print("STARTED", flush=True)
options = DeliveryOptions(batch_size=50, in_flight=int(sys.argv[3]))
Worker(wired.use_case, mailer, Plain(), letterhead, options).run()
print("FINISHED", flush=True)
"""


def test_two_workers_send_each_message_once(rapport: Rapport, fixture_db: SF,
                                            tx: TxFactory) -> None:
    logged_emails(fixture_db, tx, 40)
    options = DeliveryOptions(batch_size=4)
    with SmtpServer(Handler(delay=0.002)) as server:
        first, second = worker(rapport, server.port, options), worker(rapport, server.port,
                                                                     options)
        reports = []
        errors = run_at_once(lambda: reports.append(first.run()),
                             lambda: reports.append(second.run()), timeout=120)
    assert errors == []
    assert sum(r.sent for r in reports) == 40
    assert all(r.sent > 0 for r in reports)  # both took part
    ids = Counter(server.message_ids())
    assert len(ids) == 40 and set(ids.values()) == {1}
    assert {r.status for r in outbox(fixture_db)} == {"sent"}
    assert len({r.claimed_by for r in outbox(fixture_db)}) == 2


@pytest.mark.parametrize("in_flight", [1, 10])
def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
        rapport: Rapport, fixture_db: SF, tx: TxFactory, in_flight: int) -> None:
    """SIGKILL in the middle of a batch; then another worker runs. At most the window being
    handed over is in doubt (unknown, never resent); everything else is sent exactly once."""
    logged_emails(fixture_db, tx, 30)
    url = rapport.engine.url.render_as_string(hide_password=False)
    with SmtpServer(Handler(delay=0.03)) as server:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        proc = subprocess.Popen([sys.executable, "-c", CHILD, url, str(server.port),
                                 str(in_flight)],
                                stdout=subprocess.PIPE, text=True, env=env)
        try:
            assert proc.stdout is not None
            ready, _, _ = io_select.select([proc.stdout], [], [], 60)
            assert ready and proc.stdout.readline().strip() == "STARTED"
            deadline = time.monotonic() + 60
            while len(server.received) < 8 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(server.received) >= 8
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        at_kill = Counter(server.message_ids())
        recorded = [r for r in outbox(fixture_db) if r.status == "sent"]
        # every message but those of the window being handed over was recorded
        assert len(recorded) >= 8 - in_flight
        assert len(at_kill) < 30  # killed mid-batch
        report = worker(rapport, server.port).run()
    ids = Counter(server.message_ids())
    assert set(ids.values()) == {1}  # nothing was sent twice
    rows = outbox(fixture_db)
    statuses = Counter(r.status for r in rows)
    assert statuses["sent"] + statuses["unknown"] == 30  # nothing was lost
    assert statuses["unknown"] <= in_flight  # at most the window handed over is in doubt
    assert report.sent == 30 - len(recorded) - statuses["unknown"]
    unknown = [r.entry_no for r in rows if r.status == "unknown"]
    assert all(entries(fixture_db)[e][1] == "Error" for e in unknown)
