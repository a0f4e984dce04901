"""The logging commands end to end on SQLite and PostgreSQL.

``segments log``, ``logged-segments list|cancel|uncancel|delete-canceled``,
``interactions list|cancel|uncancel|evaluate|comment|delete-canceled|stats`` and
``campaign-entries list|cancel|delete-canceled``.

Most tests run the entry point ``main()`` in-process (``_run``, see cli_support.run_main); each
command group has one test that starts the real ``rapport`` executable (``_run_real``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from tests.builders_logging import db_state, segment_with_lines
from tests.e2e.cli_support import run_main, run_real

SF = sessionmaker[Session]
WORK_DATE = ("--work-date", "2025-03-10")


def _env(url: str) -> dict[str, str]:
    return {"RAPPORT_DATABASE_URL": url, "RAPPORT_USER_ID": "U1"}


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``rapport --work-date 2025-03-10 ARGS`` as user U1, in-process."""
    return run_main(_env(url), *WORK_DATE, *args)


def _run_real(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The same through the real ``rapport`` executable (one new process)."""
    return run_real(_env(url), *WORK_DATE, *args)


@pytest.fixture
def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_the_real_executable_logs_a_segment_and_lists_it(fixture_db: SF, url: str) -> None:
    """Smoke test of ``segments log`` and ``logged-segments`` in their own processes."""
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code="T-CALL", campaign_no="CP1")
    out = _run_real(url, "segments", "log", "seg0001", "--no-send")
    assert out.returncode == 0, out.stderr
    assert "Segment SEG0001 has been logged" in out.stdout
    assert "interaction log entries: 2" in out.stdout and "campaign entries: 1" in out.stdout
    listed = _run_real(url, "logged-segments", "list")
    assert listed.returncode == 0, listed.stderr
    assert "SEG0001" in listed.stdout and "1 of 1 logged segment(s)" in listed.stdout


def test_the_real_executable_refuses_to_uncancel_an_entry_of_a_canceled_logged_segment(
    fixture_db: SF, url: str
) -> None:
    """Smoke test of ``interactions`` in its own process: one error line, exit 1, no change."""
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code="T-CALL", campaign_no="CP1")
    assert _run(url, "segments", "log", "SEG0001", "--no-send").returncode == 0
    assert _run(url, "logged-segments", "cancel", "1").returncode == 0
    with fixture_db() as s:
        before = db_state(s)
    refused = _run_real(url, "interactions", "uncancel", "1")
    assert refused.returncode == 1 and "error [E28]" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1, refused.stderr
    with fixture_db() as s:
        assert db_state(s) == before


def test_log_then_cancel_evaluate_comment_and_stats(fixture_db: SF, url: str) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code="T-CALL", campaign_no="CP1")
    out = _run(url, "segments", "log", "seg0001", "--no-send")
    assert out.returncode == 0, out.stderr
    assert "Segment SEG0001 has been logged" in out.stdout
    assert "interaction log entries: 2" in out.stdout and "campaign entries: 1" in out.stdout
    listed = _run(url, "logged-segments", "list")
    assert "SEG0001" in listed.stdout and "1 of 1 logged segment(s)" in listed.stdout
    assert "canceled" in _run(url, "logged-segments", "cancel", "1").stdout
    with fixture_db() as s:
        before = db_state(s)
    refused = _run(url, "interactions", "uncancel", "1")
    assert refused.returncode == 1 and "error [E28]" in refused.stderr
    with fixture_db() as s:
        assert db_state(s) == before
    assert _run(url, "logged-segments", "uncancel", "1").returncode == 0
    assert "2 entr(y/ies) evaluated" in _run(url, "interactions", "evaluate", "1", "2",
                                             "-e", "Positive").stdout
    assert "Comment line 10000 added" in _run(url, "interactions", "comment", "1",
                                              "Called back").stdout
    assert "Called back" in _run(url, "interactions", "comment", "1").stdout
    entries = _run(url, "interactions", "list", "--evaluation", "positive")
    assert "2 of 2 entr(y/ies)" in entries.stdout
    stats = _run(url, "interactions", "stats", "--by", "template")
    assert "T-CALL" in stats.stdout and "2.00" in stats.stdout
    campaign = _run(url, "interactions", "stats", "--campaign", "CP1")
    assert "Campaign CP1: 2 interaction(s), cost 2.00, duration 20 min." in campaign.stdout


def test_log_reports_every_bad_line_and_changes_nothing(fixture_db: SF, url: str) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code=None)
    with fixture_db() as s:
        before = db_state(s)
    out = _run(url, "segments", "log", "SEG0001", "--no-send")
    assert out.returncode == 1
    assert "cannot be logged" in out.stderr
    for line_no, contact in (("10000", "P11"), ("20000", "P3")):
        assert f"line {line_no}, contact {contact}, Interaction Template Code" in out.stderr
    with fixture_db() as s:
        assert db_state(s) == before


def test_delete_canceled_commands(fixture_db: SF, url: str) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code="T-CALL")
    assert _run(url, "segments", "log", "SEG0001", "--no-send").returncode == 0
    assert _run(url, "interactions", "cancel", "2").returncode == 0
    assert "1 canceled entr(y/ies) deleted" in _run(url, "interactions",
                                                    "delete-canceled").stdout
    assert _run(url, "logged-segments", "cancel", "1").returncode == 0
    out = _run(url, "logged-segments", "delete-canceled")
    assert "1 canceled logged segment(s) deleted; 1 interaction log entr(y/ies)" in out.stdout
    with fixture_db() as s:
        assert s.scalar(select(func.count()).select_from(m.LoggedSegment)) == 0
        assert list(s.scalars(select(m.InteractionLogEntry.contact_no))) == ["P11"]


@pytest.mark.parametrize("command", [
    ["segments", "log"], ["logged-segments", "list"], ["logged-segments", "cancel"],
    ["logged-segments", "uncancel"], ["logged-segments", "delete-canceled"],
    ["interactions", "list"], ["interactions", "cancel"], ["interactions", "uncancel"],
    ["interactions", "evaluate"], ["interactions", "comment"],
    ["interactions", "delete-canceled"], ["interactions", "stats"],
    ["campaign-entries", "list"], ["campaign-entries", "cancel"],
    ["campaign-entries", "uncancel"], ["campaign-entries", "delete-canceled"],
])
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    out = _run(f"sqlite:///{tmp_path / 'unused.db'}", *command, "--help")
    assert out.returncode == 0 and "Usage" in out.stdout, out.stderr


def test_campaign_entries_list_cancel_and_delete_canceled(fixture_db: SF, url: str) -> None:
    with fixture_db.begin() as s:
        segment_with_lines(s, ["P11", "P3"], template_code="T-CALL", campaign_no="CP1")
    assert _run(url, "segments", "log", "SEG0001", "--no-send").returncode == 0
    with fixture_db() as s:
        entry_no = s.scalar(select(m.CampaignEntry.entry_no))
    listed = _run(url, "campaign-entries", "list", "--campaign", "CP1")
    assert listed.returncode == 0, listed.stderr
    assert "CP1" in listed.stdout and "1 of 1 campaign entr(y/ies)" in listed.stdout
    refused = _run(url, "campaign-entries", "delete-canceled", str(entry_no))
    assert "Deleted 0 canceled campaign entr(y/ies)" in refused.stdout  # not canceled: kept
    canceled = _run(url, "campaign-entries", "cancel", str(entry_no))
    assert "1 campaign entr(y/ies) and 2 interaction log entr(y/ies) are now canceled" in (
        canceled.stdout)
    deleted = _run(url, "campaign-entries", "delete-canceled")
    assert "Deleted 1 canceled campaign entr(y/ies) and 2 interaction log" in deleted.stdout
    with fixture_db() as s:
        assert s.scalar(select(func.count()).select_from(m.CampaignEntry)) == 0
        assert s.scalar(select(func.count()).select_from(m.InteractionLogEntry)) == 0


def test_campaign_entries_cancel_of_an_unknown_entry_fails(fixture_db: SF, url: str) -> None:
    """Smoke test of ``campaign-entries`` in its own process."""
    out = _run_real(url, "campaign-entries", "cancel", "999")
    assert out.returncode == 1 and "error [" in out.stderr and "999" in out.stderr
