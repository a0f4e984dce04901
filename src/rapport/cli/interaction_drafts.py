"""Commands added to ``rapport interactions``: the Create Interaction wizard and postponed ones.

A wizard draft only lives during one command, so there are no separate ``finish`` and
``postpone`` commands: ``create`` runs the whole wizard and finishes (or postpones with
``--postpone``); ``resume ENTRY`` finishes a postponed interaction (or keeps it postponed with
``--postpone``), keeping its date unless ``--date`` is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from rapport.cli.common import console, settings, use_case
from rapport.cli.interactions import app
from rapport.cli.options import (
    AMOUNT,
    CODE,
    DATE,
    FILE,
    MAX_NUMBER,
    MINUTES,
    TEXT,
    TIME,
    amount_option,
    captions,
    choice,
    date_option,
    minutes_option,
    time_option,
)
from rapport.domain.enums import CorrespondenceType, Evaluation
from rapport.services.interactions import (
    DraftAttachment,
    DraftChanges,
    PostponedFilter,
    RecordedInteraction,
    complete_postponed,
    create_interaction,
    delete_postponed,
    list_postponed,
)

__all__ = ["app"]

Contact = Annotated[str | None, typer.Option(
    "--contact", "-c", metavar="CONTACT", help="Contact No. (or part of its name).")]
Template = Annotated[str | None, typer.Option(
    "--template", "-t", metavar=CODE, help="Interaction template code.")]
Salesperson = Annotated[str | None, typer.Option(
    "--salesperson", metavar=CODE, help="Salesperson code.")]
Description = Annotated[str | None, typer.Option(
    "--description", "-d", metavar=TEXT, help="Description.")]
Language = Annotated[str | None, typer.Option(
    "--language", metavar=CODE,
    help="Language of the template's attachment ('' = blank language).")]
DateOpt = Annotated[str | None, typer.Option("--date", metavar=DATE, help="Date.")]
TimeOpt = Annotated[str | None, typer.Option(
    "--time", metavar=TIME, help="Time of interaction.")]
CampaignOpt = Annotated[str | None, typer.Option("--campaign", metavar=CODE, help="Campaign No.")]
EvaluationOpt = Annotated[str | None, typer.Option(
    "--evaluation", metavar="EVALUATION", help=f"{captions(Evaluation)}.")]
Unsuccessful = Annotated[bool, typer.Option("--unsuccessful",
                                            help="The interaction was not successful.")]
Cost = Annotated[str | None, typer.Option(
    "--cost", metavar=AMOUNT, help="Cost (LCY): ≥ 0 with at most 2 decimals, e.g. 2.50.")]
Duration = Annotated[str | None, typer.Option(
    "--duration", metavar=MINUTES, help="Duration in whole minutes ≥ 0.")]
Comments = Annotated[list[str] | None, typer.Option(
    "--comment", metavar=TEXT, help="A comment line (repeat for more lines).")]
Result = Annotated[str | None, typer.Option(
    "--result", metavar=TEXT, help="Result description (replaces the description).")]
TypeOpt = Annotated[str | None, typer.Option(
    "--type", metavar="TYPE", help=f"Correspondence type: {captions(CorrespondenceType)}.")]
Attach = Annotated[Path | None, typer.Option(
    "--attach", metavar=FILE, exists=True, dir_okay=False,
    help="File that becomes the attachment (templates whose wizard action is Import).")]
Postpone = Annotated[bool, typer.Option("--postpone", help="Postpone instead of finishing.")]
NoDelivery = Annotated[bool, typer.Option(
    "--no-delivery", help="Record only: an Email to a contact without an e-mail address "
    "becomes blank instead of being refused.")]
PostponedEntry = Annotated[int, typer.Argument(
    min=1, max=MAX_NUMBER, help="Entry No. of the postponed interaction.")]


def _changes(**options: Any) -> DraftChanges:
    """The wizard fields the user typed (options not given are left to the defaults)."""
    o = options
    values: dict[str, Any] = {
        "contact": o["contact"], "template_code": o["template"],
        "salesperson_code": o["salesperson"],
        "description": o["description"], "campaign_no": o["campaign"],
        "language_code": o["language"],
        "result_description": o["result"],
        "duration": minutes_option(o["duration"], "--duration"),
        "date": date_option(o["date"]),
        "time_of_interaction": time_option(o["time"]),
        "cost": amount_option(o["cost"], "--cost"),
    }
    if o["evaluation"] is not None:
        values["evaluation"] = choice(Evaluation, o["evaluation"], "--evaluation")
    if o["kind"] is not None:
        values["correspondence_type"] = choice(CorrespondenceType, o["kind"], "--type")
    if o["unsuccessful"]:
        values["interaction_successful"] = False
    if o["attach"] is not None:
        values["upload"] = DraftAttachment(file_name=o["attach"].name,
                                           content=o["attach"].read_bytes())
    given = {name: value for name, value in values.items() if value is not None}
    return DraftChanges(**given, add_comments=list(o["comment"] or []))


def _hhmm(time: dt.time | None) -> str:
    return time.strftime("%H:%M") if time is not None else ""


def _print(recorded: RecordedInteraction) -> None:
    state = "postponed" if recorded.postponed else "recorded"
    when = f"{recorded.date or ''} {_hhmm(recorded.time_of_interaction)}".strip()
    console.print(f"Interaction {recorded.entry_no} {state}: {recorded.contact_no} "
                  f"{recorded.contact_name}, template {recorded.interaction_template_code or '-'}"
                  f", \"{recorded.description}\"", highlight=False)
    details = [f"date {when or '-'}", f"salesperson {recorded.salesperson_code or '-'}",
               f"cost {recorded.cost}", f"duration {recorded.duration} min"]
    if recorded.campaign_no:
        details.append(f"campaign {recorded.campaign_no} (campaign entry "
                       f"{recorded.campaign_entry_no or '-'})")
    if recorded.correspondence_type:
        details.append(f"{recorded.correspondence_type}, delivery "
                       f"{recorded.delivery_status or 'none'}")
    if recorded.evaluation:
        details.append(f"evaluation {recorded.evaluation}")
    if recorded.attempt_failed:
        details.append("not successful")
    if recorded.comment_lines:
        details.append(f"{recorded.comment_lines} comment line(s)")
    console.print("  " + "; ".join(details), highlight=False)


@app.command("create")
def create(
    contact: Contact = None, template: Template = None, salesperson: Salesperson = None,
    from_entry: Annotated[int | None, typer.Option(
        "--from-entry", metavar="ENTRY_NO", min=1, max=MAX_NUMBER,
        help="Start from this log entry's contact, salesperson, campaign.")] = None,
    description: Description = None, language: Language = None, date: DateOpt = None,
    time: TimeOpt = None, campaign: CampaignOpt = None, evaluation: EvaluationOpt = None,
    unsuccessful: Unsuccessful = False, cost: Cost = None, duration: Duration = None,
    comment: Comments = None, result: Result = None, kind: TypeOpt = None,
    attach: Attach = None, postpone: Postpone = False, no_delivery: NoDelivery = False,
) -> None:
    """Create an interaction (the Create Interaction wizard): finish it, or --postpone it."""
    start: dict[str, Any] = {}
    if from_entry is not None:
        start["from_entry"] = from_entry
    elif contact:
        start["contact_no"], contact = contact, None
    elif salesperson:
        start["salesperson_code"], salesperson = salesperson, None
    changes = _changes(contact=contact, template=template, salesperson=salesperson,
                       description=description, language=language, date=date, time=time,
                       campaign=campaign, evaluation=evaluation, unsuccessful=unsuccessful,
                       cost=cost, duration=duration, comment=comment, result=result,
                       kind=kind, attach=attach)
    tz = ZoneInfo(settings().time_zone)
    with use_case() as ctx:
        recorded = create_interaction(ctx, changes, postpone=postpone, deliver=not no_delivery,
                                      tz=tz, **start)
    _print(recorded)


@app.command("resume")
def resume(
    entry: PostponedEntry,
    contact: Contact = None, template: Template = None, salesperson: Salesperson = None,
    description: Description = None, language: Language = None, date: DateOpt = None,
    time: TimeOpt = None, campaign: CampaignOpt = None, evaluation: EvaluationOpt = None,
    unsuccessful: Unsuccessful = False, cost: Cost = None, duration: Duration = None,
    comment: Comments = None, result: Result = None, kind: TypeOpt = None,
    attach: Attach = None, postpone: Postpone = False, no_delivery: NoDelivery = False,
) -> None:
    """Finish a postponed interaction (same entry; its date is kept unless --date is given)."""
    changes = _changes(contact=contact, template=template, salesperson=salesperson,
                       description=description, language=language, date=date, time=time,
                       campaign=campaign, evaluation=evaluation, unsuccessful=unsuccessful,
                       cost=cost, duration=duration, comment=comment, result=result,
                       kind=kind, attach=attach)
    with use_case() as ctx:
        recorded = complete_postponed(ctx, entry, changes, postpone=postpone,
                                      deliver=not no_delivery)
    _print(recorded)


@app.command("finish")
def finish(
    entry: PostponedEntry,
    contact: Contact = None, template: Template = None, salesperson: Salesperson = None,
    description: Description = None, language: Language = None, date: DateOpt = None,
    time: TimeOpt = None, campaign: CampaignOpt = None, evaluation: EvaluationOpt = None,
    unsuccessful: Unsuccessful = False, cost: Cost = None, duration: Duration = None,
    comment: Comments = None, result: Result = None, kind: TypeOpt = None,
    attach: Attach = None, no_delivery: NoDelivery = False,
) -> None:
    """Finish a postponed interaction; all checks run now (``resume`` without --postpone)."""
    resume(entry, contact=contact, template=template, salesperson=salesperson,
           description=description, language=language, date=date, time=time,
           campaign=campaign, evaluation=evaluation, unsuccessful=unsuccessful, cost=cost,
           duration=duration, comment=comment, result=result, kind=kind, attach=attach,
           postpone=False, no_delivery=no_delivery)


@app.command("postpone")
def postpone_command(
    contact: Contact = None, template: Template = None, salesperson: Salesperson = None,
    description: Description = None, date: DateOpt = None, time: TimeOpt = None,
    campaign: CampaignOpt = None, comment: Comments = None,
) -> None:
    """Save an interaction draft for later (only the contact is required)."""
    create(contact=contact, template=template, salesperson=salesperson,
           description=description, date=date, time=time, campaign=campaign,
           comment=comment, postpone=True)


@app.command("postponed")
def postponed(
    contact: Annotated[str | None, typer.Option(
        "--contact", metavar=CODE, help="Contact No.")] = None,
    salesperson: Salesperson = None, campaign: CampaignOpt = None,
) -> None:
    """List the postponed interactions."""
    flt = PostponedFilter(contact_no=contact, salesperson_code=salesperson, campaign_no=campaign)
    with use_case(readonly=True) as ctx:
        rows = list_postponed(ctx, flt)
    table = Table("Entry", "Date", "Contact", "Template", "Description", "Salesperson",
                  "Campaign", "Comments", title="Postponed interactions")
    for r in rows:
        when = f"{r.date or ''} {_hhmm(r.time_of_interaction)}".strip()
        table.add_row(str(r.entry_no), when, f"{r.contact_no or ''} {r.contact_name}".strip(),
                      r.interaction_template_code or "", r.description,
                      r.salesperson_code or "", r.campaign_no or "", str(r.comment_lines))
    console.print(table)
    console.print(f"{len(rows)} postponed interaction(s)")


@app.command("delete-postponed")
def delete_postponed_command(
    entries: Annotated[list[int], typer.Argument(
        metavar="ENTRY_NO", min=1, max=MAX_NUMBER, help="Entry numbers to delete.")],
) -> None:
    """Delete postponed interactions with their comments and unique attachments."""
    with use_case() as ctx:
        result = delete_postponed(ctx, entries)
    console.print(f"Deleted {result.entries} postponed interaction(s), {result.comment_lines} "
                  f"comment line(s), {result.attachments} attachment(s)")
