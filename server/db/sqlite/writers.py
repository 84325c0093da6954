"""SQLite's write transactions, from every process on one database, queue on a file
lock and wake as soon as it is free.

SQLite's own write lock has no queue: a writer that finds it taken sleeps in its busy
handler (1, 2, 5, 10, ... up to 100 ms) and tries again. With several processes
(`blanche serve --workers N`) the lock then sits idle while writers sleep, and a
writer can lose many rounds in a row (p99 over a second).

So before `BEGIN IMMEDIATE` a write transaction first queues behind the others of its
process, on the event loop (`ProcessQueue`); then, on the connection's thread, it
takes an exclusive `flock` on `<database>-writers` through its own open file (one per
connection), and lets it go at `COMMIT` or `ROLLBACK`. Waiters are blocked in the
kernel, which wakes them when the holder lets go; the kernel also lets go for a
process that dies. The file only orders writers: SQLite's lock still guards the data,
and whatever does not take the file lock (the `sqlite3` shell, a statement outside a
transaction) meets SQLite's lock as before.

A blocked `flock` cannot be interrupted, so a waiter gives up on its own side after
the busy timeout (`database is locked`, the API's 503 `database_busy`), and the thread
lets go of the lock at once when it gets it later (`Turn.give_up`).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable

from server.db.writer_priority import DueWriters

LOCK_FILE_SUFFIX = "-writers"


def lock_file_for(database: str) -> str | None:
    """The lock file beside an SQLite database file; None for a database in memory."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + LOCK_FILE_SUFFIX


class Turn:
    """One write transaction's wait for the lock: taken on the connection's thread,
    or given up by the waiter, whichever comes first. Once taken, the writer is due
    on its event loop (server/db/writer_priority.py) until it runs again."""

    __slots__ = ("_due", "_given_up", "_resumed", "_state", "_taken")

    def __init__(self, due: DueWriters | None = None) -> None:
        self._state = threading.Lock()
        self._due = due
        self._given_up = False
        self._taken = False
        self._resumed = False

    def take(self) -> bool:
        """On the thread, the lock just obtained: False if the waiter gave up."""
        with self._state:
            if self._given_up:
                return False
            self._taken = True
            if self._due is not None:
                self._due.mark()
            return True

    def give_up(self) -> bool:
        """On the waiter's side: False if too late (the thread holds the lock for it)."""
        with self._state:
            if self._taken:
                return False
            self._given_up = True
            return True

    def resumed(self) -> None:
        """On the loop, the waiter running again (or gone): no longer due."""
        with self._state:
            if self._taken and not self._resumed and self._due is not None:
                self._due.clear()
            self._resumed = True


class WritersLock:
    """One SQLite connection's place in the writers' queue."""

    __slots__ = ("_fd", "_held", "_state", "_waiting")

    def __init__(self, path: str) -> None:
        # Created 0600 whatever the umask: it sits beside the database in var/.
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._state = threading.Lock()
        self._held = False
        self._waiting = False  # the connection's thread is blocked in flock()

    def take_if_free(self) -> bool:
        """Without waiting (on the event loop): the lock if nobody holds it."""
        with self._state:
            if self._fd < 0 or self._waiting:  # a wait given up is still queued
                return False
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._held = True
            return True

    def wait(self, turn: Turn) -> bool:
        """On the connection's thread: block until the lock is ours. False (and the
        lock let go) if the waiter gave up meanwhile or the connection was closed."""
        with self._state:
            fd = self._fd
            if fd < 0:
                return False
            self._waiting = True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # a close() meanwhile lets it go with the file
        except BaseException:
            with self._state:
                self._waiting = False
            raise
        with self._state:
            self._waiting = False
            if self._fd < 0:
                return False  # closed while waiting: closing the file let the lock go
            if not turn.take():
                fcntl.flock(fd, fcntl.LOCK_UN)
                return False
            self._held = True
            return True

    def release(self) -> None:
        with self._state:
            if self._held:
                self._held = False
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._state:
            if self._fd >= 0:
                os.close(self._fd)  # lets the lock go with the open file
                self._fd = -1
                self._held = False


class ProcessQueue:
    """The write transactions of one process, in order, from `BEGIN IMMEDIATE` to
    `COMMIT` or `ROLLBACK`: only the first of them waits for the lock file (blocked in
    a thread), the others wait on the event loop, for free. The place is left as soon
    as the transaction ends, before its commit is synced (group_commit.py), so the
    next writer runs while the disk syncs."""

    def __init__(self) -> None:
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    async def enter(self, wait_seconds: float) -> Callable[[], None]:
        """Wait for this transaction's turn in the process: the function that leaves it
        (callable once, from any thread). Waiting longer than `wait_seconds` fails as
        SQLite's busy timeout would (`database is locked`)."""
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = asyncio.Lock()
        try:
            async with asyncio.timeout(wait_seconds):  # no task per wait, as wait_for makes
                await queue.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError(
                "database is locked (waiting for this process's other writers)"
            ) from None
        loop_thread = threading.get_ident()

        def leave() -> None:
            if threading.get_ident() == loop_thread:
                queue.release()
                return
            with contextlib.suppress(RuntimeError):  # a closed loop, and its queue with it
                loop.call_soon_threadsafe(queue.release)

        return leave
