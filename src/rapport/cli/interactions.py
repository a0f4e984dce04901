"""``rapport interactions``: interaction log entries and their statistics.

The Create Interaction wizard and postponed interactions add their commands from
``interaction_drafts.py`` to the same ``app``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, cast

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import CODE, DATE, MAX_NUMBER, NUMBER, captions, choice, date_option
from rapport.domain.enums import Evaluation
from rapport.services import interactions as service
from rapport.services.interactions import (
    Dimension,
    EntryFilter,
    campaign_statistics,
    interaction_statistics,
)

app = typer.Typer(help="Interaction log entries: list, create, finish, postpone, resume, cancel, "
                  "evaluate, statistics.", no_args_is_help=True)

EntryNos = Annotated[list[int], typer.Argument(
    metavar="ENTRY_NO", min=1, max=MAX_NUMBER, help="Interaction log entry numbers.")]
Opt = typer.Option
DIMENSIONS = ("group", "template", "campaign", "contact", "company", "salesperson")


def _date(value: str | None, option: str) -> dt.date | None:
    return date_option(value or None, option)


def _evaluation(text: str | None) -> str | None:
    """The evaluation's caption ('' for none), typed in any case like every option field."""
    chosen = choice(Evaluation, text, "--evaluation")
    return chosen.value if chosen is not None else None


def _filters(entry_nos: list[int] | None, contact: str | None, company: str | None,
             salesperson: str | None, campaign: str | None, segment: str | None,
             template: str | None, group: str | None, date_from: str | None,
             date_to: str | None, canceled: bool | None, evaluation: str | None) -> EntryFilter:
    return EntryFilter(entry_nos=entry_nos or None, contact_no=contact, company_no=company,
                       salesperson_code=salesperson, campaign_no=campaign, segment_no=segment,
                       template_code=template, group_code=group,
                       date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"),
                       canceled=canceled, evaluation=_evaluation(evaluation))


Contact = Annotated[str | None, Opt("--contact", metavar=CODE, help="Contact No.")]
Company = Annotated[str | None, Opt("--company", metavar=CODE, help="Contact company No.")]
Salesperson = Annotated[str | None, Opt("--salesperson", metavar=CODE, help="Salesperson code.")]
Campaign = Annotated[str | None, Opt("--campaign", metavar=CODE, help="Campaign No.")]
Segment = Annotated[str | None, Opt("--segment", metavar=CODE, help="Segment No.")]
TemplateOpt = Annotated[str | None, Opt("--template", metavar=CODE,
                                        help="Interaction template code.")]
Group = Annotated[str | None, Opt("--group", metavar=CODE, help="Interaction group code.")]
From = Annotated[str | None, Opt("--from", metavar=DATE, help="From this date on.")]
To = Annotated[str | None, Opt("--to", metavar=DATE, help="Up to this date.")]


@app.command("list")
def list_command(
    contact: Contact = None, company: Company = None, salesperson: Salesperson = None,
    campaign: Campaign = None, segment: Segment = None, template: TemplateOpt = None,
    group: Group = None, date_from: From = None, date_to: To = None,
    canceled: Annotated[bool | None, Opt("--canceled/--not-canceled",
                                         help="Only canceled / not canceled.")] = None,
    evaluation: Annotated[str | None, Opt(
        "--evaluation", metavar="EVALUATION", help=f"{captions(Evaluation)}.")] = None,
    limit: Annotated[int, Opt(min=1, max=MAX_NUMBER, metavar=NUMBER,
                              help="Rows per page.")] = 50,
    offset: Annotated[int, Opt(min=0, max=MAX_NUMBER, metavar=NUMBER,
                               help="Rows to skip.")] = 0,
) -> None:
    """List interaction log entries (postponed ones are not shown), newest first."""
    filters = _filters(None, contact, company, salesperson, campaign, segment, template, group,
                       date_from, date_to, canceled, evaluation)
    with use_case(readonly=True) as ctx:
        page = service.list_entries(ctx, filters, limit=limit, offset=offset)
    table = Table("Entry No.", "Date", "Contact", "Company", "Template", "Description",
                  "Salesperson", "Campaign", "Segment", "Evaluation", "Canceled", "Cost",
                  "Duration", "Delivery", "Comment")
    for item in page.items:
        e = item.entry
        table.add_row(str(e.entry_no), str(e.date or ""), e.contact_no or "",
                      e.contact_company_no or "", e.interaction_template_code or "",
                      e.description, e.salesperson_code or "", e.campaign_no or "",
                      e.segment_no, e.evaluation, "yes" if e.canceled else "no", str(e.cost),
                      str(e.duration), e.delivery_status, "yes" if item.has_comments else "")
    console.print(table)
    console.print(f"{len(page.items)} of {page.total} entr(y/ies)", highlight=False)


