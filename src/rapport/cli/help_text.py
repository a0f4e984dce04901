"""Help pages that say what to type: ``--cost AMOUNT``, ``--date YYYY-MM-DD``, not ``<str>``.

Typer's help shows each parameter's Python type (``<str>``, ``<bool>``, ``<list[int]>``) and
offers no setting to show the metavar instead. ``plain_help`` goes once over a command tree as
it is built (the root, and each business area when it loads, see ``cli/registry.py``) and gives
every parameter a rendering of our own: an option shows its metavar — the ones the commands
declare (``AMOUNT``, ``CODE``, ``YYYY-MM-DD``, see ``cli/options.py``) or, if it declares none,
one from its type (``TEXT``, ``NUMBER``, ``FILE``, its choices) — a flag shows nothing beyond
its name, and an argument is shown by its name in capitals (``SEGMENT``, ``ENTRY_NOS``).
tests/e2e/test_cli_help.py reads every help page to keep it so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer.core import TyperArgument, TyperOption

if TYPE_CHECKING:
    from typer._click import Command, Context

#: What a parameter's Python type means to a user.
_TYPES = {"str": "TEXT", "int": "NUMBER", "float": "NUMBER", "Decimal": "AMOUNT",
          "file": "FILE", "path": "PATH", "directory": "FOLDER", "date": "YYYY-MM-DD"}


def what_to_type(shown: str) -> str:
    """A metavar for Typer's type label: ``<str>`` → TEXT, ``<list[int]>`` → NUMBER,
    ``<csv|xlsx>`` → csv|xlsx."""
    label = shown.strip("<>")
    if label.startswith("list[") and label.endswith("]"):
        label = label[len("list["):-1]
    return _TYPES.get(label, label)


def number_range(low: float | None, high: float | None) -> str | None:
    """A number's range in words: "≥ 1" (the 32-bit limit of record numbers goes unsaid),
    "1 to 65535"."""
    if high is not None and high < 2**31 - 1:
        return f"{low if low is not None else '…'} to {high}"
    return f"≥ {low}" if low is not None else None


class _PlainOption(TyperOption):
    """An option shown with its metavar; a flag without any."""

    def display_type_rich(self, ctx: Context) -> str | None:
        if self.is_flag or self.count:
            return None
        return self.metavar or what_to_type(self.display_type(ctx))

    def _get_number_range_help_str(self) -> str | None:
        return None if self.count else number_range(self.min, self.max)


class _PlainArgument(TyperArgument):
    """An argument shown by its name (its metavar); no Python type beside it."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _get_number_range_help_str(self) -> str | None:
        return number_range(self.min, self.max)


def plain_help(command: Command) -> None:
    """Give every parameter of ``command`` and its sub-commands the plain rendering above."""
    from typer._click import Context

    help_option = command.get_help_option(Context(command))  # made on first use, then kept
    for param in [*command.params, *([help_option] if help_option else [])]:
        if isinstance(param, TyperOption):
            param.__class__ = _PlainOption
        elif isinstance(param, TyperArgument):
            param.metavar = param.metavar or (param.name or "value").upper()
            param.__class__ = _PlainArgument
    for sub in getattr(command, "commands", {}).values():
        plain_help(sub)
