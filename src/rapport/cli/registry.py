"""Which sub-apps make up the ``rapport`` CLI, and loading each one only when it is used.

Every business area's commands live in their own modules, which import that area's services,
SQLAlchemy and rich tables. Importing all of them costs most of a second, so the root command
knows each area only by its name and its one-line help (below) and imports the area's modules
when that area is invoked (``rapport segments …``, ``rapport segments --help``). ``rapport
--help`` lists every area from this table without importing any of them.

Where an area's commands are spread over several modules, the table also names the commands of
each module, and a command loads the area's first module (which defines ``app``) and its own
module only: ``rapport segments preview`` imports ``cli.segments`` and ``cli.segment_criteria``,
not the lines and logging commands with their services. The area's help, and a command name
the table does not know (a typo, to be told the close matches), load them all.
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
    The help must equal that ``app``'s help, and ``commands``, where given, the commands each
    module adds, in the order of ``modules`` (tests/e2e/test_cli_registry.py checks both).
    Without ``commands`` every command loads all the modules (setup: a module adds commands to
    a group of another).
    """

    name: str
    help: str
    modules: tuple[str, ...]
    commands: tuple[tuple[str, ...], ...] | None = None

    def modules_for(self, command: str | None) -> tuple[str, ...]:
        """The modules that build ``command`` (all of them for None or an unknown name)."""
        if self.commands is None:
            return self.modules
        for module, names in zip(self.modules, self.commands, strict=True):
            if command in names:
                return tuple(dict.fromkeys((self.modules[0], module)))
        return self.modules


AREAS = (
    Area("setup", "Marketing setup, salespeople, users, templates, campaigns and code tables.",
         ("rapport.cli.setup", "rapport.cli.setup_campaigns", "rapport.cli.setup_letters")),
    Area("contacts", "Contacts: list, show, create, change, delete, import and export (CSV/XLSX).",
         ("rapport.cli.contacts", "rapport.cli.contact_edits"),
         (("list", "show", "import", "export"), ("create", "set", "delete"))),
    Area("segments", "Segments: build target groups, undo, save and reuse criteria, log.",
         ("rapport.cli.segments", "rapport.cli.segment_criteria", "rapport.cli.segment_lines",
          "rapport.cli.segment_log", "rapport.cli.segment_files", "rapport.cli.segment_letters"),
         (("create", "list", "show", "set", "delete"),
          ("add", "reduce", "refine", "preview", "undo", "reset-criteria", "save-criteria",
           "reuse-criteria", "reuse-logged", "saved-criteria", "criteria", "filter-fields"),
          ("line-add", "line-remove", "line-set", "apply-mailing-group"),
          ("log",), ("export",), ("attach", "merge-preview"))),
    Area("templates", "Interaction templates' letters: attach, merge fields, merge preview.",
         ("rapport.cli.templates",)),
    Area("logged-segments", "Logged segments: list, cancel, un-cancel, delete canceled, "
         "hard copy.",
         ("rapport.cli.logged_segments",)),
    Area("interactions", "Interaction log entries: list, create, finish, postpone, resume, "
         "cancel, evaluate, statistics.",
         ("rapport.cli.interactions", "rapport.cli.interaction_drafts",
          "rapport.cli.interaction_resend"),
         (("list", "comment", "evaluate", "cancel", "uncancel", "delete-canceled", "stats"),
          ("create", "finish", "postpone", "postponed", "resume", "delete-postponed"),
          ("resend",))),
    Area("delivery", "E-mail delivery: send the outbox, show its state, settle unknown "
         "messages.", ("rapport.cli.delivery",)),
    Area("campaign-entries", "Campaign entries: list, cancel, un-cancel, delete canceled.",
         ("rapport.cli.campaign_entries",)),
    Area("users", "API users: create, change, list; personal tokens: make, list, revoke.",
         ("rapport.cli.users",)),
)
BY_NAME = {area.name: area for area in AREAS}


def area_app(area: Area, command: str | None = None) -> typer.Typer:
    """The area's Typer app with ``command`` (None: all its commands); imports their modules."""
    modules = [importlib.import_module(name) for name in area.modules_for(command)]
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
            command = args[1] if len(args) > 1 else None
            self.commands[args[0]] = self.load(BY_NAME[args[0]], command)
        return super().resolve_command(ctx, args)

    def load(self, area: Area, command: str | None = None) -> TyperGroup:
        """The area's click group, built as ``app.add_typer(area_app, name=…)`` would build it,
        with ``command`` (and whatever else its modules define) or, for None, all commands."""
        group = get_group_from_info(
            TyperInfo(area_app(area, command), name=area.name),
            pretty_exceptions_short=True,  # Typer's default, which the root app keeps
            suggest_commands=self.suggest_commands,
            rich_markup_mode=self.rich_markup_mode,
        )
        plain_help(group)
        return group
