"""``rapport segments export``: a segment's lines with their contact data, to CSV or XLSX.

A module of its own (see ``cli.registry``): only this command loads the export and the contact
files' writer behind it (``rapport.services.segments.files``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.common import console, use_case
from rapport.cli.options import FILE
from rapport.cli.segments import SegmentNo, app
from rapport.services.segments.files import export_segment

__all__ = ["app"]


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("export")
def export_command(
    segment: SegmentNo,
    path: Annotated[Path, typer.Argument(
        metavar=FILE, help="File to write (.csv or .xlsx).", dir_okay=False)],
    fmt: Annotated[ExportFormat | None, typer.Option(
        "--format", metavar="csv|xlsx", help="csv or xlsx (default: from the file name).")] = None,
) -> None:
    """Export the segment's contacts (one row per line) to CSV or XLSX."""
    with use_case(readonly=True) as ctx:
        rows = export_segment(ctx, segment, path, fmt=fmt.value if fmt else None)
    console.print(f"Exported {rows} line(s) of segment {segment.upper()} to {path}.",
                  highlight=False)
