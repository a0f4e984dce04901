"""The root command lists every business area without importing it and loads an area when used,
with the garbage collector resting meanwhile.

See ``rapport.cli.registry`` and ``rapport.cli.startup``. These tests start real processes: what
they guard (what a fresh process imports, each area loading first in its own process, the
collector of a process started for one command) only shows there.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rapport.cli.registry import AREAS, BY_NAME, area_app
from tests.e2e.cli_support import WIDTH, run_main, run_real

#: Modules ``rapport --help`` must not import: the areas' CLI modules, services, the database
#: layer and the heavy libraries behind them.
NOT_AT_START = (
    "rapport.services", "rapport.db", "rapport.wiring", "rapport.config", "sqlalchemy",
    "alembic", "psycopg", "pydantic_settings", "openpyxl", "docx", "mailmerge", "fastapi",
    "uvicorn", "jinja2",
    *(module for area in AREAS for module in area.modules),
)  # fmt: skip

PROBE = """
import sys
from rapport.cli.main import main
try:
    main()
except SystemExit:
    pass
print(*sorted(sys.modules), sep="\\n", file=sys.stderr)
"""


def test_each_area_is_listed_with_the_help_of_its_own_app() -> None:
    for area in AREAS:
        assert area_app(area).info.help == area.help, area.name


def test_help_lists_every_area_and_imports_none_of_them() -> None:
    env = {**os.environ, "COLUMNS": str(WIDTH), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", PROBE, "--help"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Usage" in done.stdout
    for area in AREAS:
        assert f" {area.name} " in done.stdout and area.help in done.stdout, area.name
    loaded = done.stderr.splitlines()
    early = [m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_AT_START)]
    assert early == []


#: What each module of each area adds to the area's app, imported in the order of the table.
COMMANDS_PROBE = """
import importlib, json, typer.main
from rapport.cli.registry import AREAS
found = {}
for area in AREAS:
    app = importlib.import_module(area.modules[0]).app
    seen, added = set(), []
    for name in area.modules:
        importlib.import_module(name)
        now = set(typer.main.get_group(app).commands)
        added.append(sorted(now - seen))
        seen = now
    found[area.name] = added
print(json.dumps(found))
"""


def test_each_area_names_the_commands_each_of_its_modules_adds() -> None:
    done = subprocess.run([sys.executable, "-c", COMMANDS_PROBE], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    for area in AREAS:
        if area.commands is not None:
            assert [sorted(names) for names in area.commands] == found[area.name], area.name
    without = [area.name for area in AREAS if area.commands is None and len(area.modules) > 1]
    assert without == ["setup"]  # setup_campaigns adds commands to a group of setup's


def _loaded_by(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": str(WIDTH)})
    assert done.returncode == 0, done.stderr
    return set(done.stderr.splitlines())


def test_a_command_loads_the_first_module_of_its_area_and_its_own() -> None:
    loaded = _loaded_by("segments", "preview", "--help")
    assert {"rapport.cli.segments", "rapport.cli.segment_criteria"} <= loaded
    others = {"rapport.cli.segment_lines", "rapport.cli.segment_log", "rapport.services.log"}
    assert others.isdisjoint(loaded)


def test_the_help_of_an_area_and_an_unknown_command_load_all_its_modules() -> None:
    segments = set(BY_NAME["segments"].modules)
    assert segments <= _loaded_by("segments", "--help")
    assert segments <= _loaded_by("segments", "prevew")  # to be told the close match


#: The groups no other test starts in a real process. Those that do: segments, logged-segments,
#: interactions and campaign-entries (test_cli_logging.py), db and serve (test_serve.py).
NOT_STARTED_ELSEWHERE = ["setup", "contacts", "demo"]


@pytest.mark.parametrize("group", NOT_STARTED_ELSEWHERE)
def test_a_group_loads_first_in_a_fresh_process(group: str) -> None:
    done = run_real({}, group, "--help")
    assert done.returncode == 0, done.stderr
    assert f"Usage: rapport {group} [OPTIONS]" in done.stdout


#: After one command in a process started for it: is the collector on, and how many objects did
#: start-up move to its permanent generation (see rapport.cli.startup)?
COLLECTOR_PROBE = """
import gc, sys
from rapport.cli.main import main
try:
    main()
except SystemExit:
    pass
print(gc.isenabled(), gc.get_freeze_count(), file=sys.stderr)
"""


def _collector_after(*args: str) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", COLLECTOR_PROBE, *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    enabled, frozen = done.stderr.splitlines()[-1].split()
    return enabled, int(frozen)


def test_a_command_starts_with_what_its_area_loaded_frozen() -> None:
    enabled, frozen = _collector_after("segments", "--help")
    assert enabled == "True"
    assert frozen > 50_000  # the segments area, SQLAlchemy and the models: ~100,000 objects


def test_the_command_itself_runs_with_the_collector_on(tmp_path: Path) -> None:
    """A long command (an import, ``demo --contacts``) collects its garbage as usual."""
    probe = COLLECTOR_PROBE.replace("from rapport.cli.main import main", (
        "from rapport.wiring import Rapport\n"
        "def upgrade(self, revision='head'):\n"
        "    print('during', gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
        "Rapport.upgrade = upgrade\n"
        "from rapport.cli.main import main"))
    env = {**os.environ, "RAPPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"}
    done = subprocess.run([sys.executable, "-c", probe, "db", "upgrade"], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "during True True" in done.stderr.splitlines()


def test_a_process_whose_command_never_starts_freezes_nothing() -> None:
    assert _collector_after("--help") == ("True", 0)
    assert _collector_after("no-such-area") == ("True", 0)


def test_commands_run_in_a_test_process_leave_its_collector_alone() -> None:
    frozen = gc.get_freeze_count()
    done = run_main({}, "segments", "--help")
    assert done.returncode == 0, done.stderr
    assert gc.isenabled() and gc.get_freeze_count() == frozen
