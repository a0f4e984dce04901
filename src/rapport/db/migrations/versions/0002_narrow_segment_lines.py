"""narrow segment lines: membership rows, personalised data only where set (issue 11)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

A segment line was one row of 36 columns with five foreign keys and three indexes, written in
full by every step and copied in full into the undo journal. It becomes:

* ``segment_line`` — what a line *is*: its contact and what SPEC §3.2 takes from the contact
  (company no., alternate address, exclusion flag, salesperson, correspondence type, language);
  key (segment_no, line_no), one index (contact_no, segment_no), no foreign key;
* ``segment_line_data`` — the line's own interaction data (description, template, cost,
  attachment, subject, evaluation …), only for a line a user or a rule personalised; every other
  line shows what its header gives (services/segments/_resolved.py);
* ``segment_history`` / ``segment_history_data`` — the undo journal, the same two shapes.

Existing data is carried over exactly: every line and journal row keeps its membership row, and
gets a data row when any of its stored values differs from what its header would show it (or it
has unique language rows) — so every line shows after the upgrade exactly what it showed before.

A segment's lines, their data and journal go with their header (a trigger on the header's
deletion, as the cascading foreign keys did), and every writer of lines locks the header first.
The contact reference of a line keeps the foreign key's guarantee without its per-row trigger:
on PostgreSQL a statement-level trigger checks the new lines of a statement in one anti-join,
and a contact deletion (or renumbering) waits for running line writers (a transaction advisory
lock: shared for writers of lines, exclusive for contact deletion) and is refused while a line
refers to the contact; on SQLite, where one writer runs at a time, a per-row trigger refuses
the deletion of a contact on a line. See the README, "How rapport is built".
"""

# ruff: noqa: S608 — the DDL below is built from this file's own table and column names only.
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FALSE = sa.text("false")
ZERO = sa.text("0")


def _code(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length=20), nullable=True)


def _text(name: str, length: int) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length=length), server_default="", nullable=False)


def _flag(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Boolean(), server_default=FALSE, nullable=False)


def _minutes(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Integer(), server_default=ZERO, nullable=False)


def membership() -> list[sa.Column[Any]]:
    return [
        _code("contact_no"), _code("contact_company_no"), _code("contact_alt_address_code"),
        _flag("contact_excluded"), _code("salesperson_code"), _text("correspondence_type", 30),
        _text("language_code", 20),
    ]


def line_data() -> list[sa.Column[Any]]:
    return [
        _text("description", 100), _code("campaign_no"), _code("interaction_template_code"),
        _code("interaction_group_code"),
        sa.Column("cost", sa.Numeric(precision=18, scale=2), server_default=ZERO, nullable=False),
        _minutes("duration"), sa.Column("date", sa.Date(), nullable=True),
        sa.Column("time_of_interaction", sa.Time(), nullable=True),
        _flag("campaign_target"), _flag("campaign_response"), _text("information_flow", 30),
        _text("initiated_by", 30), _flag("send_word_doc_as_attmt"), _code("word_template_code"),
        _text("subject", 100), sa.Column("attachment_no", sa.Integer(), nullable=True),
        _text("evaluation", 30), _flag("attempt_failed"), _text("todo_no", 20),
        _text("opportunity_no", 20), _text("document_type", 30), _text("document_no", 20),
        _minutes("version_no"), _minutes("doc_no_occurrence"), _text("contact_via", 80),
        sa.Column("campaign_entry_no", sa.Integer(), nullable=True), _flag("merged"),
    ]


MEMBERSHIP = [c.name for c in membership()]
DATA = [c.name for c in line_data()]


def _line_key() -> list[sa.Column[Any]]:
    return [sa.Column("segment_no", sa.String(length=20), nullable=False),
            sa.Column("line_no", sa.BigInteger(), autoincrement=False, nullable=False)]


