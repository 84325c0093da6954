"""The async engine and the two session factories, for SQLite (embedded) or PostgreSQL.

Two kinds of transaction (docs/decisions.md, "Transactions"):

- **write** (`session_factory`): on SQLite `BEGIN IMMEDIATE`, which takes the
  write lock up front, so two finalizations can never read the same counter
  value, and waits (busy_timeout) instead of failing when another writer holds it;
  before it, the writers of the process queue in order, then those of every process
  on a lock file (server/db/sqlite/writers.py), so the next one starts as soon as
  one commits; the commit returns once synced (server/db/sqlite/group_commit.py).
- **read** (`read_session_factory`): on SQLite a plain deferred `BEGIN` under WAL
  (a snapshot; it never takes or waits for the write lock) with `query_only` on;
  on PostgreSQL a `READ ONLY` transaction. A write attempted in one fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from server.db.sqlite.driver import one_trip_aiosqlite

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "blanche_read_only"  # execution option of read sessions
_QUERY_ONLY = "blanche_query_only"  # per-DBAPI-connection state, in its `info`
_BEGIN_READ_ONLY = "blanche_begin_read_only"  # the transaction about to begin's kind


def create_engine(
    database_url: str,
    echo: bool = False,
    write_wait_seconds: float = SQLITE_BUSY_TIMEOUT_MS / 1000,
) -> AsyncEngine:
    """`write_wait_seconds`, SQLite: how long a write transaction waits for its turn
    among every process's writers (server/db/sqlite/writers.py) before it fails as
    SQLite's busy timeout would."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            echo=echo,
            pool_size=20,
            max_overflow=10,
            # The connection used last is taken first: its page cache still holds
            # what it just wrote. Taken in turn, each of 20 connections read again
            # every page the others had changed since it last ran (3 runs under
            # load, one process: 4.3-5.1 against 5.4-5.9 ms of CPU per create).
            pool_use_lifo=True,
            module=one_trip_aiosqlite(write_wait_seconds, SQLITE_BUSY_TIMEOUT_MS),
            # Statements that cannot wait run on the event loop (server/db/sqlite/driver.py).
            connect_args={"check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    # As many kept connections as a busy process uses at once (16 API work slots, the
    # key checks and editor saves beside them): an overflow connection is closed when
    # handed back, and a new one costs PostgreSQL a backend and asyncpg its prepared
    # statements again (measured: 10 connections opened per 5 s of list load at 10).
    # The last used first, as on SQLite: its statements are prepared and its backend warm.
    return create_async_engine(url, echo=echo, pool_size=20, max_overflow=10, pool_use_lifo=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A commit is synced after the write lock is let go, shared with the commits
        # waiting beside it, and checkpoints are made beside the writers, not by
        # them (server/db/sqlite/group_commit.py).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()
        record.info[_QUERY_ONLY] = False

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = bool(connection.get_execution_options().get(READ_ONLY))
        connection.connection.info[_BEGIN_READ_ONLY] = read_only

    def _begin(dbapi_connection: Any) -> None:
        """The dialect's own begin (SQLite's driver leaves it to us, as `isolation_level`
        is None), run on the DBAPI cursor: SQLAlchemy's statement execution (events, a
        result object) cost each transaction ~40 µs of CPU more. Errors are wrapped by
        SQLAlchemy as any statement's."""
        info = dbapi_connection.info
        read_only = info.pop(_BEGIN_READ_ONLY, False)
        cursor = dbapi_connection.cursor()
        try:
            if info.get(_QUERY_ONLY) != read_only:
                cursor.execute(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
                info[_QUERY_ONLY] = read_only
            cursor.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
        finally:
            cursor.close()

    sync_engine.dialect.do_begin = _begin  # type: ignore[method-assign]


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose transactions may write (SQLite: they take the write lock)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose transactions only read: they never take SQLite's write lock
    nor wait for it, and PostgreSQL refuses a write in them."""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return async_sessionmaker(engine, expire_on_commit=False, execution_options=options)
