"""Contact import: validation of the whole file, inheritance, numbering, updates, skip-invalid."""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
import zipfile
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ImportValidationError, RuleViolationError, ValidationError
from rapport.services.contacts.files import import_contacts
from rapport.services.contacts.files._csvread import CsvRows
from tests.builders_contact_files import (
    codes,
    contact,
    count,
    execute,
    read_csv,
    snapshot,
    write_csv,
    write_xlsx,
)
from tests.conftest import TxFactory

HEADER = ["no", "type", "name", "company_no", "salesperson_code", "email", "address", "city",
          "phone_no", "mailing_groups", "industry_groups", "job_responsibilities"]
GOOD = [
    ["N1", "Company", "Nord AS", "", "SP1", "post@nord.test", "Kai 1", "Oslo", "+47 1", "NEWS",
     "RETAIL", ""],
    ["N11", "Person", "Nina Nord", "N1", "", "nina@nord.test", "", "", "", "NEWS", "",
     "PURCH"],
    ["N12", "person", "Ola Nord", "N1", "SP2", "", "Gate 2", "", "+47 2", "", "", ""],
    ["N21", "Person", "Per Alpha", "C1", "", "", "", "", "", "", "", ""],
]


def _import(tx: TxFactory, path: Path, **options: object) -> object:
    with tx() as ctx:
        return import_contacts(ctx, path, **options)  # type: ignore[arg-type]


def test_csv_import_creates_companies_and_persons(fixture_db: sessionmaker[Session],
                                                  tx: TxFactory, tmp_path: Path) -> None:
    result = _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD))
    assert (result.rows, result.inserted, result.updated) == (4, 4, 0)  # type: ignore[attr-defined]
    company, person = contact(fixture_db, "N1"), contact(fixture_db, "N12")
    assert (company.type, company.company_no, company.company_name) == ("Company", "N1", "Nord AS")
    assert (person.type, person.company_no, person.company_name) == ("Person", "N1", "Nord AS")
    assert person.search_name == "OLA NORD"
    assert codes(fixture_db, m.ContactMailingGroup, "N11") == {"NEWS"}
    assert codes(fixture_db, m.ContactIndustryGroup, "N1") == {"RETAIL"}
    assert codes(fixture_db, m.ContactJobResponsibility, "N11") == {"PURCH"}
    assert contact(fixture_db, "N21").company_name == "Alpha Ltd"


def test_xlsx_import_reads_the_first_sheet(fixture_db: sessionmaker[Session], tx: TxFactory,
                                          tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[0][4] = "sp1"  # codes are upper-cased (A6)
    _import(tx, write_xlsx(tmp_path / "c.xlsx", HEADER, rows))
    assert contact(fixture_db, "N1").salesperson_code == "SP1"
    assert contact(fixture_db, "N11").email == "nina@nord.test"
    assert count(fixture_db, m.Contact) == 8 + 4


def test_reimport_updates_by_number_instead_of_duplicating(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD))
    changed = [r[:] for r in GOOD]
    changed[0][2], changed[1][9], changed[1][11] = "Nord Holding AS", "", "PURCH"
    result = _import(tx, write_csv(tmp_path / "c2.csv", HEADER, changed))
    counts = (result.inserted, result.updated, result.unchanged)  # type: ignore[attr-defined]
    assert counts == (0, 3, 1)
    assert count(fixture_db, m.Contact) == 8 + 4
    assert contact(fixture_db, "N11").company_name == "Nord Holding AS"
    assert codes(fixture_db, m.ContactMailingGroup, "N11") == set()


