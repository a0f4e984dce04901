"""Test infrastructure: every database test runs on SQLite and on PostgreSQL.

Fixtures
- ``backend``: "sqlite" or "postgresql" (the database tests are parametrized over both).
- ``rapport``: the wiring point (``rapport.wiring.Rapport``) on a fully migrated, empty database.
  Tests may commit freely; the database is emptied after each test (SQLite: a fresh copy of a
  migrated file; PostgreSQL: a private database per test session, emptied after each test).
- ``engine``, ``factory``: the wiring point's engine and session factory.
- ``tx``: a function opening ``transaction(factory, user_id="U1", work_date=2025-03-10)``, the
  unit of work services run in (see rapport.services.context).

PostgreSQL is reached at RAPPORT_TEST_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
When it is unreachable the PostgreSQL variants are skipped, unless CI=true: then the run fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from rapport.db.engine import make_engine
from rapport.db.migrate import upgrade
from rapport.db.models import Base
from rapport.db.schema import HEAD, revision_of
from rapport.services.context import Ctx, transaction
from rapport.wiring import Rapport, for_url

#: The web tests' seeded demo databases (``demo``), defined once for the whole session.
pytest_plugins = ["tests.web_fixtures"]

PG_URL = os.environ.get("RAPPORT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
WORK_DATE = dt.date(2025, 3, 10)
BACKENDS = ["sqlite", "postgresql"]


def _pg_admin_engine() -> Engine | None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is unreachable at {PG_URL} and CI=true: {exc}")
        return None
    return engine


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database file, copied for every test."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url(worker_id: str) -> Iterator[str | None]:
    """A private, migrated PostgreSQL database for this test session (and xdist worker).

    A test session's commits need not survive a crash of the server, so the database does not
    wait for its write-ahead log to reach the disk at each commit (``synchronous_commit=off``:
    same results, less waiting on a busy disk)."""
    admin = _pg_admin_engine()
    if admin is None:
        yield None
        return
    name = f"rapport_t_{worker_id}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_cleaner(pg_url: str | None) -> Iterator[Engine | None]:
    """The engine that empties this session's PostgreSQL database after each test.

    It keeps no connection between tests: the web tests' demo database is created with this
    one as its template, which PostgreSQL refuses while anyone is connected to it."""
    if pg_url is None:
        yield None
        return
    cleaner = make_engine(pg_url, poolclass=NullPool)
    yield cleaner
    cleaner.dispose()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """The xdist worker id, or "main" without xdist."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


#: Every table's rows deleted, children first, in one round trip.
_DELETE_ALL = "; ".join(
    str(table.delete().compile(dialect=postgresql.dialect()))
    for table in reversed(Base.metadata.sorted_tables)
)
#: Every sequence a test used (the tables' serial keys) restarted, as TRUNCATE … RESTART IDENTITY.
_RESTART_SEQUENCES = text(
    "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass, "
    "start_value, false) FROM pg_sequences "
    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def empty_database(engine: Engine) -> None:
    """Leave the database as migrated: every table empty, every serial key restarted.

    The same end as ``TRUNCATE <every table> RESTART IDENTITY``, at a small part of its cost:
    a TRUNCATE of 50 tables replaces every table's and index's files and took about a second
    per test, deleting the few rows a test leaves takes milliseconds. Triggers and foreign keys
    are not fired (``session_replication_role``): every row of every table goes.
    """
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(_DELETE_ALL)
        conn.execute(_RESTART_SEQUENCES)


#: Segments whose kept number of lines (segment_header.no_of_lines) is not their lines' count.
MISCOUNTED = text(
    "SELECT h.no, h.no_of_lines, (SELECT count(*) FROM segment_line l WHERE l.segment_no = h.no)"
    " FROM segment_header h WHERE h.no_of_lines <>"
    " (SELECT count(*) FROM segment_line l WHERE l.segment_no = h.no)")


def check_line_counts(engine: Engine) -> None:
    """Every segment's kept number of lines is its lines' count (after every database test:
    whatever a test did to lines, through whichever path, the number followed)."""
    with engine.connect() as conn:
        if revision_of(conn) != HEAD:  # a migration test left another schema
            return
        wrong = conn.execute(MISCOUNTED).all()
    assert not wrong, f"segment line counts differ from the lines (no, kept, counted): {wrong}"


@pytest.fixture
def rapport(
    backend: str, sqlite_template: Path, pg_url: str | None, pg_cleaner: Engine | None,
    tmp_path: Path, request: pytest.FixtureRequest,
) -> Iterator[Rapport]:
    """The wiring point on a migrated, empty database of the parametrized backend; afterwards
    each segment's kept number of lines is checked against its lines (unless ``raw_lines``)."""
    check = request.node.get_closest_marker("raw_lines") is None
    if backend == "sqlite":
        path = tmp_path / "rapport.db"
        shutil.copyfile(sqlite_template, path)
        with for_url(f"sqlite:///{path}") as wired:
            yield wired
            if check:
                check_line_counts(wired.engine)
        return
    if pg_url is None or pg_cleaner is None:
        pytest.skip("PostgreSQL is not reachable (set CI=true to make this an error)")
    try:
        with for_url(pg_url) as wired:
            yield wired
            if check:
                check_line_counts(wired.engine)
    finally:  # a miscounted segment fails its test, not the next one on this worker
        empty_database(pg_cleaner)


@pytest.fixture
def engine(rapport: Rapport) -> Engine:
    """The wiring point's engine."""
    return rapport.engine


@pytest.fixture
def factory(rapport: Rapport) -> sessionmaker[Session]:
    """The wiring point's session factory."""
    return rapport.factory


TxFactory = Callable[..., AbstractContextManager[Ctx]]


@pytest.fixture
def tx(factory: sessionmaker[Session]) -> TxFactory:
    """``with tx() as ctx:`` opens one use-case transaction as user U1 on the fixture work date."""

    def open_tx(user_id: str = "U1", work_date: dt.date = WORK_DATE,
                readonly: bool = False) -> AbstractContextManager[Ctx]:
        return transaction(factory, user_id=user_id, work_date=work_date, readonly=readonly)

    return open_tx


@pytest.fixture
def fixture_db(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """The database with SPEC §5.1 ("the fixture") committed; returns the session factory."""
    from tests.builders import spec_fixture

    with factory.begin() as session:
        spec_fixture(session)
    return factory
