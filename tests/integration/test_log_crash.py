"""A logging process killed half-way leaves the segment untouched (SPEC §3.14: all or nothing).

A child process logs a 20,000-line segment on the test database (a SQLite file, or PostgreSQL)
and pauses after the interaction log entries are written but before the commit; the test kills
it with SIGKILL there. Afterwards the segment still has all its lines, no logged segment,
campaign entry or interaction log entry exists, and the segment can then be logged normally.
"""

from __future__ import annotations

import os
import select as io_select
import signal
import subprocess
import sys

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.log import log_segment
from tests.builders_logging import bulk_segment
from tests.conftest import TxFactory

SF = sessionmaker[Session]
LINES = 20_000

CHILD = r"""
import datetime as dt, sys, time
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.services.log import _log as log_service
from rapport.services.context import transaction

def pause(ctx):
    ctx.session.flush()
    print("ENTRIES-WRITTEN", flush=True)
    time.sleep(300)

log_service.AFTER_ENTRIES_HOOK = pause
factory = session_factory(make_engine(sys.argv[1]))
with transaction(factory, user_id="U1", work_date=dt.date(2025, 3, 10)) as ctx:
    log_service.log_segment(ctx, sys.argv[2], send=False)
print("COMMITTED", flush=True)
"""


def _counts(factory: SF) -> dict[str, int]:
    with factory() as s:
        return {
            model.__tablename__: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (
                m.SegmentHeader,
                m.SegmentLine,
                m.LoggedSegment,
                m.CampaignEntry,
                m.InteractionLogEntry,
            )
        }


def _committed_entries(engine: Engine) -> int:
    """Entries visible to another reader now, read without taking SQLite's write lock."""
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT count(*) FROM interaction_log_entry")
        row = cursor.fetchone()
        conn.rollback()
        return int(row[0]) if row else -1
    finally:
        conn.close()


def _wait_for_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    ready, _, _ = io_select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline().strip() if ready else ""


def test_killed_logging_changes_nothing(fixture_db: SF, tx: TxFactory, engine: Engine) -> None:
    with fixture_db.begin() as s:
        bulk_segment(s, "BIG", LINES, campaign_no="CP1")
    before = _counts(fixture_db)
    url = engine.url.render_as_string(hide_password=False)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, "BIG"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _wait_for_line(proc, 240)
        assert line == "ENTRIES-WRITTEN", proc.stderr.read() if proc.stderr else line
        assert _committed_entries(engine) == 0  # the child's uncommitted entries are invisible
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert _counts(fixture_db) == before
    assert before["segment_line"] == LINES and before["interaction_log_entry"] == 0
    with fixture_db() as s:
        assert s.get(m.SegmentHeader, "BIG") is not None
    with tx() as ctx:  # no lock or half-written state is left behind
        assert log_segment(ctx, "BIG", send=False).entries == LINES
    assert _counts(fixture_db)["interaction_log_entry"] == LINES