def test_columns_missing_from_the_file_keep_stored_values(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    _import(tx, write_csv(tmp_path / "c.csv", ["no", "type", "name", "company_no"],
                          [["P12", "Person", "Bob Baker Jr", "C1"]]))
    bob = contact(fixture_db, "P12")
    assert (bob.name, bob.email, bob.language_code) == ("Bob Baker Jr", "bob@alpha.test", "DEU")
    assert codes(fixture_db, m.ContactJobResponsibility, "P12") == {"PURCH"}


def test_person_inherits_blank_fields_from_its_company(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD))
    nina, ola = contact(fixture_db, "N11"), contact(fixture_db, "N12")
    assert (nina.salesperson_code, nina.address, nina.city, nina.phone_no) == (
        "SP1", "Kai 1", "Oslo", "+47 1")
    # own values win; an own address keeps the whole address block (city stays blank)
    assert (ola.salesperson_code, ola.address, ola.city, ola.phone_no) == (
        "SP2", "Gate 2", "", "+47 2")
    assert contact(fixture_db, "N21").salesperson_code == "SP2"


def test_inheritance_flags_off_leave_person_fields_blank(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    execute(fixture_db, "UPDATE marketing_setup SET inherit_salesperson = :f, "
            "inherit_address = :f, default_correspondence_type = 'Email'", f=False)
    _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD))
    nina = contact(fixture_db, "N11")
    assert (nina.salesperson_code, nina.address, nina.phone_no) == (None, "", "+47 1")
    assert nina.correspondence_type == "Email"


def test_without_marketing_setup_every_flag_is_on(engine: object, factory: sessionmaker[Session],
                                                 tx: TxFactory, tmp_path: Path) -> None:
    execute(factory, "INSERT INTO salesperson (code, name, job_title, phone_no, email, blocked) "
            "VALUES ('S9', 'S', '', '', '', :f)", f=False)
    rows = [["A", "Company", "A Co", "", "S9", "", "Road 1", "Rome", "1", "", "", ""],
            ["B", "Person", "B Person", "A", "", "", "", "", "", "", "", ""]]
    _import(tx, write_csv(tmp_path / "c.csv", HEADER, rows))
    person = contact(factory, "B")
    assert (person.salesperson_code, person.city, person.correspondence_type) == ("S9", "Rome", "")


def test_blank_numbers_are_drawn_as_one_block_from_contact_nos(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [["", "Company", "First Co", "", "", "", "", "", "", "", "", ""],
            ["", "Person", "Second Person", "", "", "", "", "", "", "", "", ""]]
    _import(tx, write_csv(tmp_path / "c.csv", HEADER, rows))
    first, second = contact(fixture_db, "CT000001"), contact(fixture_db, "CT000002")
    assert (first.name, first.company_no, first.no_series) == ("First Co", "CT000001", "CONT")
    assert second.name == "Second Person"
    with fixture_db() as session:
        assert session.get(m.NumberSeries, "CONT").last_no_used == "CT000002"  # type: ignore[union-attr]


def test_person_without_a_name_is_named_by_first_name_and_surname(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    header = ["no", "type", "name", "company_no", "first_name", "surname", "privacy_blocked"]
    rows = [["P1", "Person", "", "C1", " Åse ", "Berg", "yes"],
            ["P2", "Person", "", "C1", "Ola"],  # a short row: the missing cells are blank
            ["P3", "Person", "Per", "C1", "", "", "no", "", ""]]  # trailing blank cells
    _import(tx, write_csv(tmp_path / "c.csv", header, rows))
    first, second, third = (contact(fixture_db, no) for no in ("P1", "P2", "P3"))
    assert (first.name, first.search_name, first.privacy_blocked) == ("Åse Berg", "ÅSE BERG",
                                                                      True)
    assert (second.name, second.surname, second.privacy_blocked) == ("Ola", "", False)
    assert (third.name, third.company_name) == ("Per", "Alpha Ltd")


def test_rows_after_an_error_are_still_checked(fixture_db: sessionmaker[Session], tx: TxFactory,
                                               tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[0][4], rows[2][5], rows[3][3] = "NOPE", "not-an-address", "C9"
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER, rows))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(1, "salesperson_code"), (3, "email"), (4, "company_no")}
    assert snapshot(fixture_db) == before


