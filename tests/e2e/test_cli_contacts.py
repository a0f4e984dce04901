"""``rapport contacts import/export/list/show`` and ``rapport demo`` on a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from rapport.cli import common
from rapport.cli.main import app
from rapport.db import models as m
from rapport.db.engine import make_engine
from rapport.db.session import session_factory
from tests.builders_contact_files import count, read_csv, write_csv
from tests.e2e.cli_support import register_cli as _register_once
from tests.e2e.cli_support import reset_cli_caches as _reset_caches

runner = CliRunner()
HEADER = ["no", "type", "name", "company_no", "email", "mailing_groups"]


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """A migrated, empty SQLite file the CLI works on."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    monkeypatch.setattr(common.console, "_width", 200)  # tables must not wrap in the output
    _reset_caches()
    _register_once()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()
    _reset_caches()


def rapport(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_demo_seeds_once_and_if_empty_is_a_no_op(cli_db: sessionmaker[Session]) -> None:
    first = rapport("demo")
    assert first.exit_code == 0, first.output
    assert "Demo data seeded: 60 companies" in first.output
    seeded = count(cli_db, m.Contact)
    again = rapport("demo", "--if-empty")
    assert again.exit_code == 0 and "already has data" in again.output
    refused = rapport("demo")
    assert refused.exit_code == 1
    assert count(cli_db, m.Contact) == seeded


def test_demo_contacts_generates_a_bulk_base(cli_db: sessionmaker[Session]) -> None:
    result = rapport("demo", "--contacts", "400")
    assert result.exit_code == 0, result.output
    assert "400 contacts generated (100 companies, 300 persons" in result.output
    assert count(cli_db, m.ContactMailingGroup,
                 m.ContactMailingGroup.mailing_group_code == "NEWS") == 120


def test_list_and_show_contacts(cli_db: sessionmaker[Session]) -> None:
    rapport("demo")
    listed = rapport("contacts", "list", "--type", "Company", "--limit", "5")
    assert listed.exit_code == 0, listed.output
    assert "1–5 of 60 contacts" in listed.output
    assert listed.output.count("Company") >= 5
    shown = rapport("contacts", "show", "ct0000001")
    assert shown.exit_code == 0, shown.output
    assert "Contact CT0000001" in shown.output and "Persons" in shown.output
    assert "Industry group" in shown.output and "Segment lines: 0" in shown.output
    searched = rapport("contacts", "list", "--company", "CT0000001")
    assert "CT0000002" in searched.output and "CT0000001" in searched.output


def test_show_unknown_contact_fails(cli_db: sessionmaker[Session]) -> None:
    result = rapport("contacts", "show", "NOPE")
    assert result.exit_code == 1
    assert "NOPE does not exist" in str(result.exception)


def test_import_then_export_round_trip(cli_db: sessionmaker[Session], tmp_path: Path) -> None:
    rapport("demo")
    source = write_csv(tmp_path / "in.csv", HEADER, [
        ["K1", "Company", "Kite Co", "", "k@kite.test", "NEWS"],
        ["K11", "Person", "Kim Kite", "K1", "", ""]])
    imported = rapport("contacts", "import", str(source))
    assert imported.exit_code == 0, imported.output
    assert "2 rows read: 2 contacts created, 0 updated, 0 unchanged" in imported.output
    exported = rapport("contacts", "export", str(tmp_path / "out.xlsx"), "--company", "K1")
    assert exported.exit_code == 0 and "2 contacts written" in exported.output
    again = rapport("contacts", "export", str(tmp_path / "out.txt"), "--format", "csv",
                    "--search", "kite")
    assert {r["no"] for r in read_csv(tmp_path / "out.txt")} == {"K1", "K11"}
    reimported = rapport("contacts", "import", str(tmp_path / "out.xlsx"))
    assert "0 contacts created, 0 updated, 2 unchanged" in reimported.output, again.output


def test_import_with_bad_rows_lists_them_and_writes_nothing(cli_db: sessionmaker[Session],
                                                           tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bad.csv", HEADER, [
        ["K1", "Company", "Kite Co", "", "not-mail", "NOPE"],
        ["K11", "Person", "Kim Kite", "K9", "", ""]])
    result = rapport("contacts", "import", str(source))
    assert result.exit_code == 1
    assert "not a valid e-mail" in result.output and "no such company" in result.output
    assert "nothing imported" in result.output
    assert count(cli_db, m.Contact) == 0


def test_skip_invalid_imports_the_rest_and_names_the_rejected_file(
        cli_db: sessionmaker[Session], tmp_path: Path) -> None:
    source = write_csv(tmp_path / "mixed.csv", HEADER, [
        ["K1", "Company", "Kite Co", "", "", ""],
        ["K11", "Person", "Kim Kite", "K9", "", ""]])
    target = tmp_path / "rejects.csv"
    result = rapport("contacts", "import", str(source), "--skip-invalid",
                     "--rejected-file", str(target))
    assert result.exit_code == 0, result.output
    assert "1 rows rejected" in result.output and str(target) in result.output
    assert [r["no"] for r in read_csv(target)] == ["K11"]
    assert count(cli_db, m.Contact) == 1


def test_demo_contacts_if_empty_leaves_a_filled_database_alone(
        cli_db: sessionmaker[Session]) -> None:
    rapport("demo", "--contacts", "8")
    again = rapport("demo", "--contacts", "8", "--if-empty")
    assert again.exit_code == 0 and "no contacts generated" in again.output
    assert count(cli_db, m.Contact) == 8
