"""``rapport logged-segments``: Logged segments: list, cancel, un-cancel, delete canceled,
hard copy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.hard_copy import make_hard_copy
from rapport.cli.options import CODE, MAX_NUMBER, NUMBER
from rapport.services import log as service

app = typer.Typer(help="Logged segments: list, cancel, un-cancel, delete canceled, hard copy.",
                  no_args_is_help=True)

EntryNos = Annotated[list[int], typer.Argument(
    metavar="ENTRY_NO", min=1, max=MAX_NUMBER, help="Logged segment entry numbers.")]
SegmentOpt = Annotated[str | None, typer.Option("--segment", metavar=CODE, help="Segment No.")]


@app.command("list")
def list_command(
    canceled: Annotated[bool | None, typer.Option(
        "--canceled/--not-canceled", help="Only canceled / only not canceled ones.")] = None,
    segment: SegmentOpt = None,
    limit: Annotated[int, typer.Option(
        min=1, max=MAX_NUMBER, metavar=NUMBER, help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(
        min=0, max=MAX_NUMBER, metavar=NUMBER, help="Rows to skip.")] = 0,
) -> None:
    """List logged segments, newest first, with their interaction and campaign entry counts."""
    with use_case(readonly=True) as ctx:
        page = service.list_logged_segments(ctx, canceled=canceled, segment_no=segment,
                                            limit=limit, offset=offset)
    table = Table("Entry No.", "Segment No.", "Description", "Creation Date", "User ID",
                  "Canceled", "No. of Interactions", "No. of Campaign Entries")
    for r in page.items:
        table.add_row(str(r.entry_no), r.segment_no, r.description, str(r.creation_date or ""),
                      r.user_id, "yes" if r.canceled else "no", str(r.no_of_interactions),
                      str(r.no_of_campaign_entries))
    console.print(table)
    console.print(f"{len(page.items)} of {page.total} logged segment(s)", highlight=False)


def _report(result: service.CancelResult) -> None:
    state = "canceled" if result.canceled else "not canceled"
    console.print(f"{result.logged_segments} logged segment(s), {result.entries} interaction "
                  f"log entr(y/ies) and {result.campaign_entries} campaign entr(y/ies) are now "
                  f"{state}.", highlight=False)


@app.command("cancel")
def cancel(entry_nos: EntryNos) -> None:
    """Cancel logged segments with their interaction log entries and campaign entries."""
    with use_case() as ctx:
        result = service.cancel(ctx, entry_nos)
    _report(result)


@app.command("uncancel")
def uncancel(entry_nos: EntryNos) -> None:
    """Remove the canceled mark from logged segments, their entries and campaign entries."""
    with use_case() as ctx:
        result = service.uncancel(ctx, entry_nos)
    _report(result)


@app.command("delete-canceled")
def delete_canceled(
    entry_nos: Annotated[list[int] | None, typer.Argument(
        metavar="ENTRY_NO", min=1, max=MAX_NUMBER,
        help="Only these logged segments (default: every canceled one).")] = None,
    segment: SegmentOpt = None,
) -> None:
    """Delete canceled logged segments; their entries and campaign entries are kept, detached."""
    with use_case() as ctx:
        result = service.delete_canceled(ctx, entry_nos or None, segment_no=segment)
    console.print(f"{result.deleted} canceled logged segment(s) deleted; "
                  f"{result.entries_detached} interaction log entr(y/ies) and "
                  f"{result.campaign_entries_detached} campaign entr(y/ies) detached.",
                  highlight=False)


@app.command("hard-copy")
def hard_copy_command(
    segment: Annotated[str, typer.Argument(metavar="SEGMENT_NO", help="The logged segment.")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="FOLDER", file_okay=False,
        help="Folder for the ZIP (default: the current folder).")] = Path("."),
) -> None:
    """Deliver the segment's Hard Copy entries: their letters merged and rendered to PDF
    (LibreOffice), one ZIP named after the segment with one file per contact."""
    make_hard_copy(segment, out)
