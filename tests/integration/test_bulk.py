"""The bulk connection on SQLite: rollback journal only when alone, foreign keys off only on it,
WAL back afterwards, and other connections working meanwhile (PostgreSQL: test_demo.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from rapport.db.bulk import bulk_connection
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.services.context import transaction
from rapport.services.demo import ensure_setup

INSERT = text("INSERT INTO language (code, name) VALUES ('XX', 'Bulk')")
LANGUAGES = text("SELECT count(*) FROM language WHERE code = 'XX'")


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "bulk.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _pragma(engine: Engine, name: str) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_alone_it_writes_through_the_rollback_journal_without_foreign_keys(
        sqlite_engine: Engine) -> None:
    with bulk_connection(sqlite_engine) as conn:
        assert conn.info["journal_mode"] == "delete"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        conn.execute(INSERT)
        conn.commit()
    assert _pragma(sqlite_engine, "journal_mode") == "wal"
    assert _pragma(sqlite_engine, "foreign_keys") == 1
    assert _pragma(sqlite_engine, "synchronous") == 1  # NORMAL, with WAL
    with sqlite_engine.connect() as conn:
        assert conn.execute(LANGUAGES).scalar() == 1


def test_with_another_connection_open_it_stays_in_wal(sqlite_engine: Engine) -> None:
    other = make_engine(str(sqlite_engine.url))
    with other.connect() as reader:
        reader.execute(LANGUAGES)
        reader.rollback()  # idle now, but it holds the WAL file open
        with bulk_connection(sqlite_engine) as conn:
            assert conn.info["journal_mode"] == "wal"
            conn.execute(INSERT)
            conn.commit()
        assert reader.execute(LANGUAGES).scalar() == 1
    other.dispose()
    assert _pragma(sqlite_engine, "journal_mode") == "wal"


def test_a_connection_opened_during_a_bulk_write_works_and_wal_comes_back(
        sqlite_engine: Engine) -> None:
    other = make_engine(str(sqlite_engine.url))
    with bulk_connection(sqlite_engine) as conn:
        assert conn.info["journal_mode"] == "delete"
        conn.execute(INSERT)
        reader = other.raw_connection()  # connects although WAL cannot be set now
        assert _count(reader) == 0  # a plain read sees the state before the write
        conn.commit()
    assert _count(reader) == 1
    assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    reader.close()
    other.dispose()


def _count(raw: Any) -> int:
    cursor = raw.cursor()
    (found,) = cursor.execute(str(LANGUAGES)).fetchone()
    cursor.close()
    return int(found)


def test_a_failed_bulk_write_changes_nothing_and_restores_wal(sqlite_engine: Engine) -> None:
    with pytest.raises(RuntimeError), bulk_connection(sqlite_engine) as conn:
        conn.execute(INSERT)
        raise RuntimeError("the use case failed")
    with sqlite_engine.connect() as conn:
        assert conn.execute(LANGUAGES).scalar() == 0
    assert _pragma(sqlite_engine, "journal_mode") == "wal"


def test_the_bulk_connection_never_goes_back_to_the_pool(sqlite_engine: Engine) -> None:
    with transaction(session_factory(sqlite_engine), user_id="U1") as ctx:
        ensure_setup(ctx)
    with bulk_connection(sqlite_engine) as conn:
        bulk_raw = conn.connection.driver_connection
    with sqlite_engine.connect() as conn:
        assert conn.connection.driver_connection is not bulk_raw
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
