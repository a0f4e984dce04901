"""``rapport contacts``: list, show, import and export (CSV/XLSX); create, set and delete are
in ``contact_edits``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rapport.cli import contact_duplicates
from rapport.cli.common import console, err_console, use_case
from rapport.errors import ImportValidationError, RowProblem
from rapport.services.contacts import (
    ContactDetail,
    ContactFilter,
    list_contacts,
    show_contact,
)
from rapport.services.contacts.files import export_contacts, import_contacts

# create, set and delete are in contact_edits (the area's second module, see cli/registry.py).
app = typer.Typer(
    help="Contacts: list, show, create, change, delete, import and export (CSV/XLSX).",
    no_args_is_help=True)

SHOWN_PROBLEMS = 50

TypeOpt = Annotated[str | None, typer.Option("--type", metavar="TYPE",
                                             help="Company or Person.")]
CompanyOpt = Annotated[str | None, typer.Option("--company", metavar="CODE", help="A company "
                                                "number: the company and its persons.")]
SearchOpt = Annotated[str | None, typer.Option("--search", metavar="TEXT", help="Text in the "
                                               "name, number, e-mail or city (under 3 "
                                               "characters: the start of the name, number or "
                                               "e-mail).")]


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar on a terminal (nothing otherwise); the import reports
    bytes of the file, shown as a percentage."""
    from rich.progress import (  # only import and export draw a bar; list and show do not
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn(label), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True,
                  disable=not err_console.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


def _print_problems(problems: list[RowProblem]) -> None:
    table = Table("Row", "Column", "Value", "Problem", title="Rejected rows")
    for problem in problems[:SHOWN_PROBLEMS]:
        table.add_row(str(problem.row), problem.column, problem.value, problem.reason)
    err_console.print(table)
    if len(problems) > SHOWN_PROBLEMS:
        err_console.print(f"… and {len(problems) - SHOWN_PROBLEMS} more problems")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx contact file.", exists=True,
                                         dir_okay=False, metavar="FILE")],
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Import the good rows; write the bad ones to a file.")] = False,
    rejected_file: Annotated[Path | None, typer.Option(
        "--rejected-file", metavar="FILE", help="Where --skip-invalid writes the rejected rows "
        "(default FILE.rejected.csv/.xlsx).")] = None,
    encoding: Annotated[str, typer.Option(
        "--encoding", metavar="ENCODING", help="The CSV file's text encoding, e.g. cp1252 for "
        "a file saved by "
        "Excel on Windows (a UTF-8 byte order mark is accepted).")] = "utf-8",
    delimiter: Annotated[str | None, typer.Option(
        "--delimiter", metavar="DELIMITER", help="The CSV file's delimiter: ',', ';' or tab "
        "(default: found from "
        "the header row).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check the file and show what the import would do, changing "
        "nothing (no rejected-rows file either).")] = False,
) -> None:
    """Import companies and persons from a CSV or XLSX file (all or nothing by default)."""
    try:
        with _progress_bar("Importing") as report, use_case() as ctx:
            result = import_contacts(ctx, file, encoding=encoding, delimiter=delimiter,
                                     skip_invalid=skip_invalid, rejected_path=rejected_file,
                                     dry_run=dry_run, progress=report)
    except ImportValidationError as exc:
        _print_problems(exc.problems)
        err_console.print(f"[red]error[/red] [{exc.code}] {escape(exc.message)}",
                          highlight=False, markup=True)
        raise typer.Exit(1) from None
    counts = (f"{result.rows} rows read: {result.inserted} contacts created, "
              f"{result.updated} updated, {result.unchanged} unchanged.")
    console.print(f"Dry run, nothing changed; the import would do this: {counts}"
                  if dry_run else counts)
    contact_duplicates.print_report(result.duplicates)
    if result.rejected_rows:
        _print_problems(result.problems)
        where = (f", written to {escape(str(result.rejected_path))}"
                 if result.rejected_path else "")
        console.print(f"[yellow]{result.rejected_rows} rows rejected[/yellow]{where}",
                      markup=True)


@app.command("export")
def export_file(
    file: Annotated[Path, typer.Argument(help="The file to write (.csv or .xlsx).",
                                         dir_okay=False, metavar="FILE")],
    fmt: Annotated[str | None, typer.Option(
        "--format", metavar="csv|xlsx",
        help="csv or xlsx (default: from the file's extension).")] = None,
    type_: TypeOpt = None,
    company: CompanyOpt = None,
    search: SearchOpt = None,
) -> None:
    """Export contacts to a file in the import format (it re-imports to the same data)."""
    with use_case(readonly=True) as ctx:
        count = export_contacts(ctx, file, fmt=fmt,
                                filt=ContactFilter(type_, company, search))
    console.print(f"{count} contacts written to {file}")


@app.command("list")
def list_command(
    type_: TypeOpt = None,
    company: CompanyOpt = None,
    search: SearchOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=2**31 - 1, metavar="NUMBER",
                                       help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, max=2**31 - 1, metavar="NUMBER",
                                        help="Rows to skip.")] = 0,
) -> None:
    """List contacts, a company followed by its persons."""
    with use_case(readonly=True) as ctx:
        page = list_contacts(ctx, ContactFilter(type_, company, search), limit=limit,
                             offset=offset)
    table = Table("No.", "Type", "Name", "Company", "City", "Salesperson", "E-mail",
                  "Corresp. type")
    for row in page.items:
        company_name = row.company_name if row.type == "Person" else ""
        table.add_row(row.no, row.type, row.name, company_name, row.city,
                      row.salesperson_code or "", row.email, row.correspondence_type)
    console.print(table)
    shown = f"{offset + 1}–{offset + len(page.items)}" if page.items else "none"
    console.print(f"{shown} of {page.total} contacts")


@app.command("show")
def show(no: Annotated[str, typer.Argument(help="Contact number.")]) -> None:
    """Show a contact: fields, company, persons, classifications and usage."""
    with use_case(readonly=True) as ctx:
        detail = show_contact(ctx, no)
    _print_detail(detail)


def _print_detail(detail: ContactDetail) -> None:
    fields = Table("Field", "Value", title=f"Contact {detail.fields['no']}", show_header=False)
    for name, value in detail.fields.items():
        if value not in (None, "", False):
            fields.add_row(name, str(value))
    console.print(fields)
    if detail.company:
        console.print(f"Company: {detail.company[0]} {detail.company[1]}")
    if detail.persons:
        persons = Table("No.", "Name", "Job title", "E-mail", title="Persons")
        for person in detail.persons:
            persons.add_row(*person)
        console.print(persons)
    groups = Table("Classification", "Code", "Description", title="Classifications")
    for label, rows in (("Mailing group", detail.mailing_groups),
                        ("Industry group", detail.industry_groups),
                        ("Job responsibility", detail.job_responsibilities)):
        for code, description in rows:
            groups.add_row(label, code, description)
    for code, description, link in detail.business_relations:
        groups.add_row("Business relation", code, f"{description} {link}".strip())
    for questionnaire, line, answer in detail.profile_answers:
        groups.add_row("Profile", f"{questionnaire} {line}", answer)
    console.print(groups)
    console.print(f"Segment lines: {detail.segment_lines}   "
                  f"Interaction log entries: {detail.interaction_log_entries}")
