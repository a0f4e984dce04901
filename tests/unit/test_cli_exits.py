"""The pieces of how a command ends: signals, files the user named, help's words for types."""

from __future__ import annotations

import datetime as dt
import errno
import os
import signal
from pathlib import Path

import pytest
import typer

from rapport.cli.common import err_console, state
from rapport.cli.exits import file_given, run
from rapport.cli.help_text import number_range, what_to_type
from rapport.cli.interrupts import Interrupted, Received, raised_as_interrupted
from rapport.cli.options import captions, time_option
from rapport.domain.enums import ContactType, CorrespondenceType, Evaluation
from rapport.errors import NotFoundError


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stop_signal_raises_interrupted_in_the_main_thread(signum: int, status: int) -> None:
    before = signal.getsignal(signum)
    with pytest.raises(Interrupted) as raised, raised_as_interrupted() as received:
        os.kill(os.getpid(), signum)  # Python runs the handler right after this call
    assert raised.value.signum == signum and isinstance(raised.value, KeyboardInterrupt)
    assert (received.signum, received.status) == (signum, status)
    assert signal.getsignal(signum) is before  # put back afterwards


def test_once_the_command_winds_up_further_signals_are_ignored() -> None:
    with raised_as_interrupted() as received:
        received.finishing = True
        os.kill(os.getpid(), signal.SIGTERM)
    assert received.signum is None


def test_a_refused_file_is_the_users_when_it_was_named_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = FileNotFoundError(errno.ENOENT, "No such file", str(tmp_path / "out" / "x.csv"))
    assert file_given(missing, ["contacts", "export", "out/x.csv"]) == "out/x.csv"
    assert file_given(missing, ["import", f"--rejected-file={tmp_path}/out/x.csv"]) == (
        f"{tmp_path}/out/x.csv")
    assert file_given(missing, ["contacts", "export", "other.csv"]) is None
    assert file_given(OSError(errno.EIO, "I/O error"), ["out/x.csv"]) is None


@pytest.mark.parametrize(("shown", "metavar"), [
    ("<str>", "TEXT"), ("<int>", "NUMBER"), ("<list[int]>", "NUMBER"), ("<file>", "FILE"),
    ("<csv|xlsx>", "csv|xlsx"), ("<Decimal>", "AMOUNT"),
])  # fmt: skip
def test_help_names_a_type_by_what_to_type(shown: str, metavar: str) -> None:
    assert what_to_type(shown) == metavar


def test_help_states_a_range_in_words() -> None:
    assert number_range(1, 2**31 - 1) == "≥ 1" and number_range(0, None) == "≥ 0"
    assert number_range(1, 65535) == "1 to 65535" and number_range(None, None) is None


def test_option_fields_are_listed_by_their_captions() -> None:
    assert captions(CorrespondenceType) == "Hard Copy, Email or none"
    assert captions(ContactType) == "Company or Person"
    assert captions(Evaluation, blank=False) == (
        "Very Positive, Positive, Neutral, Negative or Very Negative")


def test_a_time_is_a_time_of_day_without_a_zone() -> None:
    assert time_option("09:30") == dt.time(9, 30) and time_option(None) is None
    for text in ("noon", "25:00", "10:00+01:00"):
        with pytest.raises(typer.BadParameter, match="is not a time HH:MM"):
            time_option(text)


def _ended(raised: BaseException | None, returned: object = None,
           received: Received | None = None) -> tuple[int, str]:
    def command() -> object:
        if raised is not None:
            raise raised
        return returned

    state.reset()
    with err_console.capture() as shown:
        status = run(command, ["segments", "show"], received or Received())
    return status, shown.get()


def test_how_a_command_ended_becomes_its_status_and_words() -> None:
    assert _ended(None) == (0, "")
    assert _ended(None, returned=1) == (1, "")  # typer.Exit(1): the command said why
    assert _ended(NotFoundError("Segment X does not exist")) == (
        1, "error [NOT_FOUND] Segment X does not exist\n")
    assert _ended(typer.BadParameter("'x' is not a date", param_hint="--date")) == (
        1, "error [USAGE] Invalid value for --date: 'x' is not a date\n")
    assert _ended(Interrupted(signal.SIGTERM), received=Received(signum=signal.SIGTERM)) == (
        143, "interrupted, nothing was changed\n")
    assert _ended(typer.Abort()) == (130, "interrupted, nothing was changed\n")  # Ctrl-D
    assert _ended(None, returned=130) == (130, "interrupted, nothing was changed\n")


def test_a_bug_is_an_internal_error_with_status_2(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_LOG_FILE", str(tmp_path / "rapport.log"))
    from rapport.cli.common import forget_wiring

    forget_wiring()
    try:
        status, shown = _ended(ZeroDivisionError("division by zero"))
    finally:
        forget_wiring()
    assert status == 2 and shown.startswith("internal error: ZeroDivisionError; details in ")
    assert "ZeroDivisionError: division by zero" in (tmp_path / "rapport.log").read_text()

