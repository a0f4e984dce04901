"""Criteria commands added to ``rapport segments``: add, reduce, refine, preview, undo, save/reuse.

Filters are given as ``--filter SECTION.FIELD=EXPRESSION`` (repeatable), e.g.
``--filter "Mailing Group.code=NEWS" --filter contact.type=Company``; each is only split into
its three texts here (``filter_texts``) and handed to the verb, which resolves and checks them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from rapport.cli import filter_fields
from rapport.cli.common import console, use_case
from rapport.cli.options import MAX_NUMBER, TEXT
from rapport.cli.segments import app, print_steps
from rapport.domain.criteria import ActionOptions
from rapport.domain.enums import CriteriaAction
from rapport.services import criteria as saved
from rapport.services.criteria import (
    add_contacts,
    filter_texts,
    go_back,
    preview,
    reduce_contacts,
    refine_contacts,
    reset_criteria,
    reuse_logged_segment,
)
from rapport.services.segments import action_count

__all__ = ["app"]

Segment = Annotated[str, typer.Argument(help="Segment No., e.g. SEG00001.")]
Filters = Annotated[
    list[str] | None,
    typer.Option(
        "--filter",
        "-f",
        metavar="SECTION.FIELD=EXPRESSION",
        help='A filter, repeatable, e.g. "Mailing Group.code=NEWS" or contact.type=Company '
        "(`rapport filter-fields` lists the sections and fields).",
    ),
]
Expand = Annotated[
    bool, typer.Option("--expand-companies", help="Add every contact of each matched company.")
]
Related = Annotated[
    bool, typer.Option("--allow-related-companies", help="Also add the companies of persons.")
]
IgnoreExclusion = Annotated[
    bool, typer.Option("--ignore-exclusion", help="Add contacts marked Exclude from Segment too.")
]
AllowExisting = Annotated[
    bool, typer.Option("--allow-existing", help="Add contacts already in the segment again.")
]
Entire = Annotated[
    bool,
    typer.Option("--entire-companies", help="Test every contact of each line contact's company."),
]
Append = Annotated[
    bool, typer.Option("--append", help="Allowed even if the segment already has criteria.")
]


class PreviewAction(StrEnum):
    add = "add"
    reduce = "reduce"
    refine = "refine"


_ACTIONS = {
    PreviewAction.add: CriteriaAction.ADD,
    PreviewAction.reduce: CriteriaAction.REDUCE,
    PreviewAction.refine: CriteriaAction.REFINE,
}


@app.command("add")
def add_command(
    segment: Segment,
    filter: Filters = None,
    expand_companies: Expand = False,
    allow_related_companies: Related = False,
    ignore_exclusion: IgnoreExclusion = False,
    allow_existing: AllowExisting = False,
) -> None:
    """Add Contacts: add every contact that passes the filters to the segment."""
    filters = filter_texts(filter or [])
    with use_case() as ctx:
        result = add_contacts(
            ctx,
            segment,
            filters,
            expand_companies=expand_companies,
            allow_related_companies=allow_related_companies,
            ignore_exclusion=ignore_exclusion,
            allow_existing=allow_existing,
        )
    console.print(f"Added {result.added} line(s) to segment {segment.upper()}.")
    if result.skipped_privacy:
        console.print(f"Left out {result.skipped_privacy} privacy-blocked contact(s).")
    console.print(f"No. of Criteria Actions: {result.no_of_criteria_actions}")


def _remove(segment: str, action: CriteriaAction, filter: list[str] | None, entire: bool) -> None:
    filters = filter_texts(filter or [])
    verb = reduce_contacts if action is CriteriaAction.REDUCE else refine_contacts
    with use_case() as ctx:
        removed = verb(ctx, segment, filters, entire_companies=entire)
        actions = action_count(ctx.session, segment.upper())
    console.print(f"Removed {removed} line(s) from segment {segment.upper()}.")
    console.print(f"No. of Criteria Actions: {actions}")


@app.command("reduce")
def reduce_command(
    segment: Segment, filter: Filters = None, entire_companies: Entire = False
) -> None:
    """Reduce: remove the lines whose contact passes the filters."""
    _remove(segment, CriteriaAction.REDUCE, filter, entire_companies)


@app.command("refine")
def refine_command(
    segment: Segment, filter: Filters = None, entire_companies: Entire = False
) -> None:
    """Refine: keep only the lines whose contact passes the filters."""
    _remove(segment, CriteriaAction.REFINE, filter, entire_companies)


@app.command("preview")
def preview_command(
    segment: Segment,
    action: Annotated[PreviewAction, typer.Option(
        "--action", metavar="add|reduce|refine", help="The step to preview.")],
    filter: Filters = None,
    expand_companies: Expand = False,
    allow_related_companies: Related = False,
    ignore_exclusion: IgnoreExclusion = False,
    allow_existing: AllowExisting = False,
    entire_companies: Entire = False,
) -> None:
    """Count how many lines a step would add or remove, without changing anything."""
    options = ActionOptions(
        allow_existing_contacts=allow_existing,
        expand_contact=expand_companies,
        allow_company_with_persons=allow_related_companies,
        ignore_exclusion=ignore_exclusion,
        entire_companies=entire_companies,
    )
    filters = filter_texts(filter or [])
    with use_case(readonly=True) as ctx:
        count = preview(ctx, segment, _ACTIONS[action], filters, options)
    verb = "add" if action is PreviewAction.add else "remove"
    console.print(f"{action.value.capitalize()} would {verb} {count} line(s).")


@app.command("undo")
def undo_command(segment: Segment) -> None:
    """Go Back: undo the segment's last criteria action exactly."""
    with use_case() as ctx:
        remaining = go_back(ctx, segment.upper())
    console.print(f"Undid the last criteria action of segment {segment.upper()}.")
    console.print(f"No. of Criteria Actions: {remaining}")


