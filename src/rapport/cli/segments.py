"""``rapport segments``: create, show, list, change and delete segments.

Other modules add their commands to ``app`` (lines by hand and mailing groups:
segment_lines.py, criteria: segment_criteria.py, logging: segment_log.py, export:
segment_files.py).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import (
    AMOUNT,
    CODE,
    DATE,
    MAX_LINE_NO,
    MAX_NUMBER,
    MINUTES,
    NUMBER,
    TEXT,
    amount_option,
    captions,
    choice,
    date_option,
    minutes_option,
)
from rapport.domain.enums import CorrespondenceType, InformationFlow, InitiatedBy
from rapport.services.segments import (
    CriteriaStep,
    LineRow,
    SegmentChanges,
    SegmentDetail,
    SegmentInput,
    SegmentSummary,
    change_header,
    create_segment,
    delete_segment,
    list_segments,
    segment_detail,
)

app = typer.Typer(
    help="Segments: build target groups, undo, save and reuse criteria, log.",
    no_args_is_help=True,
)

SegmentNo = Annotated[str, typer.Argument(help="Segment No., e.g. SEG00001.")]
LineNo = Annotated[int, typer.Argument(
    min=1, max=MAX_LINE_NO, help="Line No. of the segment line (10000, 20000 …).")]
Description = Annotated[str | None, typer.Option(
    metavar=TEXT, help="Description (up to 100 characters).")]
Campaign = Annotated[str | None, typer.Option(
    "--campaign", metavar=CODE, help="Campaign No. ('' clears it).")]
Salesperson = Annotated[str | None, typer.Option(
    "--salesperson", metavar=CODE, help="Salesperson code ('' clears it).")]
Template = Annotated[str | None, typer.Option(
    "--template", metavar=CODE, help="Interaction template code.")]
ClearTemplate = Annotated[bool, typer.Option("--clear-template", help="Remove the template.")]
Date = Annotated[str | None, typer.Option("--date", metavar=DATE, help="Date.")]
Cost = Annotated[str | None, typer.Option(
    metavar=AMOUNT, help="Amount ≥ 0 with at most 2 decimals, e.g. 2.50.")]
Minutes = Annotated[str | None, typer.Option(
    metavar=MINUTES, help="Duration in whole minutes ≥ 0, e.g. 15.")]
CampaignTarget = Annotated[bool | None, typer.Option(
    help="Mark the contacts as targets of the campaign (or not).")]
CampaignResponse = Annotated[bool | None, typer.Option(
    help="Mark the interactions as responses to the campaign (or not).")]


def given(**values: Any) -> dict[str, Any]:
    """The options the user actually gave (None = not given)."""
    return {k: v for k, v in values.items() if v is not None}


def template_choice(template: str | None, clear: bool) -> dict[str, str | None]:
    """The interaction template change asked for: cleared, set, or none at all."""
    if clear:
        return {"interaction_template_code": None}
    return {"interaction_template_code": template} if template is not None else {}


@app.command("create")
def create_command(
    no: Annotated[str | None, typer.Option(
        "--no", metavar=CODE, help="Segment No. (default: the next of Segment Nos.).")] = None,
    description: Description = None,
    campaign: Campaign = None,
    salesperson: Salesperson = None,
    template: Template = None,
) -> None:
    """Create a segment (numbered from Segment Nos. unless --no is given)."""
    data = SegmentInput(no=no, description=description or "", campaign_no=campaign,
                        salesperson_code=salesperson, interaction_template_code=template)
    with use_case() as ctx:
        header = create_segment(ctx, data)
        created = (header.no, header.salesperson_code, header.date)
    console.print(f"Created segment {created[0]} (salesperson {created[1] or '-'}, "
                  f"date {created[2]}).", highlight=False)


@app.command("list")
def list_command(
    search: Annotated[str | None, typer.Option(
        metavar=TEXT, help="Part of the number or description.")] = None,
    campaign: Campaign = None,
    offset: Annotated[int, typer.Option(
        min=0, max=MAX_NUMBER, metavar=NUMBER, help="Skip this many segments.")] = 0,
    limit: Annotated[int, typer.Option(
        min=1, max=MAX_NUMBER, metavar=NUMBER, help="At most this many segments.")] = 50,
) -> None:
    """List segments with No. of Lines, Cost, Duration and No. of Criteria Actions."""
    with use_case(readonly=True) as ctx:
        page = list_segments(ctx, search=search, campaign_no=campaign, offset=offset, limit=limit)
        rows = [_list_row(s) for s in page]
    table = Table("No.", "Description", "Campaign", "Salesperson", "Date", "Template",
                  "Lines", "Cost (LCY)", "Duration", "Criteria actions")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _list_row(s: SegmentSummary) -> list[str]:
    h = s.header
    return [h.no, h.description, h.campaign_no or "", h.salesperson_code or "", str(h.date or ""),
            h.interaction_template_code or "", str(s.no_of_lines), f"{s.cost:.2f}",
            str(s.duration), str(s.no_of_criteria_actions)]


@app.command("show")
def show_command(
    segment: SegmentNo,
    lines: Annotated[int, typer.Option(
        "--lines", min=0, max=MAX_NUMBER, metavar=NUMBER, help="How many lines to show.")] = 20,
) -> None:
    """Show a segment: header, criteria steps and its first lines."""
    with use_case(readonly=True) as ctx:
        detail = segment_detail(ctx, segment, line_limit=lines)
        _print_detail(detail)


def _print_detail(detail: SegmentDetail) -> None:
    s, h = detail.summary, detail.summary.header
    table = Table(show_header=False, title=f"Segment {h.no}")
    for caption, value in [
        ("Description", h.description), ("Campaign No.", h.campaign_no or ""),
        ("Salesperson Code", h.salesperson_code or ""), ("Date", str(h.date or "")),
        ("Interaction Template", h.interaction_template_code or ""),
        ("Interaction Group", h.interaction_group_code or ""),
        ("Language Code (Default)", h.language_code_default),
        ("Subject (Default)", detail.subject_default),
        ("Unit Cost (LCY)", f"{h.unit_cost:.2f}"), ("Unit Duration (Min.)", str(h.unit_duration)),
        ("Information Flow", h.information_flow), ("Initiated By", h.initiated_by),
        ("Correspondence Type (Default)", h.correspondence_type_default),
        ("Ignore Contact Corres. Type", _yes(h.ignore_contact_corres_type)),
        ("Campaign Target / Response",
         f"{_yes(h.campaign_target)} / {_yes(h.campaign_response)}"),
        ("Send Word Docs. as Attmt.", _yes(h.send_word_docs_as_attmt)),
        ("No. of Lines", str(s.no_of_lines)), ("Cost (LCY)", f"{s.cost:.2f}"),
        ("Duration (Min.)", str(s.duration)),
        ("No. of Criteria Actions", str(s.no_of_criteria_actions)),
    ]:
        table.add_row(caption, value)
    console.print(table)
    print_steps(detail.steps)
    _print_lines(detail.lines, s.no_of_lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def print_steps(steps: list[CriteriaStep]) -> None:
    """Criteria actions in bold with their options, their filters indented below them."""
    console.print(f"Criteria ({len(steps)} action(s))", style="underline")
    for number, step in enumerate(steps, start=1):
        flags = [name for name, on in vars(step.options).items() if on]
        shown = f" ({', '.join(flags)})" if flags else ""
        console.print(f"[bold]{number}. {step.action.value}[/bold]{escape(shown)}",
                      highlight=False, markup=True)
        for item in step.filters:
            fields = ", ".join(f"{k}={v}" for k, v in item.fields.items())
            console.print(f"    {item.section.value}: {fields}", highlight=False, markup=False)


def _print_lines(rows: list[LineRow], total: int) -> None:
    table = Table("Line No.", "Contact", "Name", "Company", "Template", "Description",
                  "Corr. Type", "Language", "Attachment", "Cost", "Salesperson",
                  title=f"Lines ({len(rows)} of {total})")
    for r in rows:
        x = r.line
        table.add_row(str(x.line_no), x.contact_no or "", r.contact_name, r.contact_company_name,
                      x.interaction_template_code or "", x.description, x.correspondence_type,
                      x.language_code, r.attachment, f"{x.cost:.2f}", x.salesperson_code or "")
    console.print(table)


@app.command("set")
def set_command(
    segment: SegmentNo,
    description: Description = None,
    campaign: Campaign = None,
    salesperson: Salesperson = None,
    date: Date = None,
    template: Template = None,
    clear_template: ClearTemplate = False,
    unit_cost: Cost = None,
    unit_duration: Minutes = None,
    information_flow: Annotated[str | None, typer.Option(
        metavar="FLOW", help=f"{captions(InformationFlow)}.")] = None,
    initiated_by: Annotated[str | None, typer.Option(
        metavar="WHO", help=f"{captions(InitiatedBy)}.")] = None,
    correspondence_type: Annotated[str | None, typer.Option(
        metavar="TYPE", help=f"Correspondence Type (Default): {captions(CorrespondenceType)}; "
        "needs --ignore-contact-corres-type.")] = None,
    ignore_contact_corres_type: Annotated[bool | None, typer.Option(
        help="The header's correspondence type wins over each contact's (or not).")] = None,
    campaign_target: CampaignTarget = None,
    campaign_response: CampaignResponse = None,
    send_word_docs_as_attmt: Annotated[bool | None, typer.Option(
        help="Send Word documents as e-mail attachments (or not).")] = None,
    language: Annotated[str | None, typer.Option(
        metavar=CODE, help="Language Code (Default); '' = blank.")] = None,
    no_create_language_row: Annotated[bool, typer.Option(
        "--no-create-language-row", help="Refuse a language without a language row.")] = False,
    subject: Annotated[str | None, typer.Option(
        metavar=TEXT, help="Subject (Default).")] = None,
    no_update_lines: Annotated[bool, typer.Option(
        "--no-update-lines", help="Change only the header; the lines keep their values.")] = False,
) -> None:
    """Change header fields; lines with the header's template follow unless --no-update-lines."""
    fields = given(
        description=description, campaign_no=campaign, salesperson_code=salesperson,
        date=date_option(date), unit_cost=amount_option(unit_cost, "--unit-cost"),
        unit_duration=minutes_option(unit_duration, "--unit-duration"),
        information_flow=choice(InformationFlow, information_flow, "--information-flow"),
        initiated_by=choice(InitiatedBy, initiated_by, "--initiated-by"),
        correspondence_type_default=choice(
            CorrespondenceType, correspondence_type, "--correspondence-type"),
        ignore_contact_corres_type=ignore_contact_corres_type, campaign_target=campaign_target,
        campaign_response=campaign_response, send_word_docs_as_attmt=send_word_docs_as_attmt,
        language_code_default=language, subject_default=subject,
    )
    changes = SegmentChanges.model_validate({**fields, **template_choice(template, clear_template)})
    with use_case() as ctx:
        header = change_header(
            ctx, segment, changes, update_lines=not no_update_lines,
            create_language_row=not no_create_language_row,
        )
        no = header.no
    console.print(f"Segment {no} changed.", highlight=False)


@app.command("delete")
def delete_command(segment: SegmentNo) -> None:
    """Delete an unlogged segment with its lines, criteria, history and language rows."""
    with use_case() as ctx:
        delete_segment(ctx, segment)
    console.print(f"Deleted segment {segment.upper()}.", highlight=False)
