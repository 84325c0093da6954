"""The plateforme agréée channel: connections, transmissions, lifecycle statuses.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pa_connections",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("secret_ciphertext", sa.Text(), nullable=False),
        sa.Column("e_reporting_cadence", sa.String(length=10), nullable=False),
        sa.Column("status_cursor", sa.DateTime(), nullable=True),
        sa.Column("next_poll_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_pa_connections_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_pa_connections_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_pa_connections")),
    )
    with op.batch_alter_table("pa_connections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pa_connections_partner_id"), ["partner_id"], unique=False
        )

    op.create_table(
        "document_lifecycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("issuer", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=19, scale=2), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_document_lifecycle_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_lifecycle_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_document_lifecycle_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_lifecycle")),
        sa.UniqueConstraint(
            "document_id",
            "code",
            "source",
            name=op.f("uq_document_lifecycle_document_id_code_source"),
        ),
    )
    with op.batch_alter_table("document_lifecycle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_lifecycle_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "pa_transmissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("tracking_id", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("lease_token", sa.String(length=40), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("flow_id", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_pa_transmissions_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_pa_transmissions_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_pa_transmissions_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pa_transmissions")),
        sa.UniqueConstraint("tracking_id", name=op.f("uq_pa_transmissions_tracking_id")),
    )
    with op.batch_alter_table("pa_transmissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pa_transmissions_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pa_transmissions_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index("ix_pa_transmissions_due", ["state", "next_attempt_at"], unique=False)

    op.create_table(
        "pa_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transmission_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["transmission_id"],
            ["pa_transmissions.id"],
            name=op.f("fk_pa_attempts_transmission_id_pa_transmissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pa_attempts")),
    )
    with op.batch_alter_table("pa_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pa_attempts_transmission_id"), ["transmission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pa_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pa_attempts_transmission_id"))

    op.drop_table("pa_attempts")
    with op.batch_alter_table("pa_transmissions", schema=None) as batch_op:
        batch_op.drop_index("ix_pa_transmissions_due")
        batch_op.drop_index(batch_op.f("ix_pa_transmissions_document_id"))
        batch_op.drop_index(batch_op.f("ix_pa_transmissions_company_id"))

    op.drop_table("pa_transmissions")
    with op.batch_alter_table("document_lifecycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_lifecycle_document_id"))

    op.drop_table("document_lifecycle")
    with op.batch_alter_table("pa_connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pa_connections_partner_id"))

    op.drop_table("pa_connections")