def test_skip_invalid_imports_good_rows_and_writes_the_rejected_ones(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[0][5] = "bad@"  # the company is rejected, so are its persons N11 and N12
    source = write_csv(tmp_path / "c.csv", HEADER, rows)
    result = _import(tx, source, skip_invalid=True)
    assert (result.inserted, result.rejected_rows) == (1, 3)  # type: ignore[attr-defined]
    assert count(fixture_db, m.Contact, m.Contact.no.in_(["N1", "N11", "N12"])) == 0
    rejected = read_csv(tmp_path / "c.rejected.csv")
    assert [r["no"] for r in rejected] == ["N1", "N11", "N12"]
    assert "email: not a valid e-mail address" in rejected[0]["error"]
    assert "was rejected" in rejected[1]["error"]
    fixed = tmp_path / "c.rejected.csv"
    fixed.write_text(fixed.read_text().replace("bad@", "ok@nord.test"))
    again = _import(tx, fixed)  # the error column is accepted and ignored
    assert again.inserted == 3  # type: ignore[attr-defined]


def test_skip_invalid_writes_xlsx_rejected_file_where_asked(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[3][3] = "NOPE"
    target = tmp_path / "out" / "bad.xlsx"
    target.parent.mkdir()
    result = _import(tx, write_xlsx(tmp_path / "c.xlsx", HEADER, rows), skip_invalid=True,
                     rejected_path=target)
    assert (result.inserted, result.rejected_path) == (3, target)  # type: ignore[attr-defined]
    from openpyxl import load_workbook
    sheet = load_workbook(target).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "error" and values[1][0] == "N21"


def test_company_name_change_reaches_stored_persons(fixture_db: sessionmaker[Session],
                                                   tx: TxFactory, tmp_path: Path) -> None:
    _import(tx, write_csv(tmp_path / "c.csv", ["no", "type", "name", "company_no"],
                          [["C1", "Company", "Alpha Group", ""]]))
    assert contact(fixture_db, "P11").company_name == "Alpha Group"
    assert contact(fixture_db, "C1").search_name == "ALPHA GROUP"


def test_progress_follows_the_bytes_read_up_to_the_total(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "c.csv", HEADER, GOOD)
    seen: list[tuple[int, int]] = []
    _import(tx, source, progress=lambda done, total: seen.append((done, total)))
    size = source.stat().st_size
    assert {total for _, total in seen} == {2 * size}  # reading, then writing: half each
    assert (size, 2 * size) in seen  # the whole file read before anything is written
    assert seen[-1] == (2 * size, 2 * size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


BAD_CELLS = [  # (column, value, expected problem column, words of the reason)
    ("company_no", "NOPE", "company_no", "no such company"),
    ("company_no", "P11", "company_no", "is a person"),
    ("salesperson_code", "ZZ", "salesperson_code", "unknown salesperson"),
    ("territory_code", "ZZ", "territory_code", "unknown territory"),
    ("country_region_code", "ZZ", "country_region_code", "unknown country"),
    ("language_code", "ZZ", "language_code", "unknown language"),
    ("salutation_code", "ZZ", "salutation_code", "unknown salutation"),
    ("mailing_groups", "NEWS;NOPE", "mailing_groups", "unknown mailing group"),
    ("job_responsibilities", "NOPE", "job_responsibilities", "unknown job responsibility"),
    ("email", "anna@@x", "email", "not a valid e-mail"),
    ("no", "C1", "no", "already used on row 1"),
    ("type", "Robot", "type", "Company or Person"),
    ("privacy_blocked", "maybe", "privacy_blocked", "not a boolean"),
    ("industry_groups", "RETAIL", "industry_groups", "only a company"),
    ("name", "x" * 101, "name", "longer than 100"),
    ("no", "N" * 21, "no", "longer than 20"),
    ("correspondence_type", "Fax", "correspondence_type", "blank, Hard Copy or Email"),
    ("type", "Company", "company_no", "a company belongs to itself"),
    ("mailing_groups", "NEWS;" + "X" * 21, "mailing_groups", "code longer than 20"),
    ("name", "", "name", "must have a value"),
]
BAD_HEADER = ["no", "type", "name", "company_no", "company_no_2"]


@pytest.mark.parametrize(("column", "value", "where", "reason"), BAD_CELLS,
                         ids=[f"{c}={v[:12]}" for c, v, _, _ in BAD_CELLS])
def test_bad_cell_is_reported_and_nothing_is_written(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path, column: str,
        value: str, where: str, reason: str) -> None:
    header = ["no", "type", "name", "company_no", column] if column not in (
        "no", "type", "name", "company_no") else ["no", "type", "name", "company_no"]
    good = {"no": "C1", "type": "Company", "name": "Alpha Ltd", "company_no": ""}
    good.setdefault(column, "")
    bad = {"no": "B1", "type": "Person", "name": "Bad Row", "company_no": "C1", column: value}
    rows = [[good[h] for h in header], [bad[h] for h in header]]
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "bad.csv", header, rows))
    problems = caught.value.problems
    assert {p.row for p in problems} == {2}
    assert any(p.column == where and reason in p.reason for p in problems), problems
    assert caught.value.code == "IMPORT"
    assert snapshot(fixture_db) == before


def test_job_responsibility_on_a_company_is_refused(fixture_db: sessionmaker[Session],
                                                    tx: TxFactory, tmp_path: Path) -> None:
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", ["no", "type", "name", "company_no",
                                                   "job_responsibilities"],
                              [["Q1", "Company", "Q Co", "", "PURCH"]]))
    assert caught.value.problems[0].column == "job_responsibilities"
    assert snapshot(fixture_db) == before


