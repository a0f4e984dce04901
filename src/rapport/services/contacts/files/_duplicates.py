"""The suspected duplicates of a contact import, found in one statement over the staged file.

An import does not refuse a suspected duplicate; it reports it. A row that adds a contact (its
number is not stored yet) is suspect when a stored contact, or another row of the file, has the
same e-mail address (ignoring case) or the same name and company — the rules of creating one
contact (``contacts._duplicates``). Rows that update stored contacts are not reported: the
contact exists already, and a plain re-import must not list every contact that resembles
another.

The statement reads the staging table once. Rows sharing a key within the file are found with
window functions (a sort, not a join of the file with itself); for each new row, one stored
contact per reason is looked up through the indexes a single creation uses (``lower(email)``,
search name) — one lookup per row, however many stored contacts share the key (generated data
gives one e-mail address to hundreds). Then only the suspect rows are numbered, counted and
cut to the first ``REPORTED``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    case,
    exists,
    func,
    null,
    or_,
    select,
)

from rapport.domain.enums import ContactType
from rapport.services.contacts._duplicates import (
    COLLEAGUES,
    COMPANIES,
    SAME_EMAIL,
    SAME_NAME,
    STANDALONE,
    DuplicateReport,
    DuplicateRow,
    SuspectedDuplicate,
    email_key,
    same_email,
    same_name,
)
from rapport.services.contacts.files._resolve import contact_table
from rapport.services.contacts.files._staging import stage

#: At most this many suspect rows are listed (all of them are counted).
REPORTED = 1000
COMPANY = ContactType.COMPANY.value
_CONTACT = ("no", "name", "company_no", "company_name", "email")


def _ranked() -> Any:
    """Every staged row with the other rows it shares its e-mail and its name key with: the
    first of them (the last one for the first itself), NULL when the row is alone.

    Companies are compared by name alone, persons within their company (or without one)."""
    company = case((stage.c.type == COMPANY, ""), else_=func.coalesce(stage.c.company_no, ""))
    by_email = [email_key(stage.c.email)]
    by_name = [stage.c.type, company, stage.c.search_name]
    row = stage.c.row_no
    # Only the row number goes through the sorts; the row's values are joined back after.
    windows = select(
        row.label("row_no"),
        # Computed per row here, not as an anti-join: PostgreSQL estimates that nearly every
        # row's number is stored and then plans the rest for one row.
        exists().where(contact_table.c.no == stage.c.no).label("stored"),
        func.min(row).over(partition_by=by_email).label("email_first"),
        func.max(row).over(partition_by=by_email).label("email_last"),
        func.min(row).over(partition_by=by_name).label("name_first"),
        func.max(row).over(partition_by=by_name).label("name_last"),
    ).subquery("windows")
    w = windows.c
    email_row = case((or_(stage.c.email == "", w.email_first == w.email_last), null()),
                     (w.email_first == w.row_no, w.email_last), else_=w.email_first)
    name_row = case((w.name_first == w.name_last, null()),
                    (w.name_first == w.row_no, w.name_last), else_=w.name_first)
    return select(stage.c.row_no, stage.c.no, stage.c.name, stage.c.type, stage.c.company_no,
                  stage.c.email, stage.c.search_name, w.stored, email_row.label("email_row"),
                  name_row.label("name_row")).join_from(
        stage, windows, w.row_no == stage.c.row_no).subquery("ranked")


def _first_stored(condition: Callable[[Any], list[ColumnElement[bool]]]) -> Any:
    """The number of one stored contact meeting ``condition`` (the first its index yields): one
    lookup per row, however many contacts share the key (generated data gives one e-mail
    address to hundreds)."""
    stored = contact_table.alias()
    return select(stored.c.no).where(*condition(stored.c)).limit(1).scalar_subquery()


def _suspects() -> Any:
    """The new rows with their stored matches and other rows (NULL where there is none)."""
    r = _ranked().c
    email_match = case((r.email != "", _first_stored(lambda c: same_email(c, r.email))),
                       else_=null())
    name_match = case(
        (r.type == COMPANY, _first_stored(lambda c: same_name(c, r.search_name, COMPANIES))),
        (r.company_no.is_(None),
         _first_stored(lambda c: same_name(c, r.search_name, STANDALONE))),
        else_=_first_stored(lambda c: same_name(c, r.search_name, COLLEAGUES, r.company_no)))
    return select(r.row_no, r.no, r.name, r.company_no, r.email, r.email_row, r.name_row,
                  email_match.label("email_contact"), name_match.label("name_contact"),
                  ).where(~r.stored).offset(0).subquery("suspects")


def duplicates_query() -> Any:
    """The first ``REPORTED`` suspect rows with their matches and the number of all of them."""
    found = _suspects()
    suspect = or_(found.c.email_row.is_not(None), found.c.name_row.is_not(None),
                  found.c.email_contact.is_not(None), found.c.name_contact.is_not(None))
    first = (select(found, func.count().over().label("total")).where(suspect)
             .order_by(found.c.row_no).limit(REPORTED).subquery("first"))
    email_contact, name_contact = contact_table.alias("email_c"), contact_table.alias("name_c")
    return (select(first, *(email_contact.c[c] for c in _CONTACT),
                   *(name_contact.c[c] for c in _CONTACT))
            .outerjoin(email_contact, email_contact.c.no == first.c.email_contact)
            .outerjoin(name_contact, name_contact.c.no == first.c.name_contact)
            .order_by(first.c.row_no))


def suspected_duplicates(conn: Connection) -> DuplicateReport:
    """The staged rows that may duplicate a stored contact or another row (see module doc)."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        # The per-row lookups inflate the cost estimate past jit_above_cost; compiling the
        # statement then took 2 s of its 5 s on 100,000 rows and saved nothing.
        conn.exec_driver_sql("SET LOCAL jit = off")
    rows = conn.execute(duplicates_query()).all()
    if postgres:
        conn.exec_driver_sql("RESET jit")
    return DuplicateReport(tuple(_entry(r) for r in rows), int(rows[0].total) if rows else 0)


def _entry(r: Any) -> DuplicateRow:
    row_no, no, name, company_no, email, email_row, name_row = r[:7]
    contacts: dict[str, SuspectedDuplicate] = {}
    for reason, values in ((SAME_EMAIL, r[10:15]), (SAME_NAME, r[15:20])):
        match_no, match_name, match_company, match_company_name, match_email = values
        if match_no is not None:
            seen = contacts.get(match_no)
            reasons = (*seen.reasons, reason) if seen else (reason,)
            contacts[match_no] = SuspectedDuplicate(match_no, match_name, match_company,
                                                    match_company_name, match_email, reasons)
    others: dict[int, tuple[str, ...]] = {}
    for reason, other in ((SAME_EMAIL, email_row), (SAME_NAME, name_row)):
        if other is not None:
            others[int(other)] = (*others.get(int(other), ()), reason)
    return DuplicateRow(row_no, no, name, company_no, email or "", tuple(contacts.values()),
                        tuple(others.items()))
