"""``rapport setup group|template|campaign``: interaction groups, templates and campaigns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import (
    AMOUNT,
    CODE,
    DATE,
    FILE,
    MINUTES,
    TEXT,
    amount_option,
    blank_or,
    captions,
    choice,
    date_option,
    minutes_option,
)
from rapport.domain.enums import CorrespondenceType, InformationFlow, InitiatedBy, WizardAction
from rapport.services import campaigns as campaigns
from rapport.services import templates as template_languages
from rapport.services import templates as templates
from rapport.services.campaigns import CampaignInput
from rapport.services.templates import AttachmentUpload, TemplateInput

group_app = typer.Typer(help="Interaction groups.", no_args_is_help=True)
template_app = typer.Typer(help="Interaction templates and their language rows.",
                           no_args_is_help=True)
campaign_app = typer.Typer(help="Campaigns.", no_args_is_help=True)

AttachmentFile = Annotated[Path | None, typer.Option(
    "--attachment", metavar=FILE, exists=True, dir_okay=False,
    help="File to attach (stored in the database).")]
Code = Annotated[str, typer.Argument(help="The code (up to 10 characters).")]
Description = Annotated[str, typer.Option(
    "--description", "-d", metavar=TEXT, help="Description.")]
WordTemplate = Annotated[str | None, typer.Option(
    "--word-template", metavar=CODE, help="Word template code.")]


def register(app: typer.Typer) -> None:
    """Attach the group, template and campaign commands to ``rapport setup``."""
    app.add_typer(group_app, name="group")
    app.add_typer(template_app, name="template")
    app.add_typer(campaign_app, name="campaign")


@group_app.command("add")
def group_add(
    code: Code, description: Annotated[str, typer.Argument(help="Description.")] = "",
) -> None:
    """Create an interaction group."""
    with use_case() as ctx:
        group = templates.create_interaction_group(
            ctx, templates.GroupInput(code=code, description=description))
    console.print(f"Interaction group {group.code} created")


@group_app.command("list")
def group_list() -> None:
    """List interaction groups."""
    with use_case() as ctx:
        rows = templates.list_interaction_groups(ctx)
    table = Table("Code", "Description")
    for g in rows:
        table.add_row(g.code, g.description)
    console.print(table)


@group_app.command("delete")
def group_delete(code: Code) -> None:
    """Delete an interaction group nothing uses."""
    with use_case() as ctx:
        templates.delete_interaction_group(ctx, code)
    console.print(f"Interaction group {code.upper()} deleted")


@template_app.command("add")
def template_add(
    code: Code,
    group: Annotated[str, typer.Option(
        "--group", "-g", metavar=CODE, help="Interaction group (required).")],
    description: Description = "",
    cost: Annotated[str, typer.Option(
        "--cost", metavar=AMOUNT, help="Unit cost (LCY): ≥ 0 with at most 2 decimals.")] = "0",
    duration: Annotated[str, typer.Option(
        "--duration", metavar=MINUTES, help="Unit duration in whole minutes ≥ 0.")] = "0",
    flow: Annotated[str, typer.Option(
        "--flow", metavar="FLOW", help=f"Information flow: {captions(InformationFlow)}.")] = "",
    initiated_by: Annotated[str, typer.Option(
        "--initiated-by", metavar="WHO", help=f"{captions(InitiatedBy)}.")] = "",
    correspondence: Annotated[str, typer.Option(
        "--correspondence-type", metavar="TYPE",
        help=f"{captions(CorrespondenceType)}.")] = "Email",
    ignore_contact_type: Annotated[bool, typer.Option(
        "--ignore-contact-type", help="The template's type wins over the contact's.")] = False,
    language: Annotated[str, typer.Option(
        "--language", metavar=CODE, help="Default language code.")] = "",
    wizard_action: Annotated[str, typer.Option(
        "--wizard-action", metavar="ACTION", help=f"{captions(WizardAction)}.")] = "",
    word_template: WordTemplate = None,
    campaign: Annotated[str | None, typer.Option(
        "--campaign", metavar=CODE, help="Default campaign No.")] = None,
    no_language_row: Annotated[bool, typer.Option(
        "--no-create-language-row",
        help="Refuse a default language without its language row instead of creating it.")
    ] = False,
) -> None:
    """Create an interaction template."""
    data = TemplateInput(
        code=code, interaction_group_code=group, description=description,
        unit_cost=amount_option(cost, "--cost"),
        unit_duration=minutes_option(duration, "--duration"),
        information_flow=choice(InformationFlow, flow, "--flow"),
        initiated_by=choice(InitiatedBy, initiated_by, "--initiated-by"),
        correspondence_type_default=choice(
            CorrespondenceType, correspondence, "--correspondence-type"),
        ignore_contact_corres_type=ignore_contact_type, language_code_default=language,
        wizard_action=choice(WizardAction, wizard_action, "--wizard-action"),
        word_template_code=word_template,
        campaign_no=campaign)
    with use_case() as ctx:
        template = templates.create_interaction_template(
            ctx, data, create_language_row=not no_language_row)
    console.print(f"Interaction template {template.code} created")


@template_app.command("list")
def template_list(
    group: Annotated[str | None, typer.Option(
        "--group", "-g", metavar=CODE, help="Only the templates of this interaction group.")
    ] = None,
) -> None:
    """List interaction templates."""
    with use_case() as ctx:
        rows = templates.list_interaction_templates(ctx, group=group)
    table = Table("Code", "Group", "Description", "Cost", "Min.", "Type", "Language", "Wizard",
                  "Word template")
    for t in rows:
        table.add_row(t.code, t.interaction_group_code, t.description, str(t.unit_cost),
                      str(t.unit_duration), t.correspondence_type_default,
                      t.language_code_default, t.wizard_action, t.word_template_code or "")
    console.print(table)


@template_app.command("language")
def template_language(
    template: Annotated[str, typer.Argument(help="Interaction template code.")],
    language: Annotated[str, typer.Argument(help="Language code ('' or none = blank).")] = "",
    attachment: AttachmentFile = None,
    description: Annotated[str | None, typer.Option(
        "--description", "-d", metavar=TEXT, help="Description of the language row.")] = None,
    word_template: WordTemplate = None,
) -> None:
    """Add a language row to a template, or replace its attachment when the row exists."""
    lang = blank_or(language)
    upload = (AttachmentUpload(attachment.name, attachment.read_bytes())
              if attachment is not None else None)
    given = {"description": description, "word_template_code": word_template}
    changes = template_languages.TemplateLanguageChanges(
        **{k: v for k, v in given.items() if v is not None})
    with use_case() as ctx:
        template_languages.save_template_language(ctx, template, lang, changes, attachment=upload)
    shown = f" with attachment {attachment.name}" if attachment else ""
    console.print(f"Language {lang.upper() or '(blank)'} of template {template.upper()} "
                  f"saved{shown}")


@template_app.command("delete")
def template_delete(code: Code) -> None:
    """Delete a template no interaction or segment uses, with its languages and attachments."""
    with use_case() as ctx:
        templates.delete_interaction_template(ctx, code)
    console.print(f"Interaction template {code.upper()} deleted")


def _date(text: str | None, option: str) -> dt.date | None:
    return date_option(text, option)


@campaign_app.command("add")
def campaign_add(
    no: Annotated[str | None, typer.Option(
        "--no", metavar=CODE, help="Number (default: the next of Campaign Nos.).")] = None,
    description: Description = "",
    start: Annotated[str | None, typer.Option(
        "--start", metavar=DATE, help="Starting date.")] = None,
    end: Annotated[str | None, typer.Option("--end", metavar=DATE, help="Ending date.")] = None,
    salesperson: Annotated[str | None, typer.Option(
        "--salesperson", metavar=CODE, help="Salesperson code.")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", metavar=CODE, help="Campaign status code.")] = None,
    activated: Annotated[bool, typer.Option(
        "--activated", help="The campaign is activated.")] = False,
) -> None:
    """Create a campaign."""
    data = CampaignInput(no=no, description=description, starting_date=_date(start, "--start"),
                         ending_date=_date(end, "--end"), salesperson_code=salesperson,
                         status_code=status, activated=activated)
    with use_case() as ctx:
        campaign = campaigns.create_campaign(ctx, data)
    console.print(f"Campaign {campaign.no} created")


@campaign_app.command("list")
def campaign_list() -> None:
    """List campaigns."""
    with use_case() as ctx:
        rows = campaigns.list_campaigns(ctx)
    table = Table("No.", "Description", "Starting", "Ending", "Salesperson", "Status",
                  "Activated")
    for c in rows:
        table.add_row(c.no, c.description, str(c.starting_date or ""), str(c.ending_date or ""),
                      c.salesperson_code or "", c.status_code or "",
                      "yes" if c.activated else "")
    console.print(table)
