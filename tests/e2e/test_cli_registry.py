"""The root command lists every business area without importing it and loads an area when used.

See ``rapport.cli.registry``. These tests start the real ``rapport`` executable: what they guard
(what a fresh process imports, each area loading first in its own process) only shows there.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rapport.cli.registry import AREAS, area_app
from tests.e2e.cli_support import WIDTH, run_real

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


#: The groups no other test starts in a real process. Those that do: segments, logged-segments,
#: interactions and campaign-entries (test_cli_logging.py), db and serve (test_serve.py).
NOT_STARTED_ELSEWHERE = ["setup", "contacts", "demo"]


@pytest.mark.parametrize("group", NOT_STARTED_ELSEWHERE)
def test_a_group_loads_first_in_a_fresh_process(group: str) -> None:
    done = run_real({}, group, "--help")
    assert done.returncode == 0, done.stderr
    assert f"Usage: rapport {group} [OPTIONS]" in done.stdout
