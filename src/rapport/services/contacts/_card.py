"""The contact card as the web page shows it: the contact, its interaction history (latest
first, a keyset page at a time) and the segments it is on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from rapport.db.models import InteractionLogEntry, SegmentHeader, SegmentLine
from rapport.services.contacts._queries import ContactDetail, show_contact
from rapport.services.context import Ctx

ILE = InteractionLogEntry


@dataclass(frozen=True)
class HistoryRow:
    """One interaction of the contact, as its history lists it."""

    entry_no: int
    date: dt.date | None
    description: str
    interaction_template_code: str | None
    information_flow: str
    segment_no: str
    canceled: bool
    postponed: bool
    evaluation: str


@dataclass(frozen=True)
class ContactCard:
    """A contact's detail, one page of its history and the segments it is on."""

    detail: ContactDetail
    history: list[HistoryRow]
    next_before: int | None
    segments: list[tuple[str, str, int]]


def contact_card(ctx: Ctx, no: str, *, before: int | None = None,
                 limit: int = 20) -> ContactCard:
    """The card of contact ``no``: history entries older than entry ``before`` (latest first)
    and the open segments with the number of lines the contact has on each."""
    detail = show_contact(ctx, no)
    key = str(detail.fields["no"])
    query = (select(ILE.entry_no, ILE.date, ILE.description, ILE.interaction_template_code,
                    ILE.information_flow, ILE.segment_no, ILE.canceled, ILE.postponed,
                    ILE.evaluation)
             .where(ILE.contact_no == key))
    if before is not None:
        query = query.where(ILE.entry_no < before)
    rows = [HistoryRow(*r) for r in
            ctx.session.execute(query.order_by(ILE.entry_no.desc()).limit(limit)).all()]
    segments = ctx.session.execute(
        select(SegmentHeader.no, SegmentHeader.description, func.count())
        .join(SegmentLine, SegmentLine.segment_no == SegmentHeader.no)
        .where(SegmentLine.contact_no == key)
        .group_by(SegmentHeader.no, SegmentHeader.description).order_by(SegmentHeader.no)
    ).tuples().all()
    last = rows[-1].entry_no if len(rows) == limit else None
    return ContactCard(detail, rows, last, [(s, d, int(n)) for s, d, n in segments])
