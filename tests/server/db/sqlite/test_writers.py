"""SQLite's writers of several processes queue on the writers' file lock: a waiter
is blocked in the kernel (not sleeping in SQLite's busy handler) and goes on when
the holder commits or dies; one that waits too long fails as SQLite's busy timeout
would, and lets the lock go when it comes."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from server.db.engine import create_engine
from server.db.sqlite.writers import LOCK_FILE_SUFFIX, TURNS_IN_A_ROW, lock_file_for
from server.db.writer_priority import after_due_writers, due_writers
from server.settings import sqlite_url

ROOT = Path(__file__).resolve().parents[4]
LIVENESS_SECONDS = 30.0  # generous: a loaded machine; never a measure of speed

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the kernel's /proc/locks"
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "blanche.db"

    async def create_table() -> None:
        engine = create_engine(sqlite_url(path))
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE TABLE t (value INTEGER)"))
        finally:
            await engine.dispose()

    asyncio.run(create_table())
    return path


@contextmanager
def holder(database: Path, value: int) -> Iterator[subprocess.Popen[str]]:
    """Another process in a write transaction (its row inserted, not committed)."""
    with another_writer(database, value) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "holding\n"
        yield process


@contextmanager
def another_writer(database: Path, value: int) -> Iterator[subprocess.Popen[str]]:
    """Another process starting a write transaction: it prints `holding` once its row
    is inserted, and commits when told (`commit`)."""
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.server.db.sqlite.writer_process",
            sqlite_url(database),
            str(value),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()


def commit(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("\n")
    process.stdin.flush()
    assert process.stdout.readline() == "committed\n"


def waiting_on(path: Path, pid: int | None = None) -> bool:
    """A thread of this process (or of `pid`) is blocked in flock() on `path`."""
    return waiters_on(path, pid) > 0


def waiters_on(path: Path, pid: int | None = None) -> int:
    """How many threads of this process (or of `pid`) are blocked in flock() on `path`,
    per the kernel."""
    inode = os.stat(path).st_ino
    pid = os.getpid() if pid is None else pid
    count = 0
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields and "FLOCK" in fields:
            at = fields.index("FLOCK")
            owner, device_inode = fields[at + 3 : at + 5]
            if int(owner) == pid and int(device_inode.rsplit(":", 1)[1]) == inode:
                count += 1
    return count


async def until(condition: Callable[[], bool], seconds: float = LIVENESS_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


async def insert(engine: AsyncEngine, value: int) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (value) VALUES (:v)"), {"v": value})


async def values(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT value FROM t ORDER BY rowid"))
        return list(rows.scalars())


def committed(database: Path) -> list[int]:
    """The values committed, read as a WAL reader (which takes no lock)."""
    reader = sqlite3.connect(database)
    try:
        return [value for (value,) in reader.execute("SELECT value FROM t ORDER BY rowid")]
    finally:
        reader.close()


def free(lock_file: Path) -> bool:
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # lets go of it, if taken
    return True


def test_the_lock_file_sits_beside_the_database_file() -> None:
    assert lock_file_for("/var/blanche.db") == "/var/blanche.db" + LOCK_FILE_SUFFIX
    assert lock_file_for(":memory:") is None
    assert lock_file_for("") is None


def test_a_writer_queues_in_the_kernel_and_goes_on_when_the_other_process_commits(
    database: Path,
) -> None:
    lock_file = Path(str(database) + LOCK_FILE_SUFFIX)

    async def scenario() -> None:
        engine = create_engine(sqlite_url(database))
        try:
            with holder(database, 1) as other:
                writing = asyncio.create_task(insert(engine, 2))
                await until(lambda: waiting_on(lock_file))
                assert not writing.done()
                await asyncio.get_running_loop().run_in_executor(None, commit, other)
                await asyncio.wait_for(writing, LIVENESS_SECONDS)
            assert await values(engine) == [1, 2]
            assert free(lock_file)
            assert oct(lock_file.stat().st_mode & 0o777) == oct(0o600)
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_a_killed_holder_never_leaves_the_others_waiting(database: Path) -> None:
    lock_file = Path(str(database) + LOCK_FILE_SUFFIX)

    async def scenario() -> None:
        engine = create_engine(sqlite_url(database))
        try:
            with holder(database, 1) as other:
                writing = asyncio.create_task(insert(engine, 2))
                await until(lambda: waiting_on(lock_file))
                other.kill()  # kill -9 in the middle of its write transaction
                await asyncio.wait_for(writing, LIVENESS_SECONDS)
            assert await values(engine) == [2]  # its uncommitted row is gone
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_a_writer_waiting_too_long_fails_as_busy_and_lets_the_lock_go_later(
    database: Path,
) -> None:
    lock_file = Path(str(database) + LOCK_FILE_SUFFIX)

    async def scenario() -> None:
        engine = create_engine(sqlite_url(database), write_wait_seconds=0.2)
        try:
            with holder(database, 1) as other:
                with pytest.raises(OperationalError, match="database is locked"):
                    await insert(engine, 2)
                assert waiting_on(lock_file)  # its thread still waits for the lock
                await asyncio.get_running_loop().run_in_executor(None, commit, other)
            await until(lambda: free(lock_file))  # taken by the thread, let go at once
            await insert(engine, 3)
            assert await values(engine) == [1, 3]
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_writers_of_one_process_queue_in_order_and_one_waiting_too_long_fails_as_busy(
    database: Path,
) -> None:
    async def scenario() -> None:
        engine = create_engine(sqlite_url(database))
        impatient = create_engine(sqlite_url(database), write_wait_seconds=0.2)
        try:
            async with engine.begin() as holding:
                await holding.execute(text("INSERT INTO t (value) VALUES (1)"))
                queued = []
                for value in (2, 3, 4):
                    queued.append(asyncio.create_task(insert(engine, value)))
                    await asyncio.sleep(0.05)  # each in the queue before the next
                assert not any(task.done() for task in queued)
            await asyncio.wait_for(asyncio.gather(*queued), LIVENESS_SECONDS)
            assert await values(engine) == [1, 2, 3, 4]  # in the order they asked

            impatient_holder = await impatient.connect()
            try:
                await impatient_holder.begin()
                await impatient_holder.execute(text("INSERT INTO t (value) VALUES (5)"))
                with pytest.raises(OperationalError, match="this process's other writers"):
                    await insert(impatient, 6)
                await impatient_holder.commit()
            finally:
                await impatient_holder.close()
            await insert(impatient, 7)
            assert await values(engine) == [1, 2, 3, 4, 5, 7]
        finally:
            await engine.dispose()
            await impatient.dispose()

    asyncio.run(scenario())


def test_a_writer_outside_the_queue_never_blocks_the_event_loop(database: Path) -> None:
    """The sqlite3 shell, say, holds SQLite's write lock without the lock file: the
    writers' turn is free, but BEGIN IMMEDIATE must then wait on the thread."""

    async def scenario() -> None:
        engine = create_engine(sqlite_url(database))
        outsider = sqlite3.connect(database, isolation_level=None)
        try:
            outsider.execute("BEGIN IMMEDIATE")
            outsider.execute("INSERT INTO t (value) VALUES (1)")
            writing = asyncio.create_task(insert(engine, 2))
            gaps = []
            for _ in range(20):
                before = time.monotonic()
                await asyncio.sleep(0.01)
                gaps.append(time.monotonic() - before)
            assert not writing.done()
            assert max(gaps) < 5.0  # a loop waiting on SQLite's lock: the 30 s busy timeout
            outsider.execute("COMMIT")
            await asyncio.wait_for(writing, LIVENESS_SECONDS)
            assert await values(engine) == [1, 2]
        finally:
            outsider.close()
            await engine.dispose()

    asyncio.run(scenario())


