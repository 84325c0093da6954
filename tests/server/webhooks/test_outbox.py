"""Events are written with the change, in its transaction, and only then."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.catalogue import Contact
from server.db.documents import NumberingCounter
from server.db.engine import create_engine, session_factory
from server.db.webhooks import WebhookDelivery, WebhookEvent
from server.documents.finalize import issue, plan_finalization
from server.settings import Settings
from server.webhooks.events import contact_event
from server.webhooks.outbox import emit
from server.webhooks.wakeup import Listener
from tests.server.helpers import Partner, document_body, in_db


def _events(settings: Settings) -> list[dict[str, Any]]:
    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.scalars(select(WebhookEvent).order_by(WebhookEvent.id))
        return [json.loads(row.payload) for row in rows]

    return in_db(settings, work)


def _count(settings: Settings, model: type[Any]) -> int:
    async def work(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    return in_db(settings, work)


def test_every_change_emits_its_event(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()["id"]
    contact = partner_a.ok(
        partner_a.post(f"/companies/{company}/contacts", {"kind": "company", "name": "Acme"}), 201
    )["id"]
    other = partner_a.ok(
        partner_a.post(f"/companies/{company}/contacts", {"kind": "company", "name": "ACME"}), 201
    )["id"]
    partner_a.ok(partner_a.patch(f"/contacts/{contact}", {"notes": "VIP"}))
    merge = {
        "contacts": [{"type": "company", "id": contact}, {"type": "company", "id": other}],
        "target_contact": {"type": "company", "id": contact},
    }
    partner_a.ok(partner_a.post("/contacts/merge", merge))
    draft = partner_a.draft(company, contact_id=contact)["id"]
    partner_a.ok(partner_a.put(f"/documents/{draft}", document_body()))
    partner_a.ok(partner_a.post(f"/documents/{draft}/finalize"))
    partner_a.ok(partner_a.post(f"/documents/{draft}/payment", {"paid_on": "2026-03-02"}))
    credit = partner_a.ok(partner_a.post(f"/documents/{draft}/credit-note"), 201)["id"]
    partner_a.ok(partner_a.post(f"/documents/{credit}/finalize"))
    quote = partner_a.draft(company, "quote")["id"]
    partner_a.ok(partner_a.post(f"/documents/{quote}/convert"), 201)
    events = _events(settings)
    assert [(e["type"], e["data"]["id"]) for e in events] == [
        ("company.created", company),
        ("contact.created", contact),
        ("contact.created", other),
        ("contact.updated", contact),
        ("contact.merged", contact),
        ("document.created", draft),
        ("document.saved", draft),
        ("document.finalized", draft),
        ("document.payment_recorded", draft),
        ("document.paid", draft),
        ("document.created", credit),
        ("document.finalized", credit),
        ("document.credited", draft),
        ("document.cancelled", draft),
        ("document.created", quote),
        ("document.created", quote + 1),
    ]
    assert len({e["id"] for e in events}) == len(events)
    merged = events[4]["data"]["object"]
    assert merged["merged_contact_ids"] == [other] and merged["name"] == "Acme"
    paid = events[9]["data"]["object"]
    assert paid["status"] == "paid" and paid["paid_on"] == "2026-03-02"
    assert events[13]["data"]["object"]["status"] == "cancelled"
    for event in events:
        assert event["partner_id"] == partner_a.id and event["company_id"] == company
        assert event["api_version"] == "1"
        assert dt.datetime.fromisoformat(event["created_at"]).tzinfo is not None


def test_a_rolled_back_change_emits_nothing(partner_a: Partner, settings: Settings) -> None:
    company_id = partner_a.company()["id"]
    partner_a.ok(
        partner_a.post("/webhooks", {"url": "https://hooks.example.com/", "events": ["*"]}), 201
    )
    draft_id = partner_a.draft(company_id)["id"]
    before = (_count(settings, WebhookEvent), _count(settings, WebhookDelivery))

    class Abort(Exception):
        pass

    async def change_then_fail(session: AsyncSession) -> None:
        contact = Contact(partner_id=partner_a.id, company_id=company_id, kind="person", name="X")
        session.add(contact)
        await session.flush()
        await contact_event(session, partner_a.id, company_id, contact.id, "contact.created", {})
        # Finalization's own steps (plan, then issue: the official check between them is
        # done in no transaction), here in the caller's transaction.
        today = dt.date(2026, 3, 2)
        plan = await plan_finalization(session, company_id, draft_id, today)
        assert await issue(session, plan, company_id, draft_id, today)
        assert plan.document.number == "F-2026-00001"
        assert await session.scalar(select(func.count()).select_from(WebhookEvent)) == before[0] + 2
        raise Abort  # e.g. the request fails after the change: the transaction rolls back

    with pytest.raises(Abort):
        in_db(settings, change_then_fail)
    assert (_count(settings, WebhookEvent), _count(settings, WebhookDelivery)) == before
    assert _count(settings, Contact) == 0
    assert partner_a.ok(partner_a.get(f"/documents/{draft_id}"))["status"] == "draft"

    async def counter(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(NumberingCounter)) or 0)

    assert in_db(settings, counter) == 0
    failed = partner_a.post(f"/documents/{draft_id}/payment", {"paid_on": "2026-03-03"})
    assert failed.status_code == 409
    assert _count(settings, WebhookEvent) == before[0]


def test_a_large_document_is_sent_as_id_and_link(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()["id"]
    body = document_body(lines=300)
    draft = partner_a.ok(partner_a.post(f"/companies/{company}/documents", body), 201)
    [_, event] = _events(settings)
    assert event["type"] == "document.created"
    assert event["data"] == {
        "object_type": "document",
        "id": draft["id"],
        "link": f"/api/v1/documents/{draft['id']}",
        "object": None,
        "object_omitted": "too_large",
    }


def test_deliveries_follow_the_subscriptions_filters(
    partner_a: Partner, partner_b: Partner, settings: Settings
) -> None:
    first, second = partner_a.company("One")["id"], partner_a.company("Two")["id"]
    everything = partner_a.ok(
        partner_a.post("/webhooks", {"url": "https://a.example.com/all", "events": ["*"]}), 201
    )
    finalized_of_first = partner_a.ok(
        partner_a.post(
            "/webhooks",
            {
                "url": "https://a.example.com/first",
                "events": ["document.finalized"],
                "company_ids": [first],
            },
        ),
        201,
    )
    theirs = partner_b.ok(
        partner_b.post("/webhooks", {"url": "https://b.example.com/", "events": ["*"]}), 201
    )
    partner_a.finalized(first)
    partner_a.finalized(second)
    partner_b.finalized(partner_b.company()["id"])

    async def deliveries(session: AsyncSession) -> dict[int, list[str]]:
        rows = await session.execute(
            select(WebhookDelivery.subscription_id, WebhookEvent.type, WebhookEvent.company_id)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_row_id)
            .order_by(WebhookDelivery.id)
        )
        found: dict[int, list[str]] = {}
        for subscription_id, event_type, company_id in rows:
            found.setdefault(subscription_id, []).append(f"{event_type}@{company_id}")
        return found

    found = in_db(settings, deliveries)
    assert found[finalized_of_first["id"]] == [f"document.finalized@{first}"]
    assert found[everything["id"]] == [  # both companies existed before the webhook
        f"document.created@{first}",
        f"document.finalized@{first}",
        f"document.created@{second}",
        f"document.finalized@{second}",
    ]
    assert len(found[theirs["id"]]) == 3  # company.created, document.created, .finalized
    assert set(found) == {everything["id"], finalized_of_first["id"], theirs["id"]}


def test_a_committed_event_wakes_listening_workers(partner_a: Partner, settings: Settings) -> None:
    """PostgreSQL: the notification comes with the commit (not with a rollback);
    SQLite: workers poll, nothing listens."""
    company = partner_a.company()["id"]
    partner_a.ok(
        partner_a.post("/webhooks", {"url": "https://a.example.com/", "events": ["*"]}), 201
    )

    async def scenario() -> tuple[bool, bool]:
        engine = create_engine(settings.database_url)
        wake = asyncio.Event()
        listener = Listener(engine, wake)
        await listener.start()
        sessions = session_factory(engine)

        async def emit_one(commit: bool) -> None:
            async with sessions() as session, session.begin() as transaction:
                await emit(
                    session,
                    partner_id=partner_a.id,
                    company_id=company,
                    event_type="contact.created",
                    object_type="contact",
                    object_id=1,
                    obj={},
                )
                if not commit:
                    await transaction.rollback()

        try:
            await emit_one(commit=False)
            await asyncio.sleep(0.2)
            after_rollback = wake.is_set()
            await emit_one(commit=True)
            if not settings.is_sqlite:
                await asyncio.wait_for(wake.wait(), 10)
            return after_rollback, wake.is_set()
        finally:
            await listener.close()
            await engine.dispose()

    after_rollback, after_commit = asyncio.run(scenario())
    assert not after_rollback
    assert after_commit == (not settings.is_sqlite)