@app.command("reset-criteria")
def reset_criteria_command(segment: Segment) -> None:
    """Forget the criteria log and undo journal of a segment (its lines stay)."""
    with use_case() as ctx:
        dropped = reset_criteria(ctx, segment.upper())
    console.print(f"Reset {dropped} criteria action(s) of segment {segment.upper()}.")
    console.print("No. of Criteria Actions: 0")


@app.command("save-criteria")
def save_criteria_command(
    segment: Segment,
    code: Annotated[str, typer.Argument(help="Code of the new saved criteria (max 10).")],
    description: Annotated[str, typer.Option(
        "--description", "-d", metavar=TEXT, help="Description of the saved criteria.")] = "",
) -> None:
    """Save the segment's criteria actions under a new code."""
    with use_case() as ctx:
        count = saved.save_criteria(ctx, segment, code, description)
    console.print(
        f"Saved {count} criteria action(s) of segment {segment.upper()} as {code.upper()}."
    )


@app.command("reuse-criteria")
def reuse_criteria_command(
    segment: Segment,
    code: Annotated[str, typer.Argument(help="Code of the saved criteria.")],
    append: Append = False,
) -> None:
    """Replay a saved criteria's actions on the segment, one criteria action each."""
    with use_case() as ctx:
        result = saved.reuse_criteria(ctx, segment, code, append=append)
    console.print(
        f"Replayed {result.actions_replayed} action(s): added {result.lines_added}, "
        f"removed {result.lines_removed} line(s)."
    )
    console.print(f"No. of Criteria Actions: {result.no_of_criteria_actions}")


@app.command("reuse-logged")
def reuse_logged_command(
    segment: Segment,
    entry_no: Annotated[int, typer.Argument(
        min=1, max=MAX_NUMBER, help="Entry No. of the logged segment.")],
    append: Append = False,
    ignore_exclusion: IgnoreExclusion = False,
) -> None:
    """Reuse Segment: one line per interaction of a logged segment, with its campaign."""
    with use_case() as ctx:
        added = reuse_logged_segment(
            ctx, segment, entry_no, append=append, ignore_exclusion=ignore_exclusion
        )
        actions = action_count(ctx.session, segment.upper())
    console.print(f"Added {added} line(s) from logged segment {entry_no} to {segment.upper()}.")
    console.print(f"No. of Criteria Actions: {actions}")


@app.command("criteria")
def criteria_command(segment: Segment) -> None:
    """Show the segment's criteria actions with their options and filters."""
    with use_case(readonly=True) as ctx:
        steps = saved.segment_criteria(ctx, segment)
    console.print(f"Segment {segment.upper()}: {len(steps)} criteria action(s)")
    print_steps(steps)


filter_fields.register(app)  # also `rapport filter-fields`

saved_app = typer.Typer(help="Saved segment criteria: list, show, delete.", no_args_is_help=True)
app.add_typer(saved_app, name="saved-criteria")


@saved_app.command("list")
def saved_list_command() -> None:
    """List every saved criteria."""
    with use_case(readonly=True) as ctx:
        items = saved.list_saved_criteria(ctx)
    table = Table("Code", "Description", "User ID", "No. of Actions")
    for item in items:
        table.add_row(item.code, item.description, item.user_id, str(item.no_of_actions))
    console.print(table)


@saved_app.command("show")
def saved_show_command(code: Annotated[str, typer.Argument(help="Saved criteria code.")]) -> None:
    """Show a saved criteria's actions and filters."""
    with use_case(readonly=True) as ctx:
        detail = saved.show_saved_criteria(ctx, code)
    console.print(f"{detail.info.code} {detail.info.description} (saved by {detail.info.user_id})")
    print_steps(detail.steps)


@saved_app.command("delete")
def saved_delete_command(code: Annotated[str, typer.Argument(help="Saved criteria code.")]) -> None:
    """Delete a saved criteria."""
    with use_case() as ctx:
        saved.delete_saved_criteria(ctx, code)
    console.print(f"Deleted saved criteria {code.upper()}.")
