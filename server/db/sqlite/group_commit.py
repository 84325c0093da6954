"""Group commit: a write transaction is answered once it is on disk, and the commits
waiting at the same time share one sync.

With `synchronous=FULL`, SQLite syncs the WAL inside every COMMIT, while it holds the
write lock. A sync takes ~3.6 ms of wall time on this kind of machine (0.2 ms of CPU),
so the writers of every process together could not commit more than ~270 times a
second, however little each wrote. The connections here run with
`synchronous=NORMAL` instead: COMMIT writes the WAL without syncing it (checkpoints
still sync, so the file is never corrupted by a power cut). Once the write lock is let
go, the committing connection waits here for a sync of the WAL that began after its
COMMIT was written, which is what FULL guarantees before a commit returns. One thread
per database does the syncing: every commit that arrives while a sync runs is covered
by the next one, so under load one sync serves many commits.

Until that sync, another connection may already read the new rows (a list showing a
draft a moment early). It cannot make anything depending on them durable first: the
WAL is written in order, so the sync that covers a later commit covers this one too.
A service killed before the sync loses nothing either (the WAL is in the page cache);
only a power cut can, and then only commits that were never answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable

IDLE_SECONDS = 5.0  # the syncing thread ends after this long without a commit

Settle = Callable[[BaseException | None], None]


class GroupCommit:
    """The WAL syncs of one database file, for the connections of one process."""

    def __init__(self, database: str) -> None:
        self._wal = database + "-wal"
        self._directory = os.path.dirname(os.path.abspath(database))
        self._state = threading.Condition()
        self._waiting: list[Settle] = []
        self._thread: threading.Thread | None = None
        self._synced_inode: int | None = None
        self.syncs = 0  # syncs done (each for a batch of commits), for tests and benchmarks

    async def durable(self) -> None:
        """Return once a sync that began after this call has finished: everything
        this connection committed before the call is then on disk."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def settle(error: BaseException | None) -> None:
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_settle, future, error)

        with self._state:
            self._waiting.append(settle)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._sync_while_needed, name="sqlite-group-commit", daemon=True
                )
                self._thread.start()
            self._state.notify()
        await future

    def _sync_while_needed(self) -> None:
        while True:
            with self._state:
                while not self._waiting:
                    if not self._state.wait(IDLE_SECONDS) and not self._waiting:
                        self._thread = None
                        return
                batch, self._waiting = self._waiting, []
            error: BaseException | None = None
            try:
                self._sync()
            except OSError as failed:
                error = sqlite3.OperationalError(f"the database could not be synced: {failed}")
            self.syncs += 1
            for settle in batch:
                settle(error)

    def _sync(self) -> None:
        try:
            fd = os.open(self._wal, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            # Checkpointed into the database and removed (the last connection closed):
            # SQLite synced the database file as it did.
            return
        try:
            inode = os.fstat(fd).st_ino
            os.fdatasync(fd)
        finally:
            os.close(fd)
        if inode != self._synced_inode:  # a WAL file new since the last sync: its name too
            directory = os.open(self._directory, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
            self._synced_inode = inode


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the waiter was cancelled
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
