"""Asking before a command destroys something: ``--yes``, or a question on a terminal.

Without a terminal (a script, a pipe, a test) there is no one to ask, so a command that would
ask refuses instead and says to add ``--yes``; it never goes ahead unasked.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from rapport.cli.common import err_console


def stdin_is_terminal() -> bool:
    """Whether a question can be asked (tests stand in for a terminal by replacing this)."""
    return sys.stdin.isatty()


def confirmed(question: str, *, yes: bool) -> bool:
    """``--yes``, or the answer to ``question`` on a terminal (default no); without a terminal
    the command ends with status 1, saying to add ``--yes``."""
    if yes:
        return True
    if not stdin_is_terminal():
        err_console.print(f"[red]error[/red] [CONFIRM] {escape(question)} The input is not a "
                          "terminal, so rapport cannot ask: add --yes to go ahead. Nothing was "
                          "changed.", highlight=False, soft_wrap=True, markup=True)
        raise typer.Exit(1)
    return typer.confirm(question, default=False)
