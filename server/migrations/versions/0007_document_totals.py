"""`documents.totals`: the document's totals as the API shows them, computed once
when its content is stored, so that a list of documents reads no content; and an
index on (company_id, id), the order lists are read in.

Rows stored before this revision have none: they are computed when read.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("totals", sa.JSON(), nullable=True))
    op.create_index("ix_documents_company_id_id", "documents", ["company_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_documents_company_id_id", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("totals")
