"""SQLite's write transactions, from every process on one database, queue on a file
lock and wake as soon as it is free; within a process they pass it on among
themselves.

SQLite's own write lock has no queue: a writer that finds it taken sleeps in its busy
handler (1, 2, 5, 10, ... up to 100 ms) and tries again. With several processes
(`blanche serve --workers N`) the lock then sits idle while writers sleep, and a
writer can lose many rounds in a row (p99 over a second).

So before `BEGIN IMMEDIATE` a write transaction first queues behind the others of its
process, on the event loop; the first of them takes an exclusive `flock` on
`<database>-writers` for the whole process, through one open file. At `COMMIT` or
`ROLLBACK` the lock passes to the next writer of the process if one is queued, up
to `TURNS_IN_A_ROW` in a row, and is let go otherwise. Handing it across processes
costs both of them CPU (a thread woken in the kernel, the GIL passed to it and back,
the loop woken) and leaves the lock idle meanwhile; within the process it is the
next step of the loop. Waiters of other processes are blocked in the kernel, which
wakes them when the holder lets go, or dies. The file only orders writers: SQLite's
lock still guards the data, and whatever does not take the file lock (the `sqlite3`
shell, a statement outside a transaction) meets SQLite's lock as before.

At most one thread of a process is blocked in `flock` at a time. A blocked `flock`
cannot be interrupted, so a waiter gives up on its own side after the busy timeout
(`database is locked`, the API's 503 `database_busy`); the acquisition it started
then goes to the next writer of the process, or is let go at once if none waits.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import queue
import sqlite3
import threading
import weakref
from collections.abc import Callable

from server.db.writer_priority import DueWriters, due_writers

LOCK_FILE_SUFFIX = "-writers"

# How many writers of a process may run in a row while other processes may wait: ~1 ms
# of lock each. Under the bench's create load, a process's round ended with its queue
# empty (~5 writers) before reaching it.
TURNS_IN_A_ROW = 8


def lock_file_for(database: str) -> str | None:
    """The lock file beside an SQLite database file; None for a database in memory."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + LOCK_FILE_SUFFIX


_TAKEN = object()
_GAVE_UP = object()


class _Turn:
    """One writer waiting for the lock a thread waits for: it is taken for it or
    given up by it, whichever comes first (under `ProcessWriters._state`)."""

    __slots__ = ("outcome", "taken")

    def __init__(self, outcome: asyncio.Future[object]) -> None:
        self.outcome = outcome
        self.taken = False


