"""``rapport interactions create / resume / postponed / delete-postponed`` on a SQLite file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from rapport.cli import common
from rapport.cli.main import app
from rapport.db import models as m
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from rapport.errors import RapportError
from tests.builders import spec_fixture
from tests.e2e.cli_support import reset_cli_caches as _reset_caches

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """A migrated SQLite file with the SPEC §5.1 fixture; the CLI acts as U1."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    monkeypatch.setenv("RAPPORT_USER_ID", "U1")
    monkeypatch.setattr(common.console, "_width", 160)  # tables must not wrap in the output
    _reset_caches()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    engine = make_engine(url)
    factory = session_factory(engine)
    with factory.begin() as session:
        spec_fixture(session)
    yield factory
    engine.dispose()
    _reset_caches()


def rapport(*args: str, work_date: str = "2025-03-10") -> Result:
    return runner.invoke(app, ["--work-date", work_date, "interactions", *args])


def _entries(factory: sessionmaker[Session]) -> list[m.InteractionLogEntry]:
    with factory() as session:
        rows = list(session.scalars(select(m.InteractionLogEntry)
                                    .order_by(m.InteractionLogEntry.entry_no)))
        session.expunge_all()
        return rows


def test_create_finishes_the_interaction(cli_db: sessionmaker[Session]) -> None:
    result = rapport("create", "--contact", "P11", "--template", "T-CALL", "--evaluation",
                     "positive", "--unsuccessful", "--comment", "first", "--comment", "second")
    assert result.exit_code == 0, result.output
    [entry] = _entries(cli_db)
    assert f"Interaction {entry.entry_no} recorded: P11 Anna Able" in result.output
    assert "salesperson SP1" in result.output and "evaluation Positive" in result.output
    assert "not successful" in result.output and "2 comment line(s)" in result.output
    assert (entry.interaction_template_code, entry.salesperson_code) == ("T-CALL", "SP1")
    assert (entry.evaluation, entry.attempt_failed, entry.postponed) == ("Positive", True, False)
    assert entry.date == dt.date(2025, 3, 10) and entry.time_of_interaction is not None


def test_create_by_contact_name_with_explicit_fields(cli_db: sessionmaker[Session],
                                                     tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_bytes(b"Dear Dora")
    result = rapport("create", "--contact", "dora", "--template", "T-CALL", "--description",
                     "Visit", "--date", "2025-03-11", "--time", "09:30", "--cost", "12.5",
                     "--duration", "45", "--campaign", "CP1", "--salesperson", "SP2",
                     "--attach", str(letter))
    assert result.exit_code == 0, result.output
    [entry] = _entries(cli_db)
    assert (entry.contact_no, entry.description, entry.salesperson_code) == ("P3", "Visit", "SP2")
    assert (entry.date, entry.time_of_interaction) == (dt.date(2025, 3, 11), dt.time(9, 30))
    assert (str(entry.cost), entry.duration) == ("12.50", 45)
    assert entry.campaign_entry_no is not None and "campaign CP1" in result.output
    with cli_db() as session:
        attachment = session.get(m.Attachment, entry.attachment_no)
        assert attachment is not None and attachment.content == b"Dear Dora"


def test_postpone_list_resume_and_keep_the_date(cli_db: sessionmaker[Session]) -> None:
    created = rapport("create", "--contact", "P3", "--template", "T-CALL", "--description",
                      "Call back", "--campaign", "CP1", "--postpone")
    assert created.exit_code == 0, created.output
    [entry] = _entries(cli_db)
    assert f"Interaction {entry.entry_no} postponed" in created.output
    listed = rapport("postponed")
    assert listed.exit_code == 0 and "Call back" in listed.output
    assert "1 postponed interaction(s)" in listed.output
    resumed = rapport("resume", str(entry.entry_no), work_date="2025-03-12")
    assert resumed.exit_code == 0, resumed.output
    assert f"Interaction {entry.entry_no} recorded" in resumed.output
    [done] = _entries(cli_db)
    assert done.entry_no == entry.entry_no and done.postponed is False
    assert done.date == dt.date(2025, 3, 10) and done.campaign_entry_no is not None
    assert "0 postponed interaction(s)" in rapport("postponed").output


def test_resume_with_an_explicit_date(cli_db: sessionmaker[Session]) -> None:
    rapport("create", "--contact", "P11", "--postpone")
    [entry] = _entries(cli_db)
    resumed = rapport("resume", str(entry.entry_no), "--template", "T-CALL", "--date",
                      "2025-03-12", work_date="2025-03-12")
    assert resumed.exit_code == 0, resumed.output
    [done] = _entries(cli_db)
    assert done.date == dt.date(2025, 3, 12) and done.description == "Call"


def test_delete_postponed(cli_db: sessionmaker[Session]) -> None:
    rapport("create", "--contact", "P11", "--postpone", "--comment", "later")
    [entry] = _entries(cli_db)
    result = rapport("delete-postponed", str(entry.entry_no))
    assert result.exit_code == 0, result.output
    assert "Deleted 1 postponed interaction(s), 1 comment line(s)" in result.output
    assert _entries(cli_db) == []


def test_incomplete_interaction_fails_and_writes_nothing(cli_db: sessionmaker[Session]) -> None:
    result = rapport("create", "--contact", "P11")
    assert result.exit_code == 1
    assert isinstance(result.exception, RapportError)
    assert [e.field for e in result.exception.errors] == [  # type: ignore[attr-defined]
        "interaction_template_code", "description"]
    assert _entries(cli_db) == []


def test_privacy_blocked_contact_is_refused(cli_db: sessionmaker[Session]) -> None:
    with cli_db.begin() as session:
        contact = session.get(m.Contact, "P3")
        assert contact is not None
        contact.privacy_blocked = True
    result = rapport("create", "--contact", "P3", "--template", "T-CALL")
    assert result.exit_code == 1
    assert isinstance(result.exception, RapportError) and result.exception.code == "E38"
    assert _entries(cli_db) == []


def test_bad_option_values_are_refused_before_any_work(cli_db: sessionmaker[Session]) -> None:
    result = rapport("create", "--contact", "P11", "--template", "T-CALL", "--evaluation",
                     "great")
    assert result.exit_code == 2 and "great" in result.output
    result = rapport("create", "--contact", "P11", "--template", "T-CALL", "--time", "noon")
    assert result.exit_code == 2
    assert _entries(cli_db) == []


def test_postpone_then_finish_commands_complete_the_same_entry(
        cli_db: sessionmaker[Session]) -> None:
    postponed = rapport("postpone", "--contact", "P3", "--description", "Call back")
    assert postponed.exit_code == 0, postponed.output
    [draft] = _entries(cli_db)
    assert draft.postponed and draft.interaction_template_code is None
    refused = rapport("finish", str(draft.entry_no))
    assert refused.exit_code == 1 and isinstance(refused.exception, RapportError)
    assert _entries(cli_db)[0].postponed  # the failed finish changed nothing
    done = rapport("finish", str(draft.entry_no), "--template", "T-CALL",
                   work_date="2025-03-12")
    assert done.exit_code == 0, done.output
    [entry] = _entries(cli_db)
    assert entry.entry_no == draft.entry_no and not entry.postponed
    assert entry.date == dt.date(2025, 3, 10)  # K19: the draft's date is kept
