"""``rapport interactions resend``: deliver entries of one logged segment again (§3.19)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from rapport.cli.common import console, use_case
from rapport.cli.delivery import deliver_after_commit
from rapport.cli.interactions import app
from rapport.cli.options import MAX_NUMBER, NUMBER
from rapport.services import delivery as service

__all__ = ["app"]


@app.command("resend")
def resend(
    entry_nos: Annotated[list[int] | None, typer.Argument(
        metavar="[ENTRY_NO]...", min=1, max=MAX_NUMBER,
        help="Entries to resend (default: every entry of the logged segment).")] = None,
    logged_segment: Annotated[int | None, typer.Option(
        "--logged-segment", min=1, max=MAX_NUMBER, metavar=NUMBER,
        help="The logged segment the entries come from (required).")] = None,
    as_email: Annotated[bool, typer.Option(
        "--email", help="Send by e-mail whatever the entries' correspondence type.")] = False,
    update_merge_fields: Annotated[bool, typer.Option(
        "--update-merge-fields", help="Log new entries ('Resend: …') merged afresh.")] = False,
    queue_only: Annotated[bool, typer.Option(
        "--queue-only", help="Only queue the messages; `rapport delivery run` sends them.")
    ] = False,
) -> None:
    """Resend the Word documents of entries of one logged segment by e-mail."""
    how: Literal["same", "email"] = "email" if as_email else "same"
    with use_case() as ctx:
        result = service.resend(ctx, logged_segment, entry_nos or [], correspondence_type=how,
                                update_merge_fields=update_merge_fields)
    new = f" as new entries {', '.join(map(str, result.new_entries))}" if (
        result.new_entries) else ""
    console.print(f"{result.queued} entr(y/ies) of logged segment "
                  f"{result.logged_segment_entry_no} queued for e-mail{new}; "
                  f"{result.skipped} skipped (no Word document or not e-mail).",
                  highlight=False)
    if not queue_only:
        deliver_after_commit(result.queued, result.logged_segment_entry_no)
