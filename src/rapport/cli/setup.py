"""``rapport setup``: Marketing setup, number series, salespeople, users and code tables.

Interaction groups, templates and campaigns are in ``setup_templates`` (same ``setup`` app).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from rapport.cli import setup_templates
from rapport.cli.common import console, use_case
from rapport.cli.options import CODE, MAX_NUMBER, NUMBER, TEXT
from rapport.services import setup as codes
from rapport.services import setup as number_series
from rapport.services import setup as setup
from rapport.services.setup import SeriesInput

app = typer.Typer(help="Marketing setup, salespeople, users, templates, campaigns and code tables.",
                  no_args_is_help=True)
series_app = typer.Typer(help="Number series (SEG0001, SEG0002 …).", no_args_is_help=True)
salesperson_app = typer.Typer(help="Salespeople.", no_args_is_help=True)
user_app = typer.Typer(help="Users and their salesperson (User Setup).", no_args_is_help=True)
code_app = typer.Typer(help="Code tables: " + ", ".join(sorted(codes.CODE_TABLES)) + ".",
                       no_args_is_help=True)
app.add_typer(series_app, name="series")
app.add_typer(salesperson_app, name="salesperson")
app.add_typer(user_app, name="user")
app.add_typer(code_app, name="code")
setup_templates.register(app)

TableName = Annotated[str, typer.Argument(
    metavar="TABLE", help="Code table: " + ", ".join(sorted(codes.CODE_TABLES)) + ".")]
Code = Annotated[str, typer.Argument(help="The code (up to 10 characters).")]

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def _table(*columns: str) -> Table:
    return Table(*columns)


@app.command("show")
def show() -> None:
    """Show the marketing setup."""
    with use_case() as ctx:
        values = setup.marketing_setup_fields(ctx)
    table = _table("Field", "Value")
    for key, value in values:
        table.add_row(key, "" if value is None else str(value))
    console.print(table)


def _setup_value(field: str, text: str) -> Any:
    if field.startswith("inherit_"):
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise typer.BadParameter(f"{field} takes true or false, not {text!r}")
        return word in _TRUE
    if field == "mergefield_language_id":
        try:
            number = int(text)
        except ValueError:
            number = -1
        if not 0 <= number <= MAX_NUMBER:
            raise typer.BadParameter(f"{field} takes a whole number from 0 to {MAX_NUMBER}, "
                                     f"not {text!r}")
        return number
    return text


@app.command("set")
def set_fields(
    assignments: Annotated[list[str], typer.Argument(
        metavar="FIELD=VALUE", help="FIELD=VALUE pairs, e.g. segment_nos=SEG inherit_address=false "
             "default_correspondence_type=Email (empty value = blank).")],
) -> None:
    """Change marketing setup fields."""
    changes: dict[str, Any] = {}
    for item in assignments:
        field, sep, text = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r} is not FIELD=VALUE")
        key = field.strip().lower().replace("-", "_")
        changes[key] = _setup_value(key, text)
    data = setup.MarketingSetupChanges.model_validate(changes)
    with use_case() as ctx:
        setup.update_marketing_setup(ctx, data)
    console.print(f"Marketing setup updated: {', '.join(changes)}")


# --- Number series --------------------------------------------------------------------------


@series_app.command("add")
def series_add(
    code: Annotated[str, typer.Argument(help="Code of the number series, e.g. SEG.")],
    start: Annotated[str, typer.Option(
        "--start", metavar=CODE, help="Starting No., e.g. SEG0001.")],
    end: Annotated[str | None, typer.Option(
        "--end", metavar=CODE, help="Ending No. (default: no end).")] = None,
    increment: Annotated[int, typer.Option(
        "--increment", min=1, max=MAX_NUMBER, metavar=NUMBER, help="Increment-by No.")] = 1,
    manual: Annotated[bool, typer.Option("--manual", help="Allow manual numbers.")] = False,
    description: Annotated[str, typer.Option(
        "--description", "-d", metavar=TEXT, help="Description of the series.")] = "",
) -> None:
    """Create a number series."""
    data = SeriesInput(code=code, description=description, starting_no=start, ending_no=end,
                       increment_by=increment, manual_nos=manual)
    with use_case() as ctx:
        series = number_series.create_number_series(ctx, data)
    console.print(f"Number series {series.code} created (starts at {series.starting_no})")


@series_app.command("list")
def series_list() -> None:
    """List number series with their last number used."""
    with use_case() as ctx:
        rows = number_series.list_number_series(ctx)
    table = _table("Code", "Description", "Starting No.", "Ending No.", "Last No. Used",
                   "Manual")
    for s in rows:
        table.add_row(s.code, s.description, s.starting_no, s.ending_no or "",
                      s.last_no_used or "", "yes" if s.manual_nos else "")
    console.print(table)


# --- Salespeople and users ------------------------------------------------------------------


@salesperson_app.command("add")
def salesperson_add(
    code: Annotated[str, typer.Argument(help="Salesperson code, e.g. JL.")],
    name: Annotated[str, typer.Option("--name", metavar=TEXT, help="Name.")] = "",
    email: Annotated[str, typer.Option("--email", metavar=TEXT, help="E-mail address.")] = "",
    job_title: Annotated[str, typer.Option(
        "--job-title", metavar=TEXT, help="Job title.")] = "",
    phone: Annotated[str, typer.Option("--phone", metavar=TEXT, help="Phone No.")] = "",
) -> None:
    """Create a salesperson."""
    data = setup.SalespersonInput(code=code, name=name, email=email, job_title=job_title,
                                  phone_no=phone)
    with use_case() as ctx:
        person = setup.create_salesperson(ctx, data)
    console.print(f"Salesperson {person.code} created")


@salesperson_app.command("list")
def salesperson_list(
    active: Annotated[bool, typer.Option("--active", help="Only those not blocked.")] = False,
) -> None:
    """List salespeople."""
    with use_case() as ctx:
        rows = setup.list_salespeople(ctx, include_blocked=not active)
    table = _table("Code", "Name", "Job Title", "E-Mail", "Blocked")
    for p in rows:
        table.add_row(p.code, p.name, p.job_title, p.email, "yes" if p.blocked else "")
    console.print(table)


@salesperson_app.command("block")
def salesperson_block(
    code: Annotated[str, typer.Argument(help="Salesperson code.")],
    unblock: Annotated[bool, typer.Option("--unblock", help="Remove the block.")] = False,
) -> None:
    """Block a salesperson (or unblock with --unblock)."""
    with use_case() as ctx:
        person = setup.set_salesperson_blocked(ctx, code, not unblock)
    console.print(f"Salesperson {person.code} {'blocked' if person.blocked else 'unblocked'}")


@user_app.command("link")
def user_link(
    user_id: Annotated[str, typer.Argument(metavar="USER", help="User id, e.g. U1.")],
    salesperson: Annotated[str | None, typer.Argument(
        help="Salesperson code (omit to remove the link).")] = None,
    name: Annotated[str | None, typer.Option("--name", metavar=TEXT, help="Full name.")] = None,
    email: Annotated[str | None, typer.Option(
        "--email", metavar=TEXT, help="Authentication e-mail.")] = None,
) -> None:
    """Link a user to a salesperson (creates the user when new)."""
    given = {"full_name": name, "authentication_email": email}
    data = setup.UserChanges(salesperson_code=salesperson,
                             **{k: v for k, v in given.items() if v is not None})
    with use_case() as ctx:
        user = setup.link_user(ctx, user_id, data)
    console.print(f"User {user.user_id} → salesperson {user.salesperson_code or '(none)'}")


@user_app.command("list")
def user_list() -> None:
    """List users and their salespeople."""
    with use_case() as ctx:
        rows = setup.list_users(ctx)
    table = _table("User", "Name", "Salesperson")
    for u in rows:
        table.add_row(u.user_id, u.full_name, u.salesperson_code or "")
    console.print(table)


# --- Code tables ------------------------------------------------------------------------------


@code_app.command("add")
def code_add(
    table: TableName, code: Code,
    description: Annotated[str, typer.Argument(help="Description (or name).")] = "",
) -> None:
    """Add a code to a table, e.g. code add mailing-group NEWS "Newsletter"."""
    with use_case() as ctx:
        row = codes.create_code(ctx, table, codes.CodeInput(code=code, description=description))
    console.print(f"{codes.code_table(table).caption} {row.code} created")


@code_app.command("list")
def code_list(table: TableName) -> None:
    """List the codes of a table."""
    with use_case() as ctx:
        rows = codes.list_codes(ctx, table)
    out = _table("Code", "Description")
    for code, text in rows:
        out.add_row(code, text)
    console.print(out)


@code_app.command("delete")
def code_delete(table: TableName, code: Code) -> None:
    """Delete a code nothing refers to."""
    with use_case() as ctx:
        codes.delete_code(ctx, table, code)
    console.print(f"{codes.code_table(table).caption} {code.upper()} deleted")
