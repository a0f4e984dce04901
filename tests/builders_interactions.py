"""Builders for the Create Interaction / Postponed Interactions tests (rows written directly)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.context import Ctx, transaction

WORK_DATE = dt.date(2025, 3, 10)
# The wizard starts at 12:33:59 UTC on the fixture's work date (the reference's own example).
START = dt.datetime(2025, 3, 10, 12, 33, 59, tzinfo=dt.UTC)


def clock(at: dt.datetime = START) -> Callable[[], dt.datetime]:
    """A fixed ``now`` for a transaction."""
    return lambda: at


def open_tx(factory: sessionmaker[Session], *, work_date: dt.date = WORK_DATE,
            now: dt.datetime = START, user_id: str = "U1") -> AbstractContextManager[Ctx]:
    """One use case as ``user_id`` on ``work_date`` with a fixed clock."""
    return transaction(factory, user_id=user_id, work_date=work_date, now=clock(now))


def make_attachment(session: Session, name: str = "doc.docx", content: bytes = b"content"
                    ) -> int:
    """An attachment row; returns its number."""
    attachment = m.Attachment(file_name=name, file_extension=name.rsplit(".", 1)[-1],
                              content=content)
    session.add(attachment)
    session.flush()
    return attachment.no


def make_entry(session: Session, **kw: Any) -> m.InteractionLogEntry:
    """An interaction log entry (defaults: P11 of C1, T-CALL, SP1, the fixture work date)."""
    values: dict[str, Any] = dict(contact_no="P11", contact_company_no="C1",
                                  interaction_template_code="T-CALL",
                                  interaction_group_code="LETTER", salesperson_code="SP1",
                                  date=WORK_DATE, description="Call", subject="Call",
                                  user_id="U1")
    values.update(kw)
    entry = m.InteractionLogEntry(**values)
    session.add(entry)
    session.flush()
    return entry


def add_comment(session: Session, entry_no: int, line_no: int, text: str) -> None:
    session.add(m.InterLogEntryCommentLine(entry_no=entry_no, line_no=line_no,
                                           date=WORK_DATE, comment=text))
    session.flush()


def add_alt_address(session: Session, contact_no: str, code: str, email: str,
                    starting: dt.date = WORK_DATE) -> None:
    """An alternate address active from ``starting`` on (open ending)."""
    session.add(m.ContactAltAddress(contact_no=contact_no, code=code, email=email))
    session.flush()
    session.add(m.ContactAltAddrDateRange(contact_no=contact_no, starting_date=starting,
                                          contact_alt_address_code=code))
    session.flush()


def update_row(factory: sessionmaker[Session], model: type[Any], key: Any, **values: Any) -> None:
    """Change a row of the committed fixture."""
    with factory.begin() as session:
        row = session.get(model, key)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


def build(factory: sessionmaker[Session], fn: Callable[[Session], Any]) -> Any:
    """Run a builder in its own committed transaction and return its result."""
    with factory.begin() as session:
        return fn(session)


def db_state(factory: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row this area writes, to assert that a refused operation changed nothing."""
    ile = m.InteractionLogEntry
    tables: dict[str, Any] = {
        "entries": select(ile.entry_no, ile.contact_no, ile.postponed, ile.date,
                          ile.description, ile.campaign_entry_no, ile.attachment_no,
                          ile.interaction_template_code, ile.salesperson_code)
        .order_by(ile.entry_no),
        "campaign_entries": select(m.CampaignEntry.entry_no, m.CampaignEntry.campaign_no,
                                   m.CampaignEntry.canceled).order_by(m.CampaignEntry.entry_no),
        "comments": select(m.InterLogEntryCommentLine.entry_no,
                           m.InterLogEntryCommentLine.line_no,
                           m.InterLogEntryCommentLine.comment)
        .order_by(m.InterLogEntryCommentLine.entry_no, m.InterLogEntryCommentLine.line_no),
        "attachments": select(m.Attachment.no, m.Attachment.file_name, m.Attachment.content,
                              m.Attachment.read_only).order_by(m.Attachment.no),
    }
    with factory() as session:
        return {name: [tuple(r) for r in session.execute(stmt).all()]
                for name, stmt in tables.items()}


def entries(factory: sessionmaker[Session]) -> list[m.InteractionLogEntry]:
    """All interaction log entries, by number (detached, attributes loaded)."""
    with factory() as session:
        rows = session.scalars(select(m.InteractionLogEntry)
                               .order_by(m.InteractionLogEntry.entry_no)).all()
        session.expunge_all()
        return list(rows)


def comments_of(factory: sessionmaker[Session], entry_no: int) -> list[tuple[int, str]]:
    with factory() as session:
        rows = session.execute(
            select(m.InterLogEntryCommentLine.line_no, m.InterLogEntryCommentLine.comment)
            .where(m.InterLogEntryCommentLine.entry_no == entry_no)
            .order_by(m.InterLogEntryCommentLine.line_no)).all()
        return [(int(r[0]), str(r[1])) for r in rows]
