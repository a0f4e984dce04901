"""The contact search: part of the search name, the number, the e-mail or the city, on an index.

A search of ``MIN_SUBSTRING`` characters or more keeps the meaning it always had: the four
``LIKE '%…%'`` conditions (search name and number against the upper-cased text, e-mail and city
lower-cased against the lower-cased text; case-insensitive for ASCII on SQLite, case-sensitive on
PostgreSQL). Those conditions stay in the statement as the exact test; an index only narrows
the rows they are tried on (migration 0012):

* SQLite: the FTS5 table ``contact_search`` (trigram tokenizer, kept by triggers on ``contact``)
  gives the contacts whose four columns hold every trigram of the text, ignoring case. A contact
  that matches a ``LIKE`` holds them all, so nothing the ``LIKE`` finds is lost.
* PostgreSQL: pg_trgm GIN indexes on the four expressions answer the ``LIKE`` conditions
  themselves.

A trigram needs three characters, so a shorter text looks for names, numbers and e-mail
addresses that *begin* with it (the upper-cased text in the search name and number, the
lower-cased one in the e-mail, case-sensitively): key ranges on the search name, number and
e-mail indexes on SQLite, the trigram indexes (which also hold word starts) on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from rapport.db.models import Contact

#: The shortest text searched for anywhere in the four columns (one trigram).
MIN_SUBSTRING = 3
_FTS = table("contact_search", column("rowid"))
_LAST_CODE_POINT = 0x10FFFF


def is_prefix_search(term: str) -> bool:
    """Whether ``term`` (stripped, not blank) is too short for a trigram and is searched as the
    start of the search name, number and e-mail."""
    return 0 < min(len(term.upper()), len(term.lower()), len(term)) < MIN_SUBSTRING


def search_clause(term: str) -> ColumnElement[bool]:
    """The contacts that ``term`` (stripped, not blank) finds, as one SQL condition."""
    if is_prefix_search(term):
        return _prefix_clause(term)
    upper, lower = term.upper(), term.lower()
    exact = or_(
        Contact.search_name.contains(upper, autoescape=True),
        Contact.no.contains(upper, autoescape=True),
        func.lower(Contact.email).contains(lower, autoescape=True),
        func.lower(Contact.city).contains(lower, autoescape=True),
    )
    candidates = literal_column("contact.rowid").in_(
        select(_FTS.c.rowid).where(literal_column("contact_search").op("MATCH")(
            fts_query(upper, lower))))
    return _PerEngine(and_(candidates, exact), exact)


def fts_query(*texts: str) -> str:
    """An FTS5 query for the rows holding every trigram of one of ``texts`` (each a quoted
    string of three characters: the trigram tokenizer reads it as one token)."""
    groups: list[str] = []
    for text in texts:
        grams = [text[i:i + MIN_SUBSTRING] for i in range(len(text) - MIN_SUBSTRING + 1)]
        group = " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
        if group not in groups:
            groups.append(group)
    return " OR ".join(f"({group})" for group in groups)


def _prefix_clause(term: str) -> ColumnElement[bool]:
    upper, lower = term.upper(), term.lower()
    email = func.lower(Contact.email)
    ranges = or_(_starts(Contact.search_name, upper), _starts(Contact.no, upper),
                 and_(Contact.email != "", _starts(email, lower)))
    likes = or_(Contact.search_name.startswith(upper, autoescape=True),
                Contact.no.startswith(upper, autoescape=True),
                email.startswith(lower, autoescape=True))
    return _PerEngine(ranges, likes)


def _starts(value: Any, prefix: str) -> ColumnElement[bool]:
    """``value`` begins with ``prefix``, as a key range (SQLite compares text by code point)."""
    last = ord(prefix[-1])
    if last == _LAST_CODE_POINT:
        return and_(value >= prefix, func.substr(value, 1, len(prefix)) == prefix)
    following = last + 1 if last + 1 != 0xD800 else 0xE000  # no surrogates in stored text
    return and_(value >= prefix, value < prefix[:-1] + chr(following))


class _PerEngine(FunctionElement[bool]):
    """Two forms of one condition: the first is rendered on SQLite, the second elsewhere."""

    type = Boolean()
    inherit_cache = True
    name = "rapport_per_engine"
    _is_implicitly_boolean = True


@compiles(_PerEngine)
def _other_form(element: _PerEngine, compiler: SQLCompiler, **kw: Any) -> str:
    _sqlite, other = element.clauses.clauses
    return f"({compiler.process(other, **kw)})"


@compiles(_PerEngine, "sqlite")
def _sqlite_form(element: _PerEngine, compiler: SQLCompiler, **kw: Any) -> str:
    sqlite, _other = element.clauses.clauses
    return f"({compiler.process(sqlite, **kw)})"
