"""SQLite through aiosqlite, with as few trips to the connection's thread as safe.

aiosqlite runs every call on the connection's own thread; SQLAlchemy's adapter
makes four such calls per statement (open a cursor, execute, fetch the rows,
close the cursor). Each trip wakes that thread, hands it the GIL and wakes the
event loop again: under load, most of the service's CPU time on SQLite went there,
and a sequential request spent most of its time waiting for the threads to swap.

Here a statement is one call that also fetches the rows, and it runs on the
event loop itself when it cannot wait: inside a transaction (a write transaction
holds the write lock already; under WAL a read never waits for a writer), and for
the deferred `BEGIN` of a read transaction (it takes no lock). What may wait goes
to the connection's thread, so the event loop never does: `BEGIN IMMEDIATE` (the
write lock, up to the busy timeout) and any statement outside a transaction. The
`COMMIT` of a write transaction runs on the loop too: it only appends to the WAL,
whose syncs and checkpoints are done by another thread (group_commit.py). (Once per
checkpoint, SQLite syncs the WAL's header as the next COMMIT starts it again: a few
ms of the loop's time every thousand pages written.) Rows are fetched by
SQLite on the loop either way as SQLAlchemy then turns each into Python objects
there: a large read costs the loop about what it did.
Server-side cursors (`stream`) keep SQLAlchemy's own cursor (every call a trip).

A `BEGIN IMMEDIATE` first takes its turn among the writers of its process, then of
every process (server/db/sqlite/writers.py), then runs on the event loop with
SQLite's busy wait off: only a writer outside the turns (the sqlite3 shell) can hold
SQLite's lock then, and the thread waits for that one. The turn ends at COMMIT or
ROLLBACK. A write transaction's COMMIT then waits, its turn given up, until the WAL
is synced (server/db/sqlite/group_commit.py).

Used as the DBAPI module of `sqlite+aiosqlite` engines (`create_async_engine(...,
module=one_trip_aiosqlite(...))`, connections opened with `check_same_thread=False`):
the dialect and the URL stay SQLAlchemy's.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT, await_

from server.db.sqlite.group_commit import GroupCommit
from server.db.sqlite.writers import LoopsWriters, lock_file_for

_Outcome = tuple[Any, Sequence[Any], int, int | None]  # description, rows, rowcount, lastrowid


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Outcome:
    """On the connection's thread: the whole statement, rows included."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_lastrowid", "_rowcount")
    _awaitable_cursor_close = False  # nothing stays open on the thread

    def __init__(self, adapt_connection: Any) -> None:  # no cursor opened ahead
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: Any = self._connection  # an aiosqlite.Connection
        adapted: Any = self._adapt_connection  # a OneTripConnection
        sqlite = connection._conn
        async with adapted._execute_mutex:
            if sqlite.in_transaction or _takes_no_lock(operation):
                outcome = _run(sqlite, operation, parameters, many)
            elif adapted._lock_path is not None and _begins_writing(operation):
                writers = adapted.dbapi.writers.of_running_loop(adapted._lock_path)
                adapted._leave_turn = await writers.enter(adapted.dbapi.write_wait_seconds)
                try:
                    began = _begin_at_once(adapted, sqlite, operation, parameters)
                    if began is None:  # SQLite's lock is held outside the writers' turns
                        began = await connection._execute(
                            _run, sqlite, operation, parameters, False
                        )
                    outcome = began
                except BaseException:
                    adapted._release_writers()
                    raise
                adapted._writing = True
            else:
                outcome = await connection._execute(_run, sqlite, operation, parameters, many)
                if sqlite.in_transaction:  # BEGIN IMMEDIATE, on a database in memory
                    adapted._writing = True
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._trip(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._trip(operation, seq_of_parameters, True)

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()


def _begin_at_once(
    adapted: Any, sqlite: sqlite3.Connection, operation: str, parameters: Any
) -> _Outcome | None:
    """On the event loop, the writers' turn ours: `BEGIN IMMEDIATE` with SQLite's busy
    wait off, so the loop never waits. None if SQLite's lock was taken by a writer that
    does not take turns (the sqlite3 shell): the thread then waits for it."""
    sqlite.execute("PRAGMA busy_timeout=0")
    try:
        return _run(sqlite, operation, parameters, False)
    except sqlite3.OperationalError:
        if sqlite.in_transaction:
            raise
        return None
    finally:
        sqlite.execute(f"PRAGMA busy_timeout={adapted.dbapi.busy_timeout_ms}")


def _begins_writing(operation: Any) -> bool:
    return isinstance(operation, str) and operation.strip().upper() == "BEGIN IMMEDIATE"


def _takes_no_lock(operation: Any) -> bool:
    """The deferred BEGIN of a read transaction and its `query_only` switch."""
    text = operation.strip().upper() if isinstance(operation, str) else ""
    return text == "BEGIN" or text.startswith("PRAGMA QUERY_ONLY")


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_group_commit", "_leave_turn", "_lock_path", "_writing")
    _cursor_cls = OneTripCursor

    def __init__(
        self,
        dbapi: Any,
        connection: Any,
        lock_path: str | None,
        group_commit: GroupCommit | None,
    ) -> None:
        super().__init__(dbapi, connection)
        self._writing = False  # in a write transaction (it took the locks)
        # None: a database in memory, one connection.
        self._lock_path = lock_path
        self._group_commit = group_commit
        self._leave_turn: Callable[[], None] | None = None  # ends its turn among the writers

    def commit(self) -> None:
        writing, self._writing = self._writing, False
        sqlite = self._connection._connection
        if sqlite is None:
            return
        if writing:
            try:
                sqlite.commit()  # appends to the WAL: it neither syncs nor checkpoints
            except Exception as error:
                self._handle_exception(error)
            finally:
                self._release_writers()  # if COMMIT failed; the rollback that follows ends it
            if self._group_commit is not None:
                try:
                    await_(self._group_commit.durable())
                except Exception as error:
                    self._handle_exception(error)
            return
        try:
            sqlite.commit()  # a read transaction, or none: nothing to sync
        except Exception as error:
            self._handle_exception(error)

    def rollback(self) -> None:
        self._writing = False
        sqlite = self._connection._connection
        if sqlite is None:
            self._release_writers()
            return
        try:
            sqlite.rollback()  # drops the transaction's pages, releases the lock: no wait
        except Exception as error:
            self._handle_exception(error)
        finally:
            self._release_writers()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release_writers()

    def terminate(self) -> None:
        try:
            super().terminate()
        finally:
            self._release_writers()

    def _release_writers(self) -> None:
        leave, self._leave_turn = self._leave_turn, None
        if leave is not None:
            leave()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    def __init__(self, write_wait_seconds: float, busy_timeout_ms: int) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.write_wait_seconds = write_wait_seconds
        self.busy_timeout_ms = busy_timeout_ms  # the connections' (set when they open)
        self.writers = LoopsWriters()  # the write transactions' turns
        self.group_commits: dict[str, GroupCommit] = {}  # by database file

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        database = str(arg[0] if arg else kw.get("database", ""))
        lock_path = None if kw.get("uri") else lock_file_for(database)
        adapted = super().connect(*arg, **kw)
        if lock_path is None:
            return OneTripConnection(self, adapted._connection, None, None)
        group_commit = self.group_commits.get(database)
        if group_commit is None:
            group_commit = self.group_commits[database] = GroupCommit(database)
        return OneTripConnection(self, adapted._connection, lock_path, group_commit)


def one_trip_aiosqlite(write_wait_seconds: float, busy_timeout_ms: int) -> OneTripDbapi:
    """`write_wait_seconds`: how long a write transaction waits for its turn among
    the writers of every process (as long as SQLite's busy timeout, for the same
    503); `busy_timeout_ms`: the `busy_timeout` the connections are given."""
    return OneTripDbapi(write_wait_seconds, busy_timeout_ms)
