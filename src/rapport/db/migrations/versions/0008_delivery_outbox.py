"""e-mail delivery outbox and e-mail opt-outs (issue 12)

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01

``delivery_outbox`` holds one row per e-mail message: logging a segment writes the rows in its
own transaction, delivery workers claim and send them after the commit (services/delivery).
``email_opt_out`` records the contacts who unsubscribed (RFC 8058 one-click link).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_no", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), server_default="", nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recipient", sa.String(length=80), server_default="", nullable=False),
        sa.Column("error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True),
                  server_default=sa.func.current_timestamp(), nullable=False),
        sa.ForeignKeyConstraint(["entry_no"], ["interaction_log_entry.entry_no"],
                                name="fk_delivery_outbox_entry_no_interaction_log_entry",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_outbox"),
        sa.UniqueConstraint("entry_no", "generation",
                            name="uq_delivery_outbox_entry_no_generation"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_delivery_outbox_due", "delivery_outbox",
                    ["status", "next_attempt_at", "id"])
    op.create_table(
        "email_opt_out",
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(timezone=True),
                  server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
        sa.Column("via", sa.String(length=30), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["contact_no"], ["contact.no"],
                                name="fk_email_opt_out_contact_no_contact", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_no", name="pk_email_opt_out"),
    )


def downgrade() -> None:
    op.drop_table("email_opt_out")
    op.drop_index("ix_delivery_outbox_due", table_name="delivery_outbox")
    op.drop_table("delivery_outbox")
