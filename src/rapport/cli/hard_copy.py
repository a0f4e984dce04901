"""The hard copy of a logged segment, shared by ``rapport logged-segments hard-copy`` and by
``rapport segments log`` (after its commit): letters merged, rendered to PDF by LibreOffice (or
bundled as .docx without it, saying why), one ZIP written to a folder, a progress bar on a
terminal while LibreOffice renders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rapport.cli.common import console, use_case, wiring
from rapport.services.documents import HardCopy, deliver_hard_copy

__all__ = ["make_hard_copy", "rendering_bar"]


@contextmanager
def rendering_bar() -> Iterator[Progress]:
    """A bar for the letters LibreOffice renders (drawn on a terminal only)."""
    columns = (TextColumn("rendering letters"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        yield bar


def make_hard_copy(segment: str, out: Path) -> HardCopy:
    """Deliver the segment's waiting hard copies into ``out``/Segment NO.zip and say so.

    The folder is made first and the ZIP written before the delivery is recorded: a folder or
    a disk that fails leaves the letters waiting for the next run."""
    out.mkdir(parents=True, exist_ok=True)
    rapport = wiring()
    try:
        with rendering_bar() as bar:
            task = bar.add_task("render", total=None)
            result = deliver_hard_copy(
                use_case, rapport.renderer, segment, workers=rapport.settings.pdf_workers,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                keep=lambda made: _write(out, made))
    finally:
        rapport.close_renderer()  # LibreOffice's profiles are not left in the temp folder
    _print(segment, out, result)
    return result


def _write(out: Path, result: HardCopy) -> None:
    if result.delivered:
        (out / result.zip_name).write_bytes(result.content)


def _print(segment: str, out: Path, result: HardCopy) -> None:
    if result.note:
        console.print(result.note, highlight=False)
    for entry_no, reason in sorted(result.errors.items()):
        console.print(f"Entry {entry_no}: {reason}", highlight=False)
    if not result.delivered:
        console.print(f"No hard copy of segment {segment.upper()} was waiting for delivery"
                      if not result.errors else "No letter was delivered", highlight=False)
        return
    target = out / result.zip_name
    kind = "PDF" if not result.note else ".docx"
    console.print(f"Wrote {target}: {len(result.delivered)} letter(s) as {kind}, "
                  f"{len(result.errors)} error(s)", highlight=False)
