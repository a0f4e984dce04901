"""``rapport segments log``: log a segment and optionally create its follow-up segment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from rapport.cli.common import console, err_console, use_case
from rapport.cli.delivery import deliver_after_commit
from rapport.cli.hard_copy import make_hard_copy
from rapport.cli.segments import app
from rapport.errors import MultipleErrors, RapportError
from rapport.services.log import LogResult, log_segment

__all__ = ["app"]

MAX_WARNINGS_SHOWN = 20
MAX_PROBLEMS_SHOWN = 100


@app.command("log")
def log(
    segment: Annotated[str, typer.Argument(help="Segment No. to log, e.g. SEG00001.")],
    follow_up: Annotated[bool, typer.Option(
        "--follow-up", help="Create a follow-up segment with the same contacts.")] = False,
    send: Annotated[bool | None, typer.Option(
        "--send/--no-send",
        help="Queue typed lines for delivery (default: on if a line has a correspondence type).",
    )] = None,
    queue_only: Annotated[bool, typer.Option(
        "--queue-only", help="Only queue the e-mail; `rapport delivery run` sends it.")] = False,
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="FOLDER", file_okay=False,
        help="Folder for the hard copies' ZIP (default: the current folder).")] = Path("."),
) -> None:
    """Log SEGMENT: interaction log entries, campaign entries, logged segment; then delete it.
    Sending, the Hard Copy letters are then rendered to PDF into one ZIP in --out and the
    e-mail is sent."""
    try:
        with use_case() as ctx:
            result = log_segment(ctx, segment, send=send, follow_up=follow_up)
    except MultipleErrors as exc:
        print_problems(exc)
        raise typer.Exit(1) from None
    print_result(result)
    printed = not result.hard_copies_queued or hard_copy_after_commit(result.segment_no, out)
    if result.emails_queued and not queue_only:
        deliver_after_commit(result.emails_queued, result.logged_segment_entry_no)
    if not printed:
        raise typer.Exit(1)


def hard_copy_after_commit(segment_no: str, out: Path) -> bool:
    """The hard copies of a segment just logged; a failure keeps the log (it is committed) and
    says how to make them later."""
    try:
        make_hard_copy(segment_no, out)
    except (RapportError, OSError) as exc:
        reason = exc.message if isinstance(exc, RapportError) else str(exc)
        err_console.print(
            f"The hard copy of segment {segment_no} was not made: {reason}. The segment is "
            f"logged; `rapport logged-segments hard-copy {segment_no} --out FOLDER` makes "
            "it.", highlight=False, soft_wrap=True)
        return False
    return True


def print_problems(exc: MultipleErrors) -> None:
    """Every problem of every line, one per line, instead of one long message."""
    head = exc.message.split(": ", 1)[0]
    err_console.print(f"[red]error[/red] [{exc.code}] {escape(head)}", highlight=False,
                      soft_wrap=True, markup=True)
    for problem in exc.errors[:MAX_PROBLEMS_SHOWN]:
        err_console.print(f"  {problem.message}", highlight=False, markup=False, soft_wrap=True)
    hidden = len(exc.errors) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        err_console.print(f"  … and {hidden} more problem(s)", highlight=False)


def print_result(result: LogResult) -> None:
    """The outcome of logging, as the reference reports it, plus counts and warnings."""
    console.print(f"Segment {result.segment_no} has been logged "
                  f"(logged segment {result.logged_segment_entry_no}).", highlight=False)
    console.print(f"  interaction log entries: {result.entries}", highlight=False)
    console.print(f"  campaign entries: {result.campaign_entries}", highlight=False)
    console.print(f"  queued for delivery: {result.queued_for_delivery}", highlight=False)
    if result.follow_up_segment_no:
        console.print(f"Follow-up segment {result.follow_up_segment_no} created.",
                      highlight=False)
    for warning in result.warnings[:MAX_WARNINGS_SHOWN]:
        console.print(f"[yellow]warning[/yellow] {escape(warning.message)}", highlight=False,
                      markup=True)
    hidden = len(result.warnings) - MAX_WARNINGS_SHOWN
    if hidden > 0:
        console.print(f"[yellow]warning[/yellow] … and {hidden} more line(s) without e-mail",
                      markup=True,
                      highlight=False)
