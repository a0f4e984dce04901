"""Contact export: the import format, filters, and exports that re-import to the same data."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m
from rapport.errors import NotFoundError, ValidationError
from rapport.services.contacts import ContactFilter, list_contacts, show_contact
from rapport.services.contacts.files import ALL_COLUMNS, export_contacts, import_contacts
from tests.builders_contact_files import count, execute, read_csv, snapshot
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
    assert sizes == [2, 2] and page.total == 8 and len(page.rows) == 8
    assert [r.no for r in page.rows][:3] == ["P3", "C1", "P11"]  # company order, then name


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
