"""How the contact commands show suspected duplicates: a refused ``contacts create``, a warning
after an allowed one, and the list after ``contacts import``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from rapport.cli.common import console, err_console
from rapport.services.contacts import DuplicateContactError, DuplicateReport, SuspectedDuplicate

#: Rows of an import's duplicate list shown (the service reports up to 1,000 of them).
SHOWN_ROWS = 50


def _company(no: str, company_no: str | None, company_name: str) -> str:
    if company_no is None:
        return "(none)"
    return "(itself)" if company_no == no else f"{company_no} {company_name}".strip()


def duplicates_table(duplicates: Sequence[SuspectedDuplicate], title: str) -> Table:
    """The suspects: number, name, company, e-mail and why."""
    table = Table("No.", "Name", "Company", "E-mail", "Why", title=title)
    for d in duplicates:
        table.add_row(d.no, d.name, _company(d.no, d.company_no, d.company_name), d.email,
                      " and ".join(d.reasons))
    return table


def print_refused(exc: DuplicateContactError) -> None:
    """``error [DUPLICATE] …`` (without the list, which follows as a table) and the way out."""
    head = exc.message.split(": ", 1)[0]
    err_console.print(f"[red]error[/red] [{exc.code}] {escape(head)}:", highlight=False,
                      soft_wrap=True, markup=True)
    err_console.print(duplicates_table(exc.duplicates, "Suspected duplicates"))
    err_console.print("Nothing was created. Create it anyway with --allow-duplicate.",
                      highlight=False)


def print_allowed(no: str, duplicates: Sequence[SuspectedDuplicate]) -> None:
    """A warning after a contact was created although it may duplicate others."""
    if not duplicates:
        return
    err_console.print(f"[yellow]warning[/yellow]: {escape(no)} may duplicate "
                      f"{len(duplicates)} contact(s):", highlight=False, markup=True)
    err_console.print(duplicates_table(duplicates, "Suspected duplicates"))


def print_report(report: DuplicateReport) -> None:
    """After an import: the new rows that may duplicate a contact or another row."""
    if not report.total:
        return
    table = Table("Row", "No.", "Name", "Company", "E-mail", "May duplicate",
                  title="Suspected duplicates (imported)")
    for row in report.rows[:SHOWN_ROWS]:
        table.add_row(str(row.row), row.no, row.name, row.company_no or "", row.email,
                      "; ".join(row.matches()))
    console.print(table)
    more = report.total - min(len(report.rows), SHOWN_ROWS)
    tail = f" (the first {SHOWN_ROWS} shown)" if more > 0 else ""
    console.print(f"[yellow]{report.total} imported row(s) may duplicate a contact or another "
                  f"row[/yellow]{tail}; they were imported.", markup=True, highlight=False)
