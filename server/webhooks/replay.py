"""Send a subscription's events of a time range again (or for the first time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.webhooks import (
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    WebhookSubscriptionCompany,
)
from server.webhooks.event_types import ALL_EVENTS
from server.webhooks.outbox import DELIVERY_COLUMNS
from server.webhooks.wakeup import notify_workers


def _events_of(subscription: WebhookSubscription, start: dt.datetime, end: dt.datetime) -> Any:
    query = select(WebhookEvent.id).where(
        WebhookEvent.partner_id == subscription.partner_id,
        WebhookEvent.created_at >= start,
        WebhookEvent.created_at < end,
    )
    if ALL_EVENTS not in subscription.events:
        query = query.where(WebhookEvent.type.in_(subscription.events))
    if not subscription.all_companies:
        query = query.where(
            WebhookEvent.company_id.in_(
                select(WebhookSubscriptionCompany.company_id).where(
                    WebhookSubscriptionCompany.subscription_id == subscription.id
                )
            )
        )
    return query


async def replay(
    session: AsyncSession,
    subscription: WebhookSubscription,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
) -> int:
    """Queue every event of [start, end) this subscription follows; returns how many.
    Delivered, failed and held deliveries start over; missing ones are added
    (events from before the subscription, or of companies added since)."""
    events = _events_of(subscription, start, end)
    restarted = await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == subscription.id,
            WebhookDelivery.event_row_id.in_(events),
        )
        .values(
            status="pending",
            attempts=0,
            first_attempt_at=None,
            next_attempt_at=now,
            lease_token=None,
            lease_expires_at=None,
            delivered_at=None,
        )
    )
    missing = (
        _events_of(subscription, start, end)
        .where(
            ~exists().where(
                WebhookDelivery.subscription_id == subscription.id,
                WebhookDelivery.event_row_id == WebhookEvent.id,
            )
        )
        .with_only_columns(
            literal(subscription.partner_id),
            literal(subscription.id),
            WebhookEvent.id,
            literal("pending"),
            literal(0),
            literal(now, WebhookDelivery.next_attempt_at.type),
            literal(now, WebhookDelivery.created_at.type),
        )
    )
    added = await session.execute(
        insert(WebhookDelivery).from_select(list(DELIVERY_COLUMNS), missing)
    )
    await notify_workers(session)
    return int(restarted.rowcount or 0) + int(added.rowcount or 0)  # type: ignore[attr-defined]