def test_blocked_salesperson_is_refused(fixture_db: sessionmaker[Session], tx: TxFactory,
                                        tmp_path: Path) -> None:
    execute(fixture_db, "UPDATE salesperson SET blocked = :t WHERE code = 'SP2'", t=True)
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD))
    assert {(p.row, p.reason) for p in caught.value.problems} == {
        (3, "the salesperson is blocked")}
    assert snapshot(fixture_db) == before


def test_unknown_or_missing_header_columns_are_refused(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", ["no", "type", "nme", "company_no"],
                              [["A", "Company", "A", ""]]))
    assert {(p.row, p.column, p.reason) for p in caught.value.problems} == {
        (0, "nme", "unknown column"), (0, "name", "required column missing")}
    assert snapshot(fixture_db) == before


def test_blank_number_without_contact_series_is_refused(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    execute(fixture_db, "UPDATE marketing_setup SET contact_nos = NULL")
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER[:4], [["", "Company", "A", ""]]))
    assert (caught.value.problems[0].row, caught.value.problems[0].column) == (1, "no")
    assert snapshot(fixture_db) == before


def test_stored_contacts_keep_protected_fields(fixture_db: sessionmaker[Session],
                                              tx: TxFactory, tmp_path: Path) -> None:
    execute(fixture_db, "INSERT INTO segment_header (no, description, language_code_default, "
            "ignore_contact_corres_type, correspondence_type_default, information_flow, "
            "initiated_by, unit_cost, unit_duration, campaign_target, campaign_response, "
            "send_word_docs_as_attmt, user_id) VALUES ('S1', '', '', :f, '', '', '', 0, 0, :f, "
            ":f, :f, 'U1')", f=False)
    execute(fixture_db, "INSERT INTO segment_line (segment_no, line_no, contact_no) "
            "VALUES ('S1', 10000, 'P11'), ('S1', 20000, 'X11')")
    execute(fixture_db, "UPDATE segment_header SET no_of_lines = 2 WHERE no = 'S1'")
    execute(fixture_db, "INSERT INTO interaction_log_entry (contact_no) VALUES ('P3')")
    rows = [["P11", "Person", "Anna Able", "X1"],  # E31: on a segment line
            ["P3", "Company", "Dora Dean", ""],  # E32: has interaction log entries
            ["C2", "Person", "Beta Inc", ""],  # a company with persons
            ["X11", "Company", "Xavier Xu", ""]]  # E31: a type change on a segment line
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER[:4], rows))
    found = {(p.row, p.column, p.reason.split(",")[0]) for p in caught.value.problems}
    assert found == {(1, "company_no", "the person is on segment lines"),
                     (2, "type", "the contact has interaction log entries"),
                     (3, "type", "the company has persons"),
                     (4, "type", "the contact is on segment lines")}
    assert snapshot(fixture_db) == before


