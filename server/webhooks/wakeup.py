"""Waking workers as soon as an event is committed (PostgreSQL LISTEN/NOTIFY).

`emit` runs `pg_notify` in the transaction of the change; PostgreSQL delivers
the notification at commit (never for a rolled-back change), and a listening
worker claims at once instead of at its next poll. SQLite has no equivalent:
workers there poll every `poll_seconds`. Polling also remains the fallback when
the listening connection fails.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

CHANNEL = "blanche_webhooks"
logger = logging.getLogger("blanche.webhooks")


async def notify_workers(session: AsyncSession) -> None:
    await session.run_sync(notify_workers_in)


def notify_workers_in(session: Session) -> None:
    """`notify_workers`, for code already running in the session's greenlet."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_notify(CHANNEL, "")))


class Listener:
    """Holds one connection LISTENing on PostgreSQL; sets `wake` on each notification."""

    def __init__(self, engine: AsyncEngine, wake: asyncio.Event) -> None:
        self._engine = engine
        self._wake = wake
        self._connection: AsyncConnection | None = None

    async def start(self) -> None:
        if self._engine.dialect.name != "postgresql":
            return
        try:
            self._connection = await self._engine.connect()
            raw = await self._connection.get_raw_connection()
            driver: Any = raw.driver_connection
            await driver.add_listener(CHANNEL, self._notified)
        except Exception:
            logger.warning("cannot LISTEN for new events; polling only", exc_info=True)
            await self.close()

    def _notified(self, *args: Any) -> None:
        self._wake.set()

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                raw = await connection.get_raw_connection()
                await raw.driver_connection.remove_listener(CHANNEL, self._notified)  # type: ignore[union-attr]
            finally:
                await connection.close()
