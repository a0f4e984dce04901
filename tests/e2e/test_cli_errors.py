"""No traceback reaches a user: every way a command can fail ends in words and an exit status.

Refused input (an amount or a duration beyond its column, a bad option, a setting that cannot
be used) is one ``error [CODE] …`` line naming the input and the reason, exits 1 and changes
nothing. An internal error (a bug, a database error that is not the database being unavailable)
is one ``internal error: <Type>; details in <log>`` line and exits 2: the traceback, with the
SQL and its values, only goes to the log file, and to the terminal with ``--debug``.
On SQLite and PostgreSQL, through the entry point ``main()`` in this process.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.context import Ctx
from tests.builders import make_contact
from tests.conftest import TxFactory
from tests.e2e.cli_outcome_support import everything, prepare, run

SF = sessionmaker[Session]


@pytest.fixture
def env(fixture_db: SF, tx: TxFactory, engine: Engine, tmp_path: Path) -> dict[str, str]:
    """The fixture with segment SEG0002; internal errors are logged under tmp_path."""
    url = engine.url.render_as_string(hide_password=False)
    return prepare(fixture_db, tx, url, tmp_path / "state" / "rapport.log", logged=False)


#: (command line, the option named, what the one line says)
OUT_OF_RANGE = [
    (("segments", "set", "SEG0002", "--unit-duration", "99999999999999999999"), "--unit-duration",
     "'99999999999999999999' is not whole minutes from 0 to 2147483647"),
    (("segments", "set", "SEG0002", "--unit-cost", "1e23"), "--unit-cost",
     "'1e23' is not an amount ≥ 0 with at most 16 digits before the decimal point"),
    (("segments", "set", "SEG0002", "--unit-cost", "2.505"), "--unit-cost",
     "'2.505' is not an amount ≥ 0 with at most 2 decimals"),
    (("segments", "set", "SEG0002", "--unit-cost", "-1"), "--unit-cost",
     "'-1' is not an amount ≥ 0"),
    (("segments", "line-set", "SEG0002", "10000", "--cost", "10000000000000000"), "--cost",
     "'10000000000000000' is not an amount ≥ 0 with at most 16 digits before the decimal point"),
    (("segments", "line-set", "SEG0002", "10000", "--duration", "2147483648"), "--duration",
     "'2147483648' is not whole minutes from 0 to 2147483647"),
    (("setup", "template", "add", "T-NEW", "-g", "LETTER", "--duration", "99999999999999999999"),
     "--duration", "is not whole minutes from 0 to 2147483647"),
    (("setup", "template", "add", "T-NEW", "-g", "LETTER", "--cost", "1e23"), "--cost",
     "'1e23' is not an amount ≥ 0 with at most 16 digits before the decimal point"),
    (("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--cost", "0.001"),
     "--cost", "'0.001' is not an amount ≥ 0 with at most 2 decimals"),
    (("interactions", "create", "--contact", "P11", "--template", "T-CALL", "--duration", "-5"),
     "--duration", "'-5' is not whole minutes ≥ 0"),
    (("interactions", "postpone", "--contact", "P11", "--template", "T-CALL", "--date",
      "2025-02-30"), "--date", "'2025-02-30' is not a date YYYY-MM-DD"),
    (("interactions", "finish", "1", "--cost", "1e23"), "--cost", "at most 16 digits"),
    (("interactions", "resume", "1", "--duration", "1.5"), "--duration", "is not whole minutes"),
    (("interactions", "list", "--limit", "99999999999999999999"), "--limit",
     "less than or equal to 2147483647"),
    (("interactions", "list", "--offset", "-1"), "--offset", "greater than or equal to 0"),
    (("logged-segments", "cancel", "99999999999999999999"), "ENTRY_NO",
     "less than or equal to 2147483647"),
    (("segments", "reuse-logged", "SEG0002", "2147483648"), "ENTRY_NO",
     "less than or equal to 2147483647"),
    (("segments", "line-remove", "SEG0002", "9223372036854775808"), "LINE_NO",
     "less than or equal to 9223372036854775807"),
    (("setup", "set", "mergefield_language_id=99999999999999999999"), "",
     "mergefield_language_id takes a whole number from 0 to 2147483647"),
]


def test_a_value_out_of_range_is_refused_in_one_line_naming_the_option(
    env: dict[str, str], fixture_db: SF
) -> None:
    before = everything(fixture_db)
    for args, option, reason in OUT_OF_RANGE:
        done = run(env, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.startswith("error [USAGE] Invalid value"), (args, done.stderr)
        assert option in done.stderr and reason in done.stderr, (args, done.stderr)
        assert len(done.stderr.splitlines()) == 1, (args, done.stderr)
    assert everything(fixture_db) == before


def test_the_largest_amount_and_duration_are_taken(env: dict[str, str], fixture_db: SF) -> None:
    done = run(env, "segments", "set", "SEG0002", "--unit-cost", "9999999999999999.99",
               "--unit-duration", "2147483647", "--no-update-lines")
    assert done.returncode == 0, done.stderr
    done = run(env, "segments", "line-set", "SEG0002", "10000", "--cost", "1234567890123.45",
               "--duration", "2147483647")
    assert done.returncode == 0, done.stderr
    shown = run(env, "segments", "show", "SEG0002").stdout
    assert re.search(r"Unit Duration \(Min\.\)\s+│ 2147483647", shown), shown
    assert re.search(r"│ 10000 .*│ 1234567890123\.45 │", shown), shown


BAD_USAGE = [
    (("segments", "set"), "error [USAGE] Missing argument 'SEGMENT'. "
                          "(see `rapport segments set --help`)"),
    (("segments", "sett"), "error [USAGE] No such command 'sett'. Did you mean 'set'? "
                           "(see `rapport segments --help`)"),
    (("segments", "list", "--colour", "red"), "error [USAGE] No such option: --colour"),
    (("segments", "show", "SEG0002", "\udcff"), "is not text in UTF-8"),
    (("interactions", "stats", "--by", "weather"), "error [VALIDATION] Statistics by 'weather': "
                                                  "choose one of group, template"),
]  # fmt: skip


def test_a_bad_option_or_argument_is_one_line_and_exit_1(env: dict[str, str]) -> None:
    for args, shown in BAD_USAGE:
        done = run(env, *args)
        assert done.returncode == 1 and shown in done.stderr, (args, done.stderr)
        assert len(done.stderr.splitlines()) == 1, (args, done.stderr)


def test_a_file_named_on_the_command_line_that_cannot_be_written_is_named(
    env: dict[str, str], tmp_path: Path
) -> None:
    for args in (("contacts", "export"), ("segments", "export", "SEG0002")):
        target = tmp_path / "no-such-folder" / "out.csv"
        done = run(env, *args, str(target))
        assert done.returncode == 1, done.stderr
        assert done.stderr == f"error [FILE] {target}: No such file or directory\n"


def test_a_system_error_about_a_file_the_user_did_not_name_is_internal(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.cli import segment_files

    def broken(ctx: Ctx, segment: str, path: Path, fmt: str | None = None) -> int:
        raise FileNotFoundError(2, "No such file or directory", "/opt/rapport/template.xlsx")

    monkeypatch.setattr(segment_files, "export_segment", broken)
    done = run(env, "segments", "export", "SEG0002", str(tmp_path / "out.csv"))
    assert done.returncode == 2 and done.stderr.startswith("internal error: FileNotFoundError;")


def test_a_group_without_a_command_shows_its_help(env: dict[str, str]) -> None:
    done = run(env, "segments")
    assert done.returncode == 0 and "Usage: rapport segments" in done.stdout


BAD_SETTINGS = [
    ("RAPPORT_TIME_ZONE", "Mars/Base",
     "error [SETTINGS] Setting RAPPORT_TIME_ZONE: 'Mars/Base' is not a known time zone"),
    ("RAPPORT_BUSY_TIMEOUT_MS", "soon",
     "error [SETTINGS] Setting RAPPORT_BUSY_TIMEOUT_MS: input should be a valid integer"),
    ("RAPPORT_DATABASE_URL", "postgresql+psycopg2://rapport:s3cret@db.example/crm",
     "error [SETTINGS] Setting RAPPORT_DATABASE_URL cannot be used (its driver psycopg2 is not "
     "installed)"),
    ("RAPPORT_DATABASE_URL", "sqlite+nosuch:///x.db",
     "error [SETTINGS] Setting RAPPORT_DATABASE_URL cannot be used (NoSuchModuleError)"),
]  # fmt: skip


def test_a_setting_that_cannot_be_used_is_named_in_one_line(env: dict[str, str]) -> None:
    for setting, value, shown in BAD_SETTINGS:
        done = run({**env, setting: value}, "segments", "list")
        assert done.returncode == 1 and done.stderr.startswith(shown), (setting, done.stderr)
        assert len(done.stderr.splitlines()) == 1 and "s3cret" not in done.stderr


def test_names_and_codes_are_printed_as_they_are_not_as_markup(
    env: dict[str, str], fixture_db: SF
) -> None:
    with fixture_db.begin() as session:
        make_contact(session, no="Z1", name="[/] [bold]Zed[/bold] [Ltd]")
    for args in (("contacts", "show", "Z1"), ("contacts", "list", "--search", "Zed")):
        done = run(env, *args)
        assert done.returncode == 0, done.stderr
        assert "[/] [bold]Zed[/bold] [Ltd]" in done.stdout


def _break_create_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``segments create`` runs into a bug: it inserts SEG0002 again (a real IntegrityError,
    whose text holds the SQL and the values)."""
    from rapport.cli import segments

    def duplicate(ctx: Ctx, data: Any) -> m.SegmentHeader:
        header = m.SegmentHeader(no="SEG0002", description="Secret Plan 4711", user_id="U1")
        ctx.session.add(header)
        ctx.session.flush()
        return header

    monkeypatch.setattr(segments, "create_segment", duplicate)


