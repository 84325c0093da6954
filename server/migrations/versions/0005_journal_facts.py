"""The journal chains facts and later events, sealed with a key kept outside
the database (`journal_entries.format/kind/facts/key_id/seal`).

Entries made before this revision keep `format` 1 (their hash covers the
document's content and XML) and carry no seal: the first sealed entry after
them covers them through the chain.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal_entries") as batch:
        batch.add_column(sa.Column("format", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(
            sa.Column("kind", sa.String(length=40), server_default="issued", nullable=False)
        )
        batch.add_column(sa.Column("facts", sa.Text(), nullable=True))
        batch.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("journal_entries") as batch:
        for column in ("seal", "key_id", "facts", "kind", "format"):
            batch.drop_column(column)
