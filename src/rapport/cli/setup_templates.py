"""``rapport setup group|template|campaign``: interaction groups, templates and campaigns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import blank_or, choice
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
    "--attachment", exists=True, dir_okay=False, help="File to attach (stored in the database).")]


def register(app: typer.Typer) -> None:
    """Attach the group, template and campaign commands to ``rapport setup``."""
    app.add_typer(group_app, name="group")
    app.add_typer(template_app, name="template")
    app.add_typer(campaign_app, name="campaign")


@group_app.command("add")
def group_add(
    code: str, description: Annotated[str, typer.Argument(help="Description.")] = "",
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
def group_delete(code: str) -> None:
    """Delete an interaction group nothing uses."""
    with use_case() as ctx:
        templates.delete_interaction_group(ctx, code)
    console.print(f"Interaction group {code.upper()} deleted")


@template_app.command("add")
def template_add(
    code: str,
    group: Annotated[str, typer.Option("--group", "-g", help="Interaction group (required).")],
    description: Annotated[str, typer.Option("--description", "-d")] = "",
    cost: Annotated[str, typer.Option("--cost", help="Unit cost (LCY).")] = "0",
    duration: Annotated[int, typer.Option("--duration", help="Unit duration, minutes.")] = 0,
    flow: Annotated[str, typer.Option("--flow", help="Outbound, Inbound or none.")] = "",
    initiated_by: Annotated[str, typer.Option("--initiated-by", help="Us, Them or none.")] = "",
    correspondence: Annotated[str, typer.Option(
        "--correspondence-type", help="Email (default), Hard Copy or none.")] = "Email",
    ignore_contact_type: Annotated[bool, typer.Option(
        "--ignore-contact-type", help="The template's type wins over the contact's.")] = False,
    language: Annotated[str, typer.Option("--language", help="Default language code.")] = "",
    wizard_action: Annotated[str, typer.Option(
        "--wizard-action", help="Open, Import, Merge or none.")] = "",
    word_template: Annotated[str | None, typer.Option("--word-template")] = None,
    campaign: Annotated[str | None, typer.Option("--campaign")] = None,
    no_language_row: Annotated[bool, typer.Option(
        "--no-create-language-row",
        help="Refuse (E27) instead of creating the default language's row.")] = False,
) -> None:
    """Create an interaction template."""
    try:
        unit_cost = Decimal(cost)
    except InvalidOperation:
        raise typer.BadParameter(f"{cost!r} is not an amount", param_hint="--cost") from None
    data = TemplateInput(
        code=code, interaction_group_code=group, description=description, unit_cost=unit_cost,
        unit_duration=duration, information_flow=choice(InformationFlow, flow, "--flow"),
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
    group: Annotated[str | None, typer.Option("--group", "-g")] = None,
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
    template: str,
    language: Annotated[str, typer.Argument(help="Language code ('' or none = blank).")] = "",
    attachment: AttachmentFile = None,
    description: Annotated[str | None, typer.Option("--description", "-d")] = None,
    word_template: Annotated[str | None, typer.Option("--word-template")] = None,
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
def template_delete(code: str) -> None:
    """Delete a template no interaction or segment uses, with its languages and attachments."""
    with use_case() as ctx:
        templates.delete_interaction_template(ctx, code)
    console.print(f"Interaction template {code.upper()} deleted")


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD",
                                 param_hint=option) from None


@campaign_app.command("add")
def campaign_add(
    no: Annotated[str | None, typer.Option("--no", help="Number (default: Campaign Nos.).")] = None,
    description: Annotated[str, typer.Option("--description", "-d")] = "",
    start: Annotated[str | None, typer.Option("--start", help="Starting date.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Ending date.")] = None,
    salesperson: Annotated[str | None, typer.Option("--salesperson")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Campaign status code.")] = None,
    activated: Annotated[bool, typer.Option("--activated")] = False,
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