def _report_cancel(result: service.CancelResult) -> None:
    state = "canceled" if result.canceled else "no longer canceled"
    console.print(f"{result.entries} entr(y/ies) {state}; {result.attachments_removed} "
                  "attachment(s) removed.", highlight=False)


@app.command("cancel")
def cancel(
    entry_nos: EntryNos,
    remove_attachments: Annotated[bool, Opt(
        "--remove-attachments", help="Also delete attachments no other entry uses.")] = False,
) -> None:
    """Cancel interaction log entries."""
    with use_case() as ctx:
        result = service.set_canceled(ctx, entry_nos, True, remove_attachments=remove_attachments)
    _report_cancel(result)


@app.command("uncancel")
def uncancel(entry_nos: EntryNos) -> None:
    """Remove the canceled mark (refused while the logged segment or campaign entry is canceled)."""
    with use_case() as ctx:
        result = service.set_canceled(ctx, entry_nos, False)
    _report_cancel(result)


@app.command("evaluate")
def evaluate(
    entry_nos: EntryNos,
    evaluation: Annotated[str, Opt("--evaluation", "-e", metavar="EVALUATION",
                                   help=f"{captions(Evaluation, blank=False)}.")],
) -> None:
    """Set the evaluation of interaction log entries."""
    chosen = choice(Evaluation, evaluation, "--evaluation").value
    with use_case() as ctx:
        count = service.evaluate(ctx, entry_nos, chosen)
    console.print(f"{count} entr(y/ies) evaluated.", highlight=False)


@app.command("comment")
def comment(
    entry_no: Annotated[int, typer.Argument(
        min=1, max=MAX_NUMBER, help="Interaction log entry number.")],
    text: Annotated[str | None, typer.Argument(help="Comment to add (omit to list).")] = None,
) -> None:
    """Add a comment line to an entry when TEXT is given; otherwise list its comment lines."""
    if text is not None:
        with use_case() as ctx:
            line = service.add_comment(ctx, entry_no, service.CommentInput(comment=text))
        console.print(f"Comment line {line.line_no} added to entry {entry_no}.", highlight=False)
        return
    with use_case() as ctx:
        lines = service.list_comments(ctx, entry_no)
    for line in lines:
        console.print(f"{line.line_no:>6}  {line.date or ''}  {line.comment}", highlight=False)
    if not lines:
        console.print(f"Entry {entry_no} has no comments.", highlight=False)


@app.command("delete-canceled")
def delete_canceled(
    entry_nos: Annotated[list[int] | None, typer.Argument(
        metavar="ENTRY_NO", min=1, max=MAX_NUMBER, help="Only these entries.")] = None,
    contact: Contact = None, salesperson: Salesperson = None, campaign: Campaign = None,
    template: TemplateOpt = None, group: Group = None, date_from: From = None,
    date_to: To = None,
) -> None:
    """Delete canceled entries with their comments and the attachments nothing else uses."""
    filters = _filters(entry_nos, contact, None, salesperson, campaign, None, template, group,
                       date_from, date_to, None, None)
    with use_case() as ctx:
        count = service.delete_canceled(ctx, filters)
    console.print(f"{count} canceled entr(y/ies) deleted.", highlight=False)


@app.command("stats")
def stats(
    by: Annotated[str, Opt("--by", metavar="DIMENSION", help=(
        ", ".join(DIMENSIONS[:-1]) + f" or {DIMENSIONS[-1]}."))] = "group",
    campaign: Annotated[str | None, Opt(
        "--campaign", metavar=CODE, help="Show this campaign's statistics instead.")] = None,
    date_from: From = None, date_to: To = None,
) -> None:
    """Interactions, cost and duration per group/template/…; canceled and postponed excluded."""
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    by = by.strip().lower()  # the service refuses an unknown one
    if campaign:
        with use_case(readonly=True) as ctx:
            c = campaign_statistics(ctx, campaign, date_from=start, date_to=end)
        console.print(f"Campaign {c.campaign_no}: {c.no_of_interactions} interaction(s), cost "
                      f"{c.cost}, duration {c.duration} min., target contacts contacted "
                      f"{c.target_contacts_contacted}, contacts responded "
                      f"{c.contacts_responded}", highlight=False)
        return
    with use_case(readonly=True) as ctx:
        rows = interaction_statistics(ctx, cast(Dimension, by), date_from=start, date_to=end)
    table = Table(by.capitalize(), "No. of Interactions", "Cost (LCY)", "Duration (Min.)",
                  "Campaign Targets", "Campaign Responses")
    for r in rows:
        table.add_row(r.key, str(r.no_of_interactions), str(r.cost), str(r.duration),
                      str(r.campaign_targets), str(r.campaign_responses))
    console.print(table)
