"""Contact import: validation of the whole file, inheritance, numbering, updates, skip-invalid."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import ImportValidationError, RuleViolationError, ValidationError
from rapport.services.contacts.files import import_contacts
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


def test_progress_is_reported_up_to_the_total(fixture_db: sessionmaker[Session], tx: TxFactory,
                                             tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    _import(tx, write_csv(tmp_path / "c.csv", HEADER, GOOD),
            progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (8, 8)
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
            "VALUES ('S1', 10000, 'P11')")
    execute(fixture_db, "INSERT INTO interaction_log_entry (contact_no) VALUES ('P3')")
    rows = [["P11", "Person", "Anna Able", "X1"],  # E31: on a segment line
            ["P3", "Company", "Dora Dean", ""],  # E32: has interaction log entries
            ["C2", "Person", "Beta Inc", ""]]  # a company with persons
    before = snapshot(fixture_db)
    with pytest.raises(ImportValidationError) as caught:
        _import(tx, write_csv(tmp_path / "c.csv", HEADER[:4], rows))
    found = {(p.row, p.column, p.reason.split(",")[0]) for p in caught.value.problems}
    assert found == {(1, "company_no", "the person is on segment lines"),
                     (2, "type", "the contact has interaction log entries"),
                     (3, "type", "the company has persons")}
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
