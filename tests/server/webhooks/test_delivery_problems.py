"""A stored URL the delivery cannot use, or any other failure of one delivery,
becomes a delivery-log entry with an action; no event is left pending."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.webhooks import WebhookSubscription
from server.settings import Settings
from server.webhooks.worker import WebhookWorker
from tests.server.helpers import Partner, in_db
from tests.server.webhooks.receiver import Receiver
from tests.server.webhooks.test_delivery import _contact, _log, subscribe
from tests.server.webhooks.worker_runs import drain


def _store_url(settings: Settings, hook_id: object, url: str) -> None:
    """As a URL saved before normalization existed, or edited in the database."""

    async def work(session: AsyncSession) -> None:
        await session.execute(
            update(WebhookSubscription).where(WebhookSubscription.id == hook_id).values(url=url)
        )

    in_db(settings, work)


@pytest.mark.parametrize(
    "stored",
    [
        "http://127.0.0.1:{port}/a\r\nX-Injected: 1",
        "http://hooks example/",
        "http://①②⑦.0.0.1.①:{port}/",
        "http://999.0.0.1:{port}/",
        "ftp://127.0.0.1:{port}/",
    ],
)
def test_an_unusable_stored_url_is_a_log_entry_and_holds_the_events(
    partner_a: Partner,
    receiver: Receiver,
    settings: Settings,
    stored: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    company = partner_a.company()
    port = receiver.base_url.rsplit(":", 1)[1]
    hook = subscribe(partner_a, receiver.url("/hook"), events=["contact.created"])
    _store_url(settings, hook["id"], stored.replace("{port}", port))
    _contact(partner_a, company["id"], "Jeanne")
    with caplog.at_level(logging.INFO, logger="blanche.webhooks"):
        drain(settings, timeout=10)  # returns: nothing is left pending
    assert receiver.requests() == []
    [entry] = _log(partner_a, hook["id"])
    assert (entry["kind"], entry["severity"]) == ("url_refused", "error")
    assert "URL refused" in str(entry["message"])
    assert f"/api/v1/webhooks/{hook['id']}" in str(entry["action"])
    shown = partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))
    assert shown["status"] == "disabled" and shown["queue"]["held"] == 1
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a URL problem"


def test_a_url_in_an_old_spelling_is_delivered_to_the_address_it_spells(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    port = receiver.base_url.rsplit(":", 1)[1]
    hook = subscribe(partner_a, receiver.url("/old"), events=["contact.created"])
    _store_url(settings, hook["id"], f"http://0x7f.1:{port}/old")
    _contact(partner_a, company["id"], "Jeanne")
    drain(settings)
    [request] = receiver.requests("/old")
    assert request.headers["Host"] == f"127.0.0.1:{port}"
    assert [e["kind"] for e in _log(partner_a, hook["id"])] == ["delivered"]


def test_an_unexpected_failure_is_a_log_entry_and_the_event_is_retried(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    hook = subscribe(partner_a, "http://hooks.example.com/x", events=["contact.created"])

    async def broken(host: str, port: int) -> list[str]:
        raise RuntimeError("a bug in the resolver")

    async def one_round() -> None:
        async with WebhookWorker(settings, resolver=broken) as worker:
            claimed = await worker.step([], 10)
            assert len(claimed) == 1
            results = [await worker.attempt(item) for item in claimed]
            await worker.step([r for r in results if r is not None], 0)

    _contact(partner_a, company["id"], "Jeanne")
    asyncio.run(one_round())
    [entry] = _log(partner_a, hook["id"])
    assert (entry["kind"], entry["severity"]) == ("internal_error", "error")
    assert "RuntimeError" in str(entry["message"]) and "a bug" not in str(entry["message"])
    assert entry["will_retry"] and "retried" in str(entry["action"])
    assert partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))["queue"]["pending"] == 1
