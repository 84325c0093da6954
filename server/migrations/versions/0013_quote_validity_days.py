"""companies.quote_validity_days: a quote issued without a validity date gets one.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE with a default: every existing company gets 30 days.
    op.add_column(
        "companies",
        sa.Column("quote_validity_days", sa.Integer(), nullable=False, server_default="30"),
    )


def downgrade() -> None:
    op.drop_column("companies", "quote_validity_days")
