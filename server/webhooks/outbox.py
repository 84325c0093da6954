"""Emit an event: one outbox row plus one delivery per matching subscription,
all in the caller's transaction (a rolled-back change emits nothing)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Select, bindparam, exists, insert, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.db.base import utcnow
from server.db.direct import DirectStatement
from server.db.new_rows import insert_values_in
from server.db.webhooks import (
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    WebhookSubscriptionCompany,
)
from server.webhooks.event_types import EVENT_TYPES, follows
from server.webhooks.wakeup import notify_workers_in

API_VERSION = "1"
MAX_INLINE_OBJECT_BYTES = 64 * 1024  # larger objects are sent as id + link
_LINKS = {
    "document": "/api/v1/documents/{id}",
    "contact": "/api/v1/contacts/{id}",
    "company": "/api/v1/companies/{id}",
}


def _default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dumps(body: dict[str, Any], holds_any_value: bool) -> str:
    """`body` as `json.dumps(ensure_ascii=False, separators=(",", ":"))` writes it.
    A body of strings, integers and None only (the object spliced in as text, or
    none) is written by orjson, whose bytes are then json's (tests/server/webhooks/
    test_event_body.py), in a fifth of the time; one holding an object's data, which
    may hold any value (a float, which the two write differently), by json."""
    if not holds_any_value:
        try:
            return orjson.dumps(body).decode()
        except orjson.JSONEncodeError:  # what orjson refuses: an integer beyond 64 bits
            pass
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_default)


def event_body(
    event_id: str,
    event_type: str,
    created_at: str,
    partner_id: int,
    company_id: int | None,
    object_type: str,
    object_id: int,
    obj: dict[str, Any] | str | None,
) -> str:
    """The event's JSON; `obj`: the object, or its JSON text already written
    (spliced as it is: a document's is the API's answer, written once)."""
    data: dict[str, Any] = {
        "object_type": object_type,
        "id": object_id,
        "link": _LINKS[object_type].format(id=object_id),
        "object": obj if isinstance(obj, dict) else None,
    }
    body: dict[str, Any] = {
        "id": event_id,
        "type": event_type,
        "created_at": created_at,
        "api_version": API_VERSION,
        "partner_id": partner_id,
        "company_id": company_id,
        "data": data,
    }
    text = _dumps(body, isinstance(obj, dict))
    if isinstance(obj, str):  # "object" is the last member of "data", the body's last
        text = f"{text.removesuffix('null}}')}{obj}}}}}"
    if obj is not None and len(text.encode()) > MAX_INLINE_OBJECT_BYTES:
        data["object"] = None
        data["object_omitted"] = "too_large"
        text = _dumps(body, False)
    return text


@dataclass(frozen=True, slots=True)
class Emitted:
    """An event just written (no ORM object: none of the writes emitting one needs it)."""

    id: int  # the row's: deliveries refer to it
    event_id: str
    type: str
    created_at: dt.datetime


async def emit(
    session: AsyncSession,
    *,
    partner_id: int,
    company_id: int | None,
    event_type: str,
    object_type: str,
    object_id: int,
    obj: dict[str, Any] | str | None,
) -> Emitted:
    """Write `event_type` about one object (`obj`: its JSON data or text, as the API
    shows it)."""
    return await session.run_sync(
        lambda in_greenlet: emit_in(
            in_greenlet,
            partner_id=partner_id,
            company_id=company_id,
            event_type=event_type,
            object_type=object_type,
            object_id=object_id,
            obj=obj,
        )
    )


def emit_in(
    session: Session,
    *,
    partner_id: int,
    company_id: int | None,
    event_type: str,
    object_type: str,
    object_id: int,
    obj: dict[str, Any] | str | None,
) -> Emitted:
    """`emit`, for code already running in the session's greenlet (one trip into it
    per write, not one per statement). Changes pending in `session` are flushed
    first, as before any statement."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type}")
    now = utcnow()
    event_id = str(uuid.uuid4())
    payload = event_body(
        event_id,
        event_type,
        now.isoformat().replace("+00:00", "Z"),
        partner_id,
        company_id,
        object_type,
        object_id,
        obj,
    )
    values = {
        "event_id": event_id,
        "partner_id": partner_id,
        "company_id": company_id,
        "type": event_type,
        "payload": payload,
        "created_at": now,
    }
    has_company = company_id is not None
    if session.connection().dialect.name == "postgresql":
        # One round trip: the event's INSERT and the SELECT of its subscriptions.
        rows = _EVENT_AND_SUBSCRIPTIONS[has_company].rows_in(session, values)
        event = Emitted(rows[0][0], event_id, event_type, now)
        subscriptions = [row[1:] for row in rows if row[1] is not None]
    else:
        event = Emitted(insert_values_in(session, WebhookEvent, values), event_id, event_type, now)
        subscriptions = _SUBSCRIPTIONS_OF[has_company].rows_in(session, values)
    _fan_out(session, event, partner_id, subscriptions)
    return event


