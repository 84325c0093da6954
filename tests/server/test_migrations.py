from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from server.db.engine import create_engine
from server.db.migrate import alembic_config, upgrade_database
from server.db.models import Base
from server.settings import sqlite_url


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection)
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _check(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade_database(engine)
        await upgrade_database(engine)  # a second run is a no-op
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            tables = await connection.run_sync(_tables)
    finally:
        await engine.dispose()
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_migrations_build_exactly_the_models(database_url: str) -> None:
    # On PostgreSQL the fixture's database is a copy of a migrated template.
    asyncio.run(_check(database_url))


def _upgrade_to(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


_ROWS = (
    "INSERT INTO partners (id, name, module_name, origins, whitelisted_ips, "
    "default_editor_options, created_at) VALUES (1, 'P', 'Facturation', '[]', '[]', '{}', "
    "'2026-12-01 00:00:00')",
    "INSERT INTO companies (id, partner_id, name, seller, series, legal_notes, profile, "
    "created_at, updated_at, logo_url) VALUES (1, 1, 'Atelier', '{}', '{}', '[]', 'en16931', "
    "'2026-12-01 00:00:00', '2026-12-01 00:00:00', 'https://logo.example/a.png')",
    "INSERT INTO users (id, partner_id, company_id, name, created_at) "
    "VALUES (1, 1, 1, 'Claire', '2026-12-01 00:00:00')",
)


async def _upgrade_with_data(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "0011")
        async with engine.begin() as connection:
            for row in _ROWS:
                await connection.exec_driver_sql(row)
        await upgrade_database(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            result = await connection.exec_driver_sql(
                "SELECT companies.name, users.name FROM users JOIN companies "
                "ON companies.id = users.company_id"
            )
            return [tuple(row) for row in result.fetchall()]
    finally:
        await engine.dispose()


def test_an_existing_sqlite_database_with_data_upgrades(tmp_path: Path) -> None:
    """Companies referenced by other rows (foreign keys on): a migration that rebuilds
    the companies table must not fail on them, nor lose them."""
    url = sqlite_url(tmp_path / "blanche.db")
    assert asyncio.run(_upgrade_with_data(url)) == [("Atelier", "Claire")]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_compresses_the_large_columns_with_lz4(database_url: str) -> None:

    async def methods() -> dict[str, str]:
        engine = create_engine(database_url)
        try:
            await upgrade_database(engine)
            async with engine.connect() as connection:
                rows = await connection.execute(
                    text(
                        "SELECT c.relname || '.' || a.attname, a.attcompression::text"
                        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                        " WHERE (c.relname, a.attname) IN"
                        " (('documents', 'content'), ('documents', 'xml'),"
                        " ('webhook_events', 'payload'), ('documents', 'buyer_name'))"
                    )
                )
                return {name: method for name, method in rows}
        finally:
            await engine.dispose()

    assert asyncio.run(methods()) == {
        "documents.content": "l",
        "documents.xml": "l",
        "webhook_events.payload": "l",
        "documents.buyer_name": "",  # the default, pglz: the others are left as they were
    }
