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
write lock, up to the busy timeout), the `COMMIT` of a write transaction (the disk
sync, a checkpoint), and any statement outside a transaction. Rows are fetched by
SQLite on the loop either way as SQLAlchemy then turns each into Python objects
there: a large read costs the loop about what it did.
Server-side cursors (`stream`) keep SQLAlchemy's own cursor (every call a trip).

Used as the DBAPI module of `sqlite+aiosqlite` engines (`create_async_engine(...,
module=one_trip_aiosqlite())`, connections opened with `check_same_thread=False`):
the dialect and the URL stay SQLAlchemy's.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

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
            else:
                outcome = await connection._execute(_run, sqlite, operation, parameters, many)
                if sqlite.in_transaction:  # BEGIN IMMEDIATE: the commit syncs the disk
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


def _takes_no_lock(operation: Any) -> bool:
    """The deferred BEGIN of a read transaction and its `query_only` switch."""
    text = operation.strip().upper() if isinstance(operation, str) else ""
    return text == "BEGIN" or text.startswith("PRAGMA QUERY_ONLY")


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_writing",)
    _cursor_cls = OneTripCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._writing = False  # in a transaction begun on the thread (it took the lock)

    def commit(self) -> None:
        writing, self._writing = self._writing, False
        sqlite = self._connection._connection
        if sqlite is None:
            return
        if writing:
            super().commit()
            return
        try:
            sqlite.commit()  # a read transaction, or none: nothing to sync
        except Exception as error:
            self._handle_exception(error)

    def rollback(self) -> None:
        self._writing = False
        sqlite = self._connection._connection
        if sqlite is None:
            return
        try:
            sqlite.rollback()  # drops the transaction's pages, releases the lock: no wait
        except Exception as error:
            self._handle_exception(error)


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def one_trip_aiosqlite() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
