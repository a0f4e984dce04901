"""Exporting contacts in the import format, so that an export re-imports to the same data.

Rows are streamed from the database into the file (CSV writer or openpyxl's write-only
workbook); text a spreadsheet program would take for a formula is written as text (see
``_safety``), and the import reads it back as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select

from rapport.db.models import Base, Contact
from rapport.services.contacts._queries import ContactFilter
from rapport.services.contacts.files._format import ALL_COLUMNS, CLASS_COLUMNS, FIELD_COLUMNS
from rapport.services.contacts.files._io import file_format, open_writer
from rapport.services.context import Ctx


def export_contacts(ctx: Ctx, path: str | Path, *, fmt: str | None = None,
                    filt: ContactFilter | None = None) -> int:
    """Write the contacts that pass the filter to a file in the import format; return the count."""
    target = Path(path)
    kind = file_format(target, fmt)
    query = (filt or ContactFilter()).apply(_export_query()).order_by(Contact.no)
    count = 0
    with open_writer(target, kind) as write:
        write(list(ALL_COLUMNS))
        for row in ctx.session.execute(query.execution_options(yield_per=5000)):
            write(_export_cells(row, text_booleans=kind == "csv"))
            count += 1
    return count


def _export_query() -> Select[Any]:
    contact = Contact.__table__
    codes = []
    for table_name, code_column, _, _ in CLASS_COLUMNS.values():
        assigned = Base.metadata.tables[table_name]
        codes.append(select(func.aggregate_strings(assigned.c[code_column], ";"))
                     .where(assigned.c.contact_no == contact.c.no).scalar_subquery())
    return select(*(contact.c[c] for c in FIELD_COLUMNS), *codes)


def _export_cells(row: Any, *, text_booleans: bool) -> list[object]:
    cells: list[object] = []
    for index, value in enumerate(row):
        if index >= len(FIELD_COLUMNS):
            cells.append(";".join(sorted(value.split(";"))) if value else "")
        elif isinstance(value, bool) and text_booleans:
            cells.append("true" if value else "false")
        else:
            cells.append("" if value is None else value)
    return cells
