"""The delivery queue in the database: claim due deliveries, record attempts.

A delivery is claimable when it is pending, due, not leased, and no earlier
event of the same subscription is still pending: each endpoint receives its
events one at a time, in creation order, and a retry holds back the ones
behind it. Claims are short transactions that lease the rows (`FOR UPDATE
SKIP LOCKED` on PostgreSQL, so workers never wait on each other; SQLite's
`BEGIN IMMEDIATE` serializes them); the HTTP call happens outside any
transaction, and a worker that dies leaves a lease that simply expires.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from server.db.webhooks import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from server.webhooks.outcomes import Outcome

logger = logging.getLogger("blanche.webhooks")


@dataclass(frozen=True, slots=True)
class Claimed:
    delivery_id: int
    lease_token: str
    partner_id: int
    subscription_id: int
    url: str
    secrets: tuple[str, ...]  # the current secret first, then one in its grace period
    event_id: str
    event_type: str
    body: bytes
    attempts: int  # attempts made before this one
    first_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime


def _claimable(now: dt.datetime) -> list[ColumnElement[bool]]:
    """Due, unleased deliveries that head their subscription's queue. The head
    is found per active subscription with one index seek (subscription, status,
    event), so a claim costs the same however long the queues and the history."""
    earlier = aliased(WebhookDelivery)
    head = (
        select(earlier.id)
        .where(earlier.subscription_id == WebhookSubscription.id, earlier.status == "pending")
        .order_by(earlier.event_row_id)
        .limit(1)
        .correlate(WebhookSubscription)
        .scalar_subquery()
    )
    heads = select(head).where(WebhookSubscription.status == "active")
    delivery = WebhookDelivery
    return [
        delivery.id.in_(heads),
        delivery.status == "pending",
        delivery.next_attempt_at <= now,
        or_(delivery.lease_expires_at.is_(None), delivery.lease_expires_at <= now),
    ]


def _secrets(subscription: WebhookSubscription, now: dt.datetime) -> tuple[str, ...]:
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        return (subscription.secret, subscription.previous_secret)
    return (subscription.secret,)


async def claim(
    session: AsyncSession, now: dt.datetime, limit: int, lease_seconds: float
) -> list[Claimed]:
    """Lease up to `limit` deliveries (at most one per subscription)."""
    if limit <= 0:
        return []
    query = (
        select(WebhookDelivery.id)
        .where(*_claimable(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
    ids = list(await session.scalars(query))
    if not ids:
        return []
    token = uuid.uuid4().hex
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids))
        .values(lease_token=token, lease_expires_at=now + dt.timedelta(seconds=lease_seconds))
    )
    rows = await session.execute(
        select(WebhookDelivery, WebhookSubscription, WebhookEvent)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_row_id)
        .where(WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.id)
    )
    return [
        Claimed(
            delivery_id=delivery.id,
            lease_token=token,
            partner_id=delivery.partner_id,
            subscription_id=subscription.id,
            url=subscription.url,
            secrets=_secrets(subscription, now),
            event_id=event.event_id,
            event_type=event.type,
            body=event.payload.encode(),
            attempts=delivery.attempts,
            first_attempt_at=delivery.first_attempt_at,
            next_attempt_at=delivery.next_attempt_at,
        )
        for delivery, subscription, event in rows
    ]


@dataclass(frozen=True, slots=True)
class AttemptResult:
    outcome: Outcome
    started_at: dt.datetime
    finished_at: dt.datetime
    latency_ms: int | None
    response_excerpt: str | None
    next_attempt_at: dt.datetime | None  # None: delivered, disabled or given up
    gave_up_action: str | None = None


def _delivery_values(claimed: Claimed, result: AttemptResult) -> dict[str, object]:
    """The delivery row after this attempt (every column the update sets)."""
    outcome = result.outcome
    status, next_at, delivered_at = "pending", claimed.next_attempt_at, None
    if outcome.delivered:
        status, delivered_at = "delivered", result.finished_at
    elif outcome.disable:
        status = "held"
    elif result.next_attempt_at is None:
        status = "failed"
    else:
        next_at = result.next_attempt_at
    return {
        "b_id": claimed.delivery_id,
        "b_token": claimed.lease_token,
        "b_status": status,
        "b_attempts": claimed.attempts + 1,
        "b_first": claimed.first_attempt_at or result.started_at,
        "b_next": next_at,
        "b_delivered": delivered_at,
        "b_kind": outcome.kind,
    }


_DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[assignment]
_MOVE_ON = (  # a Core statement: run once per attempt, in one executemany
    update(_DELIVERIES)
    .where(
        _DELIVERIES.c.id == bindparam("b_id"),
        _DELIVERIES.c.lease_token == bindparam("b_token"),
        _DELIVERIES.c.status == "pending",
    )
    .values(
        status=bindparam("b_status"),
        attempts=bindparam("b_attempts"),
        first_attempt_at=bindparam("b_first", type_=_DELIVERIES.c.first_attempt_at.type),
        next_attempt_at=bindparam("b_next", type_=_DELIVERIES.c.next_attempt_at.type),
        delivered_at=bindparam("b_delivered", type_=_DELIVERIES.c.delivered_at.type),
        last_kind=bindparam("b_kind"),
        lease_token=None,
        lease_expires_at=None,
    )
)


def _log_entry(
    claimed: Claimed, result: AttemptResult, delivery_id: int | None
) -> dict[str, object]:
    outcome = result.outcome
    gave_up = not outcome.delivered and not outcome.disable and result.next_attempt_at is None
    return {
        "partner_id": claimed.partner_id,
        "subscription_id": claimed.subscription_id,
        "delivery_id": delivery_id,
        "event_id": claimed.event_id,
        "event_type": claimed.event_type,
        "attempt": claimed.attempts + 1,
        "url": claimed.url[:2000],
        "started_at": result.started_at,
        "latency_ms": result.latency_ms,
        "status_code": outcome.status_code,
        "kind": outcome.kind,
        "severity": "error" if gave_up else outcome.severity,
        "message": outcome.message + (" Gave up: retry window over." if gave_up else ""),
        "action": _gave_up(outcome.action, result.gave_up_action) if gave_up else outcome.action,
        "response_excerpt": result.response_excerpt,
        "will_retry": result.next_attempt_at is not None,
        "next_attempt_at": result.next_attempt_at,
    }


async def record(session: AsyncSession, finished: list[tuple[Claimed, AttemptResult]]) -> None:
    """Log the attempts and move their deliveries on (those whose lease is still
    ours), in a few statements whatever the number of attempts."""
    if not finished:
        return
    moved = await session.execute(
        _MOVE_ON, [_delivery_values(claimed, result) for claimed, result in finished]
    )
    counted = session.get_bind().dialect.supports_sane_multi_rowcount
    if counted and (moved.rowcount or 0) < len(finished):  # type: ignore[attr-defined]
        logger.warning(
            "%d deliveries lost their lease before the attempt was recorded (it expired, or "
            "they were replayed or disabled meanwhile); their events may be sent twice",
            len(finished) - (moved.rowcount or 0),  # type: ignore[attr-defined]
        )
    for claimed, result in finished:
        if result.outcome.disable:
            await disable(
                session, claimed.subscription_id, result.outcome.message, result.finished_at
            )
    subscriptions = set(
        await session.scalars(
            select(WebhookSubscription.id).where(
                WebhookSubscription.id.in_({c.subscription_id for c, _ in finished})
            )
        )
    )
    live = set(
        await session.scalars(
            select(WebhookDelivery.id).where(
                WebhookDelivery.id.in_({c.delivery_id for c, _ in finished})
            )
        )
    )
    entries = [
        _log_entry(claimed, result, claimed.delivery_id if claimed.delivery_id in live else None)
        for claimed, result in finished
        if claimed.subscription_id in subscriptions  # not deleted meanwhile
    ]
    if entries:
        await session.execute(insert(WebhookAttempt), entries)


def _gave_up(action: str | None, gave_up_action: str | None) -> str | None:
    return " ".join(part for part in (action, gave_up_action) if part) or None


async def disable(
    session: AsyncSession, subscription_id: int, reason: str, now: dt.datetime
) -> None:
    """Stop sending: the subscription's pending deliveries are held for replay."""
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .values(status="disabled", disabled_reason=reason, disabled_at=now, updated_at=now)
    )
    await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == subscription_id,
            WebhookDelivery.status == "pending",
        )
        .values(status="held", lease_token=None, lease_expires_at=None)
    )


async def pending_count(session: AsyncSession) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.status == "pending")
        )
        or 0
    )


async def next_due(session: AsyncSession) -> dt.datetime | None:
    """When the earliest pending delivery falls due (lease expiry included)."""
    due = await session.scalar(
        select(func.min(WebhookDelivery.next_attempt_at)).where(WebhookDelivery.status == "pending")
    )
    return due