def _journal_key() -> list[sa.Column[Any]]:
    return [sa.Column("segment_no", sa.String(length=20), nullable=False),
            sa.Column("segment_action_no", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("line_no", sa.BigInteger(), autoincrement=False, nullable=False)]


def _create_narrow_tables() -> None:
    op.create_table(
        "segment_line", *_line_key(), *membership(),
        sa.PrimaryKeyConstraint("segment_no", "line_no", name=op.f("pk_segment_line")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_segment_line_contact", "segment_line", ["contact_no", "segment_no"])
    op.create_table(
        "segment_history", *_journal_key(), *membership(),
        sa.PrimaryKeyConstraint("segment_no", "segment_action_no", "line_no",
                                name=op.f("pk_segment_history")),
        sqlite_with_rowid=False,
    )


def _create_data_tables() -> None:
    op.create_table(
        "segment_line_data", *_line_key(), *line_data(),
        sa.ForeignKeyConstraint(["campaign_no"], ["campaign.no"],
                                name=op.f("fk_segment_line_data_campaign_no_campaign")),
        sa.ForeignKeyConstraint(
            ["interaction_template_code"], ["interaction_template.code"],
            name=op.f("fk_segment_line_data_interaction_template_code_interaction_template")),
        sa.PrimaryKeyConstraint("segment_no", "line_no", name=op.f("pk_segment_line_data")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "segment_history_data", *_journal_key(), *line_data(),
        sa.PrimaryKeyConstraint("segment_no", "segment_action_no", "line_no",
                                name=op.f("pk_segment_history_data")),
        sqlite_with_rowid=False,
    )


def _wide(name: str, key: list[sa.Column[Any]]) -> sa.Table:
    return sa.Table(name, sa.MetaData(), *key, *membership(), *line_data())


def _header_shows(line: sa.FromClause) -> tuple[Any, Any, sa.ColumnElement[bool],
                                                 dict[str, Any]]:
    """The header, the language row with its join condition to the header and ``line``, and,
    per field, what a line without data shows (services/segments/_resolved.py)."""
    header = sa.table("segment_header", *(sa.column(c) for c in (
        "no", "description", "campaign_no", "interaction_template_code",
        "interaction_group_code", "unit_cost", "unit_duration", "date", "campaign_target",
        "campaign_response", "information_flow", "initiated_by", "send_word_docs_as_attmt",
        "word_template_code"))).alias("line_header")
    row = sa.table("segment_interaction_language", *(sa.column(c) for c in (
        "segment_no", "segment_line_no", "language_code", "attachment_no", "subject",
        "word_template_code"))).alias("line_row")
    h = header.c
    on = sa.and_(row.c.segment_no == h.no, row.c.segment_line_no == 0,
                 row.c.language_code == line.c.language_code)
    return header, row, on, {
        "description": h.description, "campaign_no": h.campaign_no,
        "interaction_template_code": h.interaction_template_code,
        "interaction_group_code": h.interaction_group_code, "cost": h.unit_cost,
        "duration": h.unit_duration, "date": h.date, "time_of_interaction": sa.null(),
        "campaign_target": h.campaign_target, "campaign_response": h.campaign_response,
        "information_flow": h.information_flow, "initiated_by": h.initiated_by,
        "send_word_doc_as_attmt": h.send_word_docs_as_attmt,
        "word_template_code": sa.func.coalesce(row.c.word_template_code, h.word_template_code),
        "subject": sa.func.coalesce(row.c.subject, ""), "attachment_no": row.c.attachment_no,
        "evaluation": "", "attempt_failed": sa.false(), "todo_no": "", "opportunity_no": "",
        "document_type": "", "document_no": "", "version_no": 0, "doc_no_occurrence": 0,
        "contact_via": "", "campaign_entry_no": sa.null(), "merged": sa.false(),
    }


def _differs(wide: sa.FromClause, own_rows: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The stored row shows something else than its header gives a line without data, or it
    has language rows of its own (``own_rows``)."""
    header, row, on, shows = _header_shows(wide)
    shown = sa.select(sa.literal(1)).select_from(header.outerjoin(row, on)).where(
        header.c.no == wide.c.segment_no,
        *[wide.c[n].is_not_distinct_from(v) for n, v in shows.items()])
    return sa.or_(~sa.exists(shown), own_rows)


def _carry_over(old: sa.FromClause, narrow_tmp: sa.Table, data: str, key: list[str],
                own_rows: sa.ColumnElement[bool]) -> None:
    """Copy the wide rows: all into the narrow holding table, the differing ones' data."""
    op.execute(sa.insert(narrow_tmp).from_select(
        [*key, *MEMBERSHIP], sa.select(*[old.c[n] for n in [*key, *MEMBERSHIP]])))
    target = sa.table(data, *(sa.column(n) for n in [*key, *DATA]))
    op.execute(sa.insert(target).from_select(
        [*key, *DATA],
        sa.select(*[old.c[n] for n in [*key, *DATA]]).where(_differs(old, own_rows))))


def upgrade() -> None:
    bind = op.get_bind()
    old_line = _wide("segment_line", _line_key())
    old_history = _wide("segment_history", _journal_key())
    line_tmp = sa.Table("segment_line_narrow_tmp", sa.MetaData(), *_line_key(), *membership())
    history_tmp = sa.Table("segment_history_narrow_tmp", sa.MetaData(), *_journal_key(),
                           *membership())
    line_tmp.create(bind)
    history_tmp.create(bind)
    _create_data_tables()
    unique = sa.table("segment_interaction_language", sa.column("segment_no"),
                      sa.column("segment_line_no"))
    _carry_over(old_line, line_tmp, "segment_line_data", ["segment_no", "line_no"],
                sa.exists().where(unique.c.segment_no == old_line.c.segment_no,
                                  unique.c.segment_line_no == old_line.c.line_no))
    journaled = sa.table("segment_language_history", sa.column("segment_no"),
                         sa.column("segment_action_no"), sa.column("segment_line_no"))
    _carry_over(old_history, history_tmp, "segment_history_data",
                ["segment_no", "segment_action_no", "line_no"],
                sa.exists().where(journaled.c.segment_no == old_history.c.segment_no,
                                  journaled.c.segment_action_no
                                  == old_history.c.segment_action_no,
                                  journaled.c.segment_line_no == old_history.c.line_no))
    op.drop_index("ix_segment_line_segment_contact", table_name="segment_line")
    op.drop_index("ix_segment_line_contact", table_name="segment_line")
    op.drop_table("segment_line")
    op.drop_table("segment_history")
    _create_narrow_tables()
    for tmp, name, order in ((line_tmp, "segment_line", ["segment_no", "line_no"]),
                             (history_tmp, "segment_history",
                              ["segment_no", "segment_action_no", "line_no"])):
        columns = [c.name for c in tmp.columns]
        target = sa.table(name, *(sa.column(n) for n in columns))
        op.execute(sa.insert(target).from_select(
            columns, sa.select(*tmp.columns).order_by(*[tmp.c[n] for n in order])))
        tmp.drop(bind)
    for statement in set_based_functions(bind.dialect.name):
        op.execute(statement)
    for key in KEYS:
        for statement in key.create(bind.dialect.name):
            op.execute(statement)
    for statement in HEADER_CASCADE[bind.dialect.name]:
        op.execute(statement)


# -- set-based foreign keys ---------------------------------------------------------------
#
# A foreign key's per-row checks cost more than the row they check when a step writes
# 300,000 rows (on PostgreSQL each is a trigger call with a query and a row lock). A
# set-based key keeps what the foreign key guarantees with checks of whole statements:
#
# * PostgreSQL: after each INSERT statement on the child, one anti-join of the inserted rows
#   (a transition table) with the parent; a row whose key changes by UPDATE is checked alone.
#   Races with a deletion of the parent are closed by a transaction advisory lock per parent
#   table: writers of children take it shared (they never wait for each other), a deletion of
#   parents takes it exclusively — so it waits for running writers, then looks for children
#   with a fresh snapshot (each statement of a function sees the commits before it) and
#   refuses as the foreign key would ("update or delete … violates foreign key constraint").
# * SQLite: one writer at a time, and every writer of these children reads the parents it
#   refers to in the same statement; a deletion (or renumbering) of a parent that has children
#   is refused by a trigger, as the foreign key would.


def set_based_functions(dialect: str) -> list[str]:
    """The generic trigger functions of set-based keys (PostgreSQL; SQLite needs none)."""
    if dialect != "postgresql":
        return []
    raise_missing = """
            RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"',
                TG_TABLE_NAME, TG_ARGV[3] USING ERRCODE = 'foreign_key_violation';"""
    raise_used = """
            RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint '
                '"%" on table "%"', TG_TABLE_NAME, TG_ARGV[3], TG_ARGV[0]
                USING ERRCODE = 'foreign_key_violation';"""
    lock = "hashtextextended('rapport parent ' || {table}, 0)"
    return [
        # Child, after an INSERT statement. TG_ARGV: column, parent, parent key, name.
        """CREATE FUNCTION rapport_key_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE missing boolean;
        BEGIN
            PERFORM pg_advisory_xact_lock_shared(""" + lock.format(table="TG_ARGV[1]") + """);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM new_rows n WHERE n.%1$I IS NOT NULL'
                ' AND NOT EXISTS (SELECT 1 FROM %2$I p WHERE p.%3$I = n.%1$I))',
                TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
            IF missing THEN""" + raise_missing + """
            END IF;
            RETURN NULL;
        END $$""",
        # Child, after an UPDATE of one row's key (WHEN it changed). TG_ARGV as above.
        """CREATE FUNCTION rapport_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE found boolean;
        BEGIN
            PERFORM pg_advisory_xact_lock_shared(""" + lock.format(table="TG_ARGV[1]") + """);
            EXECUTE format('SELECT $1.%1$I IS NULL OR EXISTS (SELECT 1 FROM %2$I p'
                ' WHERE p.%3$I = $1.%1$I)', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
                INTO found USING NEW;
            IF NOT found THEN""" + raise_missing + """
            END IF;
            RETURN NULL;
        END $$""",
        # Parent, after a DELETE statement. TG_ARGV: child, child column, key, name.
        """CREATE FUNCTION rapport_parent_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE used boolean;
        BEGIN
            PERFORM pg_advisory_xact_lock(""" + lock.format(table="TG_TABLE_NAME") + """);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM old_rows o JOIN %1$I c'
                ' ON c.%2$I = o.%3$I)', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO used;
            IF used THEN""" + raise_used + """
            END IF;
            RETURN NULL;
        END $$""",
        # Parent, after an UPDATE of one row's key (WHEN it changed). TG_ARGV as above.
        """CREATE FUNCTION rapport_parent_renumbered() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE used boolean;
        BEGIN
            PERFORM pg_advisory_xact_lock(""" + lock.format(table="TG_TABLE_NAME") + """);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$I c WHERE c.%2$I = $1.%3$I)',
                TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO used USING OLD;
            IF used THEN""" + raise_used + """
            END IF;
            RETURN NULL;
        END $$""",
    ]


class SetBasedKey:
    """A foreign key kept by set-based checks (see above); ``tag`` names its triggers."""

    def __init__(self, tag: str, child: str, column: str, parent: str, key: str,
                 name: str) -> None:
        self.tag, self.child, self.column = tag, child, column
        self.parent, self.key, self.name = parent, key, name

    def create(self, dialect: str) -> list[str]:
        """The triggers of this key on ``dialect``."""
        c, k = self.column, self.key
        child_args = f"'{c}', '{self.parent}', '{k}', '{self.name}'"
        parent_args = f"'{self.child}', '{c}', '{k}', '{self.name}'"
        if dialect == "postgresql":
            return [
                f"CREATE TRIGGER {self.tag}_inserted AFTER INSERT ON {self.child} "
                f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION rapport_key_inserted({child_args})",
                f"CREATE TRIGGER {self.tag}_changed AFTER UPDATE OF {c} ON {self.child} "
                f"FOR EACH ROW WHEN (OLD.{c} IS DISTINCT FROM NEW.{c}) "
                f"EXECUTE FUNCTION rapport_key_changed({child_args})",
                f"CREATE TRIGGER {self.tag}_parent_deleted AFTER DELETE ON {self.parent} "
                f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION rapport_parent_deleted({parent_args})",
                f"CREATE TRIGGER {self.tag}_parent_renumbered AFTER UPDATE OF {k} "
                f"ON {self.parent} FOR EACH ROW WHEN (OLD.{k} IS DISTINCT FROM NEW.{k}) "
                f"EXECUTE FUNCTION rapport_parent_renumbered({parent_args})",
            ]
        used = f"EXISTS (SELECT 1 FROM {self.child} WHERE {c} = OLD.{k})"
        refuse = (f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed ({self.name})'); "
                  "END")
        return [
            f"CREATE TRIGGER {self.tag}_parent_deleted BEFORE DELETE ON {self.parent} "
            f"WHEN {used} {refuse}",
            f"CREATE TRIGGER {self.tag}_parent_renumbered BEFORE UPDATE OF {k} ON "
            f"{self.parent} WHEN NEW.{k} IS NOT OLD.{k} AND {used} {refuse}",
        ]

    def drop(self, dialect: str) -> list[str]:
        if dialect == "postgresql":
            return [f"DROP TRIGGER {self.tag}_inserted ON {self.child}",
                    f"DROP TRIGGER {self.tag}_changed ON {self.child}",
                    f"DROP TRIGGER {self.tag}_parent_deleted ON {self.parent}",
                    f"DROP TRIGGER {self.tag}_parent_renumbered ON {self.parent}"]
        return [f"DROP TRIGGER {self.tag}_parent_deleted",
                f"DROP TRIGGER {self.tag}_parent_renumbered"]


KEYS = [
    SetBasedKey("segment_line_contact", "segment_line", "contact_no", "contact", "no",
                "fk_segment_line_contact_no_contact"),
]
#: A segment's lines, their data and their journal go with the segment (as the cascading
#: foreign keys from segment_header did); every writer of lines locks the header first.
HEADER_CASCADE = {
    "postgresql": [
        """CREATE FUNCTION rapport_segment_deleted() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM segment_line WHERE segment_no IN (SELECT no FROM old_headers);
            DELETE FROM segment_line_data WHERE segment_no IN (SELECT no FROM old_headers);
            DELETE FROM segment_history WHERE segment_no IN (SELECT no FROM old_headers);
            DELETE FROM segment_history_data WHERE segment_no IN (SELECT no FROM old_headers);
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER segment_header_delete AFTER DELETE ON segment_header
        REFERENCING OLD TABLE AS old_headers FOR EACH STATEMENT
        EXECUTE FUNCTION rapport_segment_deleted()""",
    ],
    "sqlite": [
        """CREATE TRIGGER segment_header_delete AFTER DELETE ON segment_header
        BEGIN
            DELETE FROM segment_line WHERE segment_no = OLD.no;
            DELETE FROM segment_line_data WHERE segment_no = OLD.no;
            DELETE FROM segment_history WHERE segment_no = OLD.no;
            DELETE FROM segment_history_data WHERE segment_no = OLD.no;
        END""",
    ],
}


def downgrade() -> None:
    """Back to wide lines: every line and journal row with the values it shows."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    for key in KEYS:
        for statement in key.drop(dialect):
            op.execute(statement)
    if dialect == "postgresql":
        for statement in ("DROP TRIGGER segment_header_delete ON segment_header",
                          "DROP FUNCTION rapport_segment_deleted()",
                          "DROP FUNCTION rapport_key_inserted()",
                          "DROP FUNCTION rapport_key_changed()",
                          "DROP FUNCTION rapport_parent_deleted()",
                          "DROP FUNCTION rapport_parent_renumbered()"):
            op.execute(statement)
    else:
        op.execute("DROP TRIGGER segment_header_delete")
    line_keys = ["segment_no", "line_no"]
    journal_keys = ["segment_no", "segment_action_no", "line_no"]
    holding = {}
    for name, data, keys in (("segment_line", "segment_line_data", line_keys),
                             ("segment_history", "segment_history_data", journal_keys)):
        narrow = sa.table(name, *(sa.column(n) for n in [*keys, *MEMBERSHIP]))
        own = sa.table(data, *(sa.column(n) for n in [*keys, *DATA]))
        header, row, on, shows = _header_shows(narrow)
        has_data = own.c.line_no.is_not(None)
        fields = [sa.case((has_data, own.c[n]), else_=v).label(n) for n, v in shows.items()]
        source = sa.select(*[narrow.c[n] for n in [*keys, *MEMBERSHIP]], *fields).select_from(
            narrow.outerjoin(own, sa.and_(*[own.c[k] == narrow.c[k] for k in keys]))
            .join(header, header.c.no == narrow.c.segment_no).outerjoin(row, on))
        tmp = _wide(f"{name}_wide_tmp", _line_key() if keys == line_keys else _journal_key())
        tmp.create(bind)
        op.execute(sa.insert(tmp).from_select([*keys, *MEMBERSHIP, *DATA], source))
        holding[name] = tmp
    op.drop_index("ix_segment_line_contact", table_name="segment_line")
    for name in ("segment_line", "segment_line_data", "segment_history",
                 "segment_history_data"):
        op.drop_table(name)
    _create_wide_tables()
    for name, tmp in holding.items():
        columns = [c.name for c in tmp.columns]
        extra = {"action_taken": sa.literal("Deletion")} if name == "segment_history" else {}
        target = sa.table(name, *(sa.column(n) for n in [*columns, *extra]))
        op.execute(sa.insert(target).from_select(
            [*columns, *extra], sa.select(*tmp.columns, *extra.values())))
        tmp.drop(bind)


def _create_wide_tables() -> None:
    """segment_line and segment_history as revision 0001 made them."""
    op.create_table(
        "segment_line", *_line_key(), *membership(), *line_data(),
        sa.ForeignKeyConstraint(["campaign_no"], ["campaign.no"],
                                name=op.f("fk_segment_line_campaign_no_campaign")),
        sa.ForeignKeyConstraint(["contact_no"], ["contact.no"],
                                name=op.f("fk_segment_line_contact_no_contact")),
        sa.ForeignKeyConstraint(
            ["interaction_template_code"], ["interaction_template.code"],
            name=op.f("fk_segment_line_interaction_template_code_interaction_template")),
        sa.ForeignKeyConstraint(["salesperson_code"], ["salesperson.code"],
                                name=op.f("fk_segment_line_salesperson_code_salesperson")),
        sa.ForeignKeyConstraint(["segment_no"], ["segment_header.no"],
                                name=op.f("fk_segment_line_segment_no_segment_header"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("segment_no", "line_no", name=op.f("pk_segment_line")),
    )
    op.create_index("ix_segment_line_contact", "segment_line", ["contact_no"])
    op.create_index("ix_segment_line_segment_contact", "segment_line",
                    ["segment_no", "contact_no"])
    op.create_table(
        "segment_history", *_journal_key(),
        sa.Column("action_taken", sa.String(length=30), server_default="Insertion",
                  nullable=False),
        *membership(), *line_data(),
        sa.ForeignKeyConstraint(["segment_no"], ["segment_header.no"],
                                name=op.f("fk_segment_history_segment_no_segment_header"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("segment_no", "segment_action_no", "line_no",
                                name=op.f("pk_segment_history")),
    )
