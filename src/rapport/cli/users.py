"""``rapport users``: accounts for the API, their roles, passwords and personal tokens.

A password is read from ``--password-stdin`` (one line on standard input) or asked for twice
without echo, never taken as an option: options land in the shell history and the process list.
A token is printed once, when it is made; rapport keeps only its hash.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from rapport.cli.common import console, use_case
from rapport.cli.options import CODE, MAX_NUMBER, NUMBER, TEXT
from rapport.services import users as service
from rapport.services.users import AccountChanges, AccountInput

app = typer.Typer(help="API users: create, change, list; personal tokens: make, list, revoke.",
                  no_args_is_help=True)

UserArg = Annotated[str, typer.Argument(metavar="USER", help="User ID (upper-cased).")]
RoleOpt = Annotated[str | None, typer.Option(
    "--role", metavar="ROLE", help="admin (setup, users), marketer (contacts, segments, "
    "interactions) or viewer (read only).")]
StdinOpt = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]
AskOpt = Annotated[bool, typer.Option(
    "--password", help="Ask for a password (twice, not echoed).")]


def _password(stdin: bool, ask: bool) -> str | None:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if ask:
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return None


@app.command("create")
def create(
    user: UserArg,
    role: RoleOpt = None,
    name: Annotated[str, typer.Option("--name", metavar=TEXT, help="Full name.")] = "",
    email: Annotated[str, typer.Option("--email", metavar=TEXT,
                                       help="Authentication e-mail.")] = "",
    salesperson: Annotated[str | None, typer.Option(
        "--salesperson", metavar=CODE, help="Linked salesperson (User Setup).")] = None,
    password_stdin: StdinOpt = False,
    password: AskOpt = False,
) -> None:
    """Create an API user (default role viewer); with a password it can sign in."""
    data = AccountInput(user_id=user, role=role or "viewer", full_name=name,
                        authentication_email=email, salesperson_code=salesperson,
                        password=_password(password_stdin, password))
    with use_case() as ctx:
        account = service.create_user(ctx, data)
    how = "with a password" if account.has_password else "without a password (tokens only)"
    console.print(f"User {account.user_id} created, role {account.role}, {how}",
                  highlight=False)


@app.command("set")
def set_command(
    user: UserArg,
    role: RoleOpt = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="Whether the user may sign in and use tokens.",
        show_default=False)] = None,
    password_stdin: StdinOpt = False,
    password: AskOpt = False,
) -> None:
    """Change a user's role, activity or password."""
    given: dict[str, Any] = {}
    if role is not None:
        given["role"] = role
    if active is not None:
        given["active"] = active
    if password_stdin or password:
        given["password"] = _password(password_stdin, password)
    with use_case() as ctx:
        account = service.update_user(ctx, user, AccountChanges(**given))
    state = "active" if account.active else "inactive"
    console.print(f"User {account.user_id}: role {account.role}, {state}", highlight=False)


@app.command("list")
def list_command() -> None:
    """List users with their roles and tokens."""
    with use_case(readonly=True) as ctx:
        accounts = service.list_accounts(ctx)
        tokens = service.list_tokens(ctx)
    table = Table("User ID", "Role", "Name", "Salesperson", "Active", "Password",
                  "Active tokens")
    for a in accounts:
        live = sum(1 for t in tokens if t.user_id == a.user_id and not t.revoked)
        table.add_row(a.user_id, a.role, a.full_name, a.salesperson_code or "",
                      "yes" if a.active else "no", "yes" if a.has_password else "no", str(live))
    console.print(table)


@app.command("token")
def token(
    user: UserArg,
    name: Annotated[str, typer.Option("--name", metavar=TEXT,
                                      help="What the token is for.")] = "",
    days: Annotated[int, typer.Option(
        "--days", min=0, max=3650, metavar=NUMBER,
        help="Days until it expires (0: never).")] = service.DEFAULT_DAYS,
) -> None:
    """Make a personal API token for a user and print it (this once)."""
    with use_case() as ctx:
        issued = service.issue_token(ctx, user, name=name, days=days or None)
    expires = issued.info.expires_at.date().isoformat() if issued.info.expires_at else "never"
    console.print(f"Token {issued.info.id} for {issued.info.user_id} (expires {expires}); "
                  "shown this once:", highlight=False)
    console.print(issued.token, highlight=False, soft_wrap=True)


@app.command("tokens")
def tokens(user: Annotated[str | None, typer.Argument(
        metavar="USER", help="Only this user's tokens.")] = None) -> None:
    """List tokens (never the tokens themselves): id, user, name, expiry, last use."""
    with use_case(readonly=True) as ctx:
        found = service.list_tokens(ctx, user)
    table = Table("Id", "User ID", "Name", "Starts with", "Expires", "Last used", "Revoked")
    for t in found:
        table.add_row(str(t.id), t.user_id, t.name, t.prefix,
                      t.expires_at.date().isoformat() if t.expires_at else "never",
                      t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "",
                      "yes" if t.revoked else "")
    console.print(table)


@app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(
        metavar="TOKEN_ID", min=1, max=MAX_NUMBER, help="Token id (see users tokens).")]) -> None:
    """Revoke a token: it is refused from now on."""
    with use_case() as ctx:
        info = service.revoke_token(ctx, token_id)
    console.print(f"Token {info.id} of {info.user_id} revoked", highlight=False)
