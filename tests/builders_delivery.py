"""Builders for the delivery tests: a logged segment of e-mail entries, a worker on a server."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.mail import SmtpConfig, SmtpMailer
from rapport.services.context import Ctx
from rapport.services.delivery import (
    Content,
    DeliveryOptions,
    FileAttachment,
    Letterhead,
    Outgoing,
    UnsubscribeLinks,
    Worker,
)
from rapport.services.log import log_segment
from rapport.wiring import Rapport
from tests.builders_logging import bulk_segment
from tests.conftest import TxFactory

SF = sessionmaker[Session]
LINKS = UnsubscribeLinks("https://crm.rapport.test", b"k" * 32)
LETTERHEAD = Letterhead("Sales <sales@rapport.test>", LINKS)
FAST = DeliveryOptions(batch_size=10, max_attempts=3, retry_seconds=0.0)


class Letters:
    """A composer made in the tests: a short letter, or a .docx when sent as attachment."""

    def prepare(self, ctx: Ctx, messages: Sequence[Outgoing]) -> None:
        """Nothing to read ahead."""

    def compose(self, ctx: Ctx, message: Outgoing) -> Content:
        text = f"Dear {message.contact_name},\nentry {message.entry_no}."
        if message.as_attachment:
            doc = FileAttachment(f"{message.subject}.docx", b"PK-docx-" + text.encode(),
                                 "application/vnd.openxmlformats-officedocument"
                                 ".wordprocessingml.document")
            return Content(text="", attachments=(doc,))
        return Content(text=text, html=f"<p>Dear {message.contact_name},</p>")


def logged_emails(factory: SF, tx: TxFactory, count: int, no: str = "SEG0001",
                  prefix: str = "BK", **line_kw: Any) -> int:
    """Log a segment of ``count`` e-mail lines with sending on; the logged segment's number."""
    with factory.begin() as s:
        bulk_segment(s, no, count, prefix=prefix)
        s.execute(update(m.SegmentLineData).where(m.SegmentLineData.segment_no == no)
                  .values(subject="Spring offer", **line_kw))
    with tx() as ctx:
        result = log_segment(ctx, no, send=True)
    assert result.emails_queued == count
    return result.logged_segment_entry_no


def worker(rapport: Rapport, port: int, options: DeliveryOptions = FAST,
           composer: Any = None) -> Worker:
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, security="none", timeout=10))
    return Worker(rapport.use_case, mailer, composer or Letters(), LETTERHEAD, options)


def outbox(factory: SF) -> list[m.DeliveryOutbox]:
    with factory() as s:
        return list(s.scalars(select(m.DeliveryOutbox).order_by(m.DeliveryOutbox.id)))


def entries(factory: SF) -> dict[int, tuple[str, str, str]]:
    """entry no → (contact, delivery status, delivery error)."""
    with factory() as s:
        rows = s.execute(select(m.InteractionLogEntry.entry_no, m.InteractionLogEntry.contact_no,
                                m.InteractionLogEntry.delivery_status,
                                m.InteractionLogEntry.delivery_error))
        return {e: (c or "", st, err) for e, c, st, err in rows}
