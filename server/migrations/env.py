"""Alembic environment: always handed a connection by `server.db.migrate`."""

from __future__ import annotations

from alembic import context

from server.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `blanche db upgrade` (server.db.migrate)")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
