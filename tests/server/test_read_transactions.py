"""Requests that only read run in read-only transactions: they are served while
another connection holds the write lock (SQLite) or an exclusive lock on the
tables (PostgreSQL), and a write attempted in a read session is refused."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from server.db.engine import create_engine, read_session_factory
from server.settings import Settings
from tests.server.helpers import make_partner
from tests.server.service_process import service_process

TABLES = ("partners", "api_keys", "companies", "users", "documents", "contacts")
# A reader that waited for the lock would wait until the test gives up: far longer.
CLIENT_SECONDS = 20.0


@contextmanager
def write_lock_held(database_url: str) -> Iterator[None]:
    """Another connection holding the database's write lock (SQLite) or, on
    PostgreSQL, an EXCLUSIVE lock on the tables (which lets plain reads through
    and nothing else: no write, no FOR UPDATE)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(str(url.database), isolation_level=None, timeout=30)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE partners SET name = name")
            yield
            connection.execute("ROLLBACK")
        finally:
            connection.close()
        return
    locked, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    async def hold() -> None:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            async with connection.transaction():
                await connection.execute(f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE")
                locked.set()
                await asyncio.get_running_loop().run_in_executor(None, release.wait)
        finally:
            await connection.close()

    def run() -> None:
        try:
            asyncio.run(hold())
        except BaseException as error:  # reported below
            failure.append(error)
            locked.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    locked.wait(30)
    try:
        assert not failure, failure
        yield
    finally:
        release.set()
        thread.join(30)


def test_reads_are_served_while_the_write_lock_is_held(settings: Settings) -> None:
    with (
        service_process(settings) as base,
        httpx.Client(base_url=base, timeout=CLIENT_SECONDS) as http,
    ):
        partner = make_partner(http, settings, "Reader", ["https://app.a.example"])
        company = partner.company()
        user = partner.user(company["id"])
        draft = partner.draft(company["id"])
        session = partner.ok(
            partner.post(
                "/editor-sessions",
                {
                    "company_id": company["id"],
                    "user_id": user["id"],
                    "document": {"id": draft["id"]},
                    "parent_origin": "https://app.a.example",
                },
            ),
            201,
        )
        with write_lock_held(settings.database_url):
            listed = partner.ok(partner.get(f"/companies/{company['id']}/documents"))
            assert [item["id"] for item in listed["items"]] == [draft["id"]]
            assert partner.ok(partner.get(f"/documents/{draft['id']}"))["id"] == draft["id"]
            assert partner.ok(partner.get(f"/companies/{company['id']}"))["id"] == company["id"]
            assert partner.ok(partner.get("/partner"))["documents"] == 1
            context = http.get(
                "/api/v1/editor/context", headers={"Authorization": f"Editor {session['token']}"}
            )
            assert context.status_code == 200 and context.json()["document"]["id"] == draft["id"]
            assert partner.get("/documents/999999").status_code == 404
        # And writes go on once the lock is released.
        partner.draft(company["id"])


def test_a_read_session_refuses_to_write(settings: Settings) -> None:
    async def attempt() -> None:
        engine = create_engine(settings.database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
            async with read_session_factory(engine)() as session, session.begin():
                assert await session.scalar(text("SELECT count(*) FROM scratch")) == 0
                with pytest.raises((OperationalError, DBAPIError)):
                    await session.execute(text("INSERT INTO scratch VALUES (1)"))
        finally:
            await engine.dispose()

    asyncio.run(attempt())
