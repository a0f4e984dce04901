"""Which sub-apps make up the ``rapport`` CLI, and loading each one only when it is used.

Every business area's commands live in their own modules, which import that area's services,
SQLAlchemy and rich tables. Importing all of them costs most of a second, so the root command
knows each area only by its name and its one-line help (below) and imports the area's modules
when that area is invoked (``rapport segments …``, ``rapport segments --help``). ``rapport
--help`` lists every area from this table without importing any of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup
from typer.main import get_group_from_info
from typer.models import TyperInfo

from rapport.cli.help_text import plain_help

if TYPE_CHECKING:  # the click classes Typer builds on (Typer bundles its own click)
    from typer._click import Command, Context


@dataclass(frozen=True)
class Area:
    """A sub-app: its name, its one-line help and the modules that build it.

    The first module defines ``app``; the others add their commands to it when imported.
    The help must equal that ``app``'s help (tests/e2e/test_cli_registry.py checks it).
    """

    name: str
    help: str
    modules: tuple[str, ...]


AREAS = (
    Area("setup", "Marketing setup, salespeople, users, templates, campaigns and code tables.",
         ("rapport.cli.setup", "rapport.cli.setup_campaigns")),
    Area("contacts", "Contacts: list, show, create, change, delete, import and export (CSV/XLSX).",
         ("rapport.cli.contacts", "rapport.cli.contact_edits")),
    Area("segments", "Segments: build target groups, undo, save and reuse criteria, log.",
         ("rapport.cli.segments", "rapport.cli.segment_criteria", "rapport.cli.segment_lines",
          "rapport.cli.segment_log", "rapport.cli.segment_letters")),
    Area("templates", "Interaction templates' letters: attach, merge fields, merge preview.",
         ("rapport.cli.templates",)),
    Area("logged-segments", "Logged segments: list, cancel, un-cancel, delete canceled, "
         "hard copy.",
         ("rapport.cli.logged_segments",)),
    Area("interactions", "Interaction log entries: list, create, finish, postpone, resume, "
         "cancel, evaluate, statistics.",
         ("rapport.cli.interactions", "rapport.cli.interaction_drafts",
          "rapport.cli.interaction_resend")),
    Area("delivery", "E-mail delivery: send the outbox, show its state, settle unknown "
         "messages.", ("rapport.cli.delivery",)),
    Area("campaign-entries", "Campaign entries: list, cancel, un-cancel, delete canceled.",
         ("rapport.cli.campaign_entries",)),
)
BY_NAME = {area.name: area for area in AREAS}


def area_app(area: Area) -> typer.Typer:
    """The area's Typer app with all its commands (imports the area's modules)."""
    modules = [importlib.import_module(name) for name in area.modules]
    app = modules[0].app
    if not isinstance(app, typer.Typer):
        raise TypeError(f"{area.modules[0]}.app is not a Typer app")
    return app


class _Unloaded(TyperGroup):
    """Stands for an area in the root's command list until the area is invoked (help only)."""


class AreaGroup(TyperGroup):
    """The root command: the areas of ``AREAS`` are loaded when invoked, listed without loading."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        plain_help(self)  # the root's options and commands; each area's when it loads
        for area in AREAS:
            self.commands.setdefault(
                area.name, _Unloaded(name=area.name, help=area.help, no_args_is_help=True))

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        """Load the invoked area's commands in place of its stand-in, then resolve as usual."""
        if args and isinstance(self.commands.get(args[0]), _Unloaded):
            self.commands[args[0]] = self.load(BY_NAME[args[0]])
        return super().resolve_command(ctx, args)

    def load(self, area: Area) -> TyperGroup:
        """The area's click group, built as ``app.add_typer(area_app, name=…)`` would build it."""
        group = get_group_from_info(
            TyperInfo(area_app(area), name=area.name),
            pretty_exceptions_short=True,  # Typer's default, which the root app keeps
            suggest_commands=self.suggest_commands,
            rich_markup_mode=self.rich_markup_mode,
        )
        plain_help(group)
        return group
