"""contact key epoch: Go Back vouches for its lines' contacts when none went; contacts
without e-mail indexed (issue 11)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Go Back moves the lines an action deleted back from the undo journal. A contact may have been
deleted (or renumbered) after its line went into the journal — contact deletion refuses
contacts on lines (E30), not in journals — so the restore was checked like any writer of lines
that does not read the contacts: one anti-join of the restored lines with every contact (on
PostgreSQL at 1,000,000 contacts, 0.33 s of a 1.1 s Go Back of 214,400 lines).

The check can be skipped exactly when no contact has been deleted or renumbered since the
lines were journaled. On PostgreSQL each statement that deletes contacts, and each renumbering,
draws a number from the sequence ``contact_key_epoch`` after the segment line key's own check
(the triggers below are named to fire after ``segment_line_contact_parent_…``: triggers of one
event fire in name order). An action that journals lines stores the epoch read *before* its
DELETE on its Action row (``segment_criteria_line.contact_key_epoch``); Go Back takes the
contacts' shared advisory lock, reads the epoch, and vouches for the key (0005) when it is the
stored one:

* a deletion that bumped the epoch before the action read it had checked the lines before
  that, while the journaled lines were still lines, and was refused if one referred to the
  contact (the check sees them until the action commits);
* a deletion after that read bumps the epoch past the stored one, and Go Back checks;
* a deletion that runs while Go Back holds the lock waits for it and then finds the restored
  lines (refused); one that holds the exclusive lock makes Go Back wait, then read its bump.

A sequence is not rolled back, so a refused deletion leaves a bump behind: Go Back then checks
as before (never the other way round). Journals written before this migration, and SQLite
(one writer at a time; no check on insert), store no epoch.

Log Segment's e-mail rule (§3.13) looks a line's contact up among the contacts without an
e-mail; without an index that read the whole contact table (0.3–0.8 s at 1,000,000 contacts on
PostgreSQL) in the line check when sending, and in the entries' insert when not. The partial
index ``ix_contact_without_email`` holds only those contacts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSTGRESQL = [
    "CREATE SEQUENCE contact_key_epoch",
    """CREATE FUNCTION rapport_contact_key_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM nextval('contact_key_epoch');
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER segment_line_contact_parent_deleted_epoch AFTER DELETE ON contact
        FOR EACH STATEMENT EXECUTE FUNCTION rapport_contact_key_epoch()""",
    """CREATE TRIGGER segment_line_contact_parent_renumbered_epoch AFTER UPDATE OF no
        ON contact FOR EACH ROW WHEN (OLD.no IS DISTINCT FROM NEW.no)
        EXECUTE FUNCTION rapport_contact_key_epoch()""",
]


def upgrade() -> None:
    op.create_index("ix_contact_without_email", "contact", ["no"],
                    sqlite_where=sa.text("email = ''"), postgresql_where=sa.text("email = ''"))
    op.add_column("segment_criteria_line",
                  sa.Column("contact_key_epoch", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POSTGRESQL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in ("DROP TRIGGER segment_line_contact_parent_renumbered_epoch ON contact",
                          "DROP TRIGGER segment_line_contact_parent_deleted_epoch ON contact",
                          "DROP FUNCTION rapport_contact_key_epoch()",
                          "DROP SEQUENCE contact_key_epoch"):
            op.execute(statement)
    with op.batch_alter_table("segment_criteria_line") as batch:
        batch.drop_column("contact_key_epoch")
    op.drop_index("ix_contact_without_email", table_name="contact")
