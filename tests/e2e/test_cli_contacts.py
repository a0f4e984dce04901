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
from tests.e2e.cli_support import reset_cli_caches as _reset_caches
from tests.e2e.cli_support import run_main

runner = CliRunner()
HEADER = ["no", "type", "name", "company_no", "email", "mailing_groups"]


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """A migrated, empty SQLite file the CLI works on."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    monkeypatch.setattr(common.console, "_width", 200)  # tables must not wrap in the output
    _reset_caches()
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


def test_a_dry_run_import_says_what_it_would_do_and_changes_nothing(
        cli_db: sessionmaker[Session], tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", HEADER, [
        ["K1", "Company", "Kite Co", "", "k@kite.test", ""],
        ["K11", "Person", "Kim Kite", "K9", "", ""]])
    tried = rapport("contacts", "import", str(source), "--dry-run", "--skip-invalid")
    assert tried.exit_code == 0, tried.output
    assert ("Dry run, nothing changed; the import would do this: 2 rows read: 1 contacts "
            "created, 0 updated, 0 unchanged.") in tried.output
    assert "1 rows rejected" in tried.output and "written to" not in tried.output
    assert count(cli_db, m.Contact) == 0 and not (tmp_path / "in.rejected.csv").exists()


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


def test_import_of_a_windows_1252_file_names_the_byte_and_the_encoding_to_use(
        cli_db: sessionmaker[Session], tmp_path: Path) -> None:
    source = write_csv(tmp_path / "latin.csv", HEADER, [["K1", "Company", "Müller GmbH", "",
                                                         "", ""]], encoding="cp1252")
    offset = source.read_bytes().index(b"\xfc")
    refused = run_main({}, "contacts", "import", str(source))
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        "error [VALIDATION] Contact file latin.csv is not UTF-8 text: row 1 has the byte 0xFC "
        f"at byte offset {offset}, which UTF-8 cannot decode; a file saved by Excel on Windows "
        "is usually Windows-1252: import it with --encoding cp1252\n")
    assert count(cli_db, m.Contact) == 0
    imported = run_main({}, "contacts", "import", str(source), "--encoding", "cp1252")
    assert imported.returncode == 0, imported.stderr
    assert "1 rows read: 1 contacts created" in imported.stdout


def test_import_of_a_text_file_named_xlsx_is_one_line(cli_db: sessionmaker[Session],
                                                      tmp_path: Path) -> None:
    source = write_csv(tmp_path / "contacts.xlsx", HEADER, [["K1", "Company", "Kite", "", "",
                                                             ""]])
    refused = run_main({}, "contacts", "import", str(source))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == [
        "error [VALIDATION] Contact file contacts.xlsx cannot be read as an XLSX workbook: it "
        "is not a zip archive, as every XLSX workbook is (a CSV file named .xlsx?)"]
    assert count(cli_db, m.Contact) == 0


def test_import_finds_the_semicolon_or_is_told_it(cli_db: sessionmaker[Session],
                                                 tmp_path: Path) -> None:
    source = write_csv(tmp_path / "nordic.csv", HEADER, [["K1", "Company", "Kite; AS", "",
                                                          "", ""]], delimiter=";")
    wrong = run_main({}, "contacts", "import", str(source), "--delimiter", ",")
    assert wrong.returncode == 1
    assert "import it with --delimiter ';'" in wrong.stderr and "nothing imported" in wrong.stderr
    assert count(cli_db, m.Contact) == 0
    sniffed = run_main({}, "contacts", "import", str(source))
    assert sniffed.returncode == 0, sniffed.stderr
    assert "1 rows read: 1 contacts created" in sniffed.stdout


def test_import_problems_show_values_as_they_are(cli_db: sessionmaker[Session],
                                                 tmp_path: Path) -> None:
    source = write_csv(tmp_path / "odd.csv", HEADER, [["K1", "Company", "Kite", "", "[/x]", ""],
                                                      ["K2", "Company", "N\x00ll", "", "", ""]])
    refused = run_main({}, "contacts", "import", str(source))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "[/x]" in refused.stderr and "not a valid e-mail address" in refused.stderr
    assert "N\\x00ll" in refused.stderr and "control character U+0000" in refused.stderr
