"""``rapport segments attach|merge-preview``: a segment's letters (added to ``segments``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.common import console, use_case
from rapport.cli.options import CODE, FILE
from rapport.cli.segments import SegmentNo, app
from rapport.services import segments
from rapport.services.documents import AttachmentUpload

LineOption = Annotated[int | None, typer.Option(
    "--line", metavar="LINE", help="A line's own (unique) attachment; default: the header's.")]


@app.command("attach")
def attach_command(
    segment: SegmentNo,
    file: Annotated[Path | None, typer.Argument(
        metavar="FILE", exists=True, dir_okay=False, help="The file to attach.")] = None,
    line: LineOption = None,
    language: Annotated[str, typer.Option("--language", "-l", metavar=CODE,
                                          help="Language row of the header.")] = "",
    remove: Annotated[bool, typer.Option(help="Remove the attachment.")] = False,
    export: Annotated[Path | None, typer.Option(
        metavar=FILE, dir_okay=False, help="Write the header's attachment to this file.")] = None,
) -> None:
    """Upload, replace, export or remove the attachment of a segment header (per language) or
    of one line (unique; without one the line inherits the header's)."""
    where = f"line {line} of {segment.upper()}" if line else f"{segment.upper()}"
    if export is not None:
        with use_case(readonly=True) as ctx:
            found = segments.header_attachment(ctx, segment, language)
        export.write_bytes(found.content)
        console.print(f"Wrote {found.file_name} of {where} to {export}")
        return
    if remove:
        with use_case() as ctx:
            if line:
                segments.remove_line_attachment(ctx, segment, line)
            else:
                segments.remove_header_attachment(ctx, segment, language)
        console.print(f"Removed the attachment of {where}")
        return
    if file is None:
        raise typer.BadParameter("give a FILE to attach, --export or --remove")
    upload = AttachmentUpload(file.name, file.read_bytes())
    with use_case() as ctx:
        if line:
            no = segments.upload_line_attachment(ctx, segment, line, upload)
        else:
            no = segments.set_header_attachment(ctx, segment, language, upload)
    console.print(f"Attached {file.name} to {where} as attachment {no}")


@app.command("merge-preview")
def merge_preview_command(
    segment: SegmentNo,
    line: Annotated[int, typer.Argument(help="Line No. whose contact the letter is for.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=FILE, dir_okay=False,
        help="Where to write the .docx (default: the contact's file name).")] = None,
) -> None:
    """Merge one line's letter for its contact into a .docx file, as delivery would."""
    with use_case(readonly=True) as ctx:
        document = segments.merge_preview(ctx, segment, line)
    target = out or Path(document.file_name)
    target.write_bytes(document.content)
    console.print(f"Merged line {line} of {segment.upper()} into {target} "
                  f"({len(document.content):,} bytes)")
