"""Fixtures for the service tests: both database engines, the app, partners.

Every storage and API test runs twice, on SQLite and on a throwaway
PostgreSQL 15 started once for the session (127.0.0.1, trust auth)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from server.app import create_app
from server.db.engine import create_engine
from server.db.migrate import upgrade_database
from server.settings import Settings, sqlite_url
from tests.server.asgi_client import app_client
from tests.server.helpers import Clock, Partner, make_partner
from tests.server.postgres_server import PostgresServer, database_name, new_server

TEMPLATE = "blanche_template"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = new_server()
    try:
        server.start()
        asyncio.run(_make_template(server))
        yield server
    finally:
        server.stop()


async def _make_template(server: PostgresServer) -> None:
    connection = await asyncpg.connect(server.dsn("postgres"))
    try:
        await connection.execute(f"CREATE DATABASE {TEMPLATE}")
    finally:
        await connection.close()
    engine = create_engine(server.url(TEMPLATE))
    try:
        await upgrade_database(engine)
    finally:
        await engine.dispose()


async def _fresh_database(server: PostgresServer) -> str:
    name = database_name()
    connection = await asyncpg.connect(server.dsn("postgres"))
    try:
        await connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    finally:
        await connection.close()
    return server.url(name)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "var" / "blanche.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return asyncio.run(_fresh_database(server))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url=database_url,
        signing_keys=("test-signing-key-old", "test-signing-key-new"),
        public_url="https://blanche.test",
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))


@pytest.fixture
def app(settings: Settings, clock: Clock) -> Any:
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: Any) -> Iterator[httpx.Client]:
    with app_client(app, "https://blanche.test") as http:
        yield http


@pytest.fixture
def partner_a(client: httpx.Client, settings: Settings) -> Partner:
    return make_partner(client, settings, "Partner A", ["https://app.a.example"])


@pytest.fixture
def partner_b(client: httpx.Client, settings: Settings) -> Partner:
    return make_partner(client, settings, "Partner B", ["https://app.b.example"])
