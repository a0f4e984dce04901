"""Interaction statistics (SPEC §2.4, §2.5, §2.17, §3.23), computed in SQL with GROUP BY.

Every figure excludes canceled and postponed interaction log entries and can be limited to a date
range. Campaign Target Contacts Contacted and Contacts Responded count entries flagged Campaign
Target / Campaign Response, as the reference's campaign statistics do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, case, func, select

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.errors import ValidationError
from rapport.services.context import Ctx
from rapport.services.records import get_or_raise

ILE = m.InteractionLogEntry
Dimension = Literal["group", "template", "campaign", "contact", "company", "salesperson"]
DIMENSIONS: dict[str, Any] = {
    "group": ILE.interaction_group_code,
    "template": ILE.interaction_template_code,
    "campaign": ILE.campaign_no,
    "contact": ILE.contact_no,
    "company": ILE.contact_company_no,
    "salesperson": ILE.salesperson_code,
}


@dataclass(frozen=True)
class StatRow:
    """The figures of one group, template, campaign, contact, company or salesperson."""

    key: str
    no_of_interactions: int
    cost: Decimal
    duration: int
    campaign_targets: int
    campaign_responses: int


@dataclass(frozen=True)
class CampaignStatistics:
    campaign_no: str
    no_of_interactions: int
    cost: Decimal
    duration: int
    target_contacts_contacted: int
    contacts_responded: int


def _counted(date_from: dt.date | None, date_to: dt.date | None) -> list[ColumnElement[bool]]:
    """Entries that count: not canceled, not postponed, within the date range."""
    conds: list[ColumnElement[bool]] = [ILE.canceled == False, ILE.postponed == False]  # noqa: E712
    if date_from is not None:
        conds.append(ILE.date >= date_from)
    if date_to is not None:
        conds.append(ILE.date <= date_to)
    return conds


def _figures() -> list[Any]:
    return [
        func.count(), func.coalesce(func.sum(ILE.cost), 0),
        func.coalesce(func.sum(ILE.duration), 0),
        func.coalesce(func.sum(case((ILE.campaign_target == True, 1), else_=0)), 0),  # noqa: E712
        func.coalesce(func.sum(case((ILE.campaign_response == True, 1), else_=0)), 0),  # noqa: E712
    ]


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def interaction_statistics(
    ctx: Ctx, by: Dimension, *, date_from: dt.date | None = None,
    date_to: dt.date | None = None, keys: Sequence[str] | None = None,
) -> list[StatRow]:
    """Count, cost and duration of the counted entries per group/template/campaign/… (1 query)."""
    column = DIMENSIONS.get(by)
    if column is None:
        raise ValidationError(f"Statistics by {by!r}: choose one of {', '.join(DIMENSIONS)}",
                              field="by", reason="unknown dimension")
    conds = [*_counted(date_from, date_to), column.is_not(None)]
    if keys is not None:
        codes = [normalize_code(k, field=by) for k in keys]
        conds.append(column.in_([c for c in codes if c]))
    stmt = select(column, *_figures()).where(*conds).group_by(column).order_by(column)
    return [StatRow(str(key), int(n), _money(cost), int(dur), int(tgt), int(rsp))
            for key, n, cost, dur, tgt, rsp in ctx.session.execute(stmt)]


def campaign_statistics(ctx: Ctx, campaign_no: str, *, date_from: dt.date | None = None,
                        date_to: dt.date | None = None) -> CampaignStatistics:
    """A campaign's figures: interactions, cost, duration, targets contacted, responses."""
    no = require_code(campaign_no, field="Campaign No.", record="Campaign")
    get_or_raise(ctx, m.Campaign, no, what="Campaign", field="campaign_no")
    stmt = select(*_figures()).where(*_counted(date_from, date_to), ILE.campaign_no == no)
    n, cost, dur, tgt, rsp = ctx.session.execute(stmt).one()
    return CampaignStatistics(no, int(n), _money(cost), int(dur), int(tgt), int(rsp))
