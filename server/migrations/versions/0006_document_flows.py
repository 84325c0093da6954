"""Payments, partial credit notes, quote conversion and deposit settlement.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.String(length=24), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("means_code", sa.String(length=35), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_payments_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_payments_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_payments_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_partner_id"), ["partner_id"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paid_total", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("credited_total", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("credit_scope", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("converted_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("converted_into_number", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("settled_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_converted_into_id_documents"),
            "documents",
            ["converted_into_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_settled_by_id_documents"),
            "documents",
            ["settled_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_documents_settled_by_id_documents"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_documents_converted_into_id_documents"), type_="foreignkey"
        )
        batch_op.drop_column("settled_by_id")
        batch_op.drop_column("converted_into_number")
        batch_op.drop_column("converted_into_id")
        batch_op.drop_column("credit_scope")
        batch_op.drop_column("credited_total")
        batch_op.drop_column("paid_total")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_partner_id"))
        batch_op.drop_index(batch_op.f("ix_payments_document_id"))
    op.drop_table("payments")
