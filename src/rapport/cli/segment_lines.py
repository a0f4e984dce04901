"""``rapport segments line-add|line-remove|line-set|apply-mailing-group``: lines by hand and
mailing groups (added to the ``segments`` app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.common import console, use_case
from rapport.cli.options import (
    CODE,
    FILE,
    TEXT,
    amount_option,
    captions,
    choice,
    date_option,
    minutes_option,
)
from rapport.cli.segments import (
    Campaign,
    CampaignResponse,
    CampaignTarget,
    ClearTemplate,
    Cost,
    Date,
    Description,
    LineNo,
    Minutes,
    Salesperson,
    SegmentNo,
    Template,
    app,
    given,
    template_choice,
)
from rapport.domain.enums import CorrespondenceType, Evaluation
from rapport.services.segments import (
    LineChanges,
    add_blank_line,
    add_line,
    apply_mailing_group,
    change_line,
    remove_line,
)
from rapport.services.templates import AttachmentUpload


@app.command("line-add")
def line_add_command(
    segment: SegmentNo,
    contact: Annotated[str | None, typer.Argument(
        help="Contact No. (omit with --blank).")] = None,
    blank: Annotated[bool, typer.Option("--blank", help="Add a line without a contact.")] = False,
) -> None:
    """Add a line for a contact by hand (recorded as one Add Contacts action), or a blank line."""
    if (contact is None) == (not blank):
        raise typer.BadParameter("give a CONTACT or --blank (not both)")
    with use_case() as ctx:
        line_no = add_blank_line(ctx, segment) if blank else add_line(ctx, segment, contact or "")
    console.print(f"Added line {line_no} to segment {segment.upper()}.", highlight=False)


@app.command("line-remove")
def line_remove_command(segment: SegmentNo, line_no: LineNo) -> None:
    """Remove a line by hand (recorded as a Reduce action, undoable with `segments undo`)."""
    with use_case() as ctx:
        remove_line(ctx, segment, line_no)
    console.print(f"Removed line {line_no} from segment {segment.upper()}.", highlight=False)


@app.command("line-set")
def line_set_command(
    segment: SegmentNo,
    line_no: LineNo,
    contact: Annotated[str | None, typer.Option(
        metavar=CODE, help="New contact No. (removes the old contact, adds the new one).")] = None,
    template: Template = None,
    clear_template: ClearTemplate = False,
    language: Annotated[str | None, typer.Option(
        metavar=CODE, help="Language code; '' = blank.")] = None,
    attach: Annotated[Path | None, typer.Option(
        metavar=FILE, help="File to use as the line's unique attachment.", exists=True,
        dir_okay=False)] = None,
    remove_attachment: Annotated[bool, typer.Option(help="Remove the unique attachment.")] = False,
    description: Description = None,
    subject: Annotated[str | None, typer.Option(
        metavar=TEXT, help="Subject of the line's e-mail or document.")] = None,
    cost: Cost = None,
    duration: Minutes = None,
    date: Date = None,
    evaluation: Annotated[str | None, typer.Option(
        metavar="EVALUATION", help=f"{captions(Evaluation)}.")] = None,
    correspondence_type: Annotated[str | None, typer.Option(
        metavar="TYPE", help=f"{captions(CorrespondenceType)}.")] = None,
    campaign: Campaign = None,
    salesperson: Salesperson = None,
    campaign_target: CampaignTarget = None,
    campaign_response: CampaignResponse = None,
) -> None:
    """Change one line: contact, template, language, unique attachment and its fields."""
    fields = given(
        description=description, subject=subject, cost=amount_option(cost, "--cost"),
        duration=minutes_option(duration, "--duration"),
        date=date_option(date), evaluation=choice(Evaluation, evaluation, "--evaluation"),
        correspondence_type=choice(CorrespondenceType, correspondence_type,
                                   "--correspondence-type"),
        campaign_no=campaign, salesperson_code=salesperson, campaign_target=campaign_target,
        campaign_response=campaign_response, contact_no=contact, language_code=language,
    )
    changes = LineChanges.model_validate({**fields, **template_choice(template, clear_template)})
    upload = AttachmentUpload(attach.name, attach.read_bytes()) if attach else None
    with use_case() as ctx:
        change_line(ctx, segment, line_no, changes, attachment=upload,
                    remove_attachment=remove_attachment)
    console.print(f"Line {line_no} of segment {segment.upper()} changed.", highlight=False)


@app.command("apply-mailing-group")
def apply_mailing_group_command(
    segment: SegmentNo,
    mailing_group: Annotated[str, typer.Argument(metavar="MAILING_GROUP",
                                                 help="Mailing group code.")],
    delete_old_assignments: Annotated[bool, typer.Option(
        help="First remove the group from the segment's contacts (never from others).")] = False,
) -> None:
    """Give every contact of the segment a mailing group (once each)."""
    with use_case() as ctx:
        added = apply_mailing_group(ctx, segment, mailing_group,
                                    delete_old_assignments=delete_old_assignments)
    console.print(f"Mailing group {mailing_group.upper()} assigned to {added} contact(s).",
                  highlight=False)
