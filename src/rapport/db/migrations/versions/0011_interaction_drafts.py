"""interaction drafts kept between API requests (issue 13)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

``interaction_draft`` holds the Create Interaction wizard's drafts that API clients build over
several requests: one row per draft, owned by the account that started it (its fields as JSON,
and the file uploaded into it). Finishing, postponing or cancelling a draft deletes its row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interaction_draft",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("upload_file_name", sa.String(length=250), nullable=True),
        sa.Column("upload_content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True),
                  server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.user_id"],
                                name="fk_interaction_draft_user_id_app_user",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_interaction_draft"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_interaction_draft_user_id", "interaction_draft", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_interaction_draft_user_id", table_name="interaction_draft")
    op.drop_table("interaction_draft")
