"""Managing webhooks: secrets shown once, hundreds of companies per call,
tenant isolation, validation, the log's filters and retention."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Company
from server.db.webhooks import WebhookAttempt, WebhookDelivery, WebhookEvent
from server.operator_tasks import new_key
from server.settings import Settings
from server.webhooks.outbox import emit
from server.webhooks.worker import WebhookWorker
from tests.server.helpers import Partner, in_db

URL = "https://hooks.example.com/blanche"


def _companies(settings: Settings, partner_id: int, count: int) -> list[int]:
    async def work(session: AsyncSession) -> list[int]:
        rows = [Company(partner_id=partner_id, name=f"Company {n}") for n in range(count)]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]

    return in_db(settings, work)


def _deliveries_for(settings: Settings, partner_id: int, company_id: int) -> int:
    """Emit one event for the company; how many deliveries it got."""

    async def work(session: AsyncSession) -> int:
        event = await emit(
            session,
            partner_id=partner_id,
            company_id=company_id,
            event_type="contact.created",
            object_type="contact",
            object_id=1,
            obj={},
        )
        count = await session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.event_row_id == event.id)
        )
        return int(count or 0)

    return in_db(settings, work)


def test_the_secret_is_shown_once(partner_a: Partner) -> None:
    created = partner_a.ok(
        partner_a.post("/webhooks", {"url": URL, "events": ["document.finalized"]}), 201
    )
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["scope"] == "partner" and created["company_ids"] is None
    assert created["status"] == "active"
    shown = partner_a.ok(partner_a.get(f"/webhooks/{created['id']}"))
    listed = partner_a.ok(partner_a.get("/webhooks"))["items"]
    for item in (shown, *listed):
        assert "secret" not in item and created["secret"] not in str(item)
    assert [item["id"] for item in listed] == [created["id"]]


def test_one_call_follows_hundreds_of_companies(partner_a: Partner, settings: Settings) -> None:
    ids = _companies(settings, partner_a.id, 600)
    created = partner_a.ok(
        partner_a.post("/webhooks", {"url": URL, "events": ["*"], "company_ids": ids[:400]}), 201
    )
    assert created["scope"] == "companies" and created["company_ids"] == sorted(ids[:400])
    changed = partner_a.ok(
        partner_a.post(
            f"/webhooks/{created['id']}/companies",
            {"add": ids[400:], "remove": ids[:100]},
        )
    )
    assert changed["company_ids"] == sorted(ids[100:])
    assert _deliveries_for(settings, partner_a.id, ids[50]) == 0
    assert _deliveries_for(settings, partner_a.id, ids[550]) == 1
    everyone = partner_a.ok(
        partner_a.post(f"/webhooks/{created['id']}/companies", {"all_companies": True})
    )
    assert everyone["scope"] == "partner" and everyone["company_ids"] is None
    assert _deliveries_for(settings, partner_a.id, ids[50]) == 1


def test_company_ids_must_be_the_partners(
    partner_a: Partner, partner_b: Partner, settings: Settings
) -> None:
    mine = partner_a.company()["id"]
    theirs = partner_b.company()["id"]
    response = partner_a.post(
        "/webhooks", {"url": URL, "events": ["*"], "company_ids": [mine, theirs, 2**40]}
    )
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["company_ids[1]", "company_ids[2]"]
    assert (
        partner_a.post("/webhooks", {"url": URL, "events": ["*"], "company_ids": []}).json()["code"]
        == "validation_failed"
    )
    unknown = partner_a.post("/webhooks", {"url": URL, "events": ["document.deleted"]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"].startswith("events")


def test_another_partner_cannot_see_or_touch_a_webhook(
    partner_a: Partner, partner_b: Partner
) -> None:
    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)
    path = f"/webhooks/{hook['id']}"
    attempts = [
        partner_b.get(path),
        partner_b.patch(path, {"url": "https://evil.example.com/"}),
        partner_b.post(f"{path}/rotate-secret", {}),
        partner_b.post(f"{path}/companies", {"all_companies": True}),
        partner_b.post(
            f"{path}/replay", {"from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"}
        ),
        partner_b.get(f"{path}/deliveries"),
        partner_b.delete(path),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert partner_b.ok(partner_b.get("/webhooks"))["items"] == []
    assert partner_b.ok(partner_b.get("/webhooks/deliveries"))["items"] == []
    assert partner_a.ok(partner_a.get(path))["url"] == URL


def test_a_company_key_cannot_manage_webhooks(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()["id"]
    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)

    async def work(session: AsyncSession) -> str:
        return (await new_key(session, partner_a.id, company)).secret

    scoped = Partner(partner_a.id, in_db(settings, work), partner_a.client)
    for response in (
        scoped.get("/webhooks"),
        scoped.post("/webhooks", {"url": URL, "events": ["*"]}),
        scoped.get(f"/webhooks/{hook['id']}"),
        scoped.get(f"/webhooks/{hook['id']}/deliveries"),
        scoped.get("/webhooks/deliveries"),
    ):
        assert response.status_code == 403 and response.json()["code"] == "key_scope"


def test_update_disable_and_delete(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()["id"]
    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)
    path = f"/webhooks/{hook['id']}"
    updated = partner_a.ok(
        partner_a.patch(path, {"events": ["contact.created"], "description": "CRM"})
    )
    assert (updated["events"], updated["description"]) == (["contact.created"], "CRM")
    assert _deliveries_for(settings, partner_a.id, company) == 1
    disabled = partner_a.ok(partner_a.patch(path, {"enabled": False}))
    assert disabled["status"] == "disabled" and disabled["disabled_reason"]
    assert disabled["queue"] == {"pending": 0, "held": 1, "failed": 0, "delivered": 0}
    assert _deliveries_for(settings, partner_a.id, company) == 1  # kept, held
    assert partner_a.ok(partner_a.get(path))["queue"]["held"] == 2
    partner_a.ok(partner_a.delete(path))
    assert partner_a.get(path).status_code == 404

    async def leftovers(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0)

    assert in_db(settings, leftovers) == 0


def test_replay_and_log_parameters_are_checked(partner_a: Partner) -> None:
    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)
    path = f"/webhooks/{hook['id']}"
    cases = [
        ({"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
        ({"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
        ({"from": "2026-01-01T00:00:00", "to": "2026-01-02T00:00:00Z"}, "from"),
    ]
    for body, field in cases:
        response = partner_a.post(f"{path}/replay", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    for params in ({"severity": "fatal"}, {"since": "yesterday"}, {"until": "2026-01-01T00:00"}):
        response = partner_a.get(f"{path}/deliveries", params=params)
        assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"


def test_replay_sends_events_from_before_the_subscription(
    partner_a: Partner, settings: Settings
) -> None:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    partner_a.company("Early")
    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)
    replayed = partner_a.ok(
        partner_a.post(
            f"/webhooks/{hook['id']}/replay",
            {"from": start.isoformat(), "to": dt.datetime.now(dt.UTC).isoformat()},
        ),
        202,
    )
    assert replayed["queued"] == 1
    assert partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))["queue"]["pending"] == 1


def test_the_log_and_the_outbox_are_kept_thirty_days(
    partner_a: Partner, settings: Settings
) -> None:
    company = partner_a.company()["id"]
    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)
    now = dt.datetime.now(dt.UTC)

    async def history(session: AsyncSession) -> None:
        for age_days in (45, 31, 29, 1):
            at = now - dt.timedelta(days=age_days)
            event = await emit(
                session,
                partner_id=partner_a.id,
                company_id=company,
                event_type="contact.created",
                object_type="contact",
                object_id=age_days,
                obj={},
            )
            await session.execute(  # an event written that long ago
                update(WebhookEvent).where(WebhookEvent.id == event.id).values(created_at=at)
            )
            session.add(
                WebhookAttempt(
                    partner_id=partner_a.id,
                    subscription_id=hook["id"],
                    event_id=event.event_id,
                    event_type=event.type,
                    attempt=1,
                    url=URL,
                    started_at=at,
                    kind="delivered",
                    severity="info",
                    message="Delivered (HTTP 200).",
                )
            )

    in_db(settings, history)

    async def purge() -> tuple[int, int]:
        async with WebhookWorker(settings) as worker:
            purged = await worker.purge()
        return purged.attempts, purged.events

    assert asyncio.run(purge()) == (2, 2)

    async def left(session: AsyncSession) -> tuple[int, int, int]:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (WebhookAttempt, WebhookEvent, WebhookDelivery)
        ]
        return (int(counts[0] or 0), int(counts[1] or 0), int(counts[2] or 0))

    assert in_db(settings, left) == (2, 3, 2)  # events: + the company.created of today
    log = partner_a.ok(partner_a.get("/webhooks/deliveries"))["items"]
    assert len(log) == 2
