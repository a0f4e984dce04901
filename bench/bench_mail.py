"""E-mail delivery benchmark: the outbox worker against smtplib sending prebuilt messages.

    python -m bench.bench_mail [--messages 5000] [--engines sqlite,postgresql]

For each engine a fresh migrated database gets ``--messages`` contacts with one e-mail
interaction log entry each and one pending outbox row per entry (as logging writes them). An
aiosmtpd server that discards what it accepts runs on loopback in a process of its own. Then:

* **worker** — ``rapport.services.delivery.Worker.run()``: claim batches of 100, read the
  entries' facts, build each message (headers, Message-ID, RFC 8058 unsubscribe headers),
  commit "sending" before and the outcome after each message, one SMTP connection per batch;
* **baseline** — ``smtplib.SMTP.sendmail`` of as many messages built beforehand (untimed), one
  connection per 100 messages: the bare cost of SMTP to this server.

A third line runs the worker with a mailer that discards every message: its own cost. All
run twice: a plain message (text and HTML parts, about 1 KB), and the same with a 36 KB
.docx attachment. The composer here returns fixed content, so the figures are those of the
delivery machinery; the merge's own cost is measured by the merge benchmark. Targets on the
2-core machine: ≥ 500 msg/s plain, ≥ 150 msg/s with the attachment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Integer, String, cast, insert, literal, select

from bench.common import HEADER, backends, fresh_rapport, machine_load, report, timed
from rapport.db import models as m
from rapport.mail import Mailer, SmtpConfig, SmtpMailer
from rapport.services.context import Ctx
from rapport.services.delivery import (
    Content,
    DeliveryOptions,
    FileAttachment,
    Letterhead,
    Outgoing,
    UnsubscribeLinks,
    Worker,
    build_message,
)
from rapport.wiring import Rapport

BATCH = 100
ATTACHMENT = os.urandom(36 * 1024)
LETTERHEAD = Letterhead("Sales <sales@bench.test>",
                        UnsubscribeLinks("https://crm.bench.test", b"b" * 32))
TEXT = "Dear customer,\n\n" + "We are glad to invite you to our spring fair.\n" * 15
HTML = "<html><body><p>Dear customer,</p>" + "<p>We are glad to invite you.</p>" * 15 + \
    "</body></html>"


class FixedLetters:
    """The same letter for everyone (optionally with the 36 KB document attached)."""

    def __init__(self, attach: bool) -> None:
        files = (FileAttachment("Spring offer.docx", ATTACHMENT,
                                "application/vnd.openxmlformats-officedocument"
                                ".wordprocessingml.document"),) if attach else ()
        self.content = Content(text=TEXT, html=HTML, attachments=files)

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Nothing to read ahead."""

    def compose(self, ctx: Ctx, message: Outgoing) -> Content:
        return self.content


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    """aiosmtpd with its discarding handler, in its own process; wait until it answers."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                             f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("aiosmtpd did not start")


def fill_outbox(rapport: Rapport, count: int) -> None:
    """``count`` contacts, one e-mail entry each, one pending outbox row each (set-based)."""
    seq = select(literal(1, Integer).label("i")).cte("seq", recursive=True)
    seq = seq.union_all(select((seq.c.i + 1).label("i")).where(seq.c.i < count))
    no = literal("BM") + cast(seq.c.i, String)
    now = dt.datetime.now(dt.UTC)
    with rapport.factory.begin() as s:
        s.execute(insert(m.Contact).from_select(
            ["no", "type", "name", "search_name", "email"],
            select(no, literal("Person"), literal("Bench ") + no, no,
                   no + literal("@bench.test"))))
        s.execute(insert(m.InteractionLogEntry).from_select(
            ["contact_no", "description", "subject", "correspondence_type", "delivery_status",
             "user_id"],
            select(no, literal("Spring"), literal("Spring offer"), literal("Email"),
                   literal("In Progress"), literal("BENCH"))))
        s.execute(insert(m.DeliveryOutbox).from_select(
            ["entry_no", "generation", "status", "attempts", "next_attempt_at"],
            select(m.InteractionLogEntry.entry_no, literal(0), literal("pending"), literal(0),
                   literal(now))))


def prebuilt(count: int, attach: bool) -> list[tuple[str, bytes]]:
    """As many finished messages as the worker sends, built beforehand for the baseline."""
    letters = FixedLetters(attach)
    now = dt.datetime.now(dt.UTC)
    out = []
    for i in range(1, count + 1):
        message = Outgoing(i, i, 0, 0, f"BM{i}", f"Bench BM{i}", f"BM{i}@bench.test",
                           "Spring offer", "", None, None, attach, 1)
        out.append((message.recipient, build_message(message, letters.content, LETTERHEAD,
                                                     now)))
    return out


def baseline(port: int, messages: list[tuple[str, bytes]]) -> float:
    """Seconds smtplib takes to send the prebuilt messages, one connection per batch."""
    with timed() as t:
        for start in range(0, len(messages), BATCH):
            with smtplib.SMTP("127.0.0.1", port) as client:
                for recipient, data in messages[start:start + BATCH]:
                    client.sendmail("sales@bench.test", [recipient], data)
    return t.seconds


class Discard:
    """A mailer whose connection accepts every message and sends nothing (the worker's own
    cost: claim, facts, building, commits)."""

    @contextmanager
    def connect(self) -> Iterator[Discard]:
        yield self

    def send(self, message: bytes, *, sender: str, recipient: str) -> None:
        return None


def worker_run(backend: str, port: int | None, count: int, attach: bool) -> float:
    """Seconds the worker takes to send ``count`` queued messages (``port`` None: discard)."""
    with fresh_rapport(backend, "mail") as rapport:
        fill_outbox(rapport, count)
        mailer: Mailer = Discard() if port is None else SmtpMailer(
            SmtpConfig("127.0.0.1", port, security="none"))
        worker = Worker(rapport.use_case, mailer, FixedLetters(attach), LETTERHEAD,
                        DeliveryOptions(batch_size=BATCH))
        with timed() as t:
            result = worker.run()
        if result.sent != count:
            raise RuntimeError(f"sent {result.sent} of {count}: {result.stopped}")
    return t.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    proc, port = start_server()
    try:
        print(f"# python -m bench.bench_mail --messages {args.messages} "
              f"--engines {args.engines}")
        print(f"# {machine_load()}")
        print(HEADER)
        for attach in (False, True):
            kind = "with 36 KB attachment" if attach else "plain"
            bare = baseline(port, prebuilt(args.messages, attach))
            report(f"smtplib prebuilt ({kind})", "-", args.messages, bare, bare)
            for backend in backends(args.engines):
                seconds = worker_run(backend, port, args.messages, attach)
                report(f"worker ({kind})", backend, args.messages, seconds, bare)
                seconds = worker_run(backend, None, args.messages, attach)
                report(f"worker, discarding mailer ({kind})", backend, args.messages, seconds,
                       bare)
        print(f"# {machine_load()}")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