def test_an_internal_error_shows_its_type_and_where_the_details_are(
    env: dict[str, str], fixture_db: SF, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_create_segment(monkeypatch)
    before = everything(fixture_db)
    done = run(env, "segments", "create", "--description", "Secret Plan 4711")
    log = Path(env["RAPPORT_LOG_FILE"])
    assert done.returncode == 2
    assert done.stderr == (f"internal error: IntegrityError; details in {log} — run again with "
                           "--debug to see them\n")
    assert everything(fixture_db) == before
    details = log.read_text(encoding="utf-8")
    assert "rapport --work-date 2025-03-10 segments create --description 'Secret Plan 4711'" in (
        details)
    assert "Traceback (most recent call last)" in details and "IntegrityError" in details
    assert log.stat().st_mode & 0o077 == 0  # readable by the user only


def test_with_debug_the_traceback_is_shown_too(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_create_segment(monkeypatch)
    done = run(env, "--debug", "segments", "create")
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr and "IntegrityError" in done.stderr
    assert done.stderr.endswith(f"internal error: IntegrityError; details above and in "
                                f"{env['RAPPORT_LOG_FILE']}\n")


def test_without_debug_neither_the_sql_nor_its_values_are_shown(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_create_segment(monkeypatch)
    done = run(env, "segments", "create")
    assert done.returncode == 2
    for secret in ("INSERT", "segment_header", "Secret Plan", "SEG0002", "Traceback"):
        assert secret not in done.stdout + done.stderr


def test_the_log_is_in_the_users_state_folder_by_default(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_create_segment(monkeypatch)
    settings = {**env, "RAPPORT_LOG_FILE": ""}  # empty: not set
    xdg = tmp_path / "xdg"
    done = run({**settings, "XDG_STATE_HOME": str(xdg)}, "segments", "create")
    assert done.returncode == 2 and f"details in {xdg / 'rapport' / 'rapport.log'}" in done.stderr
    home = tmp_path / "home"
    done = run({**settings, "XDG_STATE_HOME": "", "HOME": str(home)}, "segments", "create")
    expected = home / ".local" / "state" / "rapport" / "rapport.log"
    assert done.returncode == 2 and f"details in {expected}" in done.stderr
    assert "IntegrityError" in expected.read_text(encoding="utf-8")


def test_a_log_that_cannot_be_written_is_said_so(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_create_segment(monkeypatch)
    (tmp_path / "a-file").write_text("not a folder")
    log = tmp_path / "a-file" / "rapport.log"
    done = run({**env, "RAPPORT_LOG_FILE": str(log)}, "segments", "create")
    assert done.returncode == 2
    assert done.stderr.startswith(f"internal error: IntegrityError; its details could not be "
                                  f"written to {log} (")
    assert done.stderr.endswith(") — run again with --debug to see them\n")
    assert len(done.stderr.splitlines()) == 1


def test_an_interrupt_inside_the_transaction_rolls_it_back(
    env: dict[str, str], fixture_db: SF, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C once the segment is written, before the commit (real processes: see
    test_cli_interrupts.py)."""
    from rapport.cli import segments
    from rapport.services.segments import create_segment as create

    def create_then_interrupt(ctx: Ctx, data: Any) -> m.SegmentHeader:
        header = create(ctx, data)
        ctx.session.flush()
        os.kill(os.getpid(), signal.SIGINT)  # the entry point's handler raises right here
        return header

    monkeypatch.setattr(segments, "create_segment", create_then_interrupt)
    before = everything(fixture_db)
    done = run(env, "segments", "create", "--description", "Never saved")
    assert (done.returncode, done.stderr) == (130, "interrupted, nothing was changed\n")
    assert everything(fixture_db) == before


def test_an_interrupt_after_the_commit_says_the_change_was_saved(
    env: dict[str, str], fixture_db: SF, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.cli import common

    def interrupted_print(*args: Any, **kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(common.console, "print", interrupted_print)
    done = run(env, "segments", "create", "--description", "Saved")
    assert done.returncode == 130
    assert done.stderr == "interrupted after the command had saved its change\n"
    with fixture_db() as session:
        assert session.scalar(select(m.SegmentHeader.no)
                              .where(m.SegmentHeader.description == "Saved")) is not None


def test_an_unknown_schema_revision_is_refused(env: dict[str, str]) -> None:
    done = run(env, "db", "upgrade", "nosuch")
    assert done.returncode == 1
    assert done.stderr == ("error [VALIDATION] Cannot migrate the database to revision 'nosuch': "
                           "Can't locate revision identified by 'nosuch'\n")

