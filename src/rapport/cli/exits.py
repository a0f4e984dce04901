"""How a ``rapport`` command ends: its exit status, and what it prints when it did not succeed.

====== ===================================================== ======================================
status when                                                  printed on stderr
====== ===================================================== ======================================
0      the command did its work (or showed help)
1      refused: a business rule, a record that does not      ``error [CODE] message``, one line (a
       exist, a setting, the database unavailable, a bad     list of problems: one line each, below
       option or argument, a file named on the command line  a summary); bad options: ``[USAGE]``,
       that cannot be read or written — nothing was changed  a file: ``[FILE]``
2      an internal error (a bug): nothing was changed        ``internal error: <Type>; details in
                                                             <log file> — run again with --debug…``
130    interrupted by Ctrl-C (SIGINT), or Ctrl-D at a        ``interrupted, nothing was changed``
       question: nothing was changed
143    stopped by SIGTERM: nothing was changed               (the same)
====== ===================================================== ======================================

An internal error never shows its traceback, nor the SQL and parameters a database error
carries: they go to the log file (``RAPPORT_LOG_FILE``, by default
``$XDG_STATE_HOME/rapport/rapport.log`` or ``~/.local/state/rapport/rapport.log``), and to the
terminal as well with the global option ``--debug``.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import typer
from rich.markup import escape
from typer._click.exceptions import NoArgsIsHelpError

from rapport.cli.common import err_console, settings, state
from rapport.cli.interrupts import Received
from rapport.errors import MultipleErrors, RapportError

MAX_LOG_BYTES = 1_000_000  # then the log moves to rapport.log.1 and a new one starts


def run(command: Callable[[], object], args: Sequence[str], received: Received) -> int:
    """Run the command (Typer in non-standalone mode) and turn how it ended into a status."""
    try:
        check_arguments(args)
        returned = command()
    except RapportError as exc:
        print_error(exc)
        return 1
    except NoArgsIsHelpError as exc:  # `rapport segments`: its help, as with --help
        if shown := exc.format_message().strip():  # Typer's rich help has printed itself
            err_console.print(shown, highlight=False, markup=False)
        return 0
    except typer.TyperException as exc:  # a bad option or argument (click's UsageError)
        print_usage_error(exc)
        return 1
    except (KeyboardInterrupt, typer.Abort):  # Abort: a question answered by Ctrl-C or Ctrl-D
        return interrupted(received)
    except OSError as exc:
        if (named := file_given(exc, args)) is None:
            return internal_error(exc, args)
        print_error(RapportError(f"{named}: {exc.strerror or type(exc).__name__}", code="FILE",
                                 record=named, reason=exc.strerror))
        return 1
    except Exception as exc:
        return internal_error(exc, args)
    if received.signum is not None or returned == 130:  # Typer's status for an interrupt
        return interrupted(received)
    return returned if isinstance(returned, int) else 0


def check_arguments(args: Sequence[str]) -> None:
    """Refuse an argument that is not text (bytes that are not UTF-8 arrive as surrogates)."""
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            raise typer.BadParameter(
                f"argument {position} ({raw}) is not text in UTF-8") from None


def file_given(exc: OSError, args: Sequence[str]) -> str | None:
    """The file the user named on the command line that the system refused (a folder that
    does not exist, no permission, a full disk …), as the user typed it; None if the error is
    about another file (then it is a bug)."""
    refused = {os.path.abspath(os.fsdecode(name))
               for name in (exc.filename, exc.filename2) if name}
    for arg in args:
        typed = arg.partition("=")[2] if arg.startswith("--") else arg
        if typed and os.path.abspath(os.path.expanduser(typed)) in refused:
            return typed
    return None


def print_error(exc: RapportError) -> None:
    """``error [CODE] message``; several problems (MultipleErrors) get one line each below it."""
    problems = exc.errors if isinstance(exc, MultipleErrors) else []
    head = exc.message.split(": ", 1)[0] if problems else exc.message  # the summary, if several
    err_console.print(f"[red]error[/red] [{exc.code}] {escape(head)}", highlight=False,
                      soft_wrap=True, markup=True)
    for problem in problems:
        err_console.print(f"  [{problem.code}] {problem.message}", highlight=False, markup=False,
                          soft_wrap=True)


def print_usage_error(exc: typer.TyperException) -> None:
    """``error [USAGE] Invalid value for '--cost': …`` and where the command's help is."""
    ctx = getattr(exc, "ctx", None)
    where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    message = " ".join(exc.format_message().split())  # click's messages may span lines
    err_console.print(f"[red]error[/red] [USAGE] {escape(message)}{escape(where)}",
                      highlight=False, soft_wrap=True, markup=True)


def interrupted(received: Received) -> int:
    """Say that the command was interrupted and whether anything was saved before (with 130 for
    an end of input at a question, as for Ctrl-C)."""
    received.finishing = True
    told = ("interrupted after the command had saved its change" if state.saved
            else "interrupted, nothing was changed")
    err_console.print(told, highlight=False, markup=False, soft_wrap=True)
    return received.status


def internal_error(exc: Exception, args: Sequence[str]) -> int:
    """A bug: the type of the error on the terminal, its traceback in the log (and with
    --debug on the terminal too); never the SQL or the values a database error carries."""
    kind = type(exc).__name__
    path = log_file()
    problem = write_log(path, exc, args) if path is not None else "no home folder"
    if state.debug:
        traceback.print_exception(exc, file=sys.stderr)
        where = f"details above and in {path}" if problem is None else "details above"
        told = f"internal error: {kind}; {where}"
    elif problem is None:
        told = f"internal error: {kind}; details in {path} — run again with --debug to see them"
    else:
        told = (f"internal error: {kind}; its details could not be written to {path} "
                f"({problem}) — run again with --debug to see them")
    err_console.print(told, highlight=False, markup=False, soft_wrap=True)
    return 2


def log_file() -> Path | None:
    """RAPPORT_LOG_FILE, else rapport.log in the user's state folder (XDG); None without one."""
    try:
        configured = settings().log_file
    except Exception:  # a broken setting must not hide the error being reported
        configured = None
    if configured:
        return Path(configured).expanduser()
    state_home = os.environ.get("XDG_STATE_HOME", "")
    try:
        base = Path(state_home) if os.path.isabs(state_home) else Path.home() / ".local/state"
    except RuntimeError:  # no home folder to be found
        return None
    return base / "rapport" / "rapport.log"


def write_log(path: Path, exc: BaseException, args: Sequence[str]) -> str | None:
    """Append the command and the traceback to the log (readable by the user only); the reason
    when that failed, None when it worked."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(path.name + ".1"))
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with open(handle, "a", encoding="utf-8", errors="backslashreplace") as log:
            when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            command = shlex.join(["rapport", *args])
            log.write(f"--- {when} pid {os.getpid()}: {command}\n")
            log.write("".join(traceback.format_exception(exc)))
    except OSError as failure:
        return failure.strerror or type(failure).__name__
    return None
