"""The suspected duplicates of a contact import, found set-based over the staged file.

An import does not refuse a suspected duplicate; it reports it. A row that adds a contact (its
number is not stored yet) is suspect when a stored contact, or another row of the file, has the
same e-mail address (ignoring case) or the same name and company — the rules of creating one
contact (``contacts._duplicates``). Rows that update stored contacts are not reported: the
contact exists already, and a plain re-import must not list every contact that resembles
another.

Keys shared within the file come from two aggregates, one per key and only over the rows that
have it (a blank e-mail is no key): each shared key is stored once with the first and the last
of its rows (``shared_email``, ``shared_name``; a few rows in a real file). A row sharing a key
then names the first of those rows (the last, for the first itself) through one lookup of that
small table. For each new row, one stored contact per reason is looked up through the indexes a
single creation uses (``lower(email)``, search name, company): one lookup per row, however many
stored contacts share the key (generated data gives one e-mail address to hundreds).

The rows are listed in file order and the listing stops at the ``REPORTED``-th suspect; only
when it is full are the suspects counted, in a second statement that returns one number. No
statement sorts or buffers the whole file (on SQLite each aggregate sorts the keys it groups;
PostgreSQL hashes them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    case,
    exists,
    false,
    func,
    insert,
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
from rapport.services.contacts.files._staging import analyze, shared_email, shared_name, stage

#: At most this many suspect rows are listed (all of them are counted).
REPORTED = 1000
COMPANY = ContactType.COMPANY.value
_CONTACT = ("no", "name", "company_no", "company_name", "email")


def _company_key(table: Any) -> ColumnElement[str]:
    """Companies are compared by name alone, persons within their company (or without one)."""
    return case((table.c.type == COMPANY, ""), else_=func.coalesce(table.c.company_no, ""))


def share_keys(conn: Connection) -> None:
    """Fill ``shared_email`` and ``shared_name``: the keys of more than one staged row, each
    with its first and last row (two aggregates over the rows that have the key)."""
    row = stage.c.row_no
    several = func.min(row) < func.max(row)
    email = email_key(stage.c.email)
    conn.execute(insert(shared_email).from_select(
        ["email_key", "first_row", "last_row"],
        select(email, func.min(row), func.max(row)).where(stage.c.email != "")
        .group_by(email).having(several)))
    company = _company_key(stage)
    conn.execute(insert(shared_name).from_select(
        ["type", "company_key", "search_name", "first_row", "last_row"],
        select(stage.c.type, company, stage.c.search_name, func.min(row), func.max(row))
        .group_by(stage.c.type, company, stage.c.search_name).having(several)))
    analyze(conn, shared_email, shared_name)


def _first_stored(condition: Callable[[Any], list[ColumnElement[bool]]]) -> Any:
    """The number of one stored contact meeting ``condition`` (the first its index yields): one
    lookup per row, however many contacts share the key (generated data gives one e-mail
    address to hundreds)."""
    stored = contact_table.alias()
    return select(stored.c.no).where(*condition(stored.c)).limit(1).scalar_subquery()


def _other_row(shared: Any) -> ColumnElement[Any]:
    """The row a staged row shares a key with: the key's first row, or its last for the first."""
    return case((shared.c.first_row == stage.c.row_no, shared.c.last_row),
                else_=shared.c.first_row)


def _stored_matches(row: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The numbers of one stored contact with the e-mail and one with the name and company of
    ``row`` (a staged row, columns ``email``, ``type``, ``search_name``, ``company_no``)."""
    email = case((row.email != "", _first_stored(lambda c: same_email(c, row.email))),
                 else_=null())
    name = case(
        (row.type == COMPANY, _first_stored(lambda c: same_name(c, row.search_name, COMPANIES))),
        (row.company_no.is_(None),
         _first_stored(lambda c: same_name(c, row.search_name, STANDALONE))),
        else_=_first_stored(lambda c: same_name(c, row.search_name, COLLEAGUES, row.company_no)))
    return email, name


def _suspects(*columns: Any) -> Select[Any]:
    """``columns`` of the new staged rows that are suspect (see the module doc)."""
    by_email, by_name = shared_email.alias("by_email"), shared_name.alias("by_name")
    s = stage.c
    email_match, name_match = _stored_matches(s)
    # Shared keys first: the stored contacts are not looked up for a row already suspect.
    suspect = or_(by_email.c.first_row.is_not(None), by_name.c.first_row.is_not(None),
                  email_match.is_not(None), name_match.is_not(None))
    return (select(*columns).select_from(
        stage.outerjoin(by_email, (by_email.c.email_key == email_key(s.email))
                        & (s.email != ""))
        .outerjoin(by_name, (by_name.c.type == s.type)
                   & (by_name.c.company_key == _company_key(stage))
                   & (by_name.c.search_name == s.search_name)))
        # Whether the row's number is stored is tested per row, not as an anti-join:
        # PostgreSQL estimates that nearly every number is stored and would plan the joins
        # for one row.
        .where(case((exists().where(contact_table.c.no == s.no), false()), else_=suspect))
        .add_columns(_other_row(by_email).label("email_row"),
                     _other_row(by_name).label("name_row")))


def listing_query() -> Select[Any]:
    """The first ``REPORTED`` suspect rows (in file order) with their matches: the stored
    contacts are looked up again for these rows only."""
    s = stage.c
    first = (_suspects(s.row_no, s.no, s.name, s.company_no, s.email, s.type, s.search_name)
             .order_by(s.row_no).limit(REPORTED).subquery("first"))
    email_match, name_match = _stored_matches(first.c)
    matched = select(*(first.c[c] for c in ("row_no", "no", "name", "company_no", "email",
                                            "email_row", "name_row")),
                     email_match.label("email_contact"), name_match.label("name_contact"),
                     ).subquery("matched")
    email_contact, name_contact = contact_table.alias("email_c"), contact_table.alias("name_c")
    return (select(matched, *(email_contact.c[c] for c in _CONTACT),
                   *(name_contact.c[c] for c in _CONTACT))
            .outerjoin(email_contact, email_contact.c.no == matched.c.email_contact)
            .outerjoin(name_contact, name_contact.c.no == matched.c.name_contact)
            .order_by(matched.c.row_no))


def count_query() -> Select[Any]:
    """The number of suspect rows."""
    return _suspects(func.count()).with_only_columns(func.count())


def suspected_duplicates(conn: Connection) -> DuplicateReport:
    """The staged rows that may duplicate a stored contact or another row (see module doc)."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        # The per-row lookups inflate the cost estimate past jit_above_cost; compiling the
        # statement then took 2 s of its 5 s on 100,000 rows and saved nothing.
        conn.exec_driver_sql("SET LOCAL jit = off")
    share_keys(conn)
    rows = conn.execute(listing_query()).all()
    total = len(rows) if len(rows) < REPORTED else int(conn.scalar(count_query()) or 0)
    if postgres:
        conn.exec_driver_sql("RESET jit")
    return DuplicateReport(tuple(_entry(r) for r in rows), total)


def _entry(r: Any) -> DuplicateRow:
    row_no, no, name, company_no, email, email_row, name_row = r[:7]
    contacts: dict[str, SuspectedDuplicate] = {}
    for reason, values in ((SAME_EMAIL, r[9:14]), (SAME_NAME, r[14:19])):
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
