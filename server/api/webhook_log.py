"""The integration log: every delivery attempt, with its severity and the
action to take, filterable like a log viewer (kept 30 days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from server.api.common import Output, Page, respond
from server.api.operation import Operation, QueryParam
from server.api.pagination import PAGE_PARAMS, before_id, next_cursor, page_limit
from server.api.webhooks import load_subscription
from server.db.webhooks import WebhookAttempt
from server.endpoint import ApiCall
from server.problems import invalid_parameter
from server.webhooks.outcomes import SEVERITIES


class AttemptOut(Output):
    id: int
    subscription_id: int
    event_id: str
    event_type: str
    attempt: int
    url: str
    at: dt.datetime
    latency_ms: int | None
    status_code: int | None
    kind: str
    severity: str
    message: str
    action: str | None
    response_excerpt: str | None
    will_retry: bool
    next_attempt_at: dt.datetime | None


class AttemptList(Page):
    items: list[AttemptOut]


def _time(call: ApiCall, name: str) -> dt.datetime | None:
    text = call.request.query_params.get(name)
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise invalid_parameter("time", name) from None
    if value.tzinfo is None:
        raise invalid_parameter("time", name)
    return value.astimezone(dt.UTC)


def _filtered(call: ApiCall, query: Any) -> Any:
    params = call.request.query_params
    if (severity := params.get("severity")) is not None:
        wanted = [s.strip() for s in severity.split(",") if s.strip()]
        if not wanted or any(s not in SEVERITIES for s in wanted):
            raise invalid_parameter("severity", "severity")
        query = query.where(WebhookAttempt.severity.in_(wanted))
    for name in ("kind", "event_type", "event_id"):
        if (value := params.get(name)) is not None:
            query = query.where(getattr(WebhookAttempt, name) == value[:100])
    if (since := _time(call, "since")) is not None:
        query = query.where(WebhookAttempt.started_at >= since)
    if (until := _time(call, "until")) is not None:
        query = query.where(WebhookAttempt.started_at < until)
    if (before := before_id(call.request)) is not None:
        query = query.where(WebhookAttempt.id < before)
    return query


async def _page(call: ApiCall, query: Any) -> Response:
    limit = page_limit(call.request)
    rows = list(
        await call.session.scalars(
            _filtered(call, query).order_by(WebhookAttempt.id.desc()).limit(limit)
        )
    )
    fields = [name for name in AttemptOut.model_fields if name != "at"]
    items = [{"at": r.started_at, **{name: getattr(r, name) for name in fields}} for r in rows]
    return respond(
        AttemptList, {"items": items, "next_cursor": next_cursor([r.id for r in rows], limit)}
    )


async def list_deliveries(call: ApiCall) -> Response:
    subscription = await load_subscription(call)
    query = call.caller.scoped(WebhookAttempt).where(
        WebhookAttempt.subscription_id == subscription.id
    )
    return await _page(call, query)


async def list_all_deliveries(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()
    return await _page(call, call.caller.scoped(WebhookAttempt))


_FILTERS = (
    QueryParam("severity", "info, warning or error; comma-separated for several"),
    QueryParam("kind", "delivered, timeout, server_error, gone, signature_rejected, dns, tls..."),
    QueryParam("event_type", "e.g. document.finalized"),
    QueryParam("event_id", "One event's attempts"),
    QueryParam("since", "Attempts at or after (ISO 8601 with zone)"),
    QueryParam("until", "Attempts before (ISO 8601 with zone)"),
    *PAGE_PARAMS,
)

OPERATIONS = (
    Operation(
        "GET",
        "/webhooks/deliveries",
        list_all_deliveries,
        "The integration log of every webhook, newest first",
        response=AttemptList,
        query=_FILTERS,
    ),
    Operation(
        "GET",
        "/webhooks/{id:int}/deliveries",
        list_deliveries,
        "One webhook's delivery attempts, newest first (kept 30 days)",
        response=AttemptList,
        query=_FILTERS,
    ),
)
