from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from server.db.engine import create_engine
from server.db.migrate import upgrade_database
from server.db.models import Base


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