def test_a_writer_whose_turn_came_on_its_thread_runs_before_the_work_that_can_wait(
    database: Path,
) -> None:
    """Its turn comes while the loop is busy: the loop's work that can wait (reading a
    request's body, building a draft) steps back until the writer has run, for every
    other process's writers wait meanwhile."""
    lock_file = Path(str(database) + LOCK_FILE_SUFFIX)

    async def scenario() -> list[str]:
        engine = create_engine(sqlite_url(database))
        order: list[str] = []

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def executed(*args: object) -> None:
            if "INSERT" in str(args[2]):
                order.append("writer")

        async def work() -> None:
            await after_due_writers()
            order.append("work")

        try:
            with holder(database, 1) as other:
                writing = asyncio.create_task(insert(engine, 2))
                await until(lambda: waiting_on(lock_file))
                due = due_writers()
                commit(other)  # the loop busy meanwhile: the writer's thread takes the turn
                deadline = time.monotonic() + LIVENESS_SECONDS
                while not due:  # still busy
                    assert time.monotonic() < deadline, "the writer never became due"
                    time.sleep(0.001)
                await asyncio.gather(work(), writing)
            assert not due
            assert await values(engine) == [1, 2]
        finally:
            await engine.dispose()
        return order

    assert asyncio.run(scenario()) == ["writer", "work"]


