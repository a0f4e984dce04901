"""company information and salutation formulas for Word letters

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

The merge fields of SPEC §3.12 B need the writing company's details (one row) and the formal and
informal salutation of each salutation code per language.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXTS = [("name", 100), ("name_2", 50), ("address", 100), ("address_2", 50),
          ("post_code", 20), ("city", 30), ("county", 30), ("vat_registration_no", 20),
          ("registration_no", 50), ("phone_no", 30), ("fax_no", 30), ("bank_branch_no", 20),
          ("bank_name", 100), ("bank_account_no", 30), ("giro_no", 20)]


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "company_information",
        sa.Column("id", sa.Integer(), nullable=False),
        *[_text(name, length) for name, length in _TEXTS],
        sa.Column("country_region_code", sa.String(20),
                  sa.ForeignKey("country_region.code",
                                name="fk_company_information_country_region_code_country_region"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_company_information"),
    )
    op.create_table(
        "salutation_formula",
        sa.Column("salutation_code", sa.String(20),
                  sa.ForeignKey("salutation.code", ondelete="CASCADE",
                                name="fk_salutation_formula_salutation_code_salutation"),
                  nullable=False),
        sa.Column("language_code", sa.String(20), nullable=False),
        sa.Column("salutation_type", sa.String(30), nullable=False),
        _text("salutation", 100),
        sa.PrimaryKeyConstraint("salutation_code", "language_code", "salutation_type",
                                name="pk_salutation_formula"),
    )


def downgrade() -> None:
    op.drop_table("salutation_formula")
    op.drop_table("company_information")
