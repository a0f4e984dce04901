"""Ctrl-C and SIGTERM stop a running command cleanly: one line, 130 or 143, nothing changed.

The real ``rapport`` executable generates contacts (``demo --contacts``, one transaction in
batches of 100,000) on the SPEC fixture, and the test sends the signal once the command is
surely inside its transaction with rows written: on SQLite when its progress bar (drawn because
its stderr is a pseudo-terminal) shows the first batch done; on PostgreSQL, where a batch takes
several seconds, when the server shows the INSERT of contacts running (it has drawn the contact
numbers from their series before). Then it checks the exit status, the message, and that every
table is as it was.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tests.e2e.cli_outcome_support import everything
from tests.e2e.cli_support import RAPPORT

CONTACTS = 300_000  # three batches: the signal comes while the second one is written
FIRST_BATCH = b"100000/300000"


class Terminal:
    """A pseudo-terminal whose output a thread collects until the other end is closed."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: the process has gone and closed its end
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: bytes, process: subprocess.Popen[bytes], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output:
            assert process.poll() is None, f"ended early: {self.text()}"
            assert time.monotonic() < deadline, f"no {text!r} in: {self.text()}"
            time.sleep(0.02)

    def close(self) -> str:
        self._reader.join(timeout=10)
        os.close(self.master)
        return self.text()

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


def _wait_for_the_insert(engine: Engine, process: subprocess.Popen[bytes]) -> None:
    running = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND state = 'active' AND query LIKE 'INSERT INTO contact %'")
    deadline = time.monotonic() + 120
    with engine.connect() as conn:
        while not conn.execute(running).scalar():
            assert process.poll() is None and time.monotonic() < deadline
            conn.rollback()  # a fresh snapshot of the activity
            time.sleep(0.02)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["ctrl-c", "sigterm"])
def test_a_signal_during_a_command_rolls_it_back_and_says_so(
    fixture_db: sessionmaker[Session], engine: Engine, tmp_path: Path, signum: int, status: int
) -> None:
    before = everything(fixture_db)
    terminal = Terminal()
    env = {**os.environ, "RAPPORT_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "RAPPORT_LOG_FILE": str(tmp_path / "rapport.log"), "COLUMNS": "120", "TERM": "xterm",
           "NO_COLOR": "1"}
    process = subprocess.Popen([RAPPORT, "demo", "--contacts", str(CONTACTS)], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=terminal.slave)
    os.close(terminal.slave)
    try:
        if engine.dialect.name == "postgresql":
            _wait_for_the_insert(engine, process)
        else:
            terminal.wait_for(FIRST_BATCH, process, seconds=120)
        process.send_signal(signum)
        stdout, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    shown = terminal.close()
    assert process.returncode == status, shown
    assert "interrupted, nothing was changed" in shown and "Traceback" not in shown, shown
    assert stdout == b""  # no "contacts generated"
    assert everything(fixture_db) == before
