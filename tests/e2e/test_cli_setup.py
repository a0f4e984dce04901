"""``rapport setup …`` on a migrated, empty SQLite file."""

from __future__ import annotations

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
from tests.builders_documents import word_letter
from tests.e2e.cli_support import reset_cli_caches as _reset_caches

runner = CliRunner()
SF = sessionmaker[Session]


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SF]:
    """A migrated, empty SQLite file; the CLI acts as U1."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    monkeypatch.setenv("RAPPORT_USER_ID", "U1")
    monkeypatch.setattr(common.console, "_width", 200)  # tables must not wrap in the output
    _reset_caches()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()
    _reset_caches()


def setup_cmd(*args: str) -> Result:
    return runner.invoke(app, ["--work-date", "2025-03-10", "setup", *args])


def ok(*args: str) -> str:
    result = setup_cmd(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def refused(*args: str, code: str) -> RapportError:
    result = setup_cmd(*args)
    assert result.exit_code == 1
    assert isinstance(result.exception, RapportError), result.output
    assert result.exception.code == code
    return result.exception


HELP_PATHS = [
    [], ["show"], ["set"], ["series"], ["series", "add"], ["series", "list"],
    ["salesperson", "add"], ["salesperson", "list"], ["salesperson", "block"],
    ["user", "link"], ["user", "list"], ["code", "add"], ["code", "list"], ["code", "delete"],
    ["group", "add"], ["group", "list"], ["group", "delete"], ["template", "add"],
    ["template", "list"], ["template", "language"], ["template", "delete"],
    ["campaign", "add"], ["campaign", "list"],
]


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda p: " ".join(p) or "setup")
def test_every_command_has_help(cli_db: SF, path: list[str]) -> None:
    output = ok(*path, "--help")
    assert "Usage:" in output


def test_series_setup_and_campaign_numbering(cli_db: SF) -> None:
    assert "Number series CAMP created" in ok("series", "add", "camp", "--start", "CP0001",
                                              "-d", "Campaigns")
    refused("campaign", "add", "-d", "Spring", code="E01")
    ok("set", "campaign_nos=CAMP", "inherit-address=false", "mergefield_language_id=1033")
    shown = ok("show")
    assert "campaign_nos" in shown and "CAMP" in shown and "1033" in shown
    ok("salesperson", "add", "SP1", "--name", "Sam Seller", "--email", "sam@rapport.test")
    ok("code", "add", "campaign-status", "PLANNED", "Planned")
    assert "Campaign CP0001 created" in ok("campaign", "add", "-d", "Spring", "--start",
                                           "2025-03-01", "--end", "2025-04-01",
                                           "--salesperson", "sp1", "--status", "planned")
    err = refused("campaign", "add", "--start", "2025-04-01", "--end", "2025-03-01", code="E36")
    assert "Starting Date must not be later than Ending Date" in err.message
    refused("campaign", "add", "--no", "X1", code="E02")
    listed = ok("campaign", "list")
    assert "CP0001" in listed and "Spring" in listed and "PLANNED" in listed
    series = ok("series", "list")
    assert "CP0001" in series  # last number used
    with cli_db() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None and setup.inherit_address is False


def test_set_rejects_malformed_assignments(cli_db: SF) -> None:
    assert setup_cmd("set", "campaign_nos").exit_code == 2
    assert setup_cmd("set", "inherit_language=maybe").exit_code == 2
    refused("set", "segment_nos=NOPE", code="NOT_FOUND")


def test_salespeople_users_and_codes(cli_db: SF) -> None:
    ok("salesperson", "add", "SP1", "--name", "Sam Seller")
    ok("salesperson", "add", "SP2", "--name", "Sue Second")
    assert "Salesperson SP2 blocked" in ok("salesperson", "block", "sp2")
    listed = ok("salesperson", "list", "--active")
    assert "SP1" in listed and "SP2" not in listed
    assert "SP2 unblocked" in ok("salesperson", "block", "SP2", "--unblock")
    assert "User U7 → salesperson SP1" in ok("user", "link", "u7", "sp1", "--name", "Ulla")
    assert "Ulla" in ok("user", "list")
    refused("user", "link", "U7", "NOPE", code="NOT_FOUND")
    ok("code", "add", "mailing-group", "NEWS", "Newsletter")
    assert "Newsletter" in ok("code", "list", "mailing_group")
    refused("code", "add", "mailing-group", "news", code="CONFLICT")
    refused("code", "add", "colour", "RED", code="NOT_FOUND")
    assert "Mailing Group NEWS deleted" in ok("code", "delete", "mailing-group", "news")


def test_groups_templates_and_attachments(cli_db: SF, tmp_path: Path) -> None:
    letter = tmp_path / "letter.docx"
    letter.write_bytes(word_letter([["letter"]]))
    ok("code", "add", "language", "DEU", "German")
    assert "Interaction group LETTER created" in ok("group", "add", "letter", "Letters")
    assert "LETTER" in ok("group", "list")
    ok("template", "add", "T-LET", "--group", "LETTER", "-d", "Letter", "--cost", "2.50",
       "--duration", "5", "--flow", "Outbound", "--initiated-by", "Us",
       "--correspondence-type", "Hard Copy")
    refused("template", "add", "T-X", "--group", "LETTER", "--language", "DEU",
            "--no-create-language-row", code="E27")
    assert "saved with attachment letter.docx" in ok("template", "language", "T-LET",
                                                     "--attachment", str(letter))
    ok("template", "language", "t-let", "DEU", "-d", "Deutsch")
    listed = ok("template", "list")
    assert "T-LET" in listed and "Hard Copy" in listed and "2.50" in listed
    with cli_db() as s:
        rows = s.scalars(select(m.InteractionTmplLanguage)
                         .order_by(m.InteractionTmplLanguage.language_code)).all()
        assert [(r.language_code, r.description) for r in rows] == [("", "Letter"),
                                                                    ("DEU", "Deutsch")]
        attachment = s.get(m.Attachment, rows[0].attachment_no)
        assert attachment is not None and attachment.content == letter.read_bytes()
    refused("template", "add", "T-BAD", "--group", "NOPE", code="NOT_FOUND")
    assert setup_cmd("template", "add", "T-B", "--group", "LETTER", "--cost", "x").exit_code == 2
    assert "Interaction template T-LET deleted" in ok("template", "delete", "T-LET")
    assert "Interaction group LETTER deleted" in ok("group", "delete", "LETTER")
