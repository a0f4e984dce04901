"""set-based keys for the interaction log (issue 11)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Logging a segment writes its interaction log entries in one statement: 300,000 rows with seven
foreign keys were 2.1 million per-row trigger calls on PostgreSQL (20 of the 27 seconds of
logging a 300,000-line segment). The seven references of an entry — contact, attachment,
interaction group, interaction template, campaign entry, logged segment, salesperson — become
set-based keys (see 0002): on PostgreSQL one anti-join per reference and INSERT statement, a
check per row whose reference changes by UPDATE, and the deletion (or renumbering) of a parent
waits for running writers and is refused while an entry refers to it; on SQLite, where one
writer runs at a time, the deletion of a parent with entries is refused by a trigger. Every
writer of entries reads the rows it refers to (logging checks every line first, K11; a single
interaction checks its codes before it is written).
"""

# ruff: noqa: S608 — the DDL below is built from this file's own table and column names only.
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILD = "interaction_log_entry"
#: (trigger tag, column, parent table, parent key, the foreign key's name in 0001).
REFERENCES = [
    ("ile_contact", "contact_no", "contact", "no",
     "fk_interaction_log_entry_contact_no_contact"),
    ("ile_attachment", "attachment_no", "attachment", "no",
     "fk_interaction_log_entry_attachment_no_attachment"),
    ("ile_group", "interaction_group_code", "interaction_group", "code",
     "fk_interaction_log_entry_interaction_group_code_interaction_group"),
    ("ile_template", "interaction_template_code", "interaction_template", "code",
     "fk_interaction_log_entry_interaction_template_code_interaction_template"),
    ("ile_campaign_entry", "campaign_entry_no", "campaign_entry", "entry_no",
     "fk_interaction_log_entry_campaign_entry_no_campaign_entry"),
    ("ile_logged_segment", "logged_segment_entry_no", "logged_segment", "entry_no",
     "fk_interaction_log_entry_logged_segment_entry_no_logged_segment"),
    ("ile_salesperson", "salesperson_code", "salesperson", "code",
     "fk_interaction_log_entry_salesperson_code_salesperson"),
]


def _triggers(dialect: str, tag: str, column: str, parent: str, key: str,
              name: str) -> list[str]:
    """The triggers of one set-based key (the functions are migration 0002's)."""
    child_args = f"'{column}', '{parent}', '{key}', '{name}'"
    parent_args = f"'{CHILD}', '{column}', '{key}', '{name}'"
    if dialect == "postgresql":
        return [
            f"CREATE TRIGGER {tag}_inserted AFTER INSERT ON {CHILD} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION rapport_key_inserted({child_args})",
            f"CREATE TRIGGER {tag}_changed AFTER UPDATE OF {column} ON {CHILD} "
            f"FOR EACH ROW WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) "
            f"EXECUTE FUNCTION rapport_key_changed({child_args})",
            f"CREATE TRIGGER {tag}_parent_deleted AFTER DELETE ON {parent} "
            f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION rapport_parent_deleted({parent_args})",
            f"CREATE TRIGGER {tag}_parent_renumbered AFTER UPDATE OF {key} ON {parent} "
            f"FOR EACH ROW WHEN (OLD.{key} IS DISTINCT FROM NEW.{key}) "
            f"EXECUTE FUNCTION rapport_parent_renumbered({parent_args})",
        ]
    used = f"EXISTS (SELECT 1 FROM {CHILD} WHERE {column} = OLD.{key})"
    refuse = f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed ({name})'); END"
    return [
        f"CREATE TRIGGER {tag}_parent_deleted BEFORE DELETE ON {parent} WHEN {used} {refuse}",
        f"CREATE TRIGGER {tag}_parent_renumbered BEFORE UPDATE OF {key} ON {parent} "
        f"WHEN NEW.{key} IS NOT OLD.{key} AND {used} {refuse}",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table(CHILD, table_kwargs={"sqlite_autoincrement": True}) as batch:
        for *_, name in REFERENCES:
            batch.drop_constraint(op.f(name), type_="foreignkey")
    for reference in REFERENCES:
        for statement in _triggers(dialect, *reference):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for tag, _, parent, _, _ in REFERENCES:
        names = ([f"{tag}_inserted ON {CHILD}", f"{tag}_changed ON {CHILD}"]
                 if dialect == "postgresql" else [])
        suffix = f" ON {parent}" if dialect == "postgresql" else ""
        names += [f"{tag}_parent_deleted{suffix}", f"{tag}_parent_renumbered{suffix}"]
        for trigger in names:
            op.execute(f"DROP TRIGGER {trigger}")
    with op.batch_alter_table(CHILD, table_kwargs={"sqlite_autoincrement": True}) as batch:
        for _, column, parent, key, name in REFERENCES:
            batch.create_foreign_key(op.f(name), parent, [column], [key])
