"""Partner themes (published versions), used studio login links, partner website.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("theme", sa.JSON(), nullable=False),
        sa.Column("css_text", sa.Text(), nullable=False),
        sa.Column("css_sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_themes_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_themes")),
        sa.UniqueConstraint(
            "partner_id", "version", name=op.f("uq_partner_themes_partner_id_version")
        ),
    )
    with op.batch_alter_table("partner_themes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_themes_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_partner_themes_css_sha256"), ["css_sha256"], unique=False
        )

    op.create_table(
        "studio_link_uses",
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_studio_link_uses_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_studio_link_uses")),
    )
    with op.batch_alter_table("studio_link_uses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_studio_link_uses_partner_id"), ["partner_id"], unique=False
        )

    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("website", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_column("website")
    with op.batch_alter_table("studio_link_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_studio_link_uses_partner_id"))
    op.drop_table("studio_link_uses")
    with op.batch_alter_table("partner_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_themes_css_sha256"))
        batch_op.drop_index(batch_op.f("ix_partner_themes_partner_id"))
    op.drop_table("partner_themes")