# Built and compiled once (server/db/direct.py): an event is written on most writes,
# and SQLAlchemy's execution of these statements costs several times the database's.
_SUBSCRIPTION = WebhookSubscription.metadata.tables[WebhookSubscription.__tablename__].c
_COMPANY = WebhookSubscriptionCompany.metadata.tables[WebhookSubscriptionCompany.__tablename__].c
_SUBSCRIPTIONS = select(_SUBSCRIPTION.id, _SUBSCRIPTION.events, _SUBSCRIPTION.status).where(
    _SUBSCRIPTION.partner_id == bindparam("partner_id")
)
_ALL_COMPANIES = _SUBSCRIPTION.all_companies.is_(True)
_FOLLOWING = {  # whether the event is about a company: the subscriptions that may follow it
    False: _SUBSCRIPTIONS.where(_ALL_COMPANIES),
    True: _SUBSCRIPTIONS.where(
        or_(
            _ALL_COMPANIES,
            exists().where(
                _COMPANY.subscription_id == _SUBSCRIPTION.id,
                _COMPANY.company_id == bindparam("company_id"),
            ),
        )
    ),
}
_SUBSCRIPTIONS_OF = {key: DirectStatement(query) for key, query in _FOLLOWING.items()}
_EVENT = WebhookEvent.metadata.tables[WebhookEvent.__tablename__]
_NEW_EVENT = (  # every column but `id` given: emit_in's values, by name
    insert(_EVENT)
    .values({column.key: bindparam(column.key) for column in _EVENT.c if column.key != "id"})
    .returning(_EVENT.c.id)
    .cte("new_event")
)


def _with_subscriptions(subscriptions: Select[Any]) -> DirectStatement:
    """PostgreSQL: the event's INSERT, then its id beside each subscription (or NULLs)."""
    followed = subscriptions.subquery("followed")
    return DirectStatement(
        select(_NEW_EVENT.c.id, followed.c.id, followed.c.events, followed.c.status).select_from(
            _NEW_EVENT.outerjoin(followed, true())
        )
    )


_EVENT_AND_SUBSCRIPTIONS = {key: _with_subscriptions(query) for key, query in _FOLLOWING.items()}
_DELIVERY = WebhookDelivery.metadata.tables[WebhookDelivery.__tablename__]
# A new delivery's columns, in this order (replay.py writes them too).
DELIVERY_COLUMNS = (
    "partner_id",
    "subscription_id",
    "event_row_id",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
)
_DELIVERIES = DirectStatement(
    insert(_DELIVERY).values({name: bindparam(name) for name in DELIVERY_COLUMNS}).inline()
)


def _fan_out(
    session: Session, event: Emitted, partner_id: int, subscriptions: list[tuple[Any, ...]]
) -> None:
    """One delivery per subscription (id, events, status) that follows the event's type."""
    rows = [
        {
            "partner_id": partner_id,
            "subscription_id": subscription_id,
            "event_row_id": event.id,
            "status": "pending" if status == "active" else "held",
            "attempts": 0,
            "next_attempt_at": event.created_at,
            "created_at": event.created_at,
        }
        for subscription_id, events, status in subscriptions
        if follows(events, event.type)
    ]
    if rows:
        _DELIVERIES.run_many_in(session, rows)
        if any(row["status"] == "pending" for row in rows):
            notify_workers_in(session)
