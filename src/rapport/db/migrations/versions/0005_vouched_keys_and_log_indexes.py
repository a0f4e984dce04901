"""vouched set-based keys; two interaction log indexes fewer (issue 11)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

1. A writer may *vouch* for a set-based key (0002, 0004) of the rows its next statement
   writes, when that statement reads every parent it refers to and the writer took the
   parent's advisory lock (shared) before reading them: a deletion of a parent then either
   committed before the statement's snapshot (the statement does not see the parent, so writes
   no row for it) or waits for the writer and then finds its rows. The check after the
   statement — an anti-join of every written row with the parent table, 0.5 s for 300,000
   entries against 1,000,000 contacts — would find nothing, and is skipped for the keys named
   in the transaction-local setting ``rapport.vouched`` (services/tables.py, ``vouched``).
   Writers that do not vouch are checked as before.
2. ``interaction_log_entry`` keeps the indexes the pages, the criteria and the deletion checks
   use (contact and date, template, group, salesperson, campaign, campaign entry, logged
   segment, attachment) and drops the index on the contact's company and the one on the
   segment number: each cost as much as all the other single-value indexes of a logged
   segment together (random keys: 0.95 s and 0.5 s per 300,000 entries on PostgreSQL). The
   entry list filtered by company or segment walks the entries newest first and stops at its
   page size; deleting a company (re-pointing its entries) reads the entries once.
"""

# ruff: noqa: S608 — the DDL below is built from this file's own names only.
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOCK = "hashtextextended('rapport parent ' || TG_ARGV[1], 0)"
_RAISE = """
            RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"',
                TG_TABLE_NAME, TG_ARGV[3] USING ERRCODE = 'foreign_key_violation';"""


def _key_inserted(vouching: bool) -> str:
    vouched = """
            IF (',' || coalesce(current_setting('rapport.vouched', true), '') || ',')
               LIKE ('%,' || TG_TABLE_NAME || '.' || TG_ARGV[0] || ',%') THEN
                RETURN NULL;  -- the writer read every parent under the lock (see above)
            END IF;""" if vouching else ""
    return ("""CREATE OR REPLACE FUNCTION rapport_key_inserted() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE missing boolean;
        BEGIN
            PERFORM pg_advisory_xact_lock_shared(""" + _LOCK + ");" + vouched + """
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM new_rows n WHERE n.%1$I IS NOT NULL'
                ' AND NOT EXISTS (SELECT 1 FROM %2$I p WHERE p.%3$I = n.%1$I))',
                TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
            IF missing THEN""" + _RAISE + """
            END IF;
            RETURN NULL;
        END $$""")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_key_inserted(vouching=True))
    with op.batch_alter_table("interaction_log_entry",
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_index("ix_interaction_log_entry_contact_company_no")
        batch.drop_index("ix_ile_segment_no")


def downgrade() -> None:
    with op.batch_alter_table("interaction_log_entry",
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.create_index("ix_ile_segment_no", ["segment_no"])
        batch.create_index("ix_interaction_log_entry_contact_company_no",
                           ["contact_company_no"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_key_inserted(vouching=False))
