"""``rapport campaign-entries``: campaign entries: list, cancel, un-cancel, delete canceled."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import CODE, MAX_NUMBER, NUMBER
from rapport.services import campaigns as service

app = typer.Typer(help="Campaign entries: list, cancel, un-cancel, delete canceled.",
                  no_args_is_help=True)

EntryNos = Annotated[list[int], typer.Argument(
    metavar="ENTRY_NO", min=1, max=MAX_NUMBER, help="Campaign entry numbers.")]
Campaign = Annotated[str | None, typer.Option("--campaign", metavar=CODE, help="Campaign No.")]


@app.command("list")
def list_command(
    campaign: Campaign = None,
    canceled: Annotated[bool | None, typer.Option(
        "--canceled/--not-canceled", help="Only canceled / only not canceled ones.")] = None,
    limit: Annotated[int, typer.Option(
        min=1, max=MAX_NUMBER, metavar=NUMBER, help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(
        min=0, max=MAX_NUMBER, metavar=NUMBER, help="Rows to skip.")] = 0,
) -> None:
    """List campaign entries, newest first, with their interactions, cost and duration."""
    with use_case(readonly=True) as ctx:
        page = service.list_campaign_entries(ctx, campaign_no=campaign, canceled=canceled,
                                             limit=limit, offset=offset)
    table = Table("Entry No.", "Campaign", "Description", "Date", "Segment", "Register No.",
                  "Canceled", "No. of Interactions", "Cost (LCY)", "Duration (Min.)")
    for r in page.items:
        table.add_row(str(r.entry_no), r.campaign_no, r.description, str(r.date or ""),
                      r.segment_no, str(r.register_no or ""), "yes" if r.canceled else "no",
                      str(r.no_of_interactions), f"{r.cost:.2f}", str(r.duration))
    console.print(table)
    console.print(f"{len(page.items)} of {page.total} campaign entr(y/ies)", highlight=False)


def _report(result: service.CancelResult) -> None:
    state = "canceled" if result.canceled else "not canceled"
    console.print(f"{result.campaign_entries} campaign entr(y/ies) and {result.entries} "
                  f"interaction log entr(y/ies) are now {state}.", highlight=False)


@app.command("cancel")
def cancel(entry_nos: EntryNos) -> None:
    """Cancel campaign entries and their interaction log entries."""
    with use_case() as ctx:
        result = service.set_canceled(ctx, entry_nos, True)
    _report(result)


@app.command("uncancel")
def uncancel(entry_nos: EntryNos) -> None:
    """Remove the canceled mark from campaign entries and their interaction log entries."""
    with use_case() as ctx:
        result = service.set_canceled(ctx, entry_nos, False)
    _report(result)


@app.command("delete-canceled")
def delete_canceled(
    entry_nos: Annotated[list[int] | None, typer.Argument(
        metavar="ENTRY_NO", min=1, max=MAX_NUMBER,
        help="Campaign entry numbers (default: every canceled one).")] = None,
    campaign: Campaign = None,
) -> None:
    """Delete canceled campaign entries with their interaction log entries."""
    with use_case() as ctx:
        result = service.delete_canceled(ctx, entry_nos or None, campaign_no=campaign)
    console.print(f"Deleted {result.campaign_entries} canceled campaign entr(y/ies) and "
                  f"{result.entries} interaction log entr(y/ies).", highlight=False)
