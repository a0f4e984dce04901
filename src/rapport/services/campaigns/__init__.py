"""Campaigns and campaign entries."""

from rapport.services.campaigns._campaigns import (
    CampaignChanges,
    CampaignInput,
    create_campaign,
    delete_campaign,
    get_campaign,
    list_campaigns,
    update_campaign,
)
from rapport.services.campaigns._entries import (
    CancelResult,
    delete_canceled,
    list_campaign_entries,
    set_canceled,
    switch_canceled,
)

__all__ = [
    "CampaignChanges",
    "CampaignInput",
    "CancelResult",
    "create_campaign",
    "delete_campaign",
    "delete_canceled",
    "get_campaign",
    "list_campaign_entries",
    "list_campaigns",
    "set_canceled",
    "switch_canceled",
    "update_campaign",
]