def test_exhausted_contact_series_refuses_the_whole_file(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    execute(fixture_db, "UPDATE number_series SET ending_no = 'CT000001' WHERE code = 'CONT'")
    before = snapshot(fixture_db)
    with pytest.raises(RuleViolationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER[:4], [["", "Company", "A", ""],
                                                               ["", "Company", "B", ""]]))
    assert caught.value.code == "NO_SERIES_EXHAUSTED" and "CONT" in caught.value.message
    assert snapshot(fixture_db) == before


def test_rejected_rows_are_never_written_over_the_imported_file(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "c.csv", HEADER, GOOD)
    before = snapshot(fixture_db)
    with pytest.raises(ValidationError) as caught:
        _import(tx, source, skip_invalid=True, rejected_path=source)
    assert caught.value.field == "rejected_path"
    assert snapshot(fixture_db) == before


# Files read as they are: encoding, delimiter, damaged workbooks, cells refused outright.

MULLER = ["N1", "Company", "Müller GmbH", ""]


def test_a_windows_1252_file_is_refused_naming_row_and_byte_and_the_encoding_to_use(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [[f"Q{i}", "Company", f"Q {i} AS", ""] for i in range(1, 3000)]  # past one chunk
    rows[2500] = MULLER
    source = write_csv(tmp_path / "latin.csv", HEADER[:4], rows, encoding="cp1252")
    offset = source.read_bytes().index(b"\xfc")
    before = snapshot(fixture_db)
    with pytest.raises(ValidationError) as caught:
        _import(tx, source)
    assert caught.value.field == "encoding" and not isinstance(caught.value,
                                                               ImportValidationError)
    assert caught.value.message == (
        "Contact file latin.csv is not UTF-8 text: row 2501 has the byte 0xFC at byte offset "
        f"{offset}, which UTF-8 cannot decode; a file saved by Excel on Windows is usually "
        "Windows-1252: import it with --encoding cp1252")
    assert snapshot(fixture_db) == before
    result = _import(tx, source, encoding="cp1252")
    assert result.inserted == 2999  # type: ignore[attr-defined]
    assert contact(fixture_db, "N1").name == "Müller GmbH"


@pytest.mark.parametrize(("encoding", "content"), [
    ("utf-8", "\ufeffno,type,name,company_no\r\nN1,Company,Müller GmbH,\r\n".encode()),
    ("latin-1", "no,type,name,company_no\nN1,Company,Müller GmbH,\n".encode("latin-1")),
    ("utf-16", "no,type,name,company_no\nN1,Company,Müller GmbH,\n".encode("utf-16")),
], ids=["utf-8 with BOM", "latin-1", "utf-16"])
def test_a_file_is_read_in_the_encoding_given(fixture_db: sessionmaker[Session], tx: TxFactory,
                                              tmp_path: Path, encoding: str,
                                              content: bytes) -> None:
    source = tmp_path / "enc.csv"
    source.write_bytes(content)
    _import(tx, source, encoding=encoding)
    assert contact(fixture_db, "N1").name == "Müller GmbH"


def test_an_unknown_encoding_is_refused(fixture_db: sessionmaker[Session], tx: TxFactory,
                                        tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD), encoding="klingon")
    assert caught.value.field == "encoding" and "'klingon'" in caught.value.message


