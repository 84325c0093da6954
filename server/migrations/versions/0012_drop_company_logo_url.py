"""companies.logo_url goes: nothing printed it (the seller's logo is company_logos).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE (SQLite 3.35+ drops a column in place): a batch rebuild drops
    # and copies the table, which SQLite's foreign keys refuse once rows refer to it.
    op.drop_column("companies", "logo_url")


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("logo_url", sa.String(length=2000), nullable=True))
