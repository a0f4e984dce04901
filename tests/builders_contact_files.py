"""Builders for contact file tests: write CSV/XLSX files, snapshot what the import touches."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from rapport.db import models as m

TOUCHED = (m.Contact, m.ContactMailingGroup, m.ContactIndustryGroup, m.ContactBusinessRelation,
           m.ContactJobResponsibility)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
              encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """A CSV contact file (UTF-8 and comma-separated unless told otherwise)."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """An XLSX contact file (first sheet)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def read_csv(path: Path, *, encoding: str = "utf-8",
             delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def snapshot(factory: sessionmaker[Session]) -> dict[str, Any]:
    """Every row the importer may write, plus the number series state, for "unchanged" checks."""
    with factory() as session:
        state: dict[str, Any] = {}
        for model in TOUCHED:
            table = model.__table__
            columns = [c for c in table.columns if c.name != "created_at"]
            rows = session.execute(select(*columns)).tuples()
            state[model.__tablename__] = sorted(rows, key=repr)
        state["series"] = sorted(session.execute(
            select(m.NumberSeries.code, m.NumberSeries.last_no_used)).tuples())
        return state


def count(factory: sessionmaker[Session], model: type[Any], *where: Any) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def contact(factory: sessionmaker[Session], no: str) -> m.Contact:
    with factory() as session:
        found = session.get(m.Contact, no)
        assert found is not None, f"contact {no} missing"
        session.expunge(found)
        return found


def codes(factory: sessionmaker[Session], model: type[Any], no: str) -> set[str]:
    """The codes of one classification of a contact."""
    column = next(c for c in model.__table__.columns if c.name.endswith("_code"))
    with factory() as session:
        return set(session.scalars(select(column).where(model.contact_no == no)))


def execute(factory: sessionmaker[Session], sql: str, **params: Any) -> None:
    with factory.begin() as session:
        session.execute(text(sql), params)
