"""Help that speaks to users: every ``--help`` page, and ``rapport filter-fields``.

Every command's help (the registry lists the areas; each area is loaded as ``rapport AREA``
would load it) says what to type — ``AMOUNT``, ``YYYY-MM-DD``, ``CODE`` — never a Python type
(``<bool>``, ``list[str]``, an Enum), never a reference to the specification (K14, Q01, E27,
SPEC §3.14), and explains every option and argument.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from typer._click import Command
from typer.main import get_command

from rapport.cli.main import app
from rapport.cli.registry import AREAS, AreaGroup
from rapport.domain.criteria import FilterText
from rapport.services.criteria import parse_filters
from tests.e2e.cli_support import run_main


def _tree() -> AreaGroup:
    root = get_command(app)
    assert isinstance(root, AreaGroup)
    for area in AREAS:
        root.commands[area.name] = root.load(area)
    return root


def _commands(command: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                            Command]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(_tree()))
WIDE = {"COLUMNS": "250"}  # help pages are laid out by Typer's own console: no wrapping
PATHS = [path for path, _ in COMMANDS]

#: What a help page must not show: specification references and Python's names for types.
FORBIDDEN = [
    (re.compile(r"\b[KQA]\d+\b"), "a K/Q/A reference of the specification"),
    (re.compile(r"\bE\d{2}\b"), "an error code without words"),
    (re.compile(r"SPEC|§"), "the specification"),
    (re.compile(r"<(bool|str|int|float|path|file|list|Decimal)[^>]*>"), "a Python type"),
    (re.compile(r"list\[|Enum|\bNoneType\b|typing\."), "a Python type"),
]


def test_every_area_and_command_is_walked() -> None:
    names = {path[0] for path in PATHS if path}
    assert {area.name for area in AREAS} | {"db", "demo", "serve", "filter-fields"} <= names
    assert len(PATHS) > 80


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "rapport" for p in PATHS])
def test_a_help_page_speaks_to_users(path: tuple[str, ...]) -> None:
    done = run_main(WIDE, *path, "--help")
    assert done.returncode == 0 and "Usage: rapport" in done.stdout, done.stderr
    for pattern, what in FORBIDDEN:
        found = pattern.search(done.stdout)
        assert found is None, f"{what}: {found and found.group()!r} in\n{done.stdout}"


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "rapport" for p in PATHS])
def test_every_option_and_argument_is_explained(path: tuple[str, ...]) -> None:
    command = dict(COMMANDS)[path]
    unexplained = [param.name for param in command.params
                   if not (getattr(param, "help", None) or "").strip()]
    assert unexplained == []
    assert (command.help or command.short_help or "").strip()


def test_options_show_what_to_type() -> None:
    shown = run_main(WIDE, "segments", "set", "--help").stdout
    for option, metavar in [("--unit-cost", "AMOUNT"), ("--unit-duration", "MINUTES"),
                            ("--date", "YYYY-MM-DD"), ("--salesperson", "CODE"),
                            ("--description", "TEXT")]:
        assert re.search(rf"{option}\s+{metavar}\s", shown), option
    assert re.search(r"--campaign-target\s+--no-campaign-target\s+Mark", shown)  # no type
    created = run_main(WIDE, "interactions", "create", "--help").stdout
    assert "Correspondence type: Hard Copy, Email or none." in created
    assert "Very Positive, Positive, Neutral, Negative, Very Negative or none." in created
    assert re.search(r"--time\s+HH:MM\s", created) and re.search(r"--attach\s+FILE\s", created)
    listed = run_main(WIDE, "interactions", "cancel", "--help").stdout
    assert re.search(r"ENTRY_NO\s+\[≥ 1\]\s+Interaction log entry numbers", listed)


def test_filter_fields_lists_every_section_with_types_and_examples() -> None:
    done = run_main(WIDE, "filter-fields")
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    cells = [[cell.strip() for cell in row.strip("│").split("│")] for row in rows]
    by_field = {(c[0], c[1]): c for c in cells if len(c) == 5 and c[0] != "Section"}
    assert by_field[("Contact", "correspondence_type")][3] == (
        "Option: '' (blank), Hard Copy, Email")
    assert by_field[("Contact", "correspondence_type")][4] == (
        "Contact.correspondence_type=Hard Copy")
    assert by_field[("Interaction", "date")][3:] == ["Date", "Interaction.date=-30D..t"]
    assert by_field[("Mailing Group", "mailing_group_code")][2:4] == ["Mailing Group Code", "Code"]
    assert by_field[("Interaction", "include_canceled")][3] == "Yes/No"
    assert {section for section, _ in by_field} == {
        "Contact", "Profile", "Mailing Group", "Interaction", "Job Responsibility",
        "Industry Group", "Business Relation"}
    assert "'' empty" in done.stdout  # the syntax below the table
    examples = [FilterText.from_option(c[4]) for c in by_field.values()]
    for example in examples:  # each example is a filter the step accepts for its field
        parse_filters([example], work_date=dt.date(2025, 3, 10))


def test_filter_fields_of_one_section_and_of_an_unknown_one() -> None:
    done = run_main(WIDE, "filter-fields", "mailing group")
    assert done.returncode == 0 and "mailing_group_code" in done.stdout
    assert "Contact.type" not in done.stdout
    interaction = run_main(WIDE, "segments", "filter-fields", "Interaction").stdout
    assert interaction.count("Interaction.") > 20
    unknown = run_main(WIDE, "filter-fields", "Weather")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("error [VALIDATION] Unknown filter section 'Weather'")
