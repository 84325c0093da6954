"""Drop the two indexes of `documents` that others begin with: `(partner_id)` is the
start of the list index `(partner_id, company_id, id)` (0014), `(company_id)` the
start of the unique `(company_id, series, sequence)`. Either answers a lookup by its
first column as well; the dropped ones only cost every insert two more index pages
to write (on SQLite, inside the write lock every process waits for).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_documents_partner_id", table_name="documents")
    op.drop_index("ix_documents_company_id", table_name="documents")


def downgrade() -> None:
    op.create_index("ix_documents_company_id", "documents", ["company_id"])
    op.create_index("ix_documents_partner_id", "documents", ["partner_id"])
