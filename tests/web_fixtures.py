"""Fixtures of the web tests: ``demo``, a wiring point on a copy of a database seeded once per
test session with the demo data and one account per role (SQLite: a file copy; PostgreSQL: a
database created from a seeded template), so that each test starts from the same data fast."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from rapport.db.engine import make_engine
from rapport.wiring import Rapport, for_url
from tests.conftest import PG_URL, _pg_admin_engine
from tests.web_support import seed_web_demo


@pytest.fixture(scope="session")
def web_sqlite_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    with for_url(f"sqlite:///{path}") as wired:
        seed_web_demo(wired)
    return path


def _url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def web_pg_template(pg_url: str | None) -> Iterator[str | None]:
    """A seeded PostgreSQL database used only as a template (no connection stays open)."""
    if pg_url is None:
        yield None
        return
    admin = _pg_admin_engine()
    assert admin is not None
    name = f"{make_url(pg_url).database}_web"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(pg_url).database}"'))
    with for_url(_url(name)) as wired:
        seed_web_demo(wired)
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def demo(backend: str, web_sqlite_template: Path, web_pg_template: str | None,
         tmp_path: Path) -> Iterator[Rapport]:
    """The wiring point on a fresh copy of the seeded demo database of the backend."""
    if backend == "sqlite":
        path = tmp_path / "demo.db"
        shutil.copyfile(web_sqlite_template, path)
        with for_url(f"sqlite:///{path}") as wired:
            yield wired
        return
    if web_pg_template is None:
        pytest.skip("PostgreSQL is not reachable (set CI=true to make this an error)")
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"{web_pg_template}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{web_pg_template}"'))
    try:
        with for_url(_url(name)) as wired:
            yield wired
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
