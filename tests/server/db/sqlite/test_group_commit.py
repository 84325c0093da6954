"""Group commit: a write transaction's COMMIT returns once a sync of the WAL that
began after it has finished; the next writer does not wait for that sync; commits
waiting together share syncs."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.db.engine import create_engine
from server.db.sqlite.group_commit import CHECKPOINT_SECONDS, GroupCommit
from server.settings import sqlite_url

LIVENESS_SECONDS = 30.0  # generous: a loaded machine; never a measure of speed


class HeldSyncs(GroupCommit):
    """The real group commit, whose syncs wait until the test lets them run."""

    def __init__(self, database: str) -> None:
        super().__init__(database)
        self.may_sync = threading.Event()
        self.started = threading.Event()

    def _sync(self) -> None:
        self.started.set()
        assert self.may_sync.wait(LIVENESS_SECONDS)
        super()._sync()


def engine_with(database: Path, group_commit: GroupCommit | None = None) -> AsyncEngine:
    engine = create_engine(sqlite_url(database))
    if group_commit is not None:
        engine.dialect.dbapi.group_commits[str(database)] = group_commit  # type: ignore[union-attr]
    return engine


def group_commit_of(engine: AsyncEngine, database: Path) -> GroupCommit:
    found: GroupCommit = engine.dialect.dbapi.group_commits[str(database)]  # type: ignore[union-attr]
    return found


async def create_table(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (value INTEGER)"))


async def insert(engine: AsyncEngine, value: int) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (value) VALUES (:v)"), {"v": value})


async def values(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT value FROM t ORDER BY value"))
        return list(rows.scalars())


async def until(condition: threading.Event) -> None:
    deadline = time.monotonic() + LIVENESS_SECONDS
    while not condition.is_set():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def test_connections_commit_without_syncing_and_then_wait_for_the_sync(tmp_path: Path) -> None:
    database = tmp_path / "blanche.db"

    async def scenario() -> None:
        engine = engine_with(database)
        try:
            await create_table(engine)
            syncs = group_commit_of(engine, database).syncs
            await insert(engine, 1)
            assert group_commit_of(engine, database).syncs > syncs
            async with engine.connect() as connection:
                mode = await connection.execute(text("PRAGMA synchronous"))
                assert mode.scalar_one() == 1  # NORMAL: the COMMIT itself does not sync
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_a_commit_returns_after_its_sync_and_the_next_writer_does_not_wait_for_it(
    tmp_path: Path,
) -> None:
    database = tmp_path / "blanche.db"
    held = HeldSyncs(str(database))

    async def scenario() -> None:
        engine = engine_with(database, held)
        try:
            held.may_sync.set()
            await create_table(engine)
            held.may_sync.clear()
            held.started.clear()
            first = asyncio.create_task(insert(engine, 1))
            await until(held.started)  # committed, its sync running
            # The next writer of this process begins, writes and commits meanwhile.
            second = asyncio.create_task(insert(engine, 2))
            reader = engine_with(database)
            try:
                deadline = time.monotonic() + LIVENESS_SECONDS
                while await values(reader) != [1, 2]:
                    assert time.monotonic() < deadline, "the second writer waited"
                    await asyncio.sleep(0.01)
            finally:
                await reader.dispose()
            assert not first.done() and not second.done()  # both wait for their sync
            held.may_sync.set()
            await asyncio.wait_for(asyncio.gather(first, second), LIVENESS_SECONDS)
        finally:
            held.may_sync.set()
            await engine.dispose()

    asyncio.run(scenario())


def test_commits_waiting_together_share_syncs(tmp_path: Path) -> None:
    database = tmp_path / "blanche.db"
    database.touch()
    group_commit = GroupCommit(str(database))

    async def scenario() -> None:
        await group_commit.durable()  # the thread started, the WAL's directory synced
        before = group_commit.syncs
        await asyncio.wait_for(
            asyncio.gather(*(group_commit.durable() for _ in range(20))), LIVENESS_SECONDS
        )
        assert 1 <= group_commit.syncs - before < 20

    asyncio.run(scenario())


def test_the_syncing_thread_checkpoints_the_wal_into_the_database_file(tmp_path: Path) -> None:
    database = tmp_path / "blanche.db"
    copy = tmp_path / "copy.db"

    async def scenario() -> None:
        engine = engine_with(database)
        try:
            await create_table(engine)
            await insert(engine, 1)
            await asyncio.sleep(CHECKPOINT_SECONDS)
            await insert(engine, 2)  # synced, then checkpointed: more than a second since
            group_commit = group_commit_of(engine, database)
            deadline = time.monotonic() + LIVENESS_SECONDS
            while group_commit.checkpoints == 0:
                assert time.monotonic() < deadline, "no checkpoint"
                await asyncio.sleep(0.01)
            # The database file alone, without its WAL, has both rows.
            shutil.copyfile(database, copy)
            with closing(sqlite3.connect(copy)) as alone:
                assert alone.execute("SELECT value FROM t ORDER BY value").fetchall() == [
                    (1,),
                    (2,),
                ]
            async with engine.connect() as connection:
                setting = await connection.execute(text("PRAGMA wal_autocheckpoint"))
                assert setting.scalar_one() == 0  # the writers never checkpoint
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_a_wal_removed_and_created_again_is_the_file_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The syncing thread keeps the WAL open between syncs; once the last connection
    closes and removes it, the next commits go to a new file, which is the one synced."""
    database = tmp_path / "blanche.db"
    wal = tmp_path / "blanche.db-wal"
    group_commit = GroupCommit(str(database))
    synced: list[int] = []  # the inode of each file synced
    real_fdatasync = os.fdatasync

    def recording_fdatasync(fd: int) -> None:
        synced.append(os.fstat(fd).st_ino)
        real_fdatasync(fd)

    monkeypatch.setattr(os, "fdatasync", recording_fdatasync)

    async def scenario() -> None:
        first = engine_with(database, group_commit)
        await create_table(first)
        await insert(first, 1)
        assert synced[-1] == wal.stat().st_ino
        await first.dispose()  # the last connection: the WAL checkpointed and removed
        assert not wal.exists()
        second = engine_with(database, group_commit)
        try:
            await insert(second, 2)
            # Our old descriptor keeps the removed file's inode taken: a new number.
            assert synced[-1] == wal.stat().st_ino
            assert await values(second) == [1, 2]
        finally:
            await second.dispose()

    asyncio.run(scenario())
