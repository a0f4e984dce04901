"""``rapport segments create|show|list|set|line-*|apply-mailing-group|export|delete``."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from rapport.cli import common
from rapport.cli.main import app
from rapport.db import models as m
from rapport.errors import RapportError
from rapport.services.contacts.files import read_rows
from tests.builders_documents import word_letter
from tests.builders_segment_header import header_of, lines, snapshot
from tests.e2e.cli_support import reset_cli_caches as _reset_caches

runner = CliRunner()
SF = sessionmaker[Session]
COMMANDS = ["create", "show", "list", "set", "line-add", "line-remove", "line-set",
            "apply-mailing-group", "export", "delete"]


@pytest.fixture
def cli_db(engine: Engine, fixture_db: SF, monkeypatch: pytest.MonkeyPatch) -> Iterator[SF]:
    """The SPEC §5.1 fixture; the CLI acts as U1 on it."""
    monkeypatch.setenv("RAPPORT_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RAPPORT_USER_ID", "U1")
    monkeypatch.setattr(common.console, "_width", 250)
    _reset_caches()
    yield fixture_db
    _reset_caches()


def run(*args: str) -> Result:
    return runner.invoke(app, ["--work-date", "2025-03-10", "segments", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def refused(*args: str, code: str) -> RapportError:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, RapportError), result.output
    assert result.exception.code == code
    return result.exception


def test_help_everywhere() -> None:
    out = runner.invoke(app, ["segments", "--help"]).output
    for command in COMMANDS:
        assert command in out
        result = runner.invoke(app, ["segments", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_create_show_list_and_delete(cli_db: SF) -> None:
    out = ok("create", "--description", "Spring mail", "--template", "t-let")
    assert "Created segment SEG0001 (salesperson SP1, date 2025-03-10)" in out
    ok("line-add", "SEG0001", "P11")
    ok("line-add", "SEG0001", "--blank")
    out = ok("show", "SEG0001")
    for text in ("Segment SEG0001", "Spring mail", "T-LET", "No. of Criteria Actions",
                 "Add Contacts", "Contact: no=P11", "Anna Able", "Inherited", "Lines (2 of 2)"):
        assert text in out, text
    out = ok("list")
    assert "SEG0001" in out and "5.00" in out
    ok("delete", "seg0001")
    with cli_db() as s:
        assert s.get(m.SegmentHeader, "SEG0001") is None
    refused("show", "SEG0001", code="NOT_FOUND")


def test_create_without_series_fails_with_e01(cli_db: SF) -> None:
    with cli_db.begin() as s:
        setup = s.get(m.MarketingSetup, 1)
        assert setup is not None
        setup.segment_nos = None
    before = snapshot(cli_db)
    err = refused("create", code="E01")
    assert "Segment Nos." in err.message
    refused("create", "--no", "X1", "--salesperson", "nope", code="NOT_FOUND")
    assert snapshot(cli_db) == before


def test_set_propagates_and_no_update_lines(cli_db: SF) -> None:
    ok("create", "--template", "T-LET")
    ok("line-add", "SEG0001", "P11")
    ok("line-add", "SEG0001", "P3")
    ok("set", "SEG0001", "--description", "Autumn", "--unit-cost", "3")
    assert [x.description for x in lines(cli_db, "SEG0001")] == ["Autumn", "Autumn"]
    assert [x.cost for x in lines(cli_db, "SEG0001")] == [Decimal("3.00")] * 2
    ok("set", "SEG0001", "--date", "2025-04-01", "--no-update-lines")
    assert [str(x.date) for x in lines(cli_db, "SEG0001")] == ["2025-03-10"] * 2
    before = snapshot(cli_db)
    refused("set", "SEG0001", "--template", "T-CALL", "--no-update-lines", code="E12")
    assert snapshot(cli_db) == before
    ok("set", "SEG0001", "--clear-template")
    assert header_of(cli_db, "SEG0001").interaction_template_code is None
    ok("set", "SEG0001", "--template", "T-LET", "--subject", "Hello",
       "--ignore-contact-corres-type", "--correspondence-type", "Hard Copy")
    assert [(x.subject, x.correspondence_type) for x in lines(cli_db, "SEG0001")] == [
        ("Hello", "Hard Copy"), ("Hello", "Hard Copy")
    ]


def test_line_commands_and_undo(cli_db: SF, tmp_path: Path) -> None:
    ok("create", "--template", "T-LET")
    ok("line-add", "SEG0001", "P11")
    ok("line-add", "SEG0001", "P12")
    ok("line-set", "SEG0001", "20000", "--template", "T-CALL", "--evaluation", "Positive")
    p12 = lines(cli_db, "SEG0001")[1]
    assert (p12.interaction_template_code, p12.evaluation, p12.description) == (
        "T-CALL", "Positive", "Call"
    )
    doc = tmp_path / "mine.docx"
    doc.write_bytes(word_letter([["mine"]]))
    ok("line-set", "SEG0001", "10000", "--attach", str(doc), "--subject", "Personal")
    assert "Unique" in ok("show", "SEG0001")
    ok("line-set", "SEG0001", "10000", "--contact", "P3")
    assert [x.contact_no for x in lines(cli_db, "SEG0001")] == ["P3", "P12"]
    ok("line-remove", "SEG0001", "20000")
    assert [x.contact_no for x in lines(cli_db, "SEG0001")] == ["P3"]
    ok("undo", "SEG0001")
    assert [x.contact_no for x in lines(cli_db, "SEG0001")] == ["P3", "P12"]
    refused("line-set", "SEG0001", "20000", "--clear-template", "--language", "DEU", code="E21")
    with cli_db.begin() as s:
        p3 = s.get(m.Contact, "P21")
        assert p3 is not None
        p3.privacy_blocked = True
    err = refused("line-add", "SEG0001", "P21", code="E38")
    assert "blocked for privacy reasons" in err.message
    result = run("line-add", "SEG0001")
    assert result.exit_code != 0


def test_apply_mailing_group_and_export(cli_db: SF, tmp_path: Path) -> None:
    ok("create")
    ok("line-add", "SEG0001", "P12")
    ok("line-add", "SEG0001", "C2")
    out = ok("apply-mailing-group", "SEG0001", "news", "--delete-old-assignments")
    assert "Mailing group NEWS assigned to 2 contact(s)" in out
    refused("apply-mailing-group", "SEG0001", "", code="E40")
    path = tmp_path / "segment.xlsx"
    assert "Exported 2 line(s)" in ok("export", "SEG0001", str(path))
    rows = list(read_rows(path))
    assert [r[1] for r in rows[1:]] == ["P12", "C2"]
    csv_path = tmp_path / "segment.txt"
    ok("export", "SEG0001", str(csv_path), "--format", "csv")
    assert csv_path.read_text(encoding="utf-8").splitlines()[0].startswith("Line No.,Contact No.")
