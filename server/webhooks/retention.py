"""The delivery log and the outbox are kept `log_days` days (30 by default)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.webhooks import WebhookAttempt, WebhookEvent


@dataclass(frozen=True, slots=True)
class Purged:
    attempts: int
    events: int


async def purge(session: AsyncSession, now: dt.datetime, days: int) -> Purged:
    """Delete log entries and events older than `days` (an event's deliveries
    go with it, including ones held for a disabled endpoint)."""
    cutoff = now - dt.timedelta(days=days)
    attempts = await session.execute(
        delete(WebhookAttempt).where(WebhookAttempt.started_at < cutoff)
    )
    events = await session.execute(delete(WebhookEvent).where(WebhookEvent.created_at < cutoff))
    return Purged(attempts.rowcount or 0, events.rowcount or 0)  # type: ignore[attr-defined]
