"""``rapport templates attach|fields|preview``: a template's letters and the merge fields."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import CODE, FILE
from rapport.services import templates
from rapport.services.documents import MERGE_FIELDS, AttachmentUpload

app = typer.Typer(help="Interaction templates' letters: attach, merge fields, merge preview.",
                  no_args_is_help=True)

Template = Annotated[str, typer.Argument(help="Interaction template code.")]
Language = Annotated[str, typer.Option(
    "--language", "-l", metavar=CODE, help="Language row (blank = the blank language).")]
Out = Annotated[Path, typer.Option("--out", "-o", metavar=FILE, dir_okay=False,
                                   help="Where to write the file.")]


@app.command("attach")
def attach_command(
    template: Template,
    file: Annotated[Path | None, typer.Argument(
        metavar="FILE", exists=True, dir_okay=False,
        help="The letter (.docx with merge fields) or other file to attach.")] = None,
    language: Language = "",
    remove: Annotated[bool, typer.Option(help="Remove the language row's attachment.")] = False,
    export: Annotated[Path | None, typer.Option(
        metavar=FILE, dir_okay=False, help="Write the attachment to this file.")] = None,
) -> None:
    """Upload, replace, export or remove the attachment of a template's language row."""
    lang = language or "(blank)"
    if export is not None:
        with use_case(readonly=True) as ctx:
            found = templates.export_template_attachment(ctx, template, language)
        export.write_bytes(found.content)
        console.print(f"Wrote {found.file_name} of {template.upper()} {lang} to {export}")
        return
    if remove:
        with use_case() as ctx:
            templates.remove_template_attachment(ctx, template, language)
        console.print(f"Removed the attachment of {template.upper()} {lang}")
        return
    if file is None:
        raise typer.BadParameter("give a FILE to attach, --export or --remove")
    with use_case() as ctx:
        no = templates.set_template_attachment(
            ctx, template, language, AttachmentUpload(file.name, file.read_bytes()))
    console.print(f"Attached {file.name} to {template.upper()} {lang} as attachment {no}")


@app.command("fields")
def fields_command() -> None:
    """List the merge fields a letter may use (Word: Insert Merge Field)."""
    table = Table("Field", "Caption", "Group")
    for field in MERGE_FIELDS:
        table.add_row(field.name, field.caption, field.group)
    console.print(table)


@app.command("preview")
def preview_command(
    template: Template,
    contact: Annotated[str, typer.Option("--contact", "-c", metavar=CODE,
                                         help="Contact to merge the letter for.")],
    out: Out,
    language: Language = "",
) -> None:
    """Merge a template's letter for one contact into a .docx file."""
    with use_case(readonly=True) as ctx:
        document = templates.template_preview(ctx, template, language, contact)
    out.write_bytes(document.content)
    console.print(f"Merged {template.upper()} for {contact.upper()} into {out} "
                  f"({len(document.content):,} bytes)")