def _zip_without(path: Path, part: str) -> Path:
    source = write_xlsx(path.with_name("good.xlsx"), HEADER, GOOD)
    with zipfile.ZipFile(source) as good, zipfile.ZipFile(path, "w") as broken:
        for item in good.infolist():
            if item.filename != part:
                broken.writestr(item, good.read(item.filename))
    return path


def _text_file(path: Path) -> Path:
    path.write_text("no,type,name,company_no\n")
    return path


def _truncated(path: Path) -> Path:
    path.write_bytes(write_xlsx(path, HEADER, GOOD).read_bytes()[:900])
    return path


BROKEN_WORKBOOKS = {
    "text named .xlsx": (_text_file, "it is not a zip archive, as every XLSX workbook is"),
    "truncated": (_truncated, "it is not a zip archive"),
    "sheet missing": (lambda p: _zip_without(p, "xl/worksheets/sheet1.xml"), "it is damaged"),
    "no content types": (lambda p: _zip_without(p, "[Content_Types].xml"), "it is damaged"),
}


@pytest.mark.parametrize("kind", list(BROKEN_WORKBOOKS))
def test_a_file_that_is_no_workbook_is_refused_by_name(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path, kind: str) -> None:
    make, reason = BROKEN_WORKBOOKS[kind]
    source = make(tmp_path / "contacts.xlsx")
    before = snapshot(fixture_db)
    with pytest.raises(ValidationError) as caught:
        _import(tx, source)
    assert caught.value.message.startswith(
        "Contact file contacts.xlsx cannot be read as an XLSX workbook: ")
    assert reason in caught.value.message and caught.value.field == "format"
    assert snapshot(fixture_db) == before


def test_a_workbook_named_csv_is_refused(fixture_db: sessionmaker[Session], tx: TxFactory,
                                         tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(write_xlsx(tmp_path / "c.xlsx", HEADER, GOOD).read_bytes())
    with pytest.raises(ValidationError, match="is a zip archive .* name it .xlsx"):
        _import(tx, source)


@pytest.mark.parametrize(("delimiter", "option"), [(";", None), ("\t", None), (";", ";"),
                                                   ("\t", "tab"), ("|", "|")],
                         ids=["; sniffed", "tab sniffed", "; given", "tab given", "| given"])
def test_the_delimiter_is_sniffed_from_the_header_or_given(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path, delimiter: str,
        option: str | None) -> None:
    rows = [r[:] for r in GOOD]
    rows[0][2] = "Nord, Sør; og Øst AS"  # delimiters inside a (quoted) cell
    result = _import(tx, write_csv(tmp_path / "c.csv", HEADER, rows, delimiter=delimiter),
                     delimiter=option)
    assert result.inserted == 4  # type: ignore[attr-defined]
    assert contact(fixture_db, "N1").name == "Nord, Sør; og Øst AS"
    assert codes(fixture_db, m.ContactJobResponsibility, "N11") == {"PURCH"}


def test_a_header_that_is_one_column_holding_semicolons_says_so(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "nordic.csv", HEADER, GOOD, delimiter=";")
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, source, delimiter=",")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (0, "no;type;name;company_no;salesperson_code")
    assert problem.reason == ("unknown column: the header is one column holding ';', so the "
                              "file is separated by ';', not ',': import it with "
                              "--delimiter ';'")
    assert snapshot(fixture_db) == before


def test_oversized_and_control_character_cells_are_refused_per_row_and_field(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[0][2] = "N" * 131_073  # beyond the CSV reader's former field limit
    rows[1][6] = "Kai\x001"  # NUL: SQLite stores it, PostgreSQL refuses it
    rows[2][7] = "Os\x07lo"
    rows[3][9] = "NEWS\x00"
    source = write_csv(tmp_path / "c.csv", HEADER, rows)
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, source)
    found = {(p.row, p.column, p.reason, p.value) for p in caught.value.problems}
    assert found == {
        (1, "name", "longer than 100 characters", f"{'N' * 60}… (131,073 characters)"),
        (2, "address", "contains the control character U+0000", "Kai\\x001"),
        (3, "city", "contains the control character U+0007", "Os\\x07lo"),
        (4, "mailing_groups", "contains the control character U+0000", "NEWS\\x00"),
    }  # and nothing that only follows from them ("name must have a value")
    assert snapshot(fixture_db) == before


