"""Webhook subscriptions: an endpoint URL, the events it follows, for the whole
partner or for a set of companies (hundreds in one call); secret shown once,
rotatable with a grace period; replay of a time range."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import delete, func, insert, select
from starlette.responses import Response

from invoicing.field_errors import FieldError
from invoicing.text import Text
from server.api.common import Deleted, Input, Output, respond
from server.api.operation import Operation
from server.caller import is_row_id
from server.db.base import utcnow
from server.db.tenants import Company
from server.db.webhooks import (
    WebhookDelivery,
    WebhookSubscription,
    WebhookSubscriptionCompany,
)
from server.endpoint import ApiCall
from server.field_messages import field_message, refused_field
from server.problems import Problem, Refusal, fields_to_correct
from server.webhooks.event_types import EventType
from server.webhooks.queue import disable
from server.webhooks.replay import replay
from server.webhooks.signing import new_secret
from server.webhooks.ssrf import UrlRefused, check_endpoint_url

MAX_COMPANIES = 10_000
MAX_GRACE_SECONDS = 7 * 86400
MAX_REPLAY_DAYS = 31

Url = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Events = Annotated[
    list[EventType | Literal["*"]],
    Field(min_length=1, max_length=20, description='Event types to follow; ["*"]: all'),
]
CompanyIds = Annotated[list[int], Field(max_length=MAX_COMPANIES)]


class WebhookIn(Input):
    url: Url = Field(description="https:// endpoint receiving the events")
    events: Events
    company_ids: CompanyIds | None = Field(
        None, description="The companies followed; omit for every company of the partner"
    )
    description: Annotated[Text, StringConstraints(max_length=500)] | None = None


class WebhookPatch(Input):
    url: Url | None = None
    events: Events | None = None
    description: Annotated[Text, StringConstraints(max_length=500)] | None = None
    enabled: bool | None = Field(
        None, description="false holds new events; true sends again (replay the gap)"
    )


class CompaniesChange(Input):
    add: CompanyIds = Field(default_factory=list)
    remove: CompanyIds = Field(default_factory=list)
    all_companies: bool | None = Field(
        None, description="true: follow every company (the list is cleared); false: only listed"
    )


class RotateIn(Input):
    grace_seconds: int = Field(
        86400, ge=0, le=MAX_GRACE_SECONDS, description="How long the old secret still signs"
    )


class ReplayIn(Input):
    start: dt.datetime = Field(alias="from", description="Events created at or after")
    end: dt.datetime = Field(alias="to", description="Events created before")


class QueueCounts(Output):
    pending: int = 0
    held: int = 0
    failed: int = 0
    delivered: int = 0


class WebhookOut(Output):
    id: int
    url: str
    events: list[str]
    scope: Literal["partner", "companies"]
    company_ids: list[int] | None
    description: str | None
    status: Literal["active", "disabled"]
    disabled_reason: str | None
    disabled_at: dt.datetime | None
    previous_secret_expires_at: dt.datetime | None
    queue: QueueCounts
    created_at: dt.datetime
    updated_at: dt.datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown once: store it to verify Blanche-Signature")


class WebhookList(Output):
    items: list[WebhookOut]


class SecretOut(Output):
    id: int
    secret: str = Field(description="Shown once")
    previous_secret_expires_at: dt.datetime | None


class ReplayOut(Output):
    id: int
    queued: int


def _url(url: str, call: ApiCall, field: str = "url") -> str:
    """The URL as it will be stored and called (normalized), or 422 on `field`."""
    try:
        return check_endpoint_url(url, call.services.settings.webhooks)
    except UrlRefused as refused:
        french = call.language == "fr"
        message = refused.message_fr if french else refused.message_en
        raise Problem(
            422,
            "webhook_url_refused",
            "Endpoint URL refused",
            message,
            errors=[FieldError(field, message)],
        ) from None


async def _checked_companies(call: ApiCall, ids: list[int], field: str) -> list[int]:
    """The ids, all of them the caller's companies, else 422 naming each bad one."""
    wanted = list(dict.fromkeys(ids))
    valid = [i for i in wanted if is_row_id(i)]
    found: set[int] = set()
    for start in range(0, len(valid), 1000):
        chunk = valid[start : start + 1000]
        found.update(
            await call.session.scalars(
                select(Company.id).where(
                    Company.partner_id == call.caller.partner_id, Company.id.in_(chunk)
                )
            )
        )
    fr, en = field_message("not_your_company")
    errors = [
        (f"{field}[{index}]", en, fr) for index, value in enumerate(ids) if value not in found
    ]
    if errors:
        raise Refusal(
            422,
            "validation_failed",
            "The request body is not valid",
            f"{fields_to_correct(len(errors))}.",
            f"{fields_to_correct(len(errors), 'fr')}.",
            errors=errors[:100],
        )
    return wanted


