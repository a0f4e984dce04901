"""What the CLI tests share: resetting cached settings, and the ``rapport`` entry point in-process.

The business areas are attached to the root command lazily (``rapport.cli.registry``), so a test
invokes ``rapport.cli.main.app`` without registering anything first.

``run_main`` runs the console script's ``main()`` in this process with the streams captured, so a
test sees what a user sees (stdout, the one-line ``error [CODE] …`` on stderr, the exit status)
without paying ~0.5 s to start a Python process per command. Each command group keeps one test
that starts the real ``rapport`` executable (``run_real``), so the installed entry point and the
lazy loading of each area in a fresh process stay covered.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner

from rapport.cli import common
from rapport.cli.main import main

RAPPORT = str(Path(sys.executable).with_name("rapport"))
#: Where the commands tests run log an internal error unless the test says otherwise: not in
#: the user's own state folder (an empty RAPPORT_LOG_FILE means the default place).
TEST_LOG = Path(tempfile.gettempdir()) / f"rapport-tests-{os.getuid()}" / "rapport.log"
#: Wide enough that no table or message wraps, like COLUMNS=250 for the real executable.
WIDTH = 250


def reset_cli_caches() -> None:
    """Forget the cached settings and engine so the next command reads RAPPORT_* again."""
    common.forget_wiring()


def run_real(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``rapport`` executable in a new process, with ``env`` added to os.environ."""
    return subprocess.run([RAPPORT, *args], env={**os.environ, "COLUMNS": str(WIDTH),
                                                 "NO_COLOR": "1",
                                                 "RAPPORT_LOG_FILE": str(TEST_LOG), **env},
                          capture_output=True, text=True, timeout=120)


def run_main(env: Mapping[str, str], *args: str,
             input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``rapport ARGS`` through the entry point ``main()`` in this process, ``env`` set meanwhile
    and ``input`` (if any) on its standard input.

    Same result shape as ``run_real``: the exit status, stdout and stderr as text. The cached
    settings and engine are forgotten afterwards, as a new process would start without them.
    """
    code: int | str | None = 0
    saved_argv, saved_widths = sys.argv, (common.console._width, common.err_console._width)
    common.console._width = common.err_console._width = WIDTH
    reset_cli_caches()
    isolated = {"RAPPORT_LOG_FILE": str(TEST_LOG), **env, "NO_COLOR": "1"}
    with CliRunner().isolation(input=input, env=isolated) as (out, err, _):
        sys.argv = [RAPPORT, *args]
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.argv = saved_argv
            common.console._width, common.err_console._width = saved_widths
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
            reset_cli_caches()
    status = code if isinstance(code, int) else 1 if code else 0
    return subprocess.CompletedProcess([RAPPORT, *args], status, stdout, stderr)