class ProcessWriters:
    """The write transactions of one event loop (a service process) on one database,
    from `BEGIN IMMEDIATE` to `COMMIT` or `ROLLBACK`, in order."""

    def __init__(self, lock_path: str) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._due: DueWriters = due_writers()
        # Created 0600 whatever the umask: it sits beside the database in var/.
        self._fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        weakref.finalize(self, os.close, self._fd)  # lets the lock go with the file
        self._queue = asyncio.Lock()
        self._queued = 0  # writers waiting in `_queue`
        self._in_a_row = 0  # writers that had the lock since it was taken (0 when let go)
        self._handed_on = False  # kept for a queued writer, which is due meanwhile
        self._let_others_in = False  # let go with writers queued: the next waits its turn
        self._state = threading.Lock()  # what a thread blocked in flock() shares:
        self._held = False  # the file holds the lock
        self._acquiring = False  # a thread is blocked in flock() on the file
        self._turn: _Turn | None = None  # the writer it waits for
        self._requests: queue.SimpleQueue[Callable[[], None] | None] | None = None

    async def enter(self, wait_seconds: float) -> Callable[[], None]:
        """Wait for this transaction's turn, in the process then among every process:
        the function that ends it (callable once, from any thread). Waiting longer
        than `wait_seconds` fails as SQLite's busy timeout would (`database is locked`)."""
        deadline = self._loop.time() + wait_seconds
        self._queued += 1
        try:
            async with asyncio.timeout(wait_seconds):  # no task per wait, as wait_for makes
                await self._queue.acquire()
        except BaseException as error:
            self._queued -= 1
            self._settle()
            if isinstance(error, TimeoutError):
                raise sqlite3.OperationalError(
                    "database is locked (waiting for this process's other writers)"
                ) from None
            raise
        self._queued -= 1
        if self._handed_on:
            self._handed_on = False
            self._due.clear()
        try:
            if not self._take_now():
                await self._take_on_the_thread(max(0.0, deadline - self._loop.time()))
        except BaseException:
            self._leave()
            raise
        self._in_a_row += 1
        left = False

        def leave() -> None:
            nonlocal left
            if left:
                return
            left = True
            if threading.get_ident() == self._loop_thread:
                self._leave()
                return
            try:
                self._loop.call_soon_threadsafe(self._leave)
            except RuntimeError:  # a closed loop: nobody else will write through it
                self._let_go()

        return leave

    def _take_now(self) -> bool:
        with self._state:
            if self._held:
                self._let_others_in = False
                return True
            if self._acquiring or self._let_others_in:
                return False
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._held = True
            return True

    async def _take_on_the_thread(self, wait_seconds: float) -> None:
        turn = _Turn(self._loop.create_future())
        with self._state:
            if self._held:  # taken for nobody by a thread, just now
                return
            self._turn = turn
            start, self._acquiring = not self._acquiring, True
        if start:
            self._acquire_on_the_thread()
        deadline = self._loop.call_later(wait_seconds, self._give_up, turn)
        try:
            outcome = await turn.outcome
        except BaseException:  # cancelled: a lock taken meanwhile is let go as we leave
            self._give_up(turn)
            raise
        finally:
            deadline.cancel()
            with self._state:
                if turn.taken:
                    self._due.clear()
        if outcome is _GAVE_UP:
            raise sqlite3.OperationalError("database is locked (waiting for the other writers)")
        self._let_others_in = False

    def _give_up(self, turn: _Turn) -> None:
        """The busy timeout, unless the thread has taken the lock for this writer (its
        answer is then on its way: awaited as any other)."""
        with self._state:
            if turn.taken:
                return
            if self._turn is turn:
                self._turn = None
        if not turn.outcome.done():
            turn.outcome.set_result(_GAVE_UP)

    def _acquire_on_the_thread(self) -> None:
        """`_acquire` on the process's thread that waits in the kernel: its own, so that
        a connection whose writer gave up can still be closed meanwhile."""
        if self._requests is None:
            self._requests = queue.SimpleQueue()
            threading.Thread(
                target=_run_each, args=(self._requests,), name="sqlite-writers", daemon=True
            ).start()
            weakref.finalize(self, self._requests.put, None)
        self._requests.put(self._acquire)

    def _acquire(self) -> None:
        """On a thread: block until the file holds the lock, then hand it to the writer
        waiting for it, if any still is."""
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        with self._state:
            self._acquiring = False
            self._held = True
            turn, self._turn = self._turn, None
            if turn is not None:
                turn.taken = True
                self._due.mark()
        try:
            if turn is not None:
                self._loop.call_soon_threadsafe(_resolve, turn.outcome)
            else:
                self._loop.call_soon_threadsafe(self._settle)
        except RuntimeError:  # a closed loop
            self._let_go()

    def _leave(self) -> None:
        """On the loop: the transaction ended; the next writer's turn."""
        self._queue.release()
        self._settle()

    def _settle(self) -> None:
        """On the loop, no writer in its transaction: keep the lock for the next
        queued writer, or let it go."""
        if self._queue.locked():
            return  # the writer in its transaction settles as it leaves
        with self._state:
            if not self._held:
                return
        if self._queued and self._in_a_row < TURNS_IN_A_ROW:
            if not self._handed_on:
                self._handed_on = True
                self._due.mark()
            return
        if self._handed_on:
            self._handed_on = False
            self._due.clear()
        self._let_others_in = self._queued > 0
        self._let_go()

    def _let_go(self) -> None:
        with self._state:
            if self._held:
                self._held = False
                self._in_a_row = 0
                fcntl.flock(self._fd, fcntl.LOCK_UN)


def _run_each(requests: queue.SimpleQueue[Callable[[], None] | None]) -> None:
    while (request := requests.get()) is not None:
        request()


def _resolve(outcome: asyncio.Future[object]) -> None:
    if not outcome.done():
        outcome.set_result(_TAKEN)


class LoopsWriters:
    """Each event loop's `ProcessWriters`, by lock file (one loop per process in the
    service; tests may run several)."""

    def __init__(self) -> None:
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, ProcessWriters]
        ] = weakref.WeakKeyDictionary()

    def of_running_loop(self, lock_path: str) -> ProcessWriters:
        loop = asyncio.get_running_loop()
        by_path = self._by_loop.get(loop)
        if by_path is None:
            by_path = self._by_loop[loop] = {}
        writers = by_path.get(lock_path)
        if writers is None:
            writers = by_path[lock_path] = ProcessWriters(lock_path)
        return writers