def test_skip_invalid_sets_aside_refused_cells_in_the_files_own_format(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[0][2] = "Müller GmbH"
    rows[2][2], rows[2][5] = "=Ola Nord", "bad@"  # formula-like: written back neutralised
    rows[3][2] = "Per\x00Alpha"
    source = write_csv(tmp_path / "c.csv", HEADER, rows, encoding="cp1252", delimiter=";")
    result = _import(tx, source, encoding="cp1252", skip_invalid=True)
    assert (result.inserted, result.rejected_rows) == (2, 2)  # type: ignore[attr-defined]
    assert contact(fixture_db, "N1").name == "Müller GmbH"
    fixed = tmp_path / "c.rejected.csv"  # Windows-1252 and ;-separated, like the source
    rejected = read_csv(fixed, encoding="cp1252", delimiter=";")
    assert [(r["no"], r["name"]) for r in rejected] == [("N12", "'=Ola Nord"),
                                                        ("N21", "Per\x00Alpha")]
    assert "name: contains the control character U+0000" in rejected[1]["error"]
    text = fixed.read_text(encoding="cp1252")
    fixed.write_text(text.replace("bad@", "").replace("\x00", " "), encoding="cp1252")
    again = _import(tx, fixed, encoding="cp1252")
    assert again.inserted == 2  # type: ignore[attr-defined]
    assert contact(fixture_db, "N12").name == "=Ola Nord"
    assert contact(fixture_db, "N21").name == "Per Alpha"


def test_a_cell_beyond_what_the_reader_holds_refuses_the_file_by_row(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    rows = [r[:] for r in GOOD]
    rows[1][7] = "x" * (16 * 1024 * 1024 + 1)
    before = snapshot(fixture_db)
    with pytest.raises(ValidationError) as caught:
        _import(tx, write_csv(tmp_path / "huge.csv", HEADER, rows))
    assert caught.value.message == ("Contact file huge.csv: row 2 cannot be read as CSV: field "
                                    "larger than field limit (16777216)")
    assert snapshot(fixture_db) == before


_CELLS = st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
                 max_size=12)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(_CELLS, min_size=1, max_size=4), min_size=1, max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]), chunk=st.integers(1, 9),
       delimiter=st.sampled_from([",", ";", "\t"]), bom=st.booleans())
def test_the_csv_reader_reads_back_what_a_csv_writer_wrote_whatever_the_chunks(
        rows: list[list[str]], encoding: str, chunk: int, delimiter: str, bom: bool) -> None:
    if encoding == "cp1252":  # only what Windows-1252 can hold
        rows = [[c.encode("cp1252", "ignore").decode("cp1252") for c in r] for r in rows]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    content = buffer.getvalue().encode(encoding)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_bytes((codecs.BOM_UTF8 if bom and encoding == "utf-8" else b"") + content)
        with patch("rapport.services.contacts.files._csvread.CHUNK", chunk):
            source = CsvRows(path, encoding=encoding, delimiter=delimiter)
            read = list(source)
        assert source.bytes_read == path.stat().st_size
    assert read == rows


def test_rejected_rows_need_an_existing_folder(fixture_db: sessionmaker[Session], tx: TxFactory,
                                               tmp_path: Path) -> None:
    before = snapshot(fixture_db)
    with pytest.raises(ValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD), skip_invalid=True,
                rejected_path=tmp_path / "missing" / "bad.csv")
    assert (caught.value.field, caught.value.reason) == ("rejected_path", "no such folder")
    assert snapshot(fixture_db) == before
