"""``rapport setup campaign set|delete``: changing and deleting a campaign.

``add`` and ``list`` are in ``setup_templates`` with the other setup records; this module adds
its commands to the same ``campaign`` group (the setup area's second module, see
``cli/registry.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from rapport.cli.common import console, use_case
from rapport.cli.confirm import confirmed
from rapport.cli.options import CODE, DATE, TEXT, blank_or, date_option
from rapport.cli.setup_templates import campaign_app
from rapport.services import campaigns
from rapport.services.campaigns import CampaignChanges

_FIELDS = ("description", "starting_date", "ending_date", "salesperson_code", "status_code",
           "activated")


def _date_or_blank(text: str, option: str) -> dt.date | None:
    """A date, or None for none/blank (clears the date)."""
    return None if not blank_or(text) else date_option(text, option)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "(blank)" if value in (None, "") else str(value)


@campaign_app.command("set")
def campaign_set(
    no: Annotated[str, typer.Argument(metavar="CAMPAIGN", help="Campaign number.")],
    description: Annotated[str | None, typer.Option(
        "--description", "-d", metavar=TEXT, help="Description.")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", metavar=DATE, help="Starting date (none clears it); not after the ending "
        "date.")] = None,
    end: Annotated[str | None, typer.Option(
        "--end", metavar=DATE, help="Ending date (none clears it).")] = None,
    salesperson: Annotated[str | None, typer.Option(
        "--salesperson", metavar=CODE, help="Salesperson code, not a blocked one (none clears "
        "it).")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", metavar=CODE, help="Campaign status code (none clears it).")] = None,
    activated: Annotated[bool | None, typer.Option(
        "--activated/--not-activated", help="Whether the campaign is activated "
        "(default: unchanged).", show_default=False)] = None,
) -> None:
    """Change a campaign's description, dates, salesperson, status or activation; only the
    options given are changed."""
    given: dict[str, Any] = {}
    if description is not None:
        given["description"] = description
    if start is not None:
        given["starting_date"] = _date_or_blank(start, "--start")
    if end is not None:
        given["ending_date"] = _date_or_blank(end, "--end")
    if salesperson is not None:
        given["salesperson_code"] = blank_or(salesperson) or None
    if status is not None:
        given["status_code"] = blank_or(status) or None
    if activated is not None:
        given["activated"] = activated
    if not given:
        raise typer.BadParameter("give at least one field to change, e.g. --end 2025-04-30")
    with use_case() as ctx:
        campaign = campaigns.update_campaign(ctx, no, CampaignChanges(**given))
    now = ", ".join(f"{name} {_shown(getattr(campaign, name))}" for name in _FIELDS
                    if name in given)
    console.print(f"Campaign {campaign.no} changed: {now}")


@campaign_app.command("delete")
def campaign_delete(
    no: Annotated[str, typer.Argument(metavar="CAMPAIGN", help="Campaign number.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation "
                                      "(required when the input is not a terminal).")] = False,
) -> None:
    """Delete a campaign and its campaign entries; their interactions are kept. Refused
    while unlogged segments or interaction templates use the campaign."""
    with use_case() as ctx:
        campaign = campaigns.get_campaign(ctx, no)
        key, description = campaign.no, campaign.description
    named = f"campaign {key} {description}".strip()
    if not confirmed(f"Delete {named} and its campaign entries (their interactions are "
                     "kept)?", yes=yes):
        console.print("Nothing was deleted.")
        raise typer.Exit(1)
    with use_case() as ctx:
        campaigns.delete_campaign(ctx, key)
    console.print(f"Deleted {named} and its campaign entries; their interactions are kept.")
