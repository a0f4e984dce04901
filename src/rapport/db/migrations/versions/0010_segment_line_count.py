"""segment line count: a segment's number of lines kept on its header (issue 13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

A page of a segment's lines answers with their total. Counting them on every page cost
10.6 ms of a 300,000-line segment on SQLite (about 94 pages a second on one core, whatever
the rest of the request costs). The header now keeps the number: ``segment_header.no_of_lines``,
changed in the same transaction, under the header's lock, by every statement that adds or
removes lines (``services.segments._line_count``: ``no_of_lines = no_of_lines + :delta``, the
statement's row count). The upgrade backfills it with one grouped count.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("segment_header", sa.Column("no_of_lines", sa.BigInteger(), nullable=False,
                                              server_default=sa.text("0")))
    header = sa.table("segment_header", sa.column("no", sa.String()),
                      sa.column("no_of_lines", sa.BigInteger()))
    line = sa.table("segment_line", sa.column("segment_no", sa.String()))
    counted = (sa.select(sa.func.count()).where(line.c.segment_no == header.c.no)
               .scalar_subquery())
    op.execute(header.update().where(sa.exists().where(line.c.segment_no == header.c.no))
               .values(no_of_lines=counted))


def downgrade() -> None:
    # Not in batch mode on SQLite: rebuilding segment_header would drop the triggers migration
    # 0002 put on it (SQLite 3.35 and later drop a column in place).
    op.execute("ALTER TABLE segment_header DROP COLUMN no_of_lines")
