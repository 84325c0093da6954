"""PostgreSQL: a document's content and an event's payload compressed with lz4, not pglz.

Both are written on every create (a 20-line draft: ~16 kB each, the payload holding the
document again), above the size PostgreSQL compresses. Measured on PostgreSQL 15, one
backend inserting the bench's draft: 0.19-0.20 ms of server CPU per row with pglz,
0.11 with lz4 (0.13-0.15 stored uncompressed), the same size on disk. Values already
stored keep their compression; SQLite stores text as it is. A server built without
lz4 keeps pglz.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_COLUMNS = (("documents", "content"), ("webhook_events", "payload"))


def _set_compression(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    methods = bind.execute(
        text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    if method not in (methods or ()):
        return
    for table, column in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}")


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("pglz")