async def _company_ids(call: ApiCall, subscription: WebhookSubscription) -> list[int] | None:
    if subscription.all_companies:
        return None
    return sorted(
        await call.session.scalars(
            select(WebhookSubscriptionCompany.company_id).where(
                WebhookSubscriptionCompany.subscription_id == subscription.id
            )
        )
    )


async def _queue(call: ApiCall, subscription_id: int) -> QueueCounts:
    rows = await call.session.execute(
        select(WebhookDelivery.status, func.count())
        .where(WebhookDelivery.subscription_id == subscription_id)
        .group_by(WebhookDelivery.status)
    )
    return QueueCounts.model_validate({status: count for status, count in rows})


async def _shown(call: ApiCall, subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "url": subscription.url,
        "events": subscription.events,
        "scope": "partner" if subscription.all_companies else "companies",
        "company_ids": await _company_ids(call, subscription),
        "description": subscription.description,
        "status": subscription.status,
        "disabled_reason": subscription.disabled_reason,
        "disabled_at": subscription.disabled_at,
        "previous_secret_expires_at": subscription.previous_secret_expires_at,
        "queue": await _queue(call, subscription.id),
        "created_at": subscription.created_at,
        "updated_at": subscription.updated_at,
    }


async def _add_companies(call: ApiCall, subscription_id: int, ids: list[int]) -> None:
    existing = set(
        await call.session.scalars(
            select(WebhookSubscriptionCompany.company_id).where(
                WebhookSubscriptionCompany.subscription_id == subscription_id
            )
        )
    )
    rows = [
        {"subscription_id": subscription_id, "company_id": company_id}
        for company_id in ids
        if company_id not in existing
    ]
    if rows:
        await call.session.execute(insert(WebhookSubscriptionCompany), rows)


async def load_subscription(call: ApiCall, lock: bool = False) -> WebhookSubscription:
    call.caller.require_unscoped_key()
    return await call.caller.get(call.session, WebhookSubscription, call.path_id(), "webhook", lock)


