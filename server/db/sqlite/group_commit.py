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

The same thread checkpoints the WAL into the database (PASSIVE: it never waits for
readers or writers) at most once a second while commits come, and once more before
it ends; the connections do not (`wal_autocheckpoint=0`), so a COMMIT only appends to
the WAL and no writer waits, holding the write lock, for a checkpoint to copy pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
import time

IDLE_SECONDS = 5.0  # the syncing thread ends after this long without a commit
CHECKPOINT_SECONDS = 1.0  # at most one checkpoint in this long


class GroupCommit:
    """The WAL syncs of one database file, for the connections of one process."""

    def __init__(self, database: str) -> None:
        self._database = database
        self._wal = database + "-wal"
        self._directory = os.path.dirname(os.path.abspath(database))
        self._state = threading.Condition()
        self._waiting: list[asyncio.Future[None]] = []
        self._thread: threading.Thread | None = None
        self._sleeping = False  # the thread waits for a commit (to be notified)
        self._wal_fd: int | None = None  # the WAL file synced last, kept open by the thread
        self.syncs = 0  # syncs done (each for a batch of commits), for tests and benchmarks
        self.checkpoints = 0

    async def durable(self) -> None:
        """Return once a sync that began after this call has finished: everything
        this connection committed before the call is then on disk."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        with self._state:
            self._waiting.append(future)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._sync_while_needed, name="sqlite-group-commit", daemon=True
                )
                self._thread.start()
            elif self._sleeping:  # a thread that is syncing takes the batch when done
                self._state.notify()
        await future

    def _sync_while_needed(self) -> None:
        checkpointed = time.monotonic()
        uncheckpointed = False  # commits synced since the last checkpoint
        while True:
            with self._state:
                while not self._waiting:
                    self._sleeping = True
                    woken = self._state.wait(IDLE_SECONDS)
                    self._sleeping = False
                    if not woken and not self._waiting:
                        self._thread = None
                        break
                batch, self._waiting = self._waiting, []
            if not batch:
                if uncheckpointed:
                    self._checkpoint()
                self._close_wal()
                return
            error: BaseException | None = None
            try:
                self._sync()
            except OSError as failed:
                error = sqlite3.OperationalError(f"the database could not be synced: {failed}")
            self.syncs += 1
            _settle(batch, error)
            uncheckpointed = True
            if time.monotonic() - checkpointed >= CHECKPOINT_SECONDS:
                self._checkpoint()
                checkpointed = time.monotonic()
                uncheckpointed = False

    def _checkpoint(self) -> None:
        """Copy the WAL's committed pages into the database, as far as no reader
        still needs them; SQLite syncs the WAL before and the database after."""
        try:
            connection = sqlite3.connect(self._database, timeout=0)
        except sqlite3.Error:
            return
        try:
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error:
            pass  # busy (another process's checkpoint): the next one will do
        finally:
            connection.close()

    def _sync(self) -> None:
        """Sync the WAL: while the file stays the same, `fstat` (is it still linked?)
        and `fdatasync`, with no open and close around them (each system call is a
        trip of this thread through the GIL, which the busy event loop holds)."""
        fd = self._wal_fd
        if fd is not None and os.fstat(fd).st_nlink == 0:
            # Removed by the last connection to close (its pages checkpointed and
            # synced into the database first): the WAL now written is a new file.
            self._close_wal()
            fd = None
        if fd is None:
            try:
                fd = os.open(self._wal, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                return  # checkpointed into the database and removed, as above
            self._wal_fd = fd
            # A WAL file new since the last sync: its name too.
            directory = os.open(self._directory, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        os.fdatasync(fd)

    def _close_wal(self) -> None:
        fd, self._wal_fd = self._wal_fd, None
        if fd is not None:
            os.close(fd)


def _settle(batch: list[asyncio.Future[None]], error: BaseException | None) -> None:
    """From the syncing thread: one call into each waiting event loop (usually one)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for future in batch:
        by_loop.setdefault(future.get_loop(), []).append(future)
    for loop, futures in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            loop.call_soon_threadsafe(_settle_in_loop, futures, error)


def _settle_in_loop(futures: list[asyncio.Future[None]], error: BaseException | None) -> None:
    for future in futures:
        if future.done():  # its waiter was cancelled
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
