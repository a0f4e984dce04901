"""Campaign entries (SPEC §2.17, §3.20): list with figures, switch canceled, delete canceled ones.

Cancelling a campaign entry cancels its interaction log entries. Deleting canceled campaign
entries deletes their interaction log entries *properly* (A3/K14): with their comment lines and
the attachments nothing else uses — the reference skips that clean-up and leaves orphans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update

from rapport.db import models as m
from rapport.domain.codes import normalize_code
from rapport.errors import NotFoundError, ValidationError
from rapport.services.context import Ctx, run
from rapport.services.interactions import delete_entries
from rapport.services.paging import Page

CE = m.CampaignEntry
ILE = m.InteractionLogEntry


@dataclass(frozen=True)
class CampaignEntryRow:
    """A campaign entry with its figures over entries whose Canceled equals its own."""

    entry_no: int
    campaign_no: str
    description: str
    date: dt.date | None
    segment_no: str
    register_no: int | None
    salesperson_code: str | None
    user_id: str
    canceled: bool
    no_of_interactions: int
    cost: Decimal
    duration: int


@dataclass(frozen=True)
class CancelResult:
    canceled: bool
    campaign_entries: int
    entries: int


@dataclass(frozen=True)
class DeleteResult:
    campaign_entries: int
    entries: int


def _filters(campaign_no: str | None, canceled: bool | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    code = normalize_code(campaign_no, field="Campaign No.")
    if code is not None:
        conds.append(CE.campaign_no == code)
    if canceled is not None:
        conds.append(CE.canceled == canceled)
    return conds


def list_campaign_entries(ctx: Ctx, *, campaign_no: str | None = None,
                          canceled: bool | None = None, limit: int = 50,
                          offset: int = 0) -> Page[CampaignEntryRow]:
    """Campaign entries, newest first, with No. of Interactions, cost and duration (2 queries)."""
    conds = _filters(campaign_no, canceled)
    figures = (select(ILE.campaign_entry_no.label("ce"), func.count().label("n"),
                      func.sum(ILE.cost).label("cost"), func.sum(ILE.duration).label("dur"))
               .join(CE, CE.entry_no == ILE.campaign_entry_no)
               .where(ILE.canceled == CE.canceled, ILE.postponed == False)  # noqa: E712
               .group_by(ILE.campaign_entry_no).subquery())
    stmt = (select(CE, figures.c.n, figures.c.cost, figures.c.dur)
            .outerjoin(figures, figures.c.ce == CE.entry_no).where(*conds)
            .order_by(CE.entry_no.desc()).limit(limit).offset(offset))
    items = [_row(ce, n, cost, dur) for ce, n, cost, dur in ctx.session.execute(stmt)]
    total = ctx.session.scalar(select(func.count()).select_from(CE).where(*conds))
    return Page(items, int(total or 0), limit, offset)


def _row(ce: m.CampaignEntry, n: Any, cost: Any, dur: Any) -> CampaignEntryRow:
    return CampaignEntryRow(
        ce.entry_no, ce.campaign_no, ce.description, ce.date, ce.segment_no, ce.register_no,
        ce.salesperson_code, ce.user_id, ce.canceled, int(n or 0),
        Decimal(cost or 0).quantize(Decimal("0.01")), int(dur or 0))


def _require(ctx: Ctx, entry_nos: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(int(n) for n in entry_nos))
    if not wanted:
        raise ValidationError("Select at least one campaign entry", field="entry_nos",
                              reason="empty selection")
    found = set(ctx.session.scalars(select(CE.entry_no).where(CE.entry_no.in_(wanted))))
    missing = [n for n in wanted if n not in found]
    if missing:
        raise NotFoundError(f"Campaign entr(y/ies) {', '.join(map(str, missing[:10]))} do not "
                            "exist", record="Campaign Entry", field="Entry No.")
    return wanted


def set_canceled(ctx: Ctx, entry_nos: Sequence[int], canceled: bool) -> CancelResult:
    """Set Canceled on campaign entries and on their interaction log entries."""
    wanted = _require(ctx, entry_nos)
    n_ce = run(ctx, update(CE).where(CE.entry_no.in_(wanted)).values(canceled=canceled))
    n_ile = run(ctx, update(ILE).where(ILE.campaign_entry_no.in_(wanted))
                .values(canceled=canceled))
    return CancelResult(canceled, n_ce, n_ile)


def switch_canceled(ctx: Ctx, entry_nos: Sequence[int]) -> CancelResult:
    """Switch Checkmark in Canceled: the new state is the opposite of the first selected one's."""
    wanted = _require(ctx, entry_nos)
    first = ctx.session.scalar(select(CE.canceled).where(CE.entry_no == wanted[0]))
    return set_canceled(ctx, wanted, not first)


def delete_canceled(ctx: Ctx, entry_nos: Sequence[int] | None = None, *,
                    campaign_no: str | None = None) -> DeleteResult:
    """Delete canceled campaign entries and their entries (with comments and attachments)."""
    conds = [CE.canceled == True, *_filters(campaign_no, None)]  # noqa: E712
    if entry_nos is not None:
        conds.append(CE.entry_no.in_([int(n) for n in entry_nos]))
    targets = select(CE.entry_no).where(*conds)
    entries = delete_entries(ctx, lambda e: [e.campaign_entry_no.in_(targets)])
    deleted = run(ctx, delete(CE).where(*conds))
    return DeleteResult(deleted, entries)