async def create_webhook(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()
    body = await call.model(WebhookIn)
    url = _url(body.url, call)
    companies = None
    if body.company_ids is not None:
        if not body.company_ids:
            raise refused_field("company_ids", "companies_empty")
        companies = await _checked_companies(call, body.company_ids, "company_ids")
    secret = new_secret()
    subscription = WebhookSubscription(
        partner_id=call.caller.partner_id,
        url=url,
        events=list(dict.fromkeys(body.events)),
        all_companies=companies is None,
        description=body.description,
        secret=secret,
    )
    call.session.add(subscription)
    await call.session.flush()
    if companies:
        await _add_companies(call, subscription.id, companies)
    return respond(WebhookCreated, {**await _shown(call, subscription), "secret": secret}, 201)


async def list_webhooks(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()
    subscriptions = await call.session.scalars(
        call.caller.scoped(WebhookSubscription).order_by(WebhookSubscription.id).limit(1000)
    )
    items = [await _shown(call, subscription) for subscription in subscriptions]
    return respond(WebhookList, {"items": items})


async def get_webhook(call: ApiCall) -> Response:
    subscription = await load_subscription(call)
    return respond(WebhookOut, await _shown(call, subscription))


async def update_webhook(call: ApiCall) -> Response:
    subscription = await load_subscription(call, lock=True)
    body = await call.model(WebhookPatch)
    now = utcnow()
    if body.url is not None:
        subscription.url = _url(body.url, call)
    if body.events is not None:
        subscription.events = list(dict.fromkeys(body.events))
    if "description" in body.model_fields_set:
        subscription.description = body.description
    if body.enabled is True and subscription.status == "disabled":
        subscription.status = "active"
        subscription.disabled_reason = None
        subscription.disabled_at = None
    elif body.enabled is False and subscription.status == "active":
        await call.session.flush()
        await disable(call.session, subscription.id, "Disabled by the partner.", now)
        await call.session.refresh(subscription)
    subscription.updated_at = now
    await call.session.flush()
    return respond(WebhookOut, await _shown(call, subscription))


async def delete_webhook(call: ApiCall) -> Response:
    subscription = await load_subscription(call, lock=True)
    await call.session.execute(
        delete(WebhookSubscription).where(WebhookSubscription.id == subscription.id)
    )
    return respond(Deleted, {"id": subscription.id})


async def change_companies(call: ApiCall) -> Response:
    """Add and remove followed companies: hundreds in one request."""
    subscription = await load_subscription(call, lock=True)
    body = await call.model(CompaniesChange)
    added = await _checked_companies(call, body.add, "add")
    if body.all_companies is True:
        if added:
            raise refused_field("add", "add_when_following_all")
        subscription.all_companies = True
        await call.session.execute(
            delete(WebhookSubscriptionCompany).where(
                WebhookSubscriptionCompany.subscription_id == subscription.id
            )
        )
    else:
        if body.all_companies is False:
            subscription.all_companies = False
        if subscription.all_companies and added:
            raise refused_field("add", "add_to_all")
        await _add_companies(call, subscription.id, added)
        if body.remove:
            await call.session.execute(
                delete(WebhookSubscriptionCompany).where(
                    WebhookSubscriptionCompany.subscription_id == subscription.id,
                    WebhookSubscriptionCompany.company_id.in_(
                        [i for i in body.remove if is_row_id(i)]
                    ),
                )
            )
    subscription.updated_at = utcnow()
    await call.session.flush()
    return respond(WebhookOut, await _shown(call, subscription))


async def rotate_secret(call: ApiCall) -> Response:
    subscription = await load_subscription(call, lock=True)
    body = await call.model(RotateIn)
    now = utcnow()
    secret = new_secret()
    if body.grace_seconds:
        subscription.previous_secret = subscription.secret
        subscription.previous_secret_expires_at = now + dt.timedelta(seconds=body.grace_seconds)
    else:
        subscription.previous_secret = None
        subscription.previous_secret_expires_at = None
    subscription.secret = secret
    subscription.updated_at = now
    await call.session.flush()
    return respond(
        SecretOut,
        {
            "id": subscription.id,
            "secret": secret,
            "previous_secret_expires_at": subscription.previous_secret_expires_at,
        },
    )


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value.tzinfo is None:
        raise refused_field(field, "time_zone")
    return value.astimezone(dt.UTC)


async def replay_webhook(call: ApiCall) -> Response:
    subscription = await load_subscription(call, lock=True)
    body = await call.model(ReplayIn)
    start, end = _aware(body.start, "from"), _aware(body.end, "to")
    if end <= start:
        raise refused_field("to", "to_after_from")
    if end - start > dt.timedelta(days=MAX_REPLAY_DAYS):
        raise refused_field("to", "replay_days", days=MAX_REPLAY_DAYS)
    if subscription.status != "active":
        raise Refusal(
            409,
            "webhook_disabled",
            "Webhook disabled",
            'Re-enable the webhook first (PATCH with {"enabled": true}), then replay.',
            'Réactivez d\'abord le webhook (PATCH avec {"enabled": true}), puis rejouez.',
        )
    queued = await replay(call.session, subscription, start, end, utcnow())
    return respond(ReplayOut, {"id": subscription.id, "queued": queued}, 202)


OPERATIONS = (
    Operation(
        "POST",
        "/webhooks",
        create_webhook,
        "Subscribe an endpoint (for the partner or listed companies); the secret is shown once",
        WebhookIn,
        WebhookCreated,
        201,
    ),
    Operation("GET", "/webhooks", list_webhooks, "List webhooks", response=WebhookList),
    Operation("GET", "/webhooks/{id:int}", get_webhook, "Get a webhook", response=WebhookOut),
    Operation(
        "PATCH",
        "/webhooks/{id:int}",
        update_webhook,
        "Change the URL, events or description; disable or re-enable",
        WebhookPatch,
        WebhookOut,
    ),
    Operation(
        "DELETE",
        "/webhooks/{id:int}",
        delete_webhook,
        "Delete a webhook, its queue and its log",
        response=Deleted,
    ),
    Operation(
        "POST",
        "/webhooks/{id:int}/companies",
        change_companies,
        "Add or remove followed companies (up to 10,000 per call)",
        CompaniesChange,
        WebhookOut,
    ),
    Operation(
        "POST",
        "/webhooks/{id:int}/rotate-secret",
        rotate_secret,
        "New secret (shown once); the old one keeps signing during the grace period",
        RotateIn,
        SecretOut,
    ),
    Operation(
        "POST",
        "/webhooks/{id:int}/replay",
        replay_webhook,
        "Send the events of a time range again (ids unchanged: receivers de-duplicate)",
        ReplayIn,
        ReplayOut,
        202,
    ),
)
