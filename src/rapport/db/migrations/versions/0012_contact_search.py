"""contact search on an index: FTS5 trigram table on SQLite, pg_trgm GIN indexes on PostgreSQL
(issue 14)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

The contact list's search finds part of the search name, number, e-mail or city
(``LIKE '%…%'`` on four columns); without an index every search read the whole contact table
twice (page and total: 2.2 s at 1,000,000 contacts on SQLite). The ``LIKE`` conditions stay the
exact test (services/contacts/_search.py); these indexes narrow the rows they are tried on.

SQLite (3.34 or later): ``contact_search``, an FTS5 table with the trigram tokenizer over the
four columns, its content read from ``contact`` (no second copy of the text) and its rows keyed
by the contact's rowid; ``detail=none`` keeps only which contacts hold a trigram (67 MB at
1,000,000 contacts instead of 265 MB with positions), enough to narrow. Triggers on ``contact``
keep it current for every writer (a single contact, the set-based import, the demo generator);
the upgrade fills it from the existing contacts (``rebuild``). A migration that rebuilds
``contact`` in SQLite batch mode drops these triggers with the table and must create them again,
then ``rebuild``.

PostgreSQL: the pg_trgm extension (a trusted extension: the database owner may create it) and a
GIN trigram index on each of the four expressions the search compares.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE = [
    """CREATE VIRTUAL TABLE contact_search USING fts5(search_name, no, email, city,
        content='contact', content_rowid='rowid', tokenize='trigram', detail='none')""",
    """CREATE TRIGGER contact_search_inserted AFTER INSERT ON contact BEGIN
        INSERT INTO contact_search(rowid, search_name, no, email, city)
        VALUES (new.rowid, new.search_name, new.no, new.email, new.city); END""",
    """CREATE TRIGGER contact_search_deleted AFTER DELETE ON contact BEGIN
        INSERT INTO contact_search(contact_search, rowid, search_name, no, email, city)
        VALUES ('delete', old.rowid, old.search_name, old.no, old.email, old.city); END""",
    """CREATE TRIGGER contact_search_updated AFTER UPDATE OF search_name, no, email, city
        ON contact BEGIN
        INSERT INTO contact_search(contact_search, rowid, search_name, no, email, city)
        VALUES ('delete', old.rowid, old.search_name, old.no, old.email, old.city);
        INSERT INTO contact_search(rowid, search_name, no, email, city)
        VALUES (new.rowid, new.search_name, new.no, new.email, new.city); END""",
    "INSERT INTO contact_search(contact_search) VALUES ('rebuild')",
]
#: The trigram indexes on PostgreSQL: name and indexed expression.
TRIGRAM_INDEXES = {
    "ix_contact_trgm_search_name": "search_name",
    "ix_contact_trgm_no": "no",
    "ix_contact_trgm_email": "lower(email)",
    "ix_contact_trgm_city": "lower(city)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        if sqlite3.sqlite_version_info < (3, 34):
            raise RuntimeError(f"rapport needs SQLite 3.34 or later (the FTS5 trigram "
                               f"tokenizer); this Python has {sqlite3.sqlite_version}")
        for statement in _SQLITE:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON contact USING gin (({expression}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("contact_search_updated", "contact_search_deleted",
                        "contact_search_inserted"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE contact_search")
        return
    for name in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX {name}")
