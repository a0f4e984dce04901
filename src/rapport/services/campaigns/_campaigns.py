"""Campaigns (SPEC §2.17): numbering, dates (E36), salesperson, status; deletion.

Deleting a campaign deletes its campaign entries but keeps their interaction log entries, which
lose their campaign and campaign-entry references. A campaign that unlogged segments or templates
still use cannot be deleted. Campaign entries and statistics live in ``campaign_entries``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import delete, func, select, update

from rapport.db import models as m
from rapport.domain.codes import normalize_code, require_code
from rapport.errors import ConflictError, RuleViolationError, ValidationError
from rapport.services.context import Ctx
from rapport.services.inputs import Input
from rapport.services.records import get_or_raise
from rapport.services.setup import (
    check_manual_no,
    draw_next,
    ensure_exists,
    get_marketing_setup,
    require_series,
)


class CampaignInput(Input):
    """A new campaign; without ``no`` it is drawn from Marketing Setup "Campaign Nos."."""

    record: ClassVar[str] = "Campaign"

    no: str | None = None
    description: str = ""
    starting_date: dt.date | None = None
    ending_date: dt.date | None = None
    salesperson_code: str | None = None
    status_code: str | None = None
    activated: bool = False


class CampaignChanges(Input):
    """Changes to a campaign; only the fields set are applied (None = blank)."""

    record: ClassVar[str] = "Campaign"

    description: str | None = None
    starting_date: dt.date | None = None
    ending_date: dt.date | None = None
    salesperson_code: str | None = None
    status_code: str | None = None
    activated: bool | None = None


def create_campaign(ctx: Ctx, data: CampaignInput) -> m.Campaign:
    """Create a campaign; without a number it is drawn from Marketing Setup "Campaign Nos."."""
    key = normalize_code(data.no, field="no", record="Campaign")
    series: str | None = None
    if key is None:
        series = require_series(ctx, "campaign_nos")
        key = draw_next(ctx, series)
    else:
        check_manual_no(ctx, get_marketing_setup(ctx).campaign_nos, record=f"Campaign {key}")
    if ctx.session.get(m.Campaign, key) is not None:
        raise ConflictError(f"Campaign {key} already exists", record=f"Campaign {key}",
                            field="no", reason="duplicate")
    campaign = m.Campaign(no=key, no_series=series)
    _assign(ctx, campaign, data.model_dump(exclude={"no"}))
    ctx.session.add(campaign)
    ctx.session.flush()
    return campaign


def update_campaign(ctx: Ctx, no: str, changes: CampaignChanges) -> m.Campaign:
    """Change a campaign's description, dates, salesperson, status or activated flag."""
    campaign = get_campaign(ctx, no)
    _assign(ctx, campaign, changes.given())
    ctx.session.flush()
    return campaign


def _assign(ctx: Ctx, campaign: m.Campaign, values: Mapping[str, Any]) -> None:
    record = f"Campaign {campaign.no}"
    if "description" in values:
        text = (values["description"] or "").strip()
        if len(text) > 100:
            raise ValidationError(f"Description of {record} is longer than 100 characters",
                                  record=record, field="description", reason="too long")
        campaign.description = text
    if "salesperson_code" in values:
        campaign.salesperson_code = _salesperson(ctx, values["salesperson_code"], record)
    if "status_code" in values:
        campaign.status_code = ensure_exists(ctx, m.CampaignStatus, values["status_code"],
                                             field="status_code", record=record)
    if "activated" in values:
        campaign.activated = bool(values["activated"])
    for name in ("starting_date", "ending_date"):
        if name in values:
            setattr(campaign, name, values[name])
    if campaign.starting_date and campaign.ending_date and \
            campaign.starting_date > campaign.ending_date:
        raise RuleViolationError(
            f"Starting Date must not be later than Ending Date on {record} "
            f"({campaign.starting_date} > {campaign.ending_date})",
            code="E36", record=record, field="ending_date", reason="dates out of order")


def _salesperson(ctx: Ctx, value: str | None, record: str) -> str | None:
    code = ensure_exists(ctx, m.Salesperson, value, field="salesperson_code", record=record)
    if code is not None and ctx.session.get(m.Salesperson, code).blocked:  # type: ignore[union-attr]
        raise RuleViolationError(f"Salesperson {code} is blocked and cannot be used on {record}",
                                 code="BLOCKED", record=record, field="salesperson_code",
                                 reason="salesperson blocked")
    return code


def get_campaign(ctx: Ctx, no: str) -> m.Campaign:
    """A campaign by number."""
    key = require_code(no, field="campaign_no", record="Campaign")
    return get_or_raise(ctx, m.Campaign, key, what="Campaign", field="campaign_no")


def list_campaigns(ctx: Ctx) -> Sequence[m.Campaign]:
    """Campaigns by number."""
    return ctx.session.scalars(select(m.Campaign).order_by(m.Campaign.no)).all()


def delete_campaign(ctx: Ctx, no: str) -> None:
    """Delete a campaign and its campaign entries; its interaction log entries are kept."""
    campaign = get_campaign(ctx, no)
    record = f"Campaign {campaign.no}"
    for column, what in [(m.SegmentHeader.campaign_no, "segment header(s)"),
                         (m.SegmentLineData.campaign_no, "segment line(s)"),
                         (m.InteractionTemplate.campaign_no, "interaction template(s)")]:
        count = ctx.session.scalar(select(func.count()).where(column == campaign.no))
        if count:
            raise ConflictError(f"{record} cannot be deleted because {count} {what} use it",
                                record=record, field="no", reason=f"used by {what}")
    entries = select(m.CampaignEntry.entry_no).where(m.CampaignEntry.campaign_no == campaign.no)
    ile = m.InteractionLogEntry
    # The entries keep their campaign number (history); only the deleted grouping is detached.
    ctx.session.execute(
        update(ile).where(ile.campaign_entry_no.in_(entries))
        .values(campaign_entry_no=None)
        .execution_options(synchronize_session=False))
    ctx.session.execute(delete(m.CampaignEntry).where(m.CampaignEntry.campaign_no == campaign.no)
                        .execution_options(synchronize_session=False))
    ctx.session.delete(campaign)
    ctx.session.flush()
