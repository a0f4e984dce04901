"""Migration 0002 carries wide segment lines and their journal over to the narrow shape exactly.

A database is migrated to 0001, filled with wide lines (some showing just what their header gives,
some personalised, one with a unique language row) and journal rows, then upgraded to the head:
every line and journal row must show exactly the values it had, data rows exist only where a
line differs from its header, and the contact of a line still cannot be deleted.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from rapport.db.engine import make_engine
from rapport.db.migrate import alembic_config, upgrade
from rapport.services.segments._resolved import resolved_history, resolved_lines
from rapport.services.tables import HISTORY_DATA, LINE, LINE_DATA, LINE_FIELDS, MEMBERSHIP
from tests.conftest import PG_URL

DAY = dt.date(2025, 3, 10)
FIELDS = [*MEMBERSHIP, *LINE_FIELDS]


@pytest.fixture
def old_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database of the backend, migrated to revision 0001 only."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        upgrade(engine, "0001")
        yield engine
        engine.dispose()
        return
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # no PostgreSQL: skipped like every PostgreSQL variant
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is unreachable at {PG_URL} and CI=true: {exc}")
        pytest.skip("PostgreSQL is not reachable (set CI=true to make this an error)")
    name = f"rapport_mig_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(PG_URL).set(database=name).render_as_string(
        hide_password=False))
    try:
        upgrade(engine, "0001")
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database behind ``engine`` down to ``revision``."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def _wide_line(line_no: int, contact: str | None, **values: Any) -> dict[str, Any]:
    """A wide line showing what header S1 gives (language '' unless told), then ``values``."""
    row: dict[str, Any] = dict(
        segment_no="S1", line_no=line_no, contact_no=contact, contact_company_no="C1",
        contact_alt_address_code=None, contact_excluded=False, description="Spring",
        campaign_no="CP1", salesperson_code="SP1", correspondence_type="Email",
        interaction_template_code="T1", interaction_group_code="G1", cost=Decimal("2.50"),
        duration=5, date=DAY, time_of_interaction=None, campaign_target=False,
        campaign_response=False, information_flow="Outbound", initiated_by="Us",
        send_word_doc_as_attmt=False, word_template_code=None, language_code="",
        subject="Hi", attachment_no=1, evaluation="", attempt_failed=False, todo_no="",
        opportunity_no="", document_type="", document_no="", version_no=0,
        doc_no_occurrence=0, contact_via="", campaign_entry_no=None, merged=False)
    row.update(values)
    return row


LINES = [
    _wide_line(10000, "C1", language_code="DEU", subject="Hallo", attachment_no=2),
    _wide_line(20000, "P2", description="Personal", evaluation="Positive"),
    _wide_line(30000, "P2", attachment_no=3, subject="Own"),  # a unique language row
    _wide_line(35000, None, contact_company_no=None),  # a blank line
]
JOURNAL = [
    {**_wide_line(40000, "C1"), "segment_action_no": 1, "action_taken": "Deletion"},
    {**_wide_line(50000, "P2", cost=Decimal("9.00")), "segment_action_no": 1,
     "action_taken": "Deletion"},
]


def _fill_0001(engine: Engine) -> None:
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        conn.execute(insert(t["salesperson"]), [{"code": "SP1", "name": "Sam"}])
        conn.execute(insert(t["interaction_group"]), [{"code": "G1"}])
        conn.execute(insert(t["campaign"]), [{"no": "CP1", "description": "Spring"}])
        conn.execute(insert(t["interaction_template"]), [
            {"code": "T1", "interaction_group_code": "G1", "description": "Letter"}])
        conn.execute(insert(t["attachment"]), [
            {"no": n, "file_name": f"a{n}.docx", "content": b"x"} for n in (1, 2, 3)])
        conn.execute(insert(t["contact"]), [
            {"no": "C1", "type": "Company", "name": "Cee", "search_name": "CEE",
             "company_no": "C1"},
            {"no": "P2", "type": "Person", "name": "Pee", "search_name": "PEE",
             "company_no": "C1"}])
        conn.execute(insert(t["segment_header"]), [dict(
            no="S1", description="Spring", campaign_no="CP1", salesperson_code="SP1",
            date=DAY, interaction_template_code="T1", interaction_group_code="G1",
            language_code_default="", unit_cost=Decimal("2.50"), unit_duration=5,
            information_flow="Outbound", initiated_by="Us", user_id="U1")])
        conn.execute(insert(t["segment_interaction_language"]), [
            dict(segment_no="S1", segment_line_no=0, language_code="", attachment_no=1,
                 subject="Hi"),
            dict(segment_no="S1", segment_line_no=0, language_code="DEU", attachment_no=2,
                 subject="Hallo"),
            dict(segment_no="S1", segment_line_no=30000, language_code="", attachment_no=3,
                 subject="Own")])
        conn.execute(insert(t["segment_line"]), LINES)
        conn.execute(insert(t["segment_history"]), JOURNAL)


def _shown(rows: Any, key: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(r[k] for k in key): {f: r[f] for f in FIELDS} for r in rows}


def test_upgrade_carries_wide_lines_and_journal_over_exactly(old_engine: Engine) -> None:
    _fill_0001(old_engine)
    upgrade(old_engine)
    with old_engine.connect() as conn:
        lines = _shown(conn.execute(resolved_lines()).mappings(), ["line_no"])
        journal = _shown(conn.execute(resolved_history()).mappings(),
                         ["segment_action_no", "line_no"])
        data = sorted(conn.scalars(select(LINE_DATA.c.line_no)))
        journal_data = sorted(conn.scalars(select(HISTORY_DATA.c.line_no)))
        narrow = sorted(conn.scalars(select(LINE.c.line_no)))
    assert lines == {(r["line_no"],): {f: r[f] for f in FIELDS} for r in LINES}
    assert journal == {(r["segment_action_no"], r["line_no"]): {f: r[f] for f in FIELDS}
                       for r in JOURNAL}
    assert narrow == [10000, 20000, 30000, 35000]
    assert data == [20000, 30000]  # personalised; the others show what the header gives
    assert journal_data == [50000]


def test_a_contact_on_a_line_still_cannot_be_deleted_after_the_upgrade(
    old_engine: Engine,
) -> None:
    _fill_0001(old_engine)
    upgrade(old_engine)
    with pytest.raises(IntegrityError), old_engine.begin() as conn:
        conn.execute(text("DELETE FROM contact WHERE no = 'P2'"))
    with old_engine.begin() as conn:  # the header's deletion takes its lines with it
        conn.execute(text("DELETE FROM segment_header WHERE no = 'S1'"))
        conn.execute(text("DELETE FROM contact WHERE no = 'P2'"))
        assert conn.scalar(text("SELECT count(*) FROM segment_line")) == 0
        assert conn.scalar(text("SELECT count(*) FROM segment_history")) == 0


def test_downgrade_brings_the_wide_lines_back(old_engine: Engine) -> None:
    _fill_0001(old_engine)
    upgrade(old_engine)
    downgrade(old_engine, "0001")
    meta = MetaData()
    meta.reflect(old_engine, only=["segment_line", "segment_history"])
    lines, journal = meta.tables["segment_line"], meta.tables["segment_history"]
    with old_engine.connect() as conn:
        back = _shown(conn.execute(select(lines)).mappings(), ["line_no"])
        back_journal = _shown(conn.execute(select(journal)).mappings(),
                              ["segment_action_no", "line_no"])
    assert back == {(r["line_no"],): {f: r[f] for f in FIELDS} for r in LINES}
    assert back_journal == {(r["segment_action_no"], r["line_no"]): {f: r[f] for f in FIELDS}
                            for r in JOURNAL}
