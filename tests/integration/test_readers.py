"""Readers never wait for a writer; a writer that waits too long is told so in one line.

On SQLite a writing use case takes the write lock up front (BEGIN IMMEDIATE) while a reading one
starts a deferred transaction that WAL serves from a snapshot. On PostgreSQL readers never wait
for writers anyway, and a reading use case is READ ONLY.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from rapport.db.engine import WRITER_CACHE_KIB
from rapport.errors import DatabaseUnavailableError
from rapport.services.setup import SalespersonInput, create_salesperson, list_salespeople
from rapport.wiring import Rapport, for_url

#: How long a test waits for something that must happen at once (far above its real time).
PATIENCE_S = 20


def _hold_a_write(rapport: Rapport, started: threading.Event, release: threading.Event) -> None:
    with rapport.use_case(user_id="WRITER") as ctx:
        create_salesperson(ctx, SalespersonInput(code="NEW", name="Written meanwhile"))
        ctx.session.flush()
        started.set()
        release.wait(PATIENCE_S)


def test_a_reader_finishes_while_a_writer_holds_the_lock(rapport: Rapport) -> None:
    with rapport.use_case() as ctx:
        create_salesperson(ctx, SalespersonInput(code="OLD", name="Committed before"))
    started, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_hold_a_write, args=(rapport, started, release))
    writer.start()
    try:
        assert started.wait(PATIENCE_S)
        seen: list[list[str]] = []

        def read() -> None:
            with rapport.use_case(readonly=True) as ctx:
                seen.append([p.code for p in list_salespeople(ctx)])

        reader = threading.Thread(target=read)
        reader.start()
        reader.join(PATIENCE_S)
        finished_while_held = not reader.is_alive() and not release.is_set()
    finally:
        release.set()
        writer.join(PATIENCE_S)
    assert finished_while_held
    assert seen == [["OLD"]]  # the snapshot before the writer's change
    with rapport.use_case(readonly=True) as ctx:
        assert [p.code for p in list_salespeople(ctx)] == ["NEW", "OLD"]


def test_a_new_process_reads_while_a_writer_holds_the_lock(rapport: Rapport) -> None:
    """The first use case of a process checks the schema: a reader checks without a write lock."""
    started, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_hold_a_write, args=(rapport, started, release))
    writer.start()
    seen: list[list[str]] = []
    try:
        assert started.wait(PATIENCE_S)
        with for_url(rapport.engine.url.render_as_string(hide_password=False)) as other:

            def read() -> None:
                with other.use_case(readonly=True) as ctx:
                    seen.append([p.code for p in list_salespeople(ctx)])

            reader = threading.Thread(target=read)
            reader.start()
            reader.join(PATIENCE_S)
            finished_while_held = not reader.is_alive() and not release.is_set()
    finally:
        release.set()
        writer.join(PATIENCE_S)
    assert finished_while_held
    assert seen == [[]]  # the snapshot before the writer's change


def test_a_read_only_use_case_cannot_write(rapport: Rapport) -> None:
    refused = (DBAPIError, DatabaseUnavailableError)
    with pytest.raises(refused), rapport.use_case(readonly=True) as ctx:
        create_salesperson(ctx, SalespersonInput(code="SNEAK"))
        ctx.session.flush()
    with rapport.use_case(readonly=True) as ctx:
        assert list(list_salespeople(ctx)) == []


def test_a_second_writer_past_the_busy_timeout_is_told_to_try_again(tmp_path: Path) -> None:
    """On SQLite: PostgreSQL writers lock rows, not the whole database, so they never meet it."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    rapport = for_url(url)
    rapport.upgrade()
    impatient = for_url(url, busy_timeout_ms=200)
    started, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_hold_a_write, args=(rapport, started, release))
    writer.start()
    try:
        assert started.wait(PATIENCE_S)
        with pytest.raises(DatabaseUnavailableError) as caught, impatient.use_case() as ctx:
            create_salesperson(ctx, SalespersonInput(code="LATE"))
    finally:
        release.set()
        writer.join(PATIENCE_S)
        impatient.dispose()
        rapport.dispose()
    assert "another change is running on this database" in caught.value.message
    assert caught.value.retry
    assert "INSERT" not in caught.value.message and "LATE" not in caught.value.message


def test_a_sqlite_connection_gets_the_large_page_cache_when_it_first_writes(
    tmp_path: Path,
) -> None:
    """On SQLite (a PostgreSQL server has one shared cache): a connection that has only read
    keeps SQLite's default page cache, which a one-off scan of a large file (a preview in its
    own process) fills faster than a large one; its first write gives it 256 MB for good."""
    default = sqlite3.connect(":memory:").execute("PRAGMA cache_size").fetchone()[0]
    with for_url(f"sqlite:///{tmp_path / 'cache.db'}") as rapport:
        rapport.upgrade()

        def cache_size(*, readonly: bool) -> int:
            with rapport.use_case(readonly=readonly) as ctx:
                return int(ctx.session.execute(text("PRAGMA cache_size")).scalar_one())

        assert cache_size(readonly=True) == default != -WRITER_CACHE_KIB
        assert cache_size(readonly=False) == -WRITER_CACHE_KIB
        assert cache_size(readonly=True) == -WRITER_CACHE_KIB  # the pooled connection keeps it


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with (
        for_url(f"sqlite:///{path}") as rapport,
        pytest.raises(DatabaseUnavailableError) as caught,
        rapport.use_case(),
    ):
        pass
    assert "No rapport database at" in caught.value.message
    assert "rapport db upgrade" in caught.value.message
    assert not path.exists()


def test_a_database_without_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    with for_url(f"sqlite:///{path}") as rapport:
        with rapport.engine.begin() as conn:
            conn.execute(text("CREATE TABLE unrelated (x INTEGER)"))
        with pytest.raises(DatabaseUnavailableError) as caught, rapport.use_case():
            pass
    assert "run `rapport db upgrade`" in caught.value.message


def test_a_database_behind_the_code_names_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with for_url(f"sqlite:///{path}") as rapport:
        with rapport.engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            conn.execute(text("INSERT INTO alembic_version VALUES ('0000')"))
        with pytest.raises(DatabaseUnavailableError) as caught, rapport.use_case():
            pass
    assert "schema revision 0000" in caught.value.message
    assert "rapport db upgrade" in caught.value.message


def test_upgrade_creates_the_database_and_use_cases_then_work(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with for_url(f"sqlite:///{path}") as rapport:
        rapport.upgrade()
        with rapport.use_case(readonly=True) as ctx:
            assert list(list_salespeople(ctx)) == []
    assert path.exists()
