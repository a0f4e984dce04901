"""``rapport delivery``: send the e-mail outbox, show its state, settle unknown messages."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from rapport.cli.common import console, err_console, use_case, wiring
from rapport.cli.options import MAX_NUMBER, NUMBER
from rapport.errors import SettingsError
from rapport.services import delivery as service

app = typer.Typer(help="E-mail delivery: send the outbox, show its state, settle unknown "
                  "messages.", no_args_is_help=True)

#: A run with at least this many messages to send shows a progress bar.
PROGRESS_FROM = 50
LoggedSegmentOpt = Annotated[int | None, typer.Option(
    "--logged-segment", min=1, max=MAX_NUMBER, metavar=NUMBER,
    help="Only the messages of this logged segment.")]


def deliver(logged_segment: int | None = None, *, expected: int = 0,
            limit: int | None = None) -> service.DeliveryReport:
    """Run a delivery worker in this process until the due messages are sent (or it stops)."""
    worker = wiring().delivery_worker()
    if expected < PROGRESS_FROM or not console.is_terminal:
        return worker.run(logged_segment=logged_segment, limit=limit)
    with Progress(TextColumn("sending"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("send", total=expected)
        report = worker.run(logged_segment=logged_segment, limit=limit,
                            progress=lambda r: bar.update(task, completed=r.handled))
    return report


def print_report(report: service.DeliveryReport) -> None:
    """One line of counts, then each problem and why the run stopped."""
    console.print(f"E-mail: {report.sent} sent, {report.failed} failed, {report.retrying} to "
                  f"retry later, {report.unknown} unknown, {report.blocked} not sent "
                  f"(unsubscribed or privacy-blocked).", highlight=False)
    for problem in report.problems[:20]:
        console.print(f"  {problem}", highlight=False)
    if report.stopped:
        err_console.print(f"delivery stopped: {report.stopped}; the rest waits in the outbox "
                          "(`rapport delivery run` sends it)", highlight=False)


def deliver_after_commit(queued: int, logged_segment: int | None) -> None:
    """In-process delivery right after a command queued messages (its change is saved)."""
    try:
        report = deliver(logged_segment, expected=queued)
    except SettingsError as exc:
        console.print(f"{queued} e-mail message(s) wait in the outbox: {exc.message}. "
                      "`rapport delivery run` sends them once it is set.", highlight=False)
        return
    print_report(report)


@app.command("run")
def run(
    logged_segment: LoggedSegmentOpt = None,
    limit: Annotated[int | None, typer.Option(
        min=1, max=MAX_NUMBER, metavar=NUMBER, help="Send at most this many messages.")] = None,
    follow: Annotated[bool, typer.Option(
        "--follow", help="Keep running: look for new messages every --interval seconds.")
    ] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between looks.")] = 5.0,
) -> None:
    """Send the due messages of the outbox (several workers may run at once)."""
    while True:
        with use_case(readonly=True) as ctx:
            due = service.outbox_state(ctx, logged_segment).counts["pending"]
        report = deliver(logged_segment, expected=due, limit=limit)
        if not follow or report.stopped:
            print_report(report)
            if report.stopped:
                raise typer.Exit(1)
            return
        if report.handled:
            print_report(report)
        time.sleep(interval)


@app.command("status")
def status(logged_segment: LoggedSegmentOpt = None) -> None:
    """Messages per state, and the ones that need a person (failed, unknown, not sent)."""
    with use_case(readonly=True) as ctx:
        state = service.outbox_state(ctx, logged_segment)
    console.print("  ".join(f"{name}: {n}" for name, n in state.counts.items()),
                  highlight=False)
    if not state.problems:
        return
    table = Table("Entry No.", "Contact", "Recipient", "Status", "Reason")
    for p in state.problems:
        table.add_row(str(p.entry_no), p.contact_no, p.recipient, p.status, p.reason)
    console.print(table)
    if state.more_problems:
        console.print(f"… and {state.more_problems} more", highlight=False)


@app.command("mark-sent")
def mark_sent(entry_nos: Annotated[list[int], typer.Argument(
        metavar="ENTRY_NO", min=1, max=MAX_NUMBER,
        help="Entries whose unknown message you found delivered.")]) -> None:
    """Record that messages whose outcome was unknown did arrive."""
    with use_case() as ctx:
        count = service.mark_sent(ctx, entry_nos)
    console.print(f"{count} message(s) marked sent.", highlight=False)
