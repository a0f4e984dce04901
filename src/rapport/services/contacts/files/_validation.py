"""The checks of a contact import that need the database, each one SQL statement over the file.

They run on the staging tables (see contact_file_staging) and return one ``RowProblem`` per bad
cell: unknown codes, duplicate numbers, persons whose company is missing or is a person, blank
numbers without a number series, and the reference's rules that protect existing contacts
(E31: a person on segment lines keeps its company; E32: a contact with interactions keeps its
type; a company with persons stays a company).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from sqlalchemy import (
    Connection,
    FromClause,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)

from rapport.db.models import Base, Contact, InteractionLogEntry, Salesperson, SegmentLine
from rapport.domain.enums import ContactType
from rapport.errors import RowProblem
from rapport.services.contacts.files._format import CLASS_COLUMNS, CODE_REFERENCES, TEXT_LIMITS
from rapport.services.contacts.files._staging import stage, stage_class

COMPANY, PERSON = ContactType.COMPANY.value, ContactType.PERSON.value
_contact = cast(Table, Contact.__table__)
_LABELS = {
    "country_region_code": "country/region", "territory_code": "territory",
    "salesperson_code": "salesperson", "language_code": "language",
    "salutation_code": "salutation", "mailing_groups": "mailing group",
    "industry_groups": "industry group", "business_relations": "business relation",
    "job_responsibilities": "job responsibility",
}


def database_problems(conn: Connection, *, has_series: bool) -> list[RowProblem]:
    """Every problem of the staged file that the database reveals."""
    problems = too_long_texts(conn) + unknown_codes(conn) + blocked_salespeople(conn)
    problems += duplicate_numbers(conn)
    problems += company_problems(conn)
    problems += protected_contacts(conn)
    if not has_series:
        problems += missing_numbers(conn)
    return problems


def too_long_texts(conn: Connection) -> list[RowProblem]:
    """Text cells longer than their field (one scan of the file; bad rows are rare)."""
    columns = [stage.c[c] for c in TEXT_LIMITS]
    longer = or_(*(func.length(c) > TEXT_LIMITS[c.name] for c in columns))
    problems = []
    for row in conn.execute(select(stage.c.row_no, *columns).where(longer)):
        for column, value in zip(TEXT_LIMITS.items(), row[1:], strict=True):
            if len(value) > column[1]:
                problems.append(RowProblem(row[0], column[0],
                                           f"longer than {column[1]} characters", value))
    return problems


def unknown_codes(conn: Connection) -> list[RowProblem]:
    """Codes that do not exist in their code table (contact fields and classifications): one
    scan of each staging table (bad rows are rare; the rows found are sorted out here)."""
    tables = Base.metadata.tables
    unknown = {column: and_(stage.c[column].is_not(None),
                            ~exists().where(tables[table].c.code == stage.c[column]))
               for column, table in CODE_REFERENCES.items()}
    fields = select(stage.c.row_no, *(stage.c[c] for c in unknown),
                    *(flag.label(f"unknown_{c}") for c, flag in unknown.items())).where(
        or_(*unknown.values()))
    problems = []
    for row in conn.execute(fields):
        values, flags = row[1:1 + len(unknown)], row[1 + len(unknown):]
        problems += [RowProblem(row[0], c, f"unknown {_LABELS[c]} code", v)
                     for c, v, bad in zip(unknown, values, flags, strict=True) if bad]
    code = stage_class.c.code
    classes = select(stage_class.c.row_no, stage_class.c.kind, code).where(or_(*(
        and_(stage_class.c.kind == column, ~exists().where(tables[table].c.code == code))
        for column, (_, _, table, _) in CLASS_COLUMNS.items())))
    problems += [RowProblem(r, c, f"unknown {_LABELS[c]} code", v)
                 for r, c, v in conn.execute(classes)]
    return problems


def blocked_salespeople(conn: Connection) -> list[RowProblem]:
    """Salespeople that are blocked cannot be given to a contact."""
    blocked = Salesperson.__table__
    query = select(stage.c.row_no, stage.c.salesperson_code).where(exists().where(
        blocked.c.code == stage.c.salesperson_code, blocked.c.blocked))
    return [RowProblem(r, "salesperson_code", "the salesperson is blocked", c)
            for r, c in conn.execute(query)]


def duplicate_numbers(conn: Connection) -> list[RowProblem]:
    """Rows whose number an earlier row of the file already has."""
    earlier = stage.alias("earlier")
    first = select(func.min(earlier.c.row_no)).where(earlier.c.no == stage.c.no)
    query = select(stage.c.row_no, stage.c.no, first.scalar_subquery()).where(
        stage.c.no.is_not(None),
        exists().where(earlier.c.no == stage.c.no, earlier.c.row_no < stage.c.row_no))
    return [RowProblem(r, "no", f"number already used on row {f} of the file", n)
            for r, n, f in conn.execute(query)]


def company_problems(conn: Connection) -> list[RowProblem]:
    """Persons whose company is neither a company of the file nor one already stored."""
    in_file = stage.alias("in_file")
    company_in_file = exists().where(in_file.c.no == stage.c.company_no,
                                     in_file.c.type == COMPANY)
    company_stored = exists().where(
        _contact.c.no == stage.c.company_no, _contact.c.type == COMPANY,
        ~exists().where(in_file.c.no == _contact.c.no))
    known = or_(exists().where(in_file.c.no == stage.c.company_no),
                exists().where(_contact.c.no == stage.c.company_no))
    query = select(stage.c.row_no, stage.c.company_no, known).where(
        stage.c.type == PERSON, stage.c.company_no.is_not(None),
        ~company_in_file, ~company_stored)
    return [RowProblem(r, "company_no", "is a person, not a company" if k
                       else "no such company in the file or the database", c)
            for r, c, k in conn.execute(query)]


def protected_contacts(conn: Connection) -> list[RowProblem]:
    """Changes to stored contacts that the reference refuses (E31, E32, company with persons)."""
    stored = _contact.alias("stored")
    base = select(stage.c.row_no, stage.c.type, stage.c.company_no).join(
        stored, stored.c.no == stage.c.no)
    ile = InteractionLogEntry.__table__
    type_locked = base.where(stored.c.type != stage.c.type,
                             exists().where(ile.c.contact_no == stage.c.no))
    problems = [RowProblem(r, "type", "the contact has interaction log entries, its type "
                           "cannot change (E32)", t) for r, t, _ in conn.execute(type_locked)]
    line = SegmentLine.__table__
    on_line = exists().where(line.c.contact_no == stage.c.no)
    company_locked = base.where(
        stored.c.type == PERSON, stage.c.type == PERSON,
        stored.c.company_no.is_distinct_from(stage.c.company_no), on_line)
    problems += [RowProblem(r, "company_no", "the person is on segment lines, its company "
                            "cannot change (E31)", c or "")
                 for r, _, c in conn.execute(company_locked)]
    # A type change always changes the Company No. (a company's is its own), which the lines
    # carry into the entries when the segment is logged: E31 refuses it too.
    type_on_line = base.where(stored.c.type != stage.c.type, on_line)
    problems += [RowProblem(r, "type", "the contact is on segment lines, its type (and so its "
                            "company) cannot change (E31)", t)
                 for r, t, _ in conn.execute(type_on_line)]
    return problems + _companies_with_persons(conn, base, stored)


def _companies_with_persons(conn: Connection, base: Select[tuple[int, str, str]],
                            stored: FromClause) -> list[RowProblem]:
    person, again = _contact.alias("person"), stage.alias("again")
    repointed = exists().where(again.c.no == person.c.no,
                               again.c.company_no.is_distinct_from(stage.c.no))
    has_persons = exists().where(person.c.company_no == stage.c.no,
                                 person.c.no != stage.c.no, ~repointed)
    query = base.where(stored.c.type == COMPANY, stage.c.type == PERSON, has_persons)
    return [RowProblem(r, "type", "the company has persons, it cannot become a person", t)
            for r, t, _ in conn.execute(query)]


def missing_numbers(conn: Connection) -> list[RowProblem]:
    """Rows without a number when the marketing setup has no "Contact Nos." series."""
    query = select(stage.c.row_no).where(stage.c.no.is_(None))
    return [RowProblem(r, "no", "must have a value: the marketing setup has no Contact Nos. "
                       "series to draw numbers from") for r in conn.scalars(query)]


def reject_rows(conn: Connection, rows: Iterable[int]) -> list[RowProblem]:
    """Mark rows rejected, then persons whose company row was rejected; return the latter."""
    marked = [{"r": r} for r in sorted(set(rows))]
    if not marked:
        return []
    mark = update(stage).where(stage.c.row_no == bindparam("r")).values(rejected=True)
    conn.execute(mark, marked)
    company, kept = stage.alias("company"), stage.alias("kept")
    rejected_company = select(func.min(company.c.row_no)).where(
        company.c.no == stage.c.company_no, company.c.rejected)
    query = select(stage.c.row_no, stage.c.company_no, rejected_company.scalar_subquery()).where(
        stage.c.type == PERSON, ~stage.c.rejected,
        exists().where(company.c.no == stage.c.company_no, company.c.rejected),
        ~exists().where(kept.c.no == stage.c.company_no, ~kept.c.rejected,
                        kept.c.type == COMPANY))
    cascaded = [RowProblem(r, "company_no", f"its company (row {f}) was rejected", c)
                for r, c, f in conn.execute(query)]
    if cascaded:
        conn.execute(mark, [{"r": p.row} for p in cascaded])
    return cascaded


def drop_rejected(conn: Connection) -> None:
    """Remove the rejected rows (and their classification codes) from the staging tables."""
    conn.execute(delete(stage_class).where(exists().where(
        and_(stage.c.row_no == stage_class.c.row_no, stage.c.rejected))))
    conn.execute(delete(stage).where(stage.c.rejected))