def test_a_process_passes_the_lock_on_among_its_writers_then_lets_the_others_in(
    database: Path,
) -> None:
    """Handed on within the process, the lock costs no thread woken in the kernel; but
    after `TURNS_IN_A_ROW` writers in a row, a waiting process gets its turn."""
    lock_file = Path(str(database) + LOCK_FILE_SUFFIX)
    ours = 2 * TURNS_IN_A_ROW + 1

    async def scenario() -> None:
        engine = create_engine(sqlite_url(database))
        loop = asyncio.get_running_loop()
        try:
            async with engine.begin() as first:
                await first.execute(text("INSERT INTO t (value) VALUES (1)"))
                queued = []
                for value in range(2, ours + 1):
                    queued.append(asyncio.create_task(insert(engine, value)))
                    await asyncio.sleep(0.01)  # each in the queue before the next
                with another_writer(database, 1000) as other:
                    await until(lambda: waiting_on(lock_file, other.pid))
                    await first.commit()
                    assert other.stdout is not None
                    line = await loop.run_in_executor(None, other.stdout.readline)
                    assert line == "holding\n"  # the other process's turn came...
                    written = committed(database)
                    # ... after a full round of ours, and before our last one
                    assert written == list(range(1, len(written) + 1))
                    assert TURNS_IN_A_ROW <= len(written) < ours
                    await loop.run_in_executor(None, commit, other)
                await asyncio.wait_for(asyncio.gather(*queued), LIVENESS_SECONDS)
            assert sorted(await values(engine)) == [*range(1, ours + 1), 1000]
            assert free(lock_file)
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_a_lock_given_up_while_the_kernel_had_it_queued_goes_to_the_next_writer(
    database: Path,
) -> None:
    """A blocked flock() cannot be called back: the next writer of the process takes
    over the one waiting, and never queues a second thread in the kernel."""
    lock_file = Path(str(database) + LOCK_FILE_SUFFIX)

    async def scenario() -> None:
        engine = create_engine(sqlite_url(database))
        try:
            with holder(database, 1) as other:
                given_up = asyncio.create_task(insert(engine, 2))
                await until(lambda: waiting_on(lock_file))
                given_up.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await given_up
                writing = asyncio.create_task(insert(engine, 3))
                await asyncio.sleep(0.1)
                assert not writing.done()
                assert waiters_on(lock_file) == 1
                await asyncio.get_running_loop().run_in_executor(None, commit, other)
                await asyncio.wait_for(writing, LIVENESS_SECONDS)
            assert await values(engine) == [1, 3]
            assert free(lock_file)
        finally:
            await engine.dispose()

    asyncio.run(scenario())
