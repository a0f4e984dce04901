"""``rapport demo``: seed demo data or generate a large contact base.

The root command registers ``demo`` itself, so this module is imported by every ``rapport``
process: the demo services (python-docx) and the progress bar load inside the command.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from rapport.cli.common import console, err_console, mark_saved, use_case, user_id, wiring

MAX_GENERATED = 100_000_000


def register(app: typer.Typer) -> None:
    """Attach the ``demo`` command to the root app."""
    app.command("demo")(demo)


def demo(
    if_empty: Annotated[bool, typer.Option(
        "--if-empty", help="Do nothing (successfully) when the database has contacts.")] = False,
    contacts: Annotated[int | None, typer.Option(
        "--contacts", min=1, max=MAX_GENERATED, metavar="NUMBER", help="Generate this many "
        "contacts (set-based bulk insert) instead of the small demo data set.")] = None,
) -> None:
    """Seed the demo data set into an empty database, or generate N contacts (--contacts N)."""
    if contacts is None:
        _seed(if_empty)
    else:
        _generate(contacts, if_empty)


def _seed(if_empty: bool) -> None:
    from rapport.services.demo import seed_demo

    with use_case() as ctx:
        summary = seed_demo(ctx, if_empty=if_empty)
    if not summary.seeded:
        console.print(f"The database already has data ({summary.existing_contacts} contacts): "
                      "no demo data seeded.")
        return
    console.print(f"Demo data seeded: {summary.companies} companies, {summary.persons} persons, "
                  f"{summary.templates} interaction templates, {summary.campaigns} campaigns, "
                  f"{summary.segments} segments, {summary.logged_segments} logged segments, "
                  f"{summary.interactions} interactions ({summary.postponed} more postponed). "
                  "Log in as user ADMIN.")
    console.print(f"API sign-in (shown this once): user {summary.admin_user}, password "
                  f"{summary.admin_password}", highlight=False)


def _generate(count: int, if_empty: bool) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from rapport.services.demo import generate

    columns = (TextColumn("Generating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    started = time.perf_counter()
    with Progress(*columns, console=err_console, transient=True,
                  disable=not err_console.is_terminal) as bar:
        task = bar.add_task("contacts", total=count)
        result = generate(
            wiring().factory, count, user_id=user_id(), if_empty=if_empty,
            progress=lambda done, total: bar.update(task, completed=done))
        mark_saved()
    if result.existing_contacts:
        console.print(f"The database already has data ({result.existing_contacts} contacts): "
                      "no contacts generated.")
        return
    seconds = time.perf_counter() - started
    console.print(f"{result.count} contacts generated ({result.companies} companies, "
                  f"{result.persons} persons, {result.first_no}…{result.last_no}) in "
                  f"{seconds:.1f} s ({result.count / seconds:,.0f} contacts/s).")
