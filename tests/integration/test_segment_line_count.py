"""A segment's kept number of lines (segment_header.no_of_lines, migration 0010) is always the
count of its lines: after any sequence of the verbs that add or remove lines, after a refused
one, and after the migration's backfill. (Every database test also checks it when it ends:
tests/conftest.py ``check_line_counts``.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.db.migrate import alembic_config, upgrade
from rapport.errors import RapportError
from rapport.services.context import Ctx
from rapport.services.criteria import (
    add_contacts,
    go_back,
    reduce_contacts,
    refine_contacts,
    reset_criteria,
    reuse_criteria,
    reuse_logged_segment,
    save_criteria,
)
from rapport.services.log import log_segment
from rapport.services.segments import (
    add_blank_line,
    add_line,
    change_line_contact,
    delete_segment,
    get_segment,
    line_page,
    remove_line,
)
from rapport.services.tables import LINE
from tests.builders import unique
from tests.builders_segments import filters, make_segment
from tests.conftest import TxFactory

CONTACTS = ["C1", "P11", "P12", "C2", "P21", "P3", "X1", "X11"]
CRITERIA = ["Contact.no=C1|P11", "Contact.no=P*", "Contact.type=Company", "Mailing Group.code=NEWS",
            "Contact.no=X*", "Contact.no=NOBODY"]
Step = Callable[[Ctx, str], object]


def _line_nos(ctx: Ctx, no: str) -> list[int]:
    return list(ctx.session.scalars(select(LINE.c.line_no).where(LINE.c.segment_no == no)))


def _pick(ctx: Ctx, no: str, index: int) -> int:
    """A line of the segment (the index-th, wrapping); a missing line when it has none."""
    found = _line_nos(ctx, no)
    return found[index % len(found)] if found else 10_000


def _reuse_saved(ctx: Ctx, no: str) -> object:
    code = unique("SC")
    save_criteria(ctx, no, code)
    return reuse_criteria(ctx, no, code, append=True)


def _step(kind: str, index: int) -> Step:
    """The verb ``kind`` with its argument chosen by ``index``."""
    contact, criteria = CONTACTS[index % len(CONTACTS)], filters(CRITERIA[index % len(CRITERIA)])
    steps: dict[str, Step] = {
        "add": lambda ctx, no: add_contacts(ctx, no, criteria, ignore_exclusion=index % 2 == 0),
        "reduce": lambda ctx, no: reduce_contacts(ctx, no, criteria),
        "refine": lambda ctx, no: refine_contacts(ctx, no, criteria),
        "go back": go_back,
        "reset": reset_criteria,
        "add line": lambda ctx, no: add_line(ctx, no, contact),
        "blank line": add_blank_line,
        "remove line": lambda ctx, no: remove_line(ctx, no, _pick(ctx, no, index)),
        "change contact": lambda ctx, no: change_line_contact(ctx, no, _pick(ctx, no, index),
                                                              contact),
        "reuse criteria": _reuse_saved,
    }
    return steps[kind]


def _check(factory: sessionmaker[Session], tx: TxFactory, no: str) -> int:
    """The kept number equals the count, as the header, a page and the summary tell it."""
    with factory() as s:
        counted = s.scalar(select(func.count()).select_from(LINE).where(LINE.c.segment_no == no))
        kept = s.scalar(select(m.SegmentHeader.no_of_lines).where(m.SegmentHeader.no == no))
    with tx() as ctx:
        assert line_page(ctx, no, limit=1).total == counted
        assert get_segment(ctx, no).no_of_lines == counted
    assert kept == counted
    return int(counted or 0)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["add", "reduce", "refine", "go back", "reset",
                                           "add line", "blank line", "remove line",
                                           "change contact", "reuse criteria"]),
                          st.integers(0, 50)), min_size=1, max_size=12))
def test_kept_count_follows_every_verb(
    fixture_db: sessionmaker[Session], tx: TxFactory, steps: list[tuple[str, int]]
) -> None:
    no = make_segment(fixture_db, unique("LC"))
    for kind, index in steps:
        try:
            with tx() as ctx:
                _step(kind, index)(ctx, no)
        except RapportError:  # refused (no action to undo, a blocked contact …): no change
            pass
        _check(fixture_db, tx, no)


def test_log_and_reuse_logged_segment_and_delete(
    fixture_db: sessionmaker[Session], tx: TxFactory
) -> None:
    """Logging deletes the segment; its follow-up and a reuse count the logged lines."""
    make_segment(fixture_db, "S1", template="T-LET")
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P11|P21|P3"), ignore_exclusion=True)
        logged = log_segment(ctx, "S1", send=False, follow_up=True)
    assert logged.follow_up_segment_no is not None
    assert _check(fixture_db, tx, logged.follow_up_segment_no) == 3
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        add_blank_line(ctx, "S2")
        reuse_logged_segment(ctx, "S2", logged.logged_segment_entry_no, append=True)
    assert _check(fixture_db, tx, "S2") == 4
    with tx() as ctx:
        go_back(ctx, "S2")
    assert _check(fixture_db, tx, "S2") == 1
    with tx() as ctx:
        delete_segment(ctx, "S2")
    with fixture_db() as s:
        assert s.get(m.SegmentHeader, "S2") is None


def test_refused_step_leaves_the_count(fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    """A use case that fails after adding lines rolls the number back with them."""
    make_segment(fixture_db, "S1")
    with pytest.raises(RuntimeError, match="after the lines"), tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P*"), ignore_exclusion=True)
        assert get_segment(ctx, "S1").no_of_lines == 4  # P11, P12, P21, P3: its own lines
        raise RuntimeError("after the lines")
    assert _check(fixture_db, tx, "S1") == 0


def _downgraded(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0009")


def test_migration_backfills_the_count(fixture_db: sessionmaker[Session], engine: Engine,
                                       tx: TxFactory) -> None:
    make_segment(fixture_db, "S1")
    make_segment(fixture_db, "S2")
    with tx() as ctx:
        add_contacts(ctx, "S1", filters("Contact.no=P*|C*"), ignore_exclusion=True)
    _downgraded(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO segment_line (segment_no, line_no, contact_no, "
                          "contact_excluded, correspondence_type, language_code) "
                          "VALUES ('S2', 10000, 'X1', false, '', '')"))
    upgrade(engine)
    assert _check(fixture_db, tx, "S1") == 6
    assert _check(fixture_db, tx, "S2") == 1
