"""Set-based foreign keys keep what a foreign key guarantees (migration 0002, issue 11).

A line's contact reference is checked once per statement instead of once per row. These tests
prove the guarantee on the database itself: a contact on a line cannot be deleted (both
engines, also when the deletion starts while the line is being written), and on PostgreSQL,
where writers run side by side, a line cannot refer to a missing contact, also when the
contact is deleted while the line is written. (On SQLite one writer runs at a time and every
writer of lines selects the contacts it puts on them in the same statement.)
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.services.tables import vouched
from tests.concurrency import run_at_once

SF = sessionmaker[Session]
#: Lines are written in plain SQL here, to test the keys the database itself enforces.
pytestmark = pytest.mark.raw_lines
LINE = "INSERT INTO segment_line (segment_no, line_no, contact_no) VALUES ('S1', {n}, '{c}')"


@pytest.fixture
def world(factory: SF) -> SF:
    with factory.begin() as s:
        s.add_all([m.Contact(no="C1", type="Company", name="Cee", search_name="CEE"),
                   m.Contact(no="C2", type="Company", name="Dee", search_name="DEE"),
                   m.SegmentHeader(no="S1", description="S", user_id="U1")])
    return factory


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


POSTGRESQL_ONLY = pytest.mark.parametrize("backend", ["postgresql"])


@POSTGRESQL_ONLY
def test_a_line_cannot_refer_to_a_missing_contact(world: SF, engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(LINE.format(n=10000, c="NOPE")))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(LINE.format(n=10000, c="C1")))
        conn.execute(text("UPDATE segment_line SET contact_no = 'NOPE'"))
    assert _count(engine, "SELECT count(*) FROM segment_line") == 0


def test_a_contact_on_a_line_cannot_be_deleted_or_renumbered(world: SF, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(LINE.format(n=10000, c="C1")))
    for sql in ("DELETE FROM contact WHERE no = 'C1'",
                "UPDATE contact SET no = 'C9' WHERE no = 'C1'"):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(sql))
    with engine.begin() as conn:  # a contact without lines goes as before
        conn.execute(text("DELETE FROM contact WHERE no = 'C2'"))
    assert _count(engine, "SELECT count(*) FROM contact") == 1


def _race(engine: Engine, first: str, second: str) -> tuple[list[BaseException], bool]:
    """``first`` runs and holds its transaction open; ``second`` starts meanwhile; ``first``
    commits a moment later. The errors, and whether ``second`` waited for ``first``."""
    started, first_committed = threading.Event(), threading.Event()
    waited = []

    def one() -> None:
        with engine.begin() as conn:
            conn.execute(text(first))
            started.set()
            time.sleep(1.0)
            first_committed.set()

    def two() -> None:
        started.wait(10)
        with engine.begin() as conn:
            conn.execute(text(second))
            waited.append(first_committed.is_set())

    errors = run_at_once(one, two)
    return errors, all(waited)


def test_deleting_a_contact_while_its_line_is_written_is_refused(
    world: SF, engine: Engine
) -> None:
    errors, waited = _race(engine, LINE.format(n=10000, c="C1"),
                           "DELETE FROM contact WHERE no = 'C1'")
    assert waited  # the deletion waited for the writer of the line
    assert [type(e) for e in errors] == [IntegrityError]
    assert "fk_segment_line_contact_no_contact" in str(errors[0])
    assert _count(engine, "SELECT count(*) FROM segment_line WHERE contact_no = 'C1'") == 1
    assert _count(engine, "SELECT count(*) FROM contact WHERE no = 'C1'") == 1


@POSTGRESQL_ONLY
def test_writing_a_line_for_a_contact_being_deleted_is_refused(
    world: SF, engine: Engine
) -> None:
    errors, waited = _race(engine, "DELETE FROM contact WHERE no = 'C1'",
                           LINE.format(n=10000, c="C1"))
    assert waited
    assert [type(e) for e in errors] == [IntegrityError]
    assert _count(engine, "SELECT count(*) FROM segment_line") == 0
    assert _count(engine, "SELECT count(*) FROM contact WHERE no = 'C1'") == 0


#: Each reference of an interaction log entry: (column, parent table, parent key, value).
ENTRY_REFERENCES = [
    ("contact_no", "contact", "no", "'C1'"),
    ("attachment_no", "attachment", "no", "1"),
    ("interaction_group_code", "interaction_group", "code", "'G1'"),
    ("interaction_template_code", "interaction_template", "code", "'T1'"),
    ("campaign_entry_no", "campaign_entry", "entry_no", "1"),
    ("logged_segment_entry_no", "logged_segment", "entry_no", "1"),
    ("salesperson_code", "salesperson", "code", "'SP1'"),
]


@pytest.fixture
def parents(world: SF) -> SF:
    with world.begin() as s:
        s.add_all([m.Attachment(no=1, file_name="a.docx", content=b"x"),
                   m.InteractionGroup(code="G1"), m.Salesperson(code="SP1", name="Sam"),
                   m.Campaign(no="CP1", description="C"),
                   m.LoggedSegment(entry_no=1, segment_no="S0", description="L",
                                   user_id="U1")])
        s.flush()
        s.add_all([m.InteractionTemplate(code="T1", interaction_group_code="G1"),
                   m.CampaignEntry(entry_no=1, campaign_no="CP1", description="E",
                                   user_id="U1")])
    return world


def _entry(column: str, value: str) -> str:
    return ("INSERT INTO interaction_log_entry (user_id, " + column + ") "
            "VALUES ('U1', " + value + ")")


@pytest.mark.parametrize(("column", "parent", "key", "value"), ENTRY_REFERENCES)
def test_a_parent_an_entry_refers_to_cannot_be_deleted(
    parents: SF, engine: Engine, column: str, parent: str, key: str, value: str
) -> None:
    with engine.begin() as conn:
        conn.execute(text(_entry(column, value)))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {parent} WHERE {key} = {value}"))  # noqa: S608
    assert _count(engine, f"SELECT count(*) FROM {parent} WHERE {key} = {value}") == 1  # noqa: S608


@POSTGRESQL_ONLY
@pytest.mark.parametrize(("column", "parent", "key", "value"), ENTRY_REFERENCES)
def test_an_entry_cannot_refer_to_a_missing_parent(
    parents: SF, engine: Engine, column: str, parent: str, key: str, value: str
) -> None:
    missing = "'NOPE'" if value.startswith("'") else "999"
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(_entry(column, missing)))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(_entry(column, value)))
        conn.execute(text(f"UPDATE interaction_log_entry SET {column} = {missing}"))  # noqa: S608
    assert _count(engine, "SELECT count(*) FROM interaction_log_entry") == 0


READ_AND_WRITE = ("INSERT INTO segment_line (segment_no, line_no, contact_no) "
                  "SELECT 'S1', 10000, no FROM contact WHERE no = 'C1'")


def _vouched_race(factory: SF, engine: Engine, *, writer_first: bool) -> tuple[
        list[BaseException], int]:
    """A vouched writer (it takes the lock, then reads the contact it writes) and a deletion
    of that contact, the one or the other first; the errors and the lines written."""
    started, done = threading.Event(), threading.Event()
    written = []

    def writer() -> None:
        if not writer_first:
            started.wait(10)
        with factory.begin() as session, vouched(session, [("segment_line", "contact_no")]):
            written.append(session.execute(text(READ_AND_WRITE)).rowcount)  # type: ignore[attr-defined]
            if writer_first:
                started.set()
                time.sleep(1.0)

    def deletion() -> None:
        if writer_first:
            started.wait(10)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM contact WHERE no = 'C1'"))
            if not writer_first:
                started.set()
                time.sleep(1.0)
        done.set()

    errors = run_at_once(writer, deletion)
    return errors, sum(written)


@POSTGRESQL_ONLY
def test_a_vouched_writer_still_keeps_a_racing_deletion_out(world: SF, engine: Engine) -> None:
    errors, written = _vouched_race(world, engine, writer_first=True)
    assert written == 1 and [type(e) for e in errors] == [IntegrityError]
    assert _count(engine, "SELECT count(*) FROM contact WHERE no = 'C1'") == 1
    assert _count(engine, "SELECT count(*) FROM segment_line WHERE contact_no = 'C1'") == 1


@POSTGRESQL_ONLY
def test_a_vouched_writer_waits_for_a_running_deletion_and_then_does_not_see_it(
    world: SF, engine: Engine
) -> None:
    errors, written = _vouched_race(world, engine, writer_first=False)
    assert errors == [] and written == 0
    assert _count(engine, "SELECT count(*) FROM segment_line") == 0
