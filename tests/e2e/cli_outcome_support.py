"""What the tests of how a command ends share: the database they run on, a snapshot of all of it.

``prepare`` adds to the SPEC §5.1 fixture an unlogged segment SEG0002 (lines for P11 and P3,
line numbers 10000 and 20000) and, if asked, a logged segment (logged segment 1, interaction log
entries 1 and 2); commands act as U1 and write internal errors to a log file under the test's
temporary folder, never to the user's own.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db.models import Base
from tests.builders_logging import log_new_segment, segment_with_lines
from tests.conftest import TxFactory
from tests.e2e.cli_support import run_main

WORK_DATE = ("--work-date", "2025-03-10")


def prepare(factory: sessionmaker[Session], tx: TxFactory, url: str, log: Path, *,
            logged: bool = True) -> dict[str, str]:
    """Add the segments to the fixture; the environment the CLI runs in."""
    if logged:
        log_new_segment(factory, tx, ["P11", "P3"], no="SEG0001")
    with factory.begin() as session:
        segment_with_lines(session, ["P11", "P3"], no="SEG0002", template_code="T-CALL")
    return {"RAPPORT_DATABASE_URL": url, "RAPPORT_USER_ID": "U1", "RAPPORT_LOG_FILE": str(log)}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``rapport --work-date 2025-03-10 ARGS`` through ``main()``, in this process."""
    return run_main(env, *WORK_DATE, *args)


def everything(factory: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for "nothing was changed" assertions."""
    with factory() as session:
        return {table.name: [tuple(row) for row in session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables}
