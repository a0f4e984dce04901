"""Writing a validated, staged contact file into the contact tables, set-based.

Companies are written first, so that persons read their company as it now is (see
contact_file_resolve), then persons, then the classification codes of every imported contact
are replaced by the file's. Stored contacts are updated by number with ``UPDATE … FROM`` — only
the columns the file has, and only rows that change — before new ones are inserted with
``INSERT … SELECT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)

from rapport.db.models import Base
from rapport.errors import ConflictError
from rapport.services.contacts._numbers import NumberBlock
from rapport.services.contacts.files._format import CLASS_COLUMNS, FIELD_COLUMNS
from rapport.services.contacts.files._resolve import (
    COMPANY,
    PERSON,
    SetupDefaults,
    contact_table,
    resolved,
)
from rapport.services.contacts.files._staging import stage, stage_class

_contact = contact_table
_STORED = exists().where(_contact.c.no == stage.c.no)


@dataclass(frozen=True)
class WriteCounts:
    inserted: int
    updated: int
    unchanged: int


def number_rows(conn: Connection, block: NumberBlock) -> None:
    """Give the rows without a number the block's numbers, in file order; they must be new."""
    ranked = select(stage.c.row_no, (func.row_number().over(order_by=stage.c.row_no) - 1)
                    .label("k")).where(stage.c.no.is_(None)).subquery()
    conn.execute(update(stage).where(stage.c.row_no == ranked.c.row_no)
                 .values(no=block.sql_no(ranked.c.k), drawn=True))
    taken = conn.scalar(select(func.min(stage.c.no)).where(stage.c.drawn, _STORED))
    if taken is not None:
        raise ConflictError(
            f"Contact {taken} already exists: the Contact Nos. series hands out numbers that "
            "are taken; move its last number used past them",
            record=f"Contact {taken}", field="no", reason="number taken",
        )


def write_contacts(conn: Connection, *, present: Collection[str], setup: SetupDefaults,
                   series: str | None, now: dt.datetime,
                   step: Callable[[], None]) -> WriteCounts:
    """Update the stored and insert the new contacts of the staged file; return the counts."""
    counts = conn.execute(select(stage.c.type, func.count(), func.count().filter(_STORED))
                          .group_by(stage.c.type)).tuples().all()
    staged = {ctype: n for ctype, n, _ in counts}
    stored = {ctype: n for ctype, _, n in counts}
    updated = inserted = 0
    for ctype in (COMPANY, PERSON):
        source = resolved(ctype, setup)
        # Each statement reads the whole staging table: skip the ones with nothing to do.
        if stored.get(ctype):
            updated += _update(conn, source, present)
        if staged.get(ctype, 0) > stored.get(ctype, 0):
            inserted += _insert(conn, source, series, now)
        step()
    if stored.get(COMPANY):
        _refresh_company_names(conn)
    for column in CLASS_COLUMNS:
        if column in present:
            replace_classifications(conn, column)
    return WriteCounts(inserted, updated, sum(stored.values()) - updated)


_WRITTEN = (*FIELD_COLUMNS, "search_name", "company_name")


def _insert(conn: Connection, source: Any, series: str | None, now: dt.datetime) -> int:
    rows = source.where(~_STORED).subquery("new")
    drawn_series = case((rows.c.drawn, literal(series)), else_=null()) if series else null()
    query = select(*(rows.c[c] for c in _WRITTEN), drawn_series, literal(now))
    stmt = insert(_contact).from_select([*_WRITTEN, "no_series", "created_at"], query)
    return int(conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount)


def _update(conn: Connection, source: Any, present: Collection[str]) -> int:
    """Stored contacts take the file's values of the columns it has; unchanged rows are left
    alone (a re-imported file writes nothing)."""
    rows = source.where(_STORED).subquery("stored")
    columns = [c for c in FIELD_COLUMNS if c in present and c != "no"] + ["company_name"]
    values: dict[str, ColumnElement[Any]] = {c: rows.c[c] for c in columns}
    values["search_name"] = case((_contact.c.name == rows.c.name, _contact.c.search_name),
                                 else_=rows.c.search_name)
    differs = or_(*(_contact.c[c].is_distinct_from(rows.c[c]) for c in columns))
    stmt = update(_contact).where(_contact.c.no == rows.c.no, differs).values(values)
    return int(conn.execute(stmt.execution_options(preserve_rowcount=True)).rowcount)


def _refresh_company_names(conn: Connection) -> None:
    """Stored persons of a company the file renamed show the company's new name."""
    company = _contact.alias("company")
    conn.execute(update(_contact).where(
        stage.c.type == COMPANY, company.c.no == stage.c.no,
        _contact.c.company_no == company.c.no, _contact.c.type == PERSON,
        _contact.c.company_name != company.c.name,
    ).values(company_name=company.c.name))


def replace_classifications(conn: Connection, column: str) -> None:
    """The imported contacts get exactly the file's codes of one classification column."""
    table_name, code_column, _, _ = CLASS_COLUMNS[column]
    assigned = Base.metadata.tables[table_name]
    code = assigned.c[code_column]
    in_file = exists().where(stage.c.no == assigned.c.contact_no,
                             stage_class.c.row_no == stage.c.row_no,
                             stage_class.c.kind == column, stage_class.c.code == code)
    conn.execute(assigned.delete().where(assigned.c.contact_no.in_(select(stage.c.no)),
                                         ~in_file))
    already = exists().where(assigned.c.contact_no == stage.c.no,
                             code == stage_class.c.code)
    source = (select(stage.c.no, stage_class.c.code).distinct()
              .select_from(stage_class.join(stage, stage.c.row_no == stage_class.c.row_no))
              .where(and_(stage_class.c.kind == column, ~already)))
    conn.execute(insert(assigned).from_select(["contact_no", code_column], source))
